#pragma once
// Pure helpers for retry timing: exponential back-off and the Retry-After header.

#include <chrono>
#include <optional>
#include <string_view>

namespace cqcwatch {

/// base * 2^(failures-1), capped, then reduced by up to jitter (0..1) of itself; 0 failures -> 0.
std::chrono::milliseconds backoff_delay(int consecutive_failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double jitter_fraction_0_to_1);

/// Retry-After as delay-seconds or an HTTP-date, as seconds from `now` (a past date -> 0).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace cqcwatch
