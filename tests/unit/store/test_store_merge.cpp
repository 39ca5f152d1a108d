// One record per assessment from several sources (issue 21): the report's figures over a
// press release's, the percentage always the one of the scores beside it, disagreements
// kept and said once, a release far from the report a new assessment, history not news.

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::array<int, 9> k_good = {3, 3, 3, 3, 2, 3, 3, 2, 2};  // 24/36: 66.7 %

ParseResult good_report(const std::string& published) {
    auto r = report(walsall(), k_walsall_report, k_good, Rating::good, published);
    r.assessment->stated_percentage = 67;
    return r;
}

}  // namespace

TEST_CASE("store merge: a press release after its report keeps the report's figures and the conflict",
          "[store][merge]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    REQUIRE(store.record_document(good_report("2026-01-23"), ctx_at(1000)));
    auto r = store.record_document(
        press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-22"),
        ctx_at(2000));
    REQUIRE(r);
    CHECK(types(r->events) == std::vector<std::string>{"parser.suspect"});
    const auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    const auto& a = rows[0];
    CHECK(a.assessment.rating == Rating::good);
    CHECK(a.assessment.percentage() == 67.0);
    CHECK(a.assessment.scores[0] == 3);
    CHECK(a.published == parse_iso_date("2026-01-23"));
    CHECK(a.provenance["rating"]["from"] == "report_page");
    CHECK(a.provenance["percentage"]["url"] == k_walsall_report);
    REQUIRE(a.conflicts.size() == 8);  // the rating and the seven scores the release gives otherwise
    CHECK(a.conflicts[0]["field"] == "rating");
    CHECK(r->events[0].body["reason"].get<std::string>().find(
              "Rating: Requires improvement in the press release, Good on the report page") != std::string::npos);
    // The same release again says nothing new.
    auto again = store.record_document(
        press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-22"),
        ctx_at(3000));
    REQUIRE(again);
    CHECK(again->events.empty());
}

TEST_CASE("store merge: a stated percentage never stays beside another source's scores", "[store][merge]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto release = press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-22");
    release.assessment->stated_percentage = 67;  // a figure the report's scores do not give
    REQUIRE(store.record_document(release, ctx_at(1000)));
    // The report's scores, without a stated percentage: the percentage is computed from them.
    auto r = store.record_document(report(walsall(), k_walsall_report, k_good, Rating::good, "2026-01-23"),
                                   ctx_at(2000));
    REQUIRE(r);
    const auto a = store.history({}).value().at(0);
    CHECK(a.assessment.rating == Rating::good);
    CHECK_FALSE(a.assessment.stated_percentage);
    REQUIRE(a.assessment.percentage());
    CHECK(*a.assessment.percentage() == 67);  // 24 of 36 = 66.7, shown whole
    CHECK(a.assessment.percentage_basis() == PercentageBasis::computed);
    CHECK(a.provenance["scores"]["from"] == "report_page");
    CHECK(a.provenance["percentage"]["from"] == "report_page");
    CHECK(a.published == parse_iso_date("2026-01-23"));
    // The update says it (the release's published event went before); no second word on it.
    REQUIRE(types(r->events) == std::vector<std::string>{"assessment.updated"});
    CHECK(r->events[0].body["conflicts"].size() == 8);
}

TEST_CASE("store merge: a release two years after the stored report is a new assessment", "[store][merge]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    REQUIRE(store.record_document(good_report("2024-03-12"), ctx_at(1000)));
    auto release = press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall-2026", std::nullopt,
                                 "2026-01-22");
    release.assessment->report_url = k_walsall_report;  // the council's report address, kept by CQC
    auto r = store.record_document(release, ctx_at(2000));
    REQUIRE(r);
    CHECK(r->outcome == RecordOutcome::created);
    const auto rows = store.history({}).value();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].assessment.rating == Rating::requires_improvement);
    CHECK(rows[1].assessment.rating == Rating::good);
    CHECK(rows[0].conflicts.empty());
    CHECK(rows[1].conflicts.empty());
}

TEST_CASE("store merge: a document published before history_before is history - events, no deliveries",
          "[store][merge][history]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(1000);
    c.history_before = parse_iso_date("2026-01-24");
    auto old = store.record_document(good_report("2026-01-23"), c);
    REQUIRE(old);
    CHECK(old->history == parse_iso_date("2026-01-23"));
    CHECK(types(old->events) == std::vector<std::string>{"assessment.published"});
    CHECK(store.list_deliveries(std::nullopt).value().empty());
    // Published on the first day still news: alerted.
    c.history_before = parse_iso_date("2026-01-23");
    auto other = report(birmingham(), "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/b",
                        k_good, Rating::good, "2026-01-23");
    auto fresh = store.record_document(other, c);
    REQUIRE(fresh);
    CHECK_FALSE(fresh->history);
    CHECK(store.list_deliveries(std::nullopt).value().size() == 1);
}

TEST_CASE("store merge: a report first seen counts from its publication, a change to a stored one from its update",
          "[store][merge][history]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(1000);
    c.history_before = parse_iso_date("2026-06-01");
    auto first = good_report("2025-03-12");
    first.updated = parse_iso_date("2026-06-02");  // a page touched lately: still a 2025 assessment
    auto r = store.record_document(first, c);
    REQUIRE(r);
    CHECK(r->history == parse_iso_date("2025-03-12"));
    // CQC corrects a score of it, and says when: news.
    auto corrected = first;
    corrected.assessment->scores[0] = 2;
    corrected.assessment->stated_percentage.reset();
    auto u = store.record_document(corrected, c);
    REQUIRE(u);
    CHECK_FALSE(u->history);
    CHECK(types(u->events) == std::vector<std::string>{"assessment.updated"});
    CHECK(store.list_deliveries(std::nullopt).value().size() == 1);
}
