#include "daemon/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace cqcwatch {

namespace {

// The sd_notify(3) protocol, without libsystemd (and the five libraries it loads at every
// start-up): one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET ("@…" abstract).
// 0 when there is no socket, 1 when sent, -errno when not.
int send_notify(const std::string& state) {
    const char* name = std::getenv("NOTIFY_SOCKET");
    if (name == nullptr || *name == '\0') return 0;
    if (name[0] != '/' && name[0] != '@') return -EAFNOSUPPORT;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::size_t length = std::strlen(name);
    if (length >= sizeof addr.sun_path) return -EINVAL;
    std::memcpy(addr.sun_path, name, length);
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
    const ssize_t sent =
        ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&addr), size);
    const int error = errno;
    ::close(fd);
    if (sent < 0) return -error;
    return 1;
}

}  // namespace

SystemdNotify::Result SystemdNotify::notify(const std::string& state) const {
    const int r = send_notify(state);
    if (r < 0) {
        return tl::make_unexpected("sd_notify(" + state.substr(0, state.find('=')) + "): " + std::strerror(-r));
    }
    return r > 0;
}

SystemdNotify::Result SystemdNotify::ready() const { return notify("READY=1"); }

SystemdNotify::Result SystemdNotify::status(std::string_view line) const {
    std::string text{line};
    std::replace(text.begin(), text.end(), '\n', ' ');
    return notify("STATUS=" + text);
}

SystemdNotify::Result SystemdNotify::stopping() const { return notify("STOPPING=1"); }

SystemdNotify::Result SystemdNotify::reloading() const {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    const std::uint64_t usec =
        static_cast<std::uint64_t>(ts.tv_sec) * 1000000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
    return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

SystemdNotify::Result SystemdNotify::watchdog() const { return notify("WATCHDOG=1"); }

std::optional<std::chrono::microseconds> SystemdNotify::watchdog_interval() const {
    // As sd_watchdog_enabled(3): $WATCHDOG_USEC, for this process only when $WATCHDOG_PID is set.
    const char* usec = std::getenv("WATCHDOG_USEC");
    if (usec == nullptr) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(usec, &end, 10);
    if (errno != 0 || end == usec || *end != '\0' || value == 0) return std::nullopt;
    if (const char* pid = std::getenv("WATCHDOG_PID"); pid != nullptr && std::to_string(::getpid()) != pid)
        return std::nullopt;
    return std::chrono::microseconds{static_cast<std::chrono::microseconds::rep>(value)};
}

}  // namespace cqcwatch
