#include "daemon/wall_timer.hpp"

#include <cstdlib>
#include <ctime>
#include <optional>

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace std::chrono_literals;
using cqcwatch::WallTimer;
using SystemTime = std::chrono::system_clock::time_point;

namespace {

struct Outcome {
    std::optional<bool> fired;
    SystemTime at;
};

WallTimer::Handler record(Outcome& out) {
    return [&out](bool fired) {
        out.fired = fired;
        out.at = std::chrono::system_clock::now();
    };
}

// Runs the loop until `done` or a generous bound (this bounds the test, it asserts nothing about speed).
template <typename Pred>
void run_until(cqcwatch::asio::io_context& io, Pred done, std::chrono::seconds bound = 10s) {
    const auto stop = std::chrono::steady_clock::now() + bound;
    while (!done() && std::chrono::steady_clock::now() < stop) {
        io.restart();
        io.run_for(20ms);
    }
}

}  // namespace

TEST_CASE("wall_timer: fires at the instant and never before it", "[wall_timer]") {
    cqcwatch::asio::io_context io;
    WallTimer timer{io};
    Outcome out;
    const SystemTime target = std::chrono::system_clock::now() + 200ms;
    timer.async_wait_until(target, record(out));
    REQUIRE(timer.expiry() == target);
    run_until(io, [&] { return out.fired.has_value(); });
    REQUIRE(out.fired == true);
    CHECK(out.at >= target);
    CHECK_FALSE(timer.expiry().has_value());
}

TEST_CASE("wall_timer: an instant already past fires at once", "[wall_timer]") {
    cqcwatch::asio::io_context io;
    WallTimer timer{io};
    Outcome past;
    Outcome epoch;
    timer.async_wait_until(std::chrono::system_clock::now() - 1h, record(past));
    run_until(io, [&] { return past.fired.has_value(); });
    CHECK(past.fired == true);

    timer.async_wait_until(SystemTime{}, record(epoch));  // zero would disarm a timerfd
    run_until(io, [&] { return epoch.fired.has_value(); });
    CHECK(epoch.fired == true);
}

TEST_CASE("wall_timer: cancel calls the handler with false and it never fires", "[wall_timer]") {
    cqcwatch::asio::io_context io;
    WallTimer timer{io};
    Outcome out;
    timer.async_wait_until(std::chrono::system_clock::now() + 100ms, record(out));
    timer.cancel();
    CHECK_FALSE(out.fired.has_value());  // never called inline
    run_until(io, [&] { return out.fired.has_value(); });
    REQUIRE(out.fired == false);
    // Let the cancelled instant pass: nothing more arrives.
    out.fired.reset();
    io.restart();
    io.run_for(300ms);
    CHECK_FALSE(out.fired.has_value());
    timer.cancel();  // idle: no-op
}

TEST_CASE("wall_timer: a new wait replaces the pending one and the timer is reusable", "[wall_timer]") {
    cqcwatch::asio::io_context io;
    WallTimer timer{io};
    Outcome first;
    Outcome second;
    Outcome third;
    timer.async_wait_until(std::chrono::system_clock::now() + 1h, record(first));
    const SystemTime target = std::chrono::system_clock::now() + 50ms;
    timer.async_wait_until(target, record(second));
    run_until(io, [&] { return first.fired.has_value() && second.fired.has_value(); });
    CHECK(first.fired == false);
    REQUIRE(second.fired == true);
    CHECK(second.at >= target);

    const SystemTime again = std::chrono::system_clock::now() + 20ms;
    timer.async_wait_until(again, record(third));
    run_until(io, [&] { return third.fired.has_value(); });
    CHECK(third.fired == true);
    CHECK(third.at >= again);
}

TEST_CASE("wall_timer: destroying a waiting timer calls nothing", "[wall_timer]") {
    cqcwatch::asio::io_context io;
    Outcome out;
    {
        WallTimer timer{io};
        timer.async_wait_until(std::chrono::system_clock::now() + 10ms, record(out));
    }
    io.run_for(100ms);
    CHECK_FALSE(out.fired.has_value());
}

// Steps the real clock: needs CAP_SYS_TIME and disturbs everything else on the machine,
// so it is hidden (Catch's "[.]": never run, never counted as passed, unless named):
//   sudo ./test_daemon "[clock]"     on a machine of your own
TEST_CASE("wall_timer: a clock step past the instant fires it, re-armed not lost", "[.][wall_timer][clock]") {
    REQUIRE(::geteuid() == 0);  // clock_settime needs CAP_SYS_TIME
    auto step = [](std::chrono::nanoseconds by) {
        timespec ts{};
        ::clock_gettime(CLOCK_REALTIME, &ts);
        const auto ns = std::chrono::seconds{ts.tv_sec} + std::chrono::nanoseconds{ts.tv_nsec} + by;
        ts.tv_sec = static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(ns).count());
        ts.tv_nsec = static_cast<long>((ns % 1s).count());
        return ::clock_settime(CLOCK_REALTIME, &ts) == 0;
    };
    cqcwatch::asio::io_context io;
    WallTimer timer{io};
    Outcome out;
    const SystemTime target = std::chrono::system_clock::now() + 30s;
    timer.async_wait_until(target, record(out));
    io.run_for(50ms);
    REQUIRE(step(60s));
    run_until(
        io, [&] { return out.fired.has_value(); }, 5s);
    REQUIRE(step(-60s));
    REQUIRE(out.fired == true);
    CHECK(out.at >= target);
    CHECK(timer.clock_changes() >= 1);
}
