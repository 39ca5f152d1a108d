#include "fetchers/backoff.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <curl/curl.h>

#include "fetchers/http_text.hpp"

namespace cqcwatch {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::chrono::milliseconds backoff_delay(int consecutive_failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double jitter_fraction_0_to_1) {
    if (consecutive_failures <= 0 || base.count() <= 0) return std::chrono::milliseconds{0};
    // Doubling in double precision cannot overflow; the cap bounds it before conversion.
    double delay = static_cast<double>(base.count());
    for (int i = 1; i < consecutive_failures && delay < static_cast<double>(cap.count()); ++i) delay *= 2;
    delay = std::min(delay, static_cast<double>(cap.count()));
    double jitter = std::clamp(jitter_fraction_0_to_1, 0.0, 1.0);
    return std::chrono::milliseconds{static_cast<long long>(delay * (1.0 - jitter))};
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    value = trim_ows(value);
    if (all_digits(value)) {
        long long seconds = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
        return std::chrono::seconds{seconds};
    }
    if (value.empty() || value.front() == '-') return std::nullopt;
    // libcurl's date parser reads all three HTTP-date forms (RFC 9110 section 5.6.7).
    std::string text(value);
    time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    auto delta = std::chrono::system_clock::from_time_t(when) - now;
    return std::max(std::chrono::seconds{0}, std::chrono::ceil<std::chrono::seconds>(delta));
}

}  // namespace cqcwatch
