// CQC's 2025 method: sum of nine scores / 36, rounded to a whole percent, then
// the bands (25–38 inadequate, 39–62 requires improvement, 63–87 good, 88+
// outstanding). The stated percentage is checked against sum/36 with a
// tolerance of k_percent_tolerance points, silently, because 2024 reports
// weighted differently; beyond that we warn.

#include "parsers/consistency.hpp"

#include <algorithm>
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

namespace {

std::string scores_text(const Scores& scores) {
    std::string out;
    int sum = 0;
    for (const auto& s : scores) {
        out += (out.empty() ? "" : ", ") + std::to_string(*s);
        sum += *s;
    }
    return out + " (" + std::to_string(sum) + " of 36)";
}

/// Whether a rating fits a percentage give or take the tolerance (2024's weighting moved band edges).
bool fits(Rating r, int percent) {
    for (int p = percent - k_percent_tolerance; p <= percent + k_percent_tolerance; ++p)
        if (rating_for_percent(p) == r) return true;
    return false;
}

std::string rating_text(Rating r) { return std::string(to_label(r)); }

}  // namespace

/// The whole percents the nine scores can make, the unknown ones anywhere from 1 to 4.
std::pair<int, int> percent_range(const Scores& scores) {
    int low = 0, high = 0;
    for (const auto& s : scores) {
        low += s ? *s : 1;
        high += s ? *s : 4;
    }
    auto whole = [](int sum) { return (sum * 100 * 2 + 36) / 72; };
    return {whole(low), whole(high)};
}

std::vector<std::string> withhold_contradictions(Assessment& a) {
    std::vector<std::string> out;
    const auto known = std::count_if(a.scores.begin(), a.scores.end(), [](const auto& s) { return s.has_value(); });
    if (known > 0 && known < static_cast<long>(k_statement_count) && a.stated_percentage) {
        // Some scores unread: those read must still leave room for the stated figure.
        const auto [low, high] = percent_range(a.scores);
        if (*a.stated_percentage < low - k_percent_tolerance || *a.stated_percentage > high + k_percent_tolerance) {
            out.push_back("figures: the text states an overall score of " + percent_text(*a.stated_percentage) +
                          " but the " + std::to_string(known) + " scores read cannot make less than " +
                          percent_text(low) + " or more than " + percent_text(high) + ": the scores are withheld");
            a.scores = Scores{};
        }
    }
    auto computed = whole_percent(a.scores);
    if (computed && a.stated_percentage && std::fabs(*a.stated_percentage - *computed) > k_percent_tolerance) {
        out.push_back("figures: the text states an overall score of " + percent_text(*a.stated_percentage) +
                      " but the nine scores read, " + scores_text(a.scores) + ", make " + percent_text(*computed) +
                      ": the scores are withheld");
        a.scores = Scores{};
        computed.reset();
    }
    if (a.rating && a.stated_percentage) {
        const auto band = rating_for_percent(static_cast<int>(std::lround(*a.stated_percentage)));
        if (band && *band != *a.rating) {
            const std::string both = "figures: the text rates it " + rating_text(*a.rating) +
                                     " but states an overall score of " + percent_text(*a.stated_percentage) +
                                     ", which is " + rating_text(*band);
            if (computed && fits(*a.rating, *computed)) {
                out.push_back(both + "; the scores make " + percent_text(*computed) + ": the percentage is withheld");
                a.stated_percentage.reset();
            } else if (computed) {
                out.push_back(both + "; the scores make " + percent_text(*computed) + ": the rating is withheld");
                a.rating.reset();
            } else {
                out.push_back(both + ": the rating and the percentage are withheld");
                a.rating.reset();
                a.stated_percentage.reset();
            }
        }
    } else if (a.rating && computed && !fits(*a.rating, *computed)) {
        out.push_back("figures: the text rates it " + rating_text(*a.rating) + " but the nine scores read, " +
                      scores_text(a.scores) + ", make " + percent_text(*computed) + ", which is " +
                      rating_text(*rating_for_percent(*computed)) + ": the rating and the scores are withheld");
        a.rating.reset();
        a.scores = Scores{};
    }
    return out;
}

}  // namespace cqcwatch
