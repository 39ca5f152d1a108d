// CQC's 2025 method: sum of nine scores / 36, rounded to a whole percent, then
// the bands (25–38 inadequate, 39–62 requires improvement, 63–87 good, 88+
// outstanding). The stated percentage is checked against sum/36 with a
// tolerance of k_percent_tolerance points, silently, because 2024 reports
// weighted differently; beyond that we warn.

#include "parsers/consistency.hpp"

#include <cmath>
#include <cstdio>

namespace cqcwatch {

namespace {

std::string percent_text(double p) {
    char buf[32];
    if (std::fabs(p - std::round(p)) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f%%", p);
    else
        std::snprintf(buf, sizeof buf, "%.1f%%", p);
    return buf;
}

}  // namespace

std::optional<int> whole_percent(const Scores& scores) {
    int sum = 0;
    for (const auto& s : scores) {
        if (!s) return std::nullopt;
        sum += *s;
    }
    // Integer arithmetic: round(sum * 100 / 36) half up, with no floating-point edge.
    return (sum * 100 * 2 + 36) / (36 * 2);
}

std::vector<std::string> consistency_warnings(const Assessment& a) {
    std::vector<std::string> out;
    const auto computed = whole_percent(a.scores);
    const auto band = computed ? rating_for_percent(*computed) : std::nullopt;
    if (a.rating && band && *band != *a.rating)
        out.push_back("consistency: rated " + std::string(to_key(*a.rating)) + " but the scores sum to " +
                      percent_text(*computed) + ", which is " + std::string(to_key(*band)));
    if (a.stated_percentage && computed && std::fabs(*a.stated_percentage - *computed) > k_percent_tolerance)
        out.push_back("consistency: the text states " + percent_text(*a.stated_percentage) + " but the scores sum to " +
                      percent_text(*computed));
    if (a.stated_percentage && a.rating) {
        const auto stated_band = rating_for_percent(static_cast<int>(std::lround(*a.stated_percentage)));
        if (stated_band && *stated_band != *a.rating)
            out.push_back("consistency: rated " + std::string(to_key(*a.rating)) + " but the stated " +
                          percent_text(*a.stated_percentage) + " is " + std::string(to_key(*stated_band)));
    }
    return out;
}

}  // namespace cqcwatch
