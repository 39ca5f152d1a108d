#pragma once
// When to try a failed delivery again, and when to give up. Pure: attempts,
// the failure, the event's age and a jitter input in, a decision out.
//
// Circuit, one per notifier, so one that keeps failing does not hold up the rest:
//
//   closed --K consecutive failures--> open --cool-down passed--> half_open
//     ^                                 ^                            | one probe
//     +------------ probe succeeds -----|----------------------------+
//                                       +------ probe fails ---------+ (cool-down doubles)

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// Back-off parameters.
struct RetryPolicy {
    std::chrono::seconds base{5};                ///< delay after the first failure
    std::chrono::seconds cap{3600};              ///< longest delay between attempts
    std::chrono::seconds retry_after_cap{3600};  ///< longest Retry-After we honour
};

/// Try again after `delay`.
struct RetryLater {
    std::chrono::milliseconds delay{0};
};

/// Give up: the delivery is dead, with the reason shown in `status`.
struct GiveUp {
    std::string reason;
};

/// What to do after a failed attempt.
using RetryDecision = std::variant<RetryLater, GiveUp>;

/// Decides after attempt number `attempts` (1 = the first) failed; `jitter` in [0, 1).
RetryDecision decide_retry(int attempts, const DeliveryFailure& failure, std::chrono::seconds age,
                           std::chrono::seconds max_age, double jitter, const RetryPolicy& policy = {});

/// The exponential delay before attempt `attempts + 1`, jittered over its upper half.
std::chrono::milliseconds backoff_delay(int attempts, double jitter, const RetryPolicy& policy = {});

/// A per-notifier circuit breaker. Pure: every call takes `now`.
class Circuit {
public:
    using Clock = std::chrono::steady_clock;
    /// The three states of the diagram above.
    enum class State { closed, open, half_open };

    /// Opens after `threshold` consecutive failures; probes after `cooldown` (doubling to `max_cooldown`).
    explicit Circuit(int threshold = 5, std::chrono::milliseconds cooldown = std::chrono::seconds(30),
                     std::chrono::milliseconds max_cooldown = std::chrono::minutes(10));

    /// Whether a delivery may start now; in half-open, true once (the probe) until it reports.
    bool allow(Clock::time_point now);
    /// A delivery reached the receiver (any success; a permanent 4xx also proves it is up).
    void on_success();
    /// A delivery failed transiently (connection, timeout, 5xx, 429).
    void on_failure(Clock::time_point now);
    /// The state at `now` (open turns half-open once the cool-down has passed).
    State state(Clock::time_point now) const;
    /// When an open circuit lets the next probe through.
    Clock::time_point reopens_at() const { return m_reopens_at; }
    /// Consecutive failures so far.
    int failures() const { return m_failures; }

private:
    int m_threshold;
    std::chrono::milliseconds m_base_cooldown;
    std::chrono::milliseconds m_max_cooldown;
    std::chrono::milliseconds m_cooldown;
    int m_failures = 0;
    bool m_open = false;
    bool m_probe_in_flight = false;
    Clock::time_point m_reopens_at{};
};

/// "closed", "open" or "half_open".
std::string_view to_key(Circuit::State s);

}  // namespace cqcwatch
