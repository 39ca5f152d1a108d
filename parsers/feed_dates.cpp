// Feed dates as feeds write them: RFC 3339 ("2025-05-23T00:01:00+01:00"),
// RFC 822 with four- or two-digit years ("Fri, 23 Jan 26 00:01 GMT"), asctime
// ("Fri Jan 23 00:01:00 2026"), and "23 January 2026". The calendar date is
// kept as written; a time that cannot be (25:14) makes the whole date
// unreadable rather than a guess.

#include <charconv>
#include <cstdio>
#include <regex>
#include <string>

#include "parsers/dates.hpp"
#include "parsers/feed.hpp"
#include "parsers/listing.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_date_chars = 120;

using Match = std::match_results<std::string::const_iterator>;

int number(const std::string& s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool valid_time(const std::string& hh, const std::string& mm, const std::string& ss) {
    if (hh.empty()) return true;
    const int h = number(hh), m = number(mm), s = ss.empty() ? 0 : number(ss);
    return (h <= 23 && m <= 59 && s <= 60) || (h == 24 && m == 0 && s == 0);
}

/// RFC 2822 section 4.3: 00-49 are 2000-2049, 50-99 are 1950-1999.
int full_year(const std::string& y) {
    const int v = number(y);
    if (y.size() > 2) return v;
    return v < 50 ? 2000 + v : 1900 + v;
}

std::optional<Date> real_date(int year, std::optional<unsigned> month, int day) {
    if (!month || day < 1 || day > 31) return std::nullopt;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02d", year, *month, day);
    return parse_iso_date(buf);
}

}  // namespace

std::optional<Date> parse_feed_date(std::string_view text_in) {
    static const std::regex iso(
        R"(^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}:?\d{2})?)?$)");
    static const std::regex rfc822(
        R"(^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(?:[A-Za-z]{1,5}|[+-]\d{4}))?)?$)");
    static const std::regex asctime(
        R"(^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:[A-Za-z]{1,5}\s+)?(\d{4})$)");
    std::string text(text_in);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.erase(0, 1);
    if (text.empty() || text.size() > k_max_date_chars) return std::nullopt;
    Match m;
    if (std::regex_match(text, m, iso)) {
        if (!valid_time(m[2].str(), m[3].str(), m[4].str())) return std::nullopt;
        return parse_iso_date(m[1].str());
    }
    if (std::regex_match(text, m, rfc822)) {
        if (!valid_time(m[4].str(), m[5].str(), m[6].str())) return std::nullopt;
        return real_date(full_year(m[3].str()), month_from_name(m[2].str()), number(m[1].str()));
    }
    if (std::regex_match(text, m, asctime)) {
        if (!valid_time(m[3].str(), m[4].str(), m[5].str())) return std::nullopt;
        return real_date(number(m[6].str()), month_from_name(m[1].str()), number(m[2].str()));
    }
    // A time that cannot be is an error even in a form we do not otherwise know.
    static const std::regex bad_time(R"(\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b)");
    if (std::regex_search(text, m, bad_time) && !valid_time(m[1].str(), m[2].str(), m[3].str())) return std::nullopt;
    return find_published_date(text);
}

}  // namespace cqcwatch
