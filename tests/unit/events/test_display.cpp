#include <catch2/catch.hpp>

#include <date/date.h>

#include "events/display.hpp"

using namespace cqcwatch;
using namespace date::literals;
using namespace std::chrono_literals;

namespace {

TimePoint utc(date::year_month_day day, std::chrono::minutes time_of_day) { return date::sys_days{day} + time_of_day; }

}  // namespace

TEST_CASE("events display: an assessment's percentage is whole - rounded half up - stated or computed",
          "[events][display]") {
    Assessment a;
    CHECK(percentage_text(a) == "-");
    for (auto& s : a.scores) s = 2;
    a.scores[8] = 3;  // 19 of 36 = 52.78
    CHECK(percentage_text(a) == "53%");
    CHECK(a.percentage_basis() == PercentageBasis::computed);
    a.scores[8].reset();  // no sum without all nine scores
    CHECK(percentage_text(a) == "-");
    a.stated_percentage = 52.5;  // a page's figure wins over the scores, and rounds half up
    CHECK(percentage_text(a) == "53%");
    CHECK(a.percentage_basis() == PercentageBasis::stated);
    a.stated_percentage = 52.49;
    CHECK(percentage_text(a) == "52%");
    // From an event body: bodies stored before the rule held one decimal.
    CHECK(percentage_text(std::optional<double>(52.8)) == "53%");
    CHECK(percentage_text(std::optional<double>(64)) == "64%");
    CHECK(percentage_text(std::optional<double>()) == "-");
}

TEST_CASE("events display: a mean or share has at most one decimal, none when whole", "[events][display]") {
    CHECK(percent_text(52.777) == "52.8%");
    CHECK(percent_text(64.0) == "64%");
    CHECK(percent_text(63.96) == "64%");
    CHECK(percent_text(0.04) == "0%");
    CHECK(percent_text(100.0) == "100%");
    CHECK(percent_text(std::optional<double>(52.75)) == "52.8%");
    CHECK(percent_text(std::optional<double>()) == "-");
}

TEST_CASE("events display: RFC 3339 in UTC or with an offset, anything else refused", "[events][display]") {
    CHECK(parse_rfc3339("2026-01-23T00:01:00Z") == utc(2026_y / date::January / 23, 1min));
    CHECK(parse_rfc3339("2026-06-05T00:01:00+01:00") == utc(2026_y / date::June / 4, 23h + 1min));
    CHECK_FALSE(parse_rfc3339("not a time"));
    CHECK_FALSE(parse_rfc3339("2026-01-23T00:01:00Z and more"));
    CHECK(parse_rfc3339("2026-01-23T00:01:00-05:00") == utc(2026_y / date::January / 23, 5h + 1min));
    CHECK_FALSE(parse_rfc3339("2026-01-23"));
    CHECK_FALSE(parse_rfc3339(""));
}

TEST_CASE("events display: UK time is GMT in winter and BST in summer", "[events][display]") {
    const TimePoint winter = utc(2026_y / date::January / 23, 1min);
    const TimePoint summer = utc(2026_y / date::June / 4, 23h + 1min);  // 00:01 BST on 5 June
    CHECK(uk_time(winter) == "Fri 23 Jan 2026 00:01 GMT");
    CHECK(uk_time(summer) == "Fri 05 Jun 2026 00:01 BST");
    CHECK(uk_time_long(winter) == "Friday 23 January 2026 00:01 GMT");
    CHECK(uk_time_long(summer) == "Friday 5 June 2026 00:01 BST");
    CHECK(uk_clock(summer) == "00:01 BST");
    CHECK(uk_clock(winter + 30s) == "00:01 GMT");
}

TEST_CASE("events display: the UK day of an instant and the first instant of a UK day", "[events][display]") {
    // 23:30 UTC on 4 June is already 5 June in the UK; in January it is the same day.
    CHECK(uk_date(utc(2026_y / date::June / 4, 23h + 30min)) == Date{2026, 6, 5});
    CHECK(uk_date(utc(2026_y / date::January / 4, 23h + 30min)) == Date{2026, 1, 4});
    CHECK(uk_day_start(Date{2026, 6, 5}) == utc(2026_y / date::June / 4, 23h));
    CHECK(uk_day_start(Date{2026, 1, 23}) == utc(2026_y / date::January / 23, 0min));
    // The day the clocks go forward starts at GMT midnight.
    CHECK(uk_day_start(Date{2026, 3, 29}) == utc(2026_y / date::March / 29, 0min));
}

TEST_CASE("events display: history_before is the UK day of now - max_age, so a day only partly past is still news",
          "[events][display][history]") {
    // 00:10 on 8 December with 48 h: 6 December 00:10 - a report of the 6th may be 48 h old only in part.
    CHECK(history_before(utc(2026_y / date::December / 8, 10min), 48h) == Date{2026, 12, 6});
    // In summer the UK day runs an hour ahead of UTC.
    CHECK(history_before(utc(2026_y / date::June / 6, 23h + 30min), 24h) == Date{2026, 6, 6});
}
