#include <catch2/catch.hpp>

#include "notifiers/retry_policy.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

DeliveryFailure transient(std::string msg = "HTTP 500") {
    return DeliveryFailure{DeliveryFailureKind::transient, std::move(msg), std::nullopt};
}

milliseconds delay_of(const RetryDecision& d) {
    REQUIRE(std::holds_alternative<RetryLater>(d));
    return std::get<RetryLater>(d).delay;
}

}  // namespace

TEST_CASE("notifiers retry: delays grow exponentially from 5 s to a 1 h cap", "[notifiers][retry]") {
    // jitter 0 gives the lower half of each window, jitter ~1 the full window
    CHECK(backoff_delay(1, 0.0) == 2500ms);
    CHECK(backoff_delay(2, 0.0) == 5000ms);
    CHECK(backoff_delay(3, 0.0) == 10000ms);
    CHECK(backoff_delay(1, 0.999) > 4900ms);
    CHECK(backoff_delay(1, 0.999) < 5000ms);
    CHECK(backoff_delay(20, 0.0) == 1800s);
    CHECK(backoff_delay(1000, 0.999) <= 3600s);
    for (int a = 1; a < 40; ++a) CHECK(backoff_delay(a + 1, 0.5) >= backoff_delay(a, 0.5));
}

TEST_CASE("notifiers retry: transient failures are retried with back-off", "[notifiers][retry]") {
    CHECK(delay_of(decide_retry(1, transient(), 0s, 48h, 0.0)) == 2500ms);
    CHECK(delay_of(decide_retry(4, transient(), 60s, 48h, 0.0)) == 20000ms);
}

TEST_CASE("notifiers retry: Retry-After is honoured and capped", "[notifiers][retry]") {
    DeliveryFailure f{DeliveryFailureKind::rate_limited, "HTTP 429", 120s};
    CHECK(delay_of(decide_retry(1, f, 0s, 48h, 0.3)) == 120s);
    f.retry_after = 86400s;
    CHECK(delay_of(decide_retry(1, f, 0s, 48h, 0.3)) == 3600s);
    f.retry_after = 0s;
    CHECK(delay_of(decide_retry(1, f, 0s, 48h, 0.3)) == 1s);
}

TEST_CASE("notifiers retry: permanent failures are dead at once, with the error", "[notifiers][retry]") {
    DeliveryFailure f{DeliveryFailureKind::permanent, "HTTP 400 from http://127.0.0.1/", std::nullopt};
    auto d = decide_retry(1, f, 0s, 48h, 0.5);
    REQUIRE(std::holds_alternative<GiveUp>(d));
    CHECK(std::get<GiveUp>(d).reason == "permanent failure after 1 attempt: HTTP 400 from http://127.0.0.1/");
}

TEST_CASE("notifiers retry: past max_age the delivery is dead - near it one last try at the limit",
          "[notifiers][retry]") {
    auto d = decide_retry(30, transient("timeout"), 48h, 48h, 0.5);
    REQUIRE(std::holds_alternative<GiveUp>(d));
    CHECK(std::get<GiveUp>(d).reason == "too old to deliver after 30 attempts: timeout");
    CHECK(delay_of(decide_retry(30, transient(), 48h - 10s, 48h, 0.5)) == 10s);
}

TEST_CASE("notifiers circuit: opens after K failures, probes once after the cool-down", "[notifiers][circuit]") {
    Circuit c(3, 30s, 120s);
    auto t0 = Circuit::Clock::time_point{} + 1000s;
    CHECK(c.allow(t0));
    c.on_failure(t0);
    c.on_failure(t0);
    CHECK(c.state(t0) == Circuit::State::closed);
    c.on_failure(t0);
    CHECK(c.state(t0) == Circuit::State::open);
    CHECK_FALSE(c.allow(t0 + 29s));
    CHECK(c.reopens_at() == t0 + 30s);
    CHECK(c.state(t0 + 30s) == Circuit::State::half_open);
    CHECK(c.allow(t0 + 30s));        // the probe
    CHECK_FALSE(c.allow(t0 + 31s));  // only one
    c.on_failure(t0 + 32s);          // probe failed: cool-down doubles
    CHECK(c.reopens_at() == t0 + 32s + 60s);
    CHECK_FALSE(c.allow(t0 + 91s));
    CHECK(c.allow(t0 + 92s));
    c.on_failure(t0 + 92s);
    c.allow(t0 + 92s + 120s);
    c.on_failure(t0 + 92s + 120s);  // capped at 120 s
    CHECK(c.reopens_at() == t0 + 92s + 240s);
    CHECK(c.allow(t0 + 92s + 240s));
    c.on_success();
    CHECK(c.state(t0 + 92s + 240s) == Circuit::State::closed);
    CHECK(c.failures() == 0);
    CHECK(c.allow(t0 + 92s + 240s));
    CHECK(to_key(c.state(t0)) == "closed");
}

TEST_CASE("notifiers circuit: a success resets the failure count", "[notifiers][circuit]") {
    Circuit c(2, 10s);
    auto t = Circuit::Clock::time_point{};
    c.on_failure(t);
    c.on_success();
    c.on_failure(t);
    CHECK(c.state(t) == Circuit::State::closed);
}
