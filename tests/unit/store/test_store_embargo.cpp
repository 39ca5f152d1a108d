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
    CHECK(r->events[0].body["assessment"].is_null());  // it goes out before the lift: no embargoed figure
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

    auto lifted = store.lift_embargo(*r->embargo_id, ctx_at(k_lift + 2), LiftKind::late);
    REQUIRE(lifted);
    REQUIRE(*lifted);
    const auto& body = (*lifted)->body;
    CHECK(body["type"] == "embargo.lifted");
    CHECK(body["late"] == true);
    CHECK(body["late_by_seconds"] == 2);
    CHECK(body["embargo"]["until"] == "2026-01-23T00:01:00Z");
    CHECK(body["assessment"]["rating"] == "requires_improvement");
    CHECK(body["assessment"]["report_url"] == k_walsall_report);
    CHECK(body["conflicts"].empty());
    REQUIRE(body["merged"].size() == 1);
    CHECK(body["merged"][0]["type"] == "assessment.published");
    CHECK(body["merged"][0]["id"] == r3->events[0].id);
    // One message at the lift: the held assessment.published went within it.
    CHECK(due_types(store, k_lift + 2) == std::vector<std::string>{"embargo.lifted"});
    auto sent = store.list_deliveries(DeliveryStatus::sent).value();
    REQUIRE(sent.size() == 3);
    auto within = std::find_if(sent.begin(), sent.end(),
                               [](const Delivery& d) { return d.event.type == "assessment.published"; });
    REQUIRE(within != sent.end());
    CHECK(within->summary == "sent within " + (*lifted)->id + " (embargo.lifted)");
    // Lifting twice does nothing.
    auto again = store.lift_embargo(*r->embargo_id, ctx_at(k_lift + 3), LiftKind::on_time);
    REQUIRE(again);
    CHECK_FALSE(*again);
    CHECK(store.pending_embargoes()->empty());
    CHECK(store.list_embargoes().value().front().status == "lifted");
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
    CHECK(r->events[0].body["assessment"].is_null());  // not held (no instant), so no figure in it
    CHECK(store.pending_embargoes()->empty());
    auto all = store.list_embargoes().value();
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
    CHECK(store.list_deliveries(std::nullopt).value().empty());
}

TEST_CASE("store embargo: an embargo already past when first stored is history - lifted, no alert", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto r = store.record_document(press_release(walsall(), "", embargo_at(k_lift), "2026-01-22"),
                                   ctx_at(k_lift + 86400 * 312));
    REQUIRE(r);
    CHECK(r->events.empty());
    CHECK(store.pending_embargoes()->empty());
    CHECK(store.list_deliveries(std::nullopt).value().empty());
    auto all = store.list_embargoes().value();
    REQUIRE(all.size() == 1);
    CHECK(all[0].status == "lifted");
    CHECK(all[0].late == false);
    REQUIRE(all[0].lifted_at);
    CHECK(*all[0].lifted_at == at(k_lift));  // lifted at its instant, not when we heard of it
}

TEST_CASE(
    "store embargo: a report page that disagrees early - everything held, the lift carries the release "
    "and names the conflict, parser.suspect after it",
    "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto email = press_release(walsall(), "", embargo_at(k_lift), "2026-01-22");
    email.assessment->report_url = k_walsall_report;
    auto r = store.record_document(email, ctx_at(k_lift - 3600));
    REQUIRE(r);
    REQUIRE(r->embargo_id);
    // The report page goes up 68 s early saying Good with a 3 for safeguarding.
    auto rep = report(walsall(), k_walsall_report, {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good, "2026-01-23");
    auto r2 = store.record_document(rep, ctx_at(k_lift - 68));
    REQUIRE(r2);
    std::vector<std::string> types;
    for (const auto& e : r2->events) types.push_back(e.type);
    CHECK(std::count(types.begin(), types.end(), "parser.suspect") == 1);
    CHECK(std::count(types.begin(), types.end(), "assessment.updated") == 1);
    for (const auto& e : r2->events)
        if (e.type == "parser.suspect")
            CHECK(e.body["reason"].get<std::string>().starts_with(
                "the report page disagrees with the embargoed press release: Rating: Requires improvement in the "
                "press release, Good on the report page; Assessing needs: 2/4 in the press release, 3/4 on the "
                "report page; "));
    // Nothing about it is released before the lift, whatever its type.
    CHECK(due_types(store, k_lift - 30) == std::vector<std::string>{"embargo.scheduled"});
    CHECK(due_types(store, k_lift + 5).empty());
    auto counts = store.delivery_counts();
    REQUIRE(counts);
    CHECK(counts->held == static_cast<std::int64_t>(r2->events.size()));

    auto preview = store.preview_lift(*r->embargo_id, ctx_at(k_lift));
    REQUIRE(preview);
    REQUIRE(*preview);
    CHECK(store.pending_embargoes()->size() == 1);  // a preview changes nothing
    auto lifted = store.lift_embargo(*r->embargo_id, ctx_at(k_lift), LiftKind::on_time);
    REQUIRE(lifted);
    REQUIRE(*lifted);
    CHECK((*preview)->id == (*lifted)->id);
    CHECK((*preview)->body == (*lifted)->body);
    const auto& body = (*lifted)->body;
    CHECK(body["assessment"]["rating"] == "requires_improvement");  // the press release's figures
    CHECK(body["assessment"]["scores"][0]["score"] == 2);
    CHECK(body["late"] == false);
    REQUIRE(body["conflicts"].size() == 9);  // the rating and the eight scores that differ
    CHECK(body["conflicts"][0] ==
          nlohmann::json{{"field", "rating"}, {"press_release", "requires_improvement"}, {"report_page", "good"}});
    CHECK(body["conflicts"][1] ==
          nlohmann::json{{"field", "assessing_needs"}, {"press_release", 2}, {"report_page", 3}});
    CHECK(body["merged"].size() == 2);
    // One message per notifier at the lift, the parser's doubt after it.
    CHECK(due_types(store, k_lift) == std::vector<std::string>{"embargo.lifted", "parser.suspect"});
}

TEST_CASE("store embargo: a notifier that does not take embargo.lifted still gets the held report after the lift",
          "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto only_reports = [](std::int64_t t) {
        auto c = ctx_at(t);
        c.route = [](const Event& e) {
            return e.type == "assessment.published" ? std::vector<std::string>{"reports"} : std::vector<std::string>{};
        };
        return c;
    };
    auto email = press_release(walsall(), "", embargo_at(k_lift), "2026-01-22");
    email.assessment->report_url = k_walsall_report;
    auto r = store.record_document(email, only_reports(k_lift - 3600));
    REQUIRE(r);
    REQUIRE(store.record_document(report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23"),
                                  only_reports(k_lift - 60)));
    CHECK(due_types(store, k_lift - 1).empty());
    REQUIRE(store.lift_embargo(*r->embargo_id, only_reports(k_lift), LiftKind::on_time));
    CHECK(due_types(store, k_lift) == std::vector<std::string>{"assessment.published"});
}

TEST_CASE(
    "store embargo: a lift too late to be news is recorded without an alert - the report after it says it "
    "follows the lift",
    "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto email = press_release(walsall(), "", embargo_at(k_lift), "2026-01-22");
    email.assessment->report_url = k_walsall_report;
    auto r = store.record_document(email, ctx_at(k_lift - 3600));
    REQUIRE(r);
    REQUIRE(due_types(store, k_lift - 3600).size() == 1);
    auto lifted = store.lift_embargo(*r->embargo_id, ctx_at(k_lift + 86400 * 5), LiftKind::history);
    REQUIRE(lifted);
    CHECK_FALSE(*lifted);
    CHECK(store.list_embargoes().value().front().status == "lifted");
    CHECK(due_types(store, k_lift + 86400 * 5).empty());

    // Another release, lifted on time; its report comes online afterwards.
    auto york = press_release(birmingham(), "", embargo_at(k_lift + 600), "2026-01-22");
    york.assessment->report_url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/birmingham";
    auto ry = store.record_document(york, ctx_at(k_lift));
    REQUIRE(ry);
    auto ly = store.lift_embargo(*ry->embargo_id, ctx_at(k_lift + 600), LiftKind::on_time);
    REQUIRE(ly);
    REQUIRE(*ly);
    auto rep = report(birmingham(), *york.assessment->report_url, k_ri, Rating::requires_improvement, "2026-01-23");
    auto online = store.record_document(rep, ctx_at(k_lift + 900));
    REQUIRE(online);
    REQUIRE(online->events.size() == 1);
    CHECK(online->events[0].type == "assessment.published");
    CHECK(online->events[0].body["follows"] == nlohmann::json{{"id", (*ly)->id}, {"type", "embargo.lifted"}});
}

TEST_CASE("store feed_events: nothing embargoed before the lift, the lift instead of what it merged", "[store][feed]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto baseline = ctx_at(k_lift - 90000);
    baseline.baseline = true;
    auto old = report(birmingham(), "https://www.cqc.org.uk/x/birmingham", k_ri, Rating::requires_improvement,
                      "2025-06-10");
    REQUIRE(store.record_document(old, baseline));
    REQUIRE(store.record_event("test", {{"detail", "a test alert"}}, ctx_at(k_lift - 87000)));
    auto email = press_release(walsall(), "", embargo_at(k_lift), "2026-01-22");
    auto scheduled = store.record_document(email, ctx_at(k_lift - 86400));
    REQUIRE(scheduled);
    auto rep = report(walsall(), k_walsall_report, k_ri, Rating::requires_improvement, "2026-01-23");
    auto published = store.record_document(rep, ctx_at(k_lift - 60));
    REQUIRE(published);
    REQUIRE(published->events.size() == 1);

    // Before the lift: only the notice, which carries no figure.
    auto before = store.feed_events(50).value();
    REQUIRE(types(before) == std::vector<std::string>{"embargo.scheduled"});
    CHECK(before[0].body["assessment"].is_null());
    CHECK(before[0].body["authority"]["name"] == "Walsall");

    // After it: the lift (with the figures), not the published event it stands for; newest first.
    auto lifted = store.lift_embargo(*scheduled->embargo_id, ctx_at(k_lift), LiftKind::on_time);
    REQUIRE(lifted);
    REQUIRE(*lifted);
    auto after = store.feed_events(50).value();
    CHECK(types(after) == std::vector<std::string>{"embargo.lifted", "embargo.scheduled"});
    CHECK(after[0].id == (*lifted)->id);
    CHECK(after[0].body["assessment"]["rating"] == "requires_improvement");
    for (const auto& e : after) CHECK(e.id != published->events[0].id);
    CHECK(types(store.feed_events(1).value()) == std::vector<std::string>{"embargo.lifted"});
}
