#include "notifiers/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace cqcwatch {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string give_up_reason(int attempts, const DeliveryFailure& failure, std::string_view why) {
    return std::string(why) + " after " + std::to_string(attempts) + (attempts == 1 ? " attempt: " : " attempts: ") +
           failure.message;
}

}  // namespace

milliseconds backoff_delay(int attempts, double jitter, const RetryPolicy& policy) {
    // Doubling from base; stop doubling once past the cap so the shift cannot overflow.
    int doublings = std::clamp(attempts - 1, 0, 30);
    auto full = milliseconds(policy.base) * (std::int64_t{1} << doublings);
    full = std::min<milliseconds>(full, policy.cap);
    // "Equal jitter": half fixed, half random, so back-off stays visible and receivers are not stampeded.
    double j = std::clamp(jitter, 0.0, 1.0);
    auto half = full / 2;
    return half + milliseconds(static_cast<std::int64_t>(std::floor(static_cast<double>(half.count()) * j)));
}

RetryDecision decide_retry(int attempts, const DeliveryFailure& failure, seconds age, seconds max_age, double jitter,
                           const RetryPolicy& policy) {
    if (failure.kind == DeliveryFailureKind::permanent)
        return GiveUp{give_up_reason(attempts, failure, "permanent failure")};
    if (age >= max_age) return GiveUp{give_up_reason(attempts, failure, "too old to deliver")};
    milliseconds delay = backoff_delay(attempts, jitter, policy);
    if (failure.retry_after) {
        // The receiver said when; honour it, within reason.
        delay = std::min<milliseconds>(std::max<seconds>(*failure.retry_after, seconds(1)), policy.retry_after_cap);
    }
    // One last attempt exactly at max_age rather than none.
    milliseconds left = max_age - age;
    return RetryLater{std::min(delay, left)};
}

Circuit::Circuit(int threshold, milliseconds cooldown, milliseconds max_cooldown)
    : m_threshold(std::max(threshold, 1)),
      m_base_cooldown(cooldown),
      m_max_cooldown(std::max(cooldown, max_cooldown)),
      m_cooldown(cooldown) {}

bool Circuit::allow(Clock::time_point now) {
    switch (state(now)) {
        case State::closed:
            return true;
        case State::open:
            return false;
        case State::half_open:
            if (m_probe_in_flight) return false;
            m_probe_in_flight = true;
            return true;
    }
    return false;
}

void Circuit::on_success() {
    m_failures = 0;
    m_open = false;
    m_probe_in_flight = false;
    m_cooldown = m_base_cooldown;
}

void Circuit::on_failure(Clock::time_point now) {
    ++m_failures;
    if (m_open) {
        // A failed probe: wait longer before the next one.
        m_cooldown = std::min(m_cooldown * 2, m_max_cooldown);
    } else if (m_failures < m_threshold) {
        return;
    }
    m_open = true;
    m_probe_in_flight = false;
    m_reopens_at = now + m_cooldown;
}

Circuit::State Circuit::state(Clock::time_point now) const {
    if (!m_open) return State::closed;
    return now >= m_reopens_at ? State::half_open : State::open;
}

std::string_view to_key(Circuit::State s) {
    switch (s) {
        case Circuit::State::closed:
            return "closed";
        case Circuit::State::open:
            return "open";
        case Circuit::State::half_open:
            return "half_open";
    }
    return "closed";
}

}  // namespace cqcwatch
