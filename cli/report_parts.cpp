// Short names are the statements' own first words, as CQC's reports and the
// LGA's analyses shorten them, so a reader who knows the framework knows them.

#include "cli/report_parts.hpp"

#include <array>
#include <cstdio>

namespace cqcwatch {

const char* rating_colour(std::optional<Rating> r) {
    if (!r) return "#d9d9d9";
    switch (*r) {
        case Rating::outstanding:
            return "#1a7f37";
        case Rating::good:
            return "#6fb06f";
        case Rating::requires_improvement:
            return "#f0a830";
        case Rating::inadequate:
            return "#d1352b";
    }
    return "#d9d9d9";
}

const char* score_colour(std::optional<int> s) {
    if (!s) return "#d9d9d9";
    static const char* k[] = {"#d1352b", "#f0a830", "#8cc68f", "#1a7f37"};
    return *s >= 1 && *s <= 4 ? k[*s - 1] : "#d9d9d9";
}

std::string_view short_label(Statement s) {
    static constexpr std::array<std::string_view, k_statement_count> k{
        "Assessing needs", "Healthier lives", "Equity",     "Care provision", "Partnerships",
        "Safe pathways",   "Safeguarding",    "Governance", "Learning"};
    return k[static_cast<std::size_t>(s)];
}

std::string statement_title(std::size_t i) {
    const Statement s = statement_at(i);
    return "QS" + std::to_string(i + 1) + " " + std::string(to_label(s)) + " (" + std::string(to_label(theme_of(s))) +
           ")";
}

std::string fmt(const char* format, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace cqcwatch
