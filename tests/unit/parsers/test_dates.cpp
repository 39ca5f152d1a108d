#include <catch2/catch.hpp>

#include "parsers/dates.hpp"

using namespace cqcwatch;

TEST_CASE("dates: published and updated on one line", "[parsers][dates]") {
    const auto d = read_page_dates(text_to_document("Title\nPublished: 17 May 2024 Page last updated: 20 May 2024\n"));
    CHECK(d.published == Date{2024, 5, 17});
    CHECK(d.updated == Date{2024, 5, 20});
    CHECK_FALSE(d.dateline);
}

TEST_CASE("dates: assessment published on a landing page, start date ignored", "[parsers][dates]") {
    const auto d = read_page_dates(
        text_to_document("X assessment\nAssessment start date: 11 May 2023\nAssessment published: 30 January 2025\n"));
    CHECK(d.published == Date{2025, 1, 30});
}

TEST_CASE("dates: a newsroom dateline", "[parsers][dates]") {
    const auto d = read_page_dates(text_to_document("22 Jan 2026\nPress release embargoed until ...\n"));
    CHECK(d.dateline == Date{2026, 1, 22});
    CHECK(d.published == Date{2026, 1, 22});
}

TEST_CASE("dates: names, weekdays and impossible dates", "[parsers][dates]") {
    CHECK(month_from_name("Sept") == 9u);
    CHECK(month_from_name("jan.") == 1u);
    CHECK_FALSE(month_from_name("Friday"));
    CHECK(find_day_month_year("on Friday 3rd October 2025, CQC") == Date{2025, 10, 3});
    CHECK_FALSE(find_day_month_year("31 February 2025"));
    CHECK(weekday_of(Date{2026, 1, 23}) == 5u);  // a Friday
    CHECK(weekday_of(Date{1970, 1, 1}) == 4u);   // a Thursday
    CHECK(days_from_civil(Date{1970, 1, 2}) == 1);
}
