#include "daemon/systemd_notify.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

// Sets an environment variable for one test and restores the old value after it.
class EnvGuard {
public:
    EnvGuard(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        ::setenv(name, value.c_str(), 1);
    }
    ~EnvGuard() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

// A unix datagram socket in a fresh temp dir, standing in for systemd's notify socket.
class NotifySocket {
public:
    NotifySocket() {
        char dir_template[] = "/tmp/cqcwatch-notify-XXXXXX";
        REQUIRE(::mkdtemp(dir_template) != nullptr);
        m_dir = dir_template;
        m_path = m_dir / "notify.sock";
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(m_path.string().size() < sizeof addr.sun_path);
        std::strcpy(addr.sun_path, m_path.c_str());
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~NotifySocket() {
        ::close(m_fd);
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    std::string path() const { return m_path.string(); }

    // The next datagram, or "" after 5 s.
    std::string receive() const {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) != 1) {
            return "";
        }
        char buf[4096];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_path;
    int m_fd = -1;
};

}  // namespace

TEST_CASE("systemd_notify: READY, STATUS, RELOADING, WATCHDOG and STOPPING reach the notify socket",
          "[systemd_notify]") {
    NotifySocket socket;
    EnvGuard env{"NOTIFY_SOCKET", socket.path()};
    const cqcwatch::SystemdNotify sd;

    REQUIRE(sd.ready() == true);
    CHECK(socket.receive() == "READY=1");
    REQUIRE(sd.status("polling 3 sources\nlast ok 12:00") == true);
    CHECK(socket.receive() == "STATUS=polling 3 sources last ok 12:00");
    REQUIRE(sd.reloading() == true);
    const std::string reload = socket.receive();
    CHECK(reload.rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    CHECK(reload.size() > std::string("RELOADING=1\nMONOTONIC_USEC=").size());
    REQUIRE(sd.watchdog() == true);
    CHECK(socket.receive() == "WATCHDOG=1");
    REQUIRE(sd.stopping() == true);
    CHECK(socket.receive() == "STOPPING=1");
}

TEST_CASE("systemd_notify: without NOTIFY_SOCKET nothing is sent and nothing fails", "[systemd_notify]") {
    std::optional<EnvGuard> restore;
    if (std::getenv("NOTIFY_SOCKET") != nullptr) {
        restore.emplace("NOTIFY_SOCKET", std::getenv("NOTIFY_SOCKET"));
        ::unsetenv("NOTIFY_SOCKET");
    }
    const cqcwatch::SystemdNotify sd;
    CHECK(sd.ready() == false);
    CHECK(sd.stopping() == false);
}

TEST_CASE("systemd_notify: the watchdog interval comes from WATCHDOG_USEC for this process only", "[systemd_notify]") {
    const cqcwatch::SystemdNotify sd;
    EnvGuard usec{"WATCHDOG_USEC", "20000000"};
    {
        EnvGuard pid{"WATCHDOG_PID", std::to_string(::getpid())};
        REQUIRE(sd.watchdog_interval() == std::chrono::microseconds{20000000});
    }
    {
        EnvGuard other_pid{"WATCHDOG_PID", std::to_string(::getpid() + 1)};
        CHECK_FALSE(sd.watchdog_interval().has_value());
    }
}

TEST_CASE("systemd_notify: an abstract socket (@name) is reached, and a socket that is not there is an error",
          "[systemd_notify]") {
    const std::string name = "cqcwatch-notify-test-" + std::to_string(::getpid());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, name.data(), name.size());  // sun_path[0] == '\0': abstract
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())) == 0);
    const cqcwatch::SystemdNotify sd;
    {
        EnvGuard env{"NOTIFY_SOCKET", "@" + name};
        REQUIRE(sd.ready() == true);
        pollfd p{fd, POLLIN, 0};
        REQUIRE(::poll(&p, 1, 5000) == 1);
        char buf[64];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        CHECK(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))) == "READY=1");
    }
    ::close(fd);
    EnvGuard gone{"NOTIFY_SOCKET", "/nonexistent-cqcwatch-dir/notify.sock"};
    auto r = sd.ready();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == "sd_notify(READY): No such file or directory");
}
