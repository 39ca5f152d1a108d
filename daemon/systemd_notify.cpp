#include "daemon/systemd_notify.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>

#include <systemd/sd-daemon.h>

namespace cqcwatch {

SystemdNotify::Result SystemdNotify::notify(const std::string& state) const {
    const int r = ::sd_notify(0, state.c_str());
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
    std::uint64_t usec = 0;
    if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
        return std::nullopt;
    }
    return std::chrono::microseconds{static_cast<std::chrono::microseconds::rep>(usec)};
}

}  // namespace cqcwatch
