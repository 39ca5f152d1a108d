#pragma once
// The sd_notify protocol (Type=notify units): tell systemd we are ready, what we
// are doing, that we are reloading or stopping, and that we are alive (watchdog).
// Outside systemd (no NOTIFY_SOCKET) every call is a cheap no-op.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace cqcwatch {

/// The sd_notify(3) protocol spoken directly (no libsystemd); one datagram per call, never blocks for long.
class SystemdNotify {
public:
    /// true = sent, false = not under systemd (NOTIFY_SOCKET unset); error text otherwise.
    using Result = tl::expected<bool, std::string>;

    /// READY=1: start-up (or a reload) is complete and the loop runs.
    Result ready() const;
    /// STATUS=<one line>: shown by `systemctl status`; newlines are replaced by spaces.
    Result status(std::string_view line) const;
    /// STOPPING=1: shutdown has begun.
    Result stopping() const;
    /// RELOADING=1 with MONOTONIC_USEC (systemd 253+ wants it; 252 ignores it). Send ready() after.
    Result reloading() const;
    /// WATCHDOG=1: the loop is alive.
    Result watchdog() const;
    /// WATCHDOG_USEC for this process when the watchdog is on; ping at half of it.
    std::optional<std::chrono::microseconds> watchdog_interval() const;
    /// Sends any raw state string ("KEY=value\n…").
    Result notify(const std::string& state) const;
};

}  // namespace cqcwatch
