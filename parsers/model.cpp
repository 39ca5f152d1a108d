#include "parsers/model.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace cqcwatch {

namespace {

constexpr std::array<std::string_view, 4> k_rating_keys{"outstanding", "good", "requires_improvement", "inadequate"};
constexpr std::array<std::string_view, 4> k_rating_labels{"Outstanding", "Good", "Requires improvement", "Inadequate"};
constexpr std::array<std::string_view, k_statement_count> k_statement_keys{
    "assessing_needs", "healthier_lives", "equity",     "care_provision", "partnerships",
    "safe_pathways",   "safeguarding",    "governance", "learning"};
constexpr std::array<std::string_view, k_statement_count> k_statement_labels{
    "Assessing needs",
    "Supporting people to lead healthier lives",
    "Equity in experience and outcomes",
    "Care provision, integration and continuity",
    "Partnerships and communities",
    "Safe pathways, systems and transitions",
    "Safeguarding",
    "Governance, management and sustainability",
    "Learning, improvement and innovation"};
constexpr std::array<std::string_view, 4> k_theme_keys{"working_with_people", "providing_support", "ensuring_safety",
                                                       "leadership"};
constexpr std::array<std::string_view, 4> k_theme_labels{"Working with people", "Providing support", "Ensuring safety",
                                                         "Leadership"};
constexpr std::array<Theme, k_statement_count> k_theme_of{
    Theme::working_with_people, Theme::working_with_people, Theme::working_with_people,
    Theme::providing_support,   Theme::providing_support,   Theme::ensuring_safety,
    Theme::ensuring_safety,     Theme::leadership,          Theme::leadership};
constexpr std::array<std::string_view, 6> k_doc_kind_keys{"listing", "report", "press-release",
                                                          "feed",    "email",  "auto"};

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
    constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

std::string_view to_key(Rating r) { return k_rating_keys[static_cast<std::size_t>(r)]; }
std::string_view to_key(Statement s) { return k_statement_keys[static_cast<std::size_t>(s)]; }
std::string_view to_key(Theme t) { return k_theme_keys[static_cast<std::size_t>(t)]; }
std::string_view to_label(Rating r) { return k_rating_labels[static_cast<std::size_t>(r)]; }
std::string_view to_label(Statement s) { return k_statement_labels[static_cast<std::size_t>(s)]; }
std::string_view to_label(Theme t) { return k_theme_labels[static_cast<std::size_t>(t)]; }
std::string_view to_key(DocKind k) { return k_doc_kind_keys[static_cast<std::size_t>(k)]; }
Theme theme_of(Statement s) { return k_theme_of[static_cast<std::size_t>(s)]; }
Statement statement_at(std::size_t i) { return static_cast<Statement>(i); }

std::optional<Rating> rating_from_key(std::string_view key) {
    for (std::size_t i = 0; i < k_rating_keys.size(); ++i)
        if (k_rating_keys[i] == key) return static_cast<Rating>(i);
    return std::nullopt;
}

std::optional<DocKind> doc_kind_from_key(std::string_view key) {
    for (std::size_t i = 0; i < k_doc_kind_keys.size(); ++i)
        if (k_doc_kind_keys[i] == key) return static_cast<DocKind>(i);
    return std::nullopt;
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
    return buf;
}

std::optional<Date> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    Date d;
    auto num = [&](std::size_t pos, std::size_t len, auto& out) {
        auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
        return ec == std::errc{} && p == s.data() + pos + len;
    };
    if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return std::nullopt;
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
    return d;
}

std::optional<double> Assessment::computed_percentage() const {
    int sum = 0;
    for (const auto& s : scores) {
        if (!s) return std::nullopt;
        sum += *s;
    }
    return sum * 100.0 / 36.0;
}

std::string_view to_key(PercentageBasis b) { return b == PercentageBasis::stated ? "stated" : "computed"; }

int whole_percent(double pct) { return static_cast<int>(std::floor(pct + 0.5)); }

// CQC publishes whole percentages (its 2025 method: the sum over 36, rounded), so that is
// the figure shown: one decimal beside a page's whole one read as a difference.
std::optional<int> Assessment::percentage() const {
    if (stated_percentage) return whole_percent(*stated_percentage);
    int sum = 0;
    for (const auto& s : scores) {
        if (!s) return std::nullopt;
        sum += *s;
    }
    return (sum * 100 + 18) / 36;  // half up, in integers: sum * 100 / 36 + 0.5, floored
}

std::optional<PercentageBasis> Assessment::percentage_basis() const {
    if (stated_percentage) return PercentageBasis::stated;
    if (computed_percentage()) return PercentageBasis::computed;
    return std::nullopt;
}

std::optional<Rating> rating_for_percent(int whole_percent) {
    if (whole_percent < 25 || whole_percent > 100) return std::nullopt;
    if (whole_percent >= 88) return Rating::outstanding;
    if (whole_percent >= 63) return Rating::good;
    if (whole_percent >= 39) return Rating::requires_improvement;
    return Rating::inadequate;
}

}  // namespace cqcwatch
