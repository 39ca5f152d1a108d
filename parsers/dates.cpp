// Dates in CQC's prose. Every match is checked to be a real calendar date.

#include "parsers/document.hpp"
#include "parsers/dates.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <regex>
#include <string>

namespace cqcwatch {

namespace {

constexpr std::array<std::string_view, 12> k_months{"january",   "february", "march",    "april",
                                                    "may",       "june",     "july",     "august",
                                                    "september", "october",  "november", "december"};

std::optional<Date> make_date(int year, unsigned month, unsigned day) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
    return parse_iso_date(buf);
}

const std::regex& day_month_year_re() {
    static const std::regex re(R"((\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}))", std::regex::icase);
    return re;
}

/// The date right after a label such as "Published:", if any.
std::optional<Date> date_after(std::string_view text, const std::regex& label) {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, label)) return std::nullopt;
    const auto rest = text.substr(static_cast<std::size_t>(m.position(0) + m.length(0)));
    std::match_results<std::string_view::const_iterator> d;
    if (!std::regex_search(rest.begin(), rest.end(), d, day_month_year_re()) || d.position(0) > 2) return std::nullopt;
    return find_day_month_year(d[0].str());
}

bool is_only_a_date(std::string_view text) {
    static const std::regex re(R"(^(?:[A-Za-z]+,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}$)",
                               std::regex::icase);
    return text.size() < 40 && std::regex_match(text.begin(), text.end(), re);
}

}  // namespace

std::optional<unsigned> month_from_name(std::string_view name) {
    std::string n = ascii_lower(name);
    if (n.ends_with('.')) n.pop_back();
    if (n == "sept") n = "sep";
    if (n.size() < 3) return std::nullopt;
    for (unsigned i = 0; i < k_months.size(); ++i)
        if (k_months[i] == n || (n.size() == 3 && k_months[i].starts_with(n))) return i + 1;
    return std::nullopt;
}

std::optional<Date> find_day_month_year(std::string_view text) {
    std::match_results<std::string_view::const_iterator> m;
    auto begin = text.begin();
    while (std::regex_search(begin, text.end(), m, day_month_year_re())) {
        const auto month = month_from_name(m[2].str());
        if (month) {
            if (auto d = make_date(std::stoi(m[3].str()), *month, static_cast<unsigned>(std::stoi(m[1].str()))))
                return d;
        }
        begin = m[0].second;
    }
    return std::nullopt;
}

long days_from_civil(const Date& d) {
    // Howard Hinnant's days_from_civil.
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = d.month > 2 ? d.month - 3 : d.month + 9;
    const unsigned doy = (153 * mp + 2) / 5 + d.day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long>(era) * 146097 + static_cast<long>(doe) - 719468;
}

unsigned weekday_of(const Date& d) {
    const long z = days_from_civil(d);
    return static_cast<unsigned>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

PageDates read_page_dates(const Document& doc) {
    static const std::regex published_re(R"((?:^|[^A-Za-z])(?:date\s+)?published:?\s*)", std::regex::icase);
    static const std::regex assessment_re(R"(assessment published:?\s*)", std::regex::icase);
    static const std::regex updated_re(R"((?:page\s+)?last updated:?\s*)", std::regex::icase);
    PageDates out;
    std::optional<Date> assessment_published;
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const std::string_view text = doc.blocks[i].text;
        if (text.size() > 200) continue;  // dates are in short header lines, not in prose
        const bool assessment_line = ascii_lower(text).starts_with("assessment published");
        if (assessment_line) {
            if (!assessment_published) assessment_published = date_after(text, assessment_re);
        } else if (!out.published &&
                   (ascii_lower(text).starts_with("published") || ascii_lower(text).starts_with("date published"))) {
            out.published = date_after(text, published_re);
        }
        if (!out.updated) out.updated = date_after(text, updated_re);
        if (!out.dateline && i < 6 && is_only_a_date(text)) out.dateline = find_day_month_year(text);
    }
    if (!out.published) out.published = assessment_published ? assessment_published : out.dateline;
    return out;
}

}  // namespace cqcwatch
