#include "daemon/source_schedule.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "fakes/fake_clock.hpp"

using namespace std::chrono_literals;
using cqcwatch::next_poll_delay;
using cqcwatch::PollOutcomeTiming;
using cqcwatch::SourceTiming;
using cqcwatch::testing::FakeClock;
using Ms = std::chrono::milliseconds;

namespace {

SourceTiming every_minute(double jitter = 0.1) { return SourceTiming{60s, 30s, 3600s, jitter}; }

PollOutcomeTiming ok_after(Ms elapsed) {
    PollOutcomeTiming outcome;
    outcome.elapsed = elapsed;
    return outcome;
}

/// Runs passes of the given durations on a fake clock the way the daemon does (pass, then
/// the delay from its end) and returns when each pass started, in ms after the first.
std::vector<long long> starts(const SourceTiming& timing, const std::vector<Ms>& durations, double jitter01) {
    FakeClock clock;
    const auto first = clock.steady_now();
    std::vector<long long> out;
    for (Ms took : durations) {
        const auto started = clock.steady_now();
        out.push_back(std::chrono::duration_cast<Ms>(started - first).count());
        clock.advance(took);
        const auto elapsed = std::chrono::duration_cast<Ms>(clock.steady_now() - started);
        clock.advance(next_poll_delay(timing, ok_after(elapsed), jitter01));
    }
    return out;
}

}  // namespace

TEST_CASE("poll schedule is fixed-rate: a pass's own time does not stretch the period", "[source_schedule]") {
    // Passes of 0.2 to 7 s (politeness gaps, a changed listing) start a minute apart, not
    // a minute plus the pass: the median wait for a new report stays half the interval.
    const std::vector<Ms> durations{2500ms, 200ms, 7000ms, 2100ms, 300ms, 3000ms};
    CHECK(starts(every_minute(), durations, 0.5) == std::vector<long long>{0, 60000, 120000, 180000, 240000, 300000});
}

TEST_CASE("poll schedule: jitter spreads the start-to-start period, whatever the pass took", "[source_schedule]") {
    // jitter01 0 is the shortest period (interval·0.9), just under 1 the longest (·1.1).
    CHECK(next_poll_delay(every_minute(), ok_after(2000ms), 0.0) == 52000ms);
    CHECK(next_poll_delay(every_minute(), ok_after(2000ms), 0.5) == 58000ms);
    CHECK(next_poll_delay(every_minute(), ok_after(2000ms), 0.999) == 63988ms);
    CHECK(next_poll_delay(every_minute(), ok_after(0ms), 0.0) == 54000ms);
}

TEST_CASE("poll schedule: a pass longer than the interval is followed at once", "[source_schedule]") {
    CHECK(next_poll_delay(every_minute(0.0), ok_after(75000ms), 0.5) == 0ms);
    CHECK(starts(every_minute(0.0), {75000ms, 1000ms, 1000ms}, 0.5) == std::vector<long long>{0, 75000, 135000});
}

TEST_CASE("poll schedule: the fast-poll interval after a lift is start to start too", "[source_schedule]") {
    PollOutcomeTiming outcome = ok_after(4000ms);
    outcome.fast_interval = 15s;
    CHECK(next_poll_delay(every_minute(0.0), outcome, 0.5) == 11000ms);
}

TEST_CASE("poll schedule: after a failure the back-off runs from the pass's end", "[source_schedule]") {
    PollOutcomeTiming failed;
    failed.ok = false;
    failed.elapsed = 20000ms;  // a pass that timed out: its time is not taken off the back-off
    failed.consecutive_failures = 1;
    CHECK(next_poll_delay(every_minute(0.0), failed, 0.5) == 30000ms);
    failed.consecutive_failures = 3;
    CHECK(next_poll_delay(every_minute(0.0), failed, 0.5) == 120000ms);
    failed.consecutive_failures = 30;
    CHECK(next_poll_delay(every_minute(0.0), failed, 0.5) == 3600000ms);
    failed.consecutive_failures = 1;
    failed.retry_after = 300s;
    CHECK(next_poll_delay(every_minute(0.0), failed, 0.5) == 300000ms);
}
