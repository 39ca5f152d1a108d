// record_document on a real SQLite file: idempotence, updates with previous
// values, linking a press release to its report, history queries.

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::array<int, 9> k_ri = {2, 2, 2, 2, 2, 2, 2, 2, 3};

}  // namespace

TEST_CASE("store: one report reached by another host name, port or scheme is the same assessment", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    const std::string path = "/care-services/local-authority-assessment-reports/walsall";
    auto first = store.record_document(
        report(walsall(), "http://127.0.0.1:8080" + path, k_ri, Rating::requires_improvement, "2026-01-23"),
        ctx_at(1769126460));
    REQUIRE(first);
    for (std::string url : {"http://user:pw@example.org:80" + path + "-summary", "http://localhost:8080" + path + "/",
                            "https://WWW.example.org." + path + "/summary"}) {
        INFO(url);
        auto again = store.record_document(report(walsall(), url, k_ri, Rating::requires_improvement, "2026-01-23"),
                                           ctx_at(1769126500));
        REQUIRE(again);
        CHECK(again->assessment_id == first->assessment_id);
        CHECK(again->events.empty());
    }
    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    // The summary URL as stored carries no credentials.
    CHECK(rows[0].summary_url.value_or("").find("user") == std::string::npos);
}

TEST_CASE("store: a new report is created with its scores and one assessment.published", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    CHECK(store.empty().value());
    auto r = store.record_document(
        report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23"), ctx_at(1769126460));
    REQUIRE(r);
    CHECK(r->outcome == RecordOutcome::created);
    REQUIRE(types(r->events) == std::vector<std::string>{"assessment.published"});
    const auto& body = r->events[0].body;
    CHECK(body["schema"] == "cqcwatch.event.v1");
    CHECK(body["id"].get<std::string>().rfind("evt_", 0) == 0);
    CHECK(body["authority"]["code"] == "E08000030");
    CHECK(body["assessment"]["rating"] == "requires_improvement");
    CHECK(body["assessment"]["scores"][8]["score"] == 3);
    CHECK(body["assessment"]["report_url"] == k_walsall_report);
    CHECK(body["occurred_at"] == "2026-01-23T00:01:00Z");
    CHECK_FALSE(store.empty().value());
    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].authority.name == "Walsall");
    CHECK(rows[0].published->iso() == "2026-01-23");
}

TEST_CASE("store: the same page twice makes no new event (idempotent)", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23");
    REQUIRE(store.record_document(doc, ctx_at(1000)));
    auto again = store.record_document(doc, ctx_at(2000));
    REQUIRE(again);
    CHECK(again->outcome == RecordOutcome::unchanged);
    CHECK(again->events.empty());
    // The summary page of the same report is the same assessment.
    auto summary = doc;
    summary.url = std::string(k_walsall_report) + "/summary";
    auto third = store.record_document(summary, ctx_at(3000));
    REQUIRE(third);
    CHECK(third->assessment_id == again->assessment_id);
    CHECK(third->events.empty());
    CHECK(store.list_events().value().size() == 1);
    CHECK(store.list_deliveries(std::nullopt).value().size() == 1);
}

TEST_CASE("store: a changed score makes exactly one assessment.updated with the previous values", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23");
    REQUIRE(store.record_document(doc, ctx_at(1000)));
    doc.assessment->scores[0] = 3;
    auto r = store.record_document(doc, ctx_at(2000));
    REQUIRE(r);
    CHECK(r->outcome == RecordOutcome::updated);
    REQUIRE(types(r->events) == std::vector<std::string>{"assessment.updated"});
    const auto& body = r->events[0].body;
    CHECK(body["previous"]["scores"][0]["score"] == 2);
    CHECK(body["assessment"]["scores"][0]["score"] == 3);
    CHECK(body["changed"] == nlohmann::json::array({"assessing_needs"}));
    // Seen again: nothing more.
    auto again = store.record_document(doc, ctx_at(3000));
    REQUIRE(again);
    CHECK(again->events.empty());
    auto view = store.council(walsall()).value();
    REQUIRE(view.assessments.size() == 1);
    REQUIRE(view.changes.size() == 2);
    CHECK(view.changes[0].kind == "created");
    CHECK(view.changes[1].kind == "updated");
    CHECK(view.changes[1].previous["scores"][0]["score"] == 2);
}

TEST_CASE("store: a changed rating keeps the old one in previous", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = report(walsall(), k_walsall_report, {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good, "2026-01-23");
    REQUIRE(store.record_document(doc, ctx_at(1000)));
    doc.assessment->rating = Rating::outstanding;
    doc.assessment->scores = {4, 4, 4, 4, 4, 4, 4, 4, 4};
    auto r = store.record_document(doc, ctx_at(2000));
    REQUIRE(r);
    REQUIRE(types(r->events) == std::vector<std::string>{"assessment.updated"});
    CHECK(r->events[0].body["previous"]["rating"] == "good");
    CHECK(r->events[0].body["assessment"]["rating"] == "outstanding");
}

TEST_CASE("store: a press release and the later report are one assessment", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto pr = press_release(walsall(), "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-22");
    auto first = store.record_document(pr, ctx_at(1000));
    REQUIRE(first);
    CHECK(types(first->events) == std::vector<std::string>{"assessment.published"});
    auto rep = report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23");
    auto second = store.record_document(rep, ctx_at(2000));
    REQUIRE(second);
    CHECK(second->assessment_id == first->assessment_id);
    CHECK(second->events.empty());  // one assessment.published per assessment
    auto rows = store.history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].assessment.report_url == std::string(k_walsall_report));
    CHECK(rows[0].press_release_url == std::string("https://www.cqc.org.uk/press-release/walsall"));
    // A report of the same council two years later is another assessment.
    auto later =
        report(walsall(), std::string(k_walsall_report) + "-2028", k_ri, Rating::requires_improvement, "2028-03-01");
    auto third = store.record_document(later, ctx_at(3000));
    REQUIRE(third);
    CHECK(third->outcome == RecordOutcome::created);
    CHECK(store.history({}).value().size() == 2);
}

TEST_CASE("store: baseline records events without deliveries", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(1000);
    c.baseline = true;
    auto r =
        store.record_document(report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23"), c);
    REQUIRE(r);
    CHECK(r->events.size() == 1);
    CHECK(store.list_deliveries(std::nullopt).value().empty());
    CHECK(store.history({}).value()[0].baseline);
}

TEST_CASE("store: a document without a council or assessment is ignored with a reason", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    ParseResult doc;
    doc.kind = DocKind::report;
    auto r = store.record_document(doc, ctx_at(1000));
    REQUIRE(r);
    CHECK(r->outcome == RecordOutcome::ignored);
    CHECK_FALSE(r->reason.empty());
}

TEST_CASE("store: a stated rating the scores contradict raises parser.suspect", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto r = store.record_document(report(walsall(), k_walsall_report, k_ri, Rating::outstanding, "2026-01-23"),
                                   ctx_at(1000));
    REQUIRE(r);
    CHECK(types(r->events) == std::vector<std::string>{"assessment.published", "parser.suspect"});
    CHECK(r->events[1].body["reason"] ==
          "stated rating Outstanding contradicts the scores (53% is Requires improvement)");
}

TEST_CASE("store: history filters by council, rating, dates and indicative, newest first", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";
    REQUIRE(store.record_document(
        report(walsall(), std::string(base) + "walsall", k_ri, Rating::requires_improvement, "2026-01-23"), ctx_at(1)));
    auto pilot =
        report(birmingham(), std::string(base) + "birmingham", {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good, "2023-11-30");
    pilot.assessment->indicative = true;
    REQUIRE(store.record_document(pilot, ctx_at(2)));
    CHECK(store.history({}).value().front().authority.name == "Walsall");
    HistoryQuery q;
    q.authority_code = "E08000025";
    CHECK(store.history(q).value().size() == 1);
    q = {};
    q.rating = Rating::good;
    CHECK(store.history(q).value().front().authority.name == "Birmingham");
    q = {};
    q.since = parse_iso_date("2024-01-01");
    CHECK(store.history(q).value().size() == 1);
    q = {};
    q.until = parse_iso_date("2024-01-01");
    CHECK(store.history(q).value().front().authority.name == "Birmingham");
    q = {};
    q.indicative_only = true;
    CHECK(store.history(q).value().size() == 1);
    q = {};
    q.limit = 1;
    CHECK(store.history(q).value().size() == 1);
}

TEST_CASE("store: each_assessment hands over history's rows in its order and stops when asked", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto base = std::string("https://www.cqc.org.uk/care-services/local-authority-assessment-reports/");
    for (const auto* day : {"2024-01-23", "2026-01-23", "2025-01-23"})
        REQUIRE(store.record_document(
            report(walsall(), base + "walsall-" + day, k_ri, Rating::requires_improvement, day), ctx_at(1)));
    std::vector<std::string> seen;
    REQUIRE(store.each_assessment({}, [&](StoredAssessment&& a) {
        seen.push_back(a.published->iso());
        return true;
    }));
    CHECK(seen == std::vector<std::string>{"2026-01-23", "2025-01-23", "2024-01-23"});
    std::vector<std::string> from_history;
    const auto history = store.history({});  // kept alive: value() of a temporary dangles in a range-for
    REQUIRE(history);
    for (const auto& a : *history) from_history.push_back(a.published->iso());
    CHECK(from_history == seen);
    seen.clear();
    REQUIRE(store.each_assessment({}, [&](StoredAssessment&& a) {
        seen.push_back(a.published->iso());
        return seen.size() < 2;
    }));
    CHECK(seen == std::vector<std::string>{"2026-01-23", "2025-01-23"});
}

TEST_CASE("store: rfc3339 prints UTC to the second, as the JSON records carry it", "[store]") {
    using namespace std::chrono;
    CHECK(rfc3339(TimePoint(seconds(1769126460))) == "2026-01-23T00:01:00Z");
    CHECK(rfc3339(TimePoint(milliseconds(1769126460999))) == "2026-01-23T00:01:00Z");  // floored, not rounded
    CHECK(rfc3339(TimePoint(seconds(951868799))) == "2000-02-29T23:59:59Z");
    CHECK(rfc3339(TimePoint(seconds(0))) == "1970-01-01T00:00:00Z");
}
