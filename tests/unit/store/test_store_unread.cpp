// A report page that no longer reads: the record keeps which values are unread,
// one parser.suspect per report (not per poll), parser.recovered when it reads again,
// and the values read later count as a change.

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::array<int, 9> k_good = {3, 3, 3, 3, 3, 3, 2, 3, 3};

/// The summary page as a parser returns it when only the rating and two scores read.
ParseResult unreadable_summary() {
    auto doc = report(walsall(), std::string(k_walsall_report) + "/summary", k_good, Rating::good, "2026-01-23");
    for (std::size_t i = 2; i < 9; ++i) doc.assessment->scores[i].reset();
    doc.assessment->unread = {"equity",       "care_provision", "partnerships", "safe_pathways",
                              "safeguarding", "governance",     "learning"};
    return doc;
}

}  // namespace

TEST_CASE("store: a report that no longer reads is stored with its unread scores and one parser.suspect",
          "[store][unread]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto first = store.record_document(unreadable_summary(), ctx_at(1000));
    REQUIRE(first);
    REQUIRE(types(first->events) == std::vector<std::string>{"assessment.published", "parser.suspect"});
    const auto& published = first->events[0].body["assessment"];
    CHECK(published["unread"].size() == 7);
    CHECK(published["unread"][0] == "equity");
    const auto& suspect = first->events[1].body;
    CHECK(suspect["url"] == std::string(k_walsall_report) + "/summary");
    CHECK(suspect["found"] == "rating Good; 2 of 9 scores");
    CHECK(suspect["missing"].size() == 7);
    CHECK(suspect["reason"] ==
          "report page no longer reads: Equity in experience and outcomes; Care provision, integration and "
          "continuity; Partnerships and communities; Safe pathways, systems and transitions; Safeguarding; "
          "Governance, management and sustainability; Learning, improvement and innovation not read from " +
              std::string(k_walsall_report) + "/summary (found rating Good; 2 of 9 scores)");

    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].assessment.unread.size() == 7);

    // The next poll reads the same page the same way: no second alarm.
    auto again = store.record_document(unreadable_summary(), ctx_at(2000));
    REQUIRE(again);
    CHECK(again->events.empty());
    CHECK(again->outcome == RecordOutcome::unchanged);
}

TEST_CASE("store: a report that reads again raises parser.recovered and an update with the scores", "[store][unread]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    REQUIRE(store.record_document(unreadable_summary(), ctx_at(1000)));
    auto fixed = report(walsall(), std::string(k_walsall_report) + "/summary", k_good, Rating::good, "2026-01-23");
    auto r = store.record_document(fixed, ctx_at(2000));
    REQUIRE(r);
    REQUIRE(types(r->events) == std::vector<std::string>{"assessment.updated", "parser.recovered"});
    const auto& changed = r->events[0].body["changed"];
    CHECK(changed.size() == 7);
    CHECK(r->events[0].body["assessment"]["scores"][6]["score"] == 2);
    CHECK_FALSE(r->events[0].body["assessment"].contains("unread"));
    CHECK(r->events[1].body["found"] == "rating Good; 9 of 9 scores");
    CHECK(r->events[1].body["reason"] ==
          "report page reads again: " + std::string(k_walsall_report) + "/summary (rating Good; 9 of 9 scores)");
    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].assessment.unread.empty());
    CHECK(rows[0].assessment.scores[8] == 3);
    // Reading well again changes nothing.
    auto third = store.record_document(fixed, ctx_at(3000));
    REQUIRE(third);
    CHECK(third->events.empty());
}

TEST_CASE("store: a press release fills an unread score but does not clear what it cannot know", "[store][unread]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = unreadable_summary();
    doc.assessment->rating.reset();
    doc.assessment->unread.insert(doc.assessment->unread.begin(), "rating");
    auto first = store.record_document(doc, ctx_at(1000));
    REQUIRE(first);
    CHECK(first->events[1].body["found"] == "no rating; 2 of 9 scores");
    // The press release states everything: the report is complete, and the alarm recovers.
    auto press = press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-23");
    auto r = store.record_document(press, ctx_at(2000));
    REQUIRE(r);
    CHECK(r->assessment_id == first->assessment_id);
    CHECK(types(r->events) == std::vector<std::string>{"assessment.updated", "parser.recovered"});
    CHECK(store.history({}).value()[0].assessment.unread.empty());
}

TEST_CASE("store: the summary URL merged into a report page is stored", "[store][unread]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = report(walsall(), k_walsall_report, k_good, Rating::good, "2026-01-23");
    doc.summary_url = std::string(k_walsall_report) + "/summary";
    REQUIRE(store.record_document(doc, ctx_at(1000)));
    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].summary_url == std::string(k_walsall_report) + "/summary");
}
