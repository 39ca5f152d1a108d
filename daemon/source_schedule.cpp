#include "daemon/source_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace cqcwatch {

namespace {

std::chrono::milliseconds jittered(std::chrono::milliseconds base, double fraction, double jitter01) {
    // Spread evenly over base·[1 - fraction, 1 + fraction) so many daemons never poll in step.
    double factor = 1.0 + fraction * (2.0 * std::clamp(jitter01, 0.0, 1.0) - 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(base.count() * factor)));
}

}  // namespace

std::chrono::milliseconds next_poll_delay(const SourceTiming& timing, const PollOutcomeTiming& outcome,
                                          double jitter01) {
    if (outcome.ok) {
        auto base = outcome.fast_interval ? std::min(*outcome.fast_interval, timing.interval) : timing.interval;
        return std::max(jittered(base, timing.jitter, jitter01) - outcome.elapsed, std::chrono::milliseconds{0});
    }
    int exponent = std::clamp(outcome.consecutive_failures - 1, 0, 30);
    double raw = static_cast<double>(timing.backoff_base.count()) * std::pow(2.0, exponent);
    auto backoff = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::min(raw, static_cast<double>(timing.backoff_cap.count()))));
    auto delay = jittered(backoff, timing.jitter, jitter01);
    if (outcome.retry_after) {
        auto floor = std::min<std::chrono::milliseconds>(*outcome.retry_after, timing.backoff_cap);
        delay = std::max(delay, floor);
    }
    return delay;
}

}  // namespace cqcwatch
