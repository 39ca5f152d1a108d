#include <catch2/catch.hpp>

#include "parsers/embargo.hpp"

using namespace cqcwatch;

namespace {

EmbargoReading line(std::string_view text, std::optional<Date> base) { return read_embargo_line(text, base); }

Date d(int y, unsigned m, unsigned day) { return Date{y, m, day}; }

}  // namespace

TEST_CASE("embargo: the Walsall line under its dateline, in GMT", "[parsers][embargo]") {
    const auto r = line("Press release embargoed until 00.01hrs on Friday 23 January", d(2026, 1, 22));
    REQUIRE(r.embargo);
    CHECK(r.embargo->resolved);
    CHECK(r.embargo->until_utc == "2026-01-23T00:01:00Z");
    CHECK(r.embargo->until_uk == "2026-01-23 00:01 GMT");
    CHECK(r.embargo->until_unix == 1769126460);
    CHECK(r.warnings.empty());
}

TEST_CASE("embargo: summer time is an hour ahead of UTC", "[parsers][embargo]") {
    const auto r = line("Embargoed until 00:01 on Thursday 15 May", d(2025, 5, 14));
    REQUIRE(r.embargo);
    CHECK(r.embargo->until_utc == "2025-05-14T23:01:00Z");
    CHECK(r.embargo->until_uk == "2025-05-15 00:01 BST");
}

TEST_CASE("embargo: both transition Sundays", "[parsers][embargo]") {
    // 30 March 2025: clocks go forward at 01:00 GMT.
    auto before = line("Embargoed until 00.30 on Sunday 30 March", d(2025, 3, 29));
    auto after = line("Embargoed until 9.30am on Sunday 30 March", d(2025, 3, 29));
    CHECK(before.embargo->until_utc == "2025-03-30T00:30:00Z");
    CHECK(after.embargo->until_utc == "2025-03-30T08:30:00Z");
    // 26 October 2025: clocks go back at 02:00 BST.
    auto oct_before = line("EMBARGOED UNTIL 00.01 hrs Sunday 26 October", d(2025, 10, 25));
    auto oct_after = line("Embargo: 10:00 Sunday 26 October", d(2025, 10, 25));
    CHECK(oct_before.embargo->until_utc == "2025-10-25T23:01:00Z");
    CHECK(oct_after.embargo->until_utc == "2025-10-26T10:00:00Z");
    CHECK(oct_after.embargo->until_uk == "2025-10-26 10:00 GMT");
}

TEST_CASE("embargo: a December dateline with a January embargo rolls to the next year", "[parsers][embargo]") {
    const auto r = line("Press release embargoed until 00.01hrs on Friday 2 January", d(2025, 12, 31));
    REQUIRE(r.embargo);
    CHECK(r.embargo->resolved);
    CHECK(r.embargo->until_utc == "2026-01-02T00:01:00Z");
}

TEST_CASE("embargo: a weekday that does not match leaves it unresolved", "[parsers][embargo]") {
    const auto r = line("Press release embargoed until 00.01hrs on Thursday 23 January", d(2026, 1, 22));
    REQUIRE(r.embargo);
    CHECK_FALSE(r.embargo->resolved);
    CHECK(r.embargo->until_utc == "2026-01-23T00:01:00Z");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] == "embargo: Thursday does not match 2026-01-23 (a Friday); not scheduled");
}

TEST_CASE("embargo: no dateline and no reference date is unresolved", "[parsers][embargo]") {
    const auto r = line("Press release embargoed until 00.01hrs on Friday 23 January", std::nullopt);
    REQUIRE(r.embargo);
    CHECK_FALSE(r.embargo->resolved);
    CHECK(r.embargo->until_utc.empty());
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] == "embargo: no year in the line and no dateline or reference date to take it from");
    const auto with_year = line("Embargoed until 12.01am, Friday 23 January 2026", std::nullopt);
    REQUIRE(with_year.embargo);
    CHECK(with_year.embargo->resolved);
    CHECK(with_year.embargo->until_utc == "2026-01-23T00:01:00Z");
}

TEST_CASE("embargo: lines that are not embargoes", "[parsers][embargo]") {
    CHECK_FALSE(line("Embargoed: CQC rates Walsall Council's adult social care", d(2026, 1, 22)).embargo);
    CHECK_FALSE(line("Link to the embargoed inspection report is at the end", d(2026, 1, 22)).embargo);
    CHECK_FALSE(line("", std::nullopt).embargo);
}

TEST_CASE("embargo: found in a document, with the dateline as base", "[parsers][embargo]") {
    const auto doc =
        text_to_document("Embargoed: CQC rates a council\n9 Dec 2025\nEmbargoed until 10:00 on Tuesday 6 January\n");
    const auto r = read_embargo(doc, d(2025, 12, 9));
    REQUIRE(r.embargo);
    CHECK(r.embargo->until_utc == "2026-01-06T10:00:00Z");
}

TEST_CASE("embargo: the forms UK press offices write, each to the same instant", "[parsers][embargo]") {
    // 00:01 UK time on Friday 23 January 2026 is 00:01 UTC; with no dateline for the ones without a year.
    for (const char* text : {"EMBARGOED UNTIL 00:01 FRIDAY 23 JANUARY 2026", "Embargoed to 0001hrs Friday 23 January 2026",
                             "Under embargo until 12.01am Friday 23 January 2026", "EMBARGOED: 00.01 23/01/2026",
                             "Embargo: 00:01 23/01/26", "Embargo: 2026-01-23 00:01 GMT",
                             "Not for publication or broadcast before 00:01 on 23 January 2026",
                             "Embargoed until Friday 23 January 2026 at 00:01",
                             "EMBARGO: 00:01 hours, Fri 23 Jan 2026", "Embargoed until 00:01am, Friday, January 23, 2026",
                             "Embargo: 00:01 GMT Friday 23rd January 2026"}) {
        INFO(text);
        const auto r = line(text, std::nullopt);
        REQUIRE(r.embargo);
        CHECK(r.embargo->resolved);
        CHECK(r.embargo->until_utc == "2026-01-23T00:01:00Z");
        CHECK(r.warnings.empty());
    }
}

TEST_CASE("embargo: a zone that is not UK time on that date is not guessed at", "[parsers][embargo]") {
    const auto r = line("Embargoed until 00:01 GMT on Thursday 4 June 2026", std::nullopt);
    REQUIRE(r.embargo);
    CHECK_FALSE(r.embargo->resolved);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          "embargo: \"Embargoed until 00:01 GMT on Thursday 4 June 2026\" says GMT but UK time on 2026-06-04 is BST; "
          "not scheduled");
    const auto bst = line("Embargoed until 00:01 BST on Thursday 4 June 2026", std::nullopt);
    CHECK(bst.embargo->resolved);
    CHECK(bst.embargo->until_utc == "2026-06-03T23:01:00Z");
}

TEST_CASE("embargo: two lines in one message that disagree leave it unresolved", "[parsers][embargo]") {
    Document doc;
    doc.title = "EMBARGOED until 00:01 Friday 23 January 2026: CQC rates Walsall Council as good";
    doc.blocks.push_back(Block{BlockKind::paragraph, "Press release embargoed until 00.01hrs on Friday 30 January", {}});
    const auto r = read_embargo(doc, Date{2026, 1, 22});
    REQUIRE(r.embargo);
    CHECK_FALSE(r.embargo->resolved);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].starts_with("embargo: the message gives two instants"));
    // The same instant twice is one embargo.
    doc.blocks[0].text = "Press release embargoed until 00.01hrs on Friday 23 January";
    const auto same = read_embargo(doc, Date{2026, 1, 22});
    CHECK(same.embargo->resolved);
    CHECK(same.embargo->until_utc == "2026-01-23T00:01:00Z");
}

TEST_CASE("embargo: the instant may stand before the word", "[parsers][embargo]") {
    const auto r = line("00:01 Friday 23 January 2026 - EMBARGOED", std::nullopt);
    REQUIRE(r.embargo);
    CHECK(r.embargo->resolved);
    CHECK(r.embargo->until_utc == "2026-01-23T00:01:00Z");
}
