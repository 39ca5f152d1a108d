#include "events/display.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include <date/tz.h>

namespace cqcwatch {

namespace {

date::zoned_seconds in_uk(TimePoint t) {
    return date::zoned_seconds{date::locate_zone("Europe/London"), std::chrono::floor<std::chrono::seconds>(t)};
}

}  // namespace

std::string percentage_text(const Assessment& a) {
    auto pct = a.percentage();
    return pct ? std::to_string(*pct) + "%" : "-";
}

std::string percentage_text(const std::optional<double>& pct) {
    return pct ? std::to_string(whole_percent(*pct)) + "%" : "-";
}

std::string percent_text(double pct) {
    const double rounded = std::round(pct * 10.0) / 10.0;
    char buf[32];
    if (std::fabs(rounded - std::round(rounded)) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f%%", rounded);
    else
        std::snprintf(buf, sizeof buf, "%.1f%%", rounded);
    return buf;
}

std::string percent_text(const std::optional<double>& pct) { return pct ? percent_text(*pct) : "-"; }

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    for (const char* fmt : {"%FT%TZ", "%FT%T%Ez"}) {
        std::istringstream in{std::string(text)};
        date::sys_seconds tp;
        in >> date::parse(fmt, tp);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return tp;  // nothing after it
    }
    return std::nullopt;
}

std::string uk_time(TimePoint t) { return date::format("%a %d %b %Y %H:%M %Z", in_uk(t)); }

std::string uk_time_long(TimePoint t) {
    const auto z = in_uk(t);
    const date::year_month_day ymd{date::floor<date::days>(z.get_local_time())};
    return date::format("%A ", z) + std::to_string(static_cast<unsigned>(ymd.day())) +
           date::format(" %B %Y %H:%M %Z", z);
}

std::string uk_clock(TimePoint t) { return date::format("%H:%M %Z", in_uk(t)); }

Date history_before(TimePoint now, std::chrono::seconds max_age) { return uk_date(now - max_age); }

Date uk_date(TimePoint t) {
    const date::year_month_day ymd{date::floor<date::days>(in_uk(t).get_local_time())};
    return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

TimePoint uk_day_start(const Date& d) {
    const date::local_days day{date::year{d.year} / date::month{d.month} / date::day{d.day}};
    return date::make_zoned(date::locate_zone("Europe/London"), day, date::choose::earliest).get_sys_time();
}

}  // namespace cqcwatch
