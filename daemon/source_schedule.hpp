#pragma once
// When each source is polled next: a pure function of its state and `now`.
// Poll intervals are steady time; jitter comes in as a number in [0, 1).
//
//   ok ──▶ next = start of this pass + interval·(1 ± jitter)   (or the fast-poll interval after a lift)
//   fail ─▶ next = now + min(cap, base·2^(n-1))·(1 ± jitter), at least Retry-After
//
// An ok pass is fixed-rate (start to start): the time a pass takes (its politeness gaps,
// its fetches) does not stretch the period, so a report published at a random moment
// waits half the interval on average, not half of interval + pass. A pass longer than
// the interval is followed at once. After a failure the back-off runs from its end.

#include <chrono>
#include <optional>

namespace cqcwatch {

/// What the scheduler needs to know about one source.
struct SourceTiming {
    std::chrono::milliseconds interval{300000};
    std::chrono::milliseconds backoff_base{30000};
    std::chrono::milliseconds backoff_cap{3600000};
    double jitter = 0.1;  ///< ± fraction of the delay
};

/// How the last poll of a source went.
struct PollOutcomeTiming {
    bool ok = true;
    int consecutive_failures = 0;                            ///< after this poll
    std::optional<std::chrono::seconds> retry_after;         ///< from a 429/503
    std::optional<std::chrono::milliseconds> fast_interval;  ///< inside a post-lift window
    std::chrono::milliseconds elapsed{0};                    ///< how long the pass took (start to now)
};

/// The delay from now (the pass's end) until the next poll; `jitter01` is a random number in [0, 1).
std::chrono::milliseconds next_poll_delay(const SourceTiming& timing, const PollOutcomeTiming& outcome,
                                          double jitter01);

}  // namespace cqcwatch
