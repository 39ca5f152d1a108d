#pragma once
// A timer that fires at a wall-clock instant (an embargo lift), not after a
// duration. It uses timerfd(CLOCK_REALTIME, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET):
// the kernel fires it when the real-time clock reaches the instant, to the
// nanosecond, and tells us when the clock is stepped (NTP, `date -s`, resume), so
// we re-arm for the same instant — never early, never lost.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "fetchers/asio.hpp"

namespace cqcwatch {

/// One-shot wall-clock timer on the io_context; one wait at a time.
class WallTimer {
public:
    /// Called with true when the instant came, false when cancelled or replaced.
    using Handler = std::function<void(bool fired)>;

    /// Creates the timerfd; throws std::system_error if the kernel refuses (start-up only).
    explicit WallTimer(asio::io_context& io);
    /// Closes the timer; a pending handler is dropped without being called.
    ~WallTimer();
    WallTimer(const WallTimer&) = delete;
    WallTimer& operator=(const WallTimer&) = delete;

    /// Calls `handler(true)` once system_clock reaches `when` (at once, via post, if it already has).
    /// A pending wait is replaced: its handler gets false. Handlers never run inside this call.
    void async_wait_until(std::chrono::system_clock::time_point when, Handler handler);
    /// Disarms; a pending handler is called with false (via post). No-op when idle.
    void cancel();
    /// The instant of the pending wait, if any.
    std::optional<std::chrono::system_clock::time_point> expiry() const;
    /// How many times the clock was stepped while waiting (for logs and tests).
    unsigned clock_changes() const { return m_clock_changes; }

private:
    void arm();
    void disarm();
    void wait();
    void on_readable(const boost::system::error_code& ec);
    void complete(bool fired);

    asio::io_context& m_io;
    asio::posix::stream_descriptor m_fd;
    Handler m_handler;
    std::chrono::system_clock::time_point m_when;
    bool m_wait_outstanding = false;
    unsigned m_clock_changes = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace cqcwatch
