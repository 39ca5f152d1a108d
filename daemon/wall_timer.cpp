#include "daemon/wall_timer.hpp"

#include <cerrno>
#include <cstdint>
#include <system_error>

#include <sys/timerfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace {

int make_timerfd() {
    const int fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "timerfd_create(CLOCK_REALTIME)");
    }
    return fd;
}

// An all-zero it_value disarms a timerfd, so an instant at or before the epoch becomes 1 ns:
// still in the past, so it fires at once.
itimerspec absolute(std::chrono::system_clock::time_point when) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
    if (ns <= 0) {
        ns = 1;
    }
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1000000000);
    spec.it_value.tv_nsec = static_cast<long>(ns % 1000000000);
    return spec;
}

}  // namespace

WallTimer::WallTimer(asio::io_context& io) : m_io(io), m_fd(io, make_timerfd()) {}

WallTimer::~WallTimer() {
    *m_alive = false;
    boost::system::error_code ignored;
    m_fd.close(ignored);
}

void WallTimer::async_wait_until(std::chrono::system_clock::time_point when, Handler handler) {
    if (m_handler) {
        complete(false);
    }
    m_handler = std::move(handler);
    m_when = when;
    arm();
}

void WallTimer::cancel() {
    if (!m_handler) {
        return;
    }
    disarm();
    complete(false);
}

std::optional<std::chrono::system_clock::time_point> WallTimer::expiry() const {
    if (!m_handler) {
        return std::nullopt;
    }
    return m_when;
}

void WallTimer::arm() {
    const itimerspec spec = absolute(m_when);
    if (::timerfd_settime(m_fd.native_handle(), TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr) != 0) {
        // Cannot happen with a valid fd and spec; fail loudly rather than never fire.
        spdlog::error("wall timer: timerfd_settime: {}", std::generic_category().message(errno));
        complete(std::chrono::system_clock::now() >= m_when);
        return;
    }
    wait();
}

void WallTimer::disarm() {
    const itimerspec zero{};
    ::timerfd_settime(m_fd.native_handle(), 0, &zero, nullptr);
}

void WallTimer::wait() {
    if (m_wait_outstanding) {
        return;
    }
    m_wait_outstanding = true;
    m_fd.async_wait(asio::posix::stream_descriptor::wait_read,
                    [this, alive = m_alive](const boost::system::error_code& ec) {
                        if (*alive) {
                            m_wait_outstanding = false;
                            on_readable(ec);
                        }
                    });
}

void WallTimer::on_readable(const boost::system::error_code& ec) {
    if (ec || !m_handler) {
        return;  // closed, or cancelled while the wait was outstanding
    }
    std::uint64_t expirations = 0;
    const ssize_t n = ::read(m_fd.native_handle(), &expirations, sizeof expirations);
    if (n == static_cast<ssize_t>(sizeof expirations)) {
        complete(true);
        return;
    }
    if (n < 0 && errno == ECANCELED) {
        // The clock was stepped: re-arm for the same instant. If the step jumped past it,
        // an absolute timer in the past fires at once.
        ++m_clock_changes;
        spdlog::info("wall timer: system clock changed; re-armed");
        arm();
        return;
    }
    wait();  // EAGAIN: a spurious wake-up, or a re-arm raced the wait
}

void WallTimer::complete(bool fired) {
    Handler handler = std::move(m_handler);
    m_handler = nullptr;
    asio::post(m_io, [handler = std::move(handler), fired] { handler(fired); });
}

}  // namespace cqcwatch
