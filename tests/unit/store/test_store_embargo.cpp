// Embargoes in the store: scheduled once per council and instant, events about
// the assessment held until the lift, unresolved lines flagged for a human.

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::int64_t k_lift = 1769126460;  // 2026-01-23T00:01:00Z
constexpr std::array<int, 9> k_ri = {2, 2, 2, 2, 2, 2, 2, 2, 3};

std::vector<std::string> due_types(Store& store, std::int64_t now) {
    std::vector<std::string> out;
    for (int round = 0; round < 20; ++round) {
        auto due = store.due_deliveries(at(now), 10);
        REQUIRE(due);
        if (due->empty()) break;
        for (const auto& d : *due) {
            out.push_back(d.event.type);
            REQUIRE(store.mark_sent(d.id, at(now), "200"));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("store embargo: an embargoed release schedules once, holds the report, lifts in order", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto email = press_release(walsall(), "", embargo_at(k_lift), "2026-01-22");
    email.assessment->report_url = k_walsall_report;
    auto r = store.record_document(email, ctx_at(k_lift - 86400));
    REQUIRE(r);
    REQUIRE(r->events.size() == 1);
    CHECK(r->events[0].type == "embargo.scheduled");
    CHECK(r->events[0].body["embargo"]["until"] == "2026-01-23T00:01:00Z");
    REQUIRE(r->embargo_id);

    // The newsroom copy of the same release: the same embargo, no new event.
    auto web = press_release(walsall(), "https://www.cqc.org.uk/news/walsall", embargo_at(k_lift), "2026-01-22");
    auto r2 = store.record_document(web, ctx_at(k_lift - 3600));
    REQUIRE(r2);
    CHECK(r2->events.empty());
    CHECK(r2->embargo_id == r->embargo_id);
    auto pending = store.pending_embargoes();
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().first_source == "test");

    // The report is up before the lift: assessment.published is stored but held.
    auto rep = report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23");
    auto r3 = store.record_document(rep, ctx_at(k_lift - 60));
    REQUIRE(r3);
    REQUIRE(r3->events.size() == 1);
    CHECK(r3->events[0].type == "assessment.published");
    CHECK(r3->assessment_id == r->assessment_id);
    CHECK(due_types(store, k_lift - 30) == std::vector<std::string>{"embargo.scheduled"});
    CHECK(due_types(store, k_lift + 10).empty());  // not released without the lift

    auto lifted = store.lift_embargo(*r->embargo_id, ctx_at(k_lift + 2), true);
    REQUIRE(lifted);
    REQUIRE(*lifted);
    const auto& body = (*lifted)->body;
    CHECK(body["type"] == "embargo.lifted");
    CHECK(body["late"] == true);
    CHECK(body["late_by_seconds"] == 2);
    CHECK(body["embargo"]["until"] == "2026-01-23T00:01:00Z");
    CHECK(body["assessment"]["rating"] == "requires_improvement");
    CHECK(due_types(store, k_lift + 2) == std::vector<std::string>{"embargo.lifted", "assessment.published"});
    // Lifting twice does nothing.
    auto again = store.lift_embargo(*r->embargo_id, ctx_at(k_lift + 3), false);
    REQUIRE(again);
    CHECK_FALSE(*again);
    CHECK(store.pending_embargoes()->empty());
    CHECK(store.list_embargoes().front().status == "lifted");
}

TEST_CASE("store embargo: an unresolved embargo raises parser.suspect and is never scheduled", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto doc = press_release(walsall(), "", embargo_at(0, false), "2026-01-22");
    doc.warnings.push_back("embargo weekday Thursday contradicts 23 January");
    auto r = store.record_document(doc, ctx_at(1000));
    REQUIRE(r);
    REQUIRE(r->events.size() == 1);
    CHECK(r->events[0].type == "parser.suspect");
    CHECK(r->events[0].body["reason"].get<std::string>().find("contradicts") != std::string::npos);
    CHECK(store.pending_embargoes()->empty());
    auto all = store.list_embargoes();
    REQUIRE(all.size() == 1);
    CHECK(all[0].status == "unresolved");
    CHECK(all[0].warning == "embargo weekday Thursday contradicts 23 January");
    // The same copy again: no second warning.
    auto again = store.record_document(doc, ctx_at(2000));
    REQUIRE(again);
    CHECK(again->events.empty());
}

TEST_CASE("store embargo: an embargo long past at baseline is stored as lifted without alerts", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(k_lift + 86400 * 30);
    c.baseline = true;
    REQUIRE(store.record_document(press_release(walsall(), "", embargo_at(k_lift), "2026-01-22"), c));
    CHECK(store.pending_embargoes()->empty());
    CHECK(store.list_deliveries(std::nullopt).empty());
}
