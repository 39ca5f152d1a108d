// The outbox (order per notifier, retries, dead and requeue), listings
// (withdrawal after N misses, an empty listing is suspect) and source health.

#include <filesystem>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::array<int, 9> k_ri = {2, 2, 2, 2, 2, 2, 2, 2, 3};
const std::string k_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

void add_reports(Store& store, int n, std::vector<std::string> notifiers = {"a", "b"}) {
    for (int i = 0; i < n; ++i) {
        auto doc = report(walsall(), k_base + "r" + std::to_string(i), k_ri, Rating::requires_improvement,
                          "2026-01-2" + std::to_string(i % 10));
        REQUIRE(store.record_document(doc, ctx_at(1000 + i, notifiers)));
    }
}

}  // namespace

TEST_CASE("store outbox: one delivery per notifier, in event order, blocked behind a failing head", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    add_reports(store, 3);
    auto due = store.due_deliveries(at(2000), 10);
    REQUIRE(due);
    REQUIRE(due->size() == 2);  // the head of "a" and of "b"
    auto first_a = (*due)[0].notifier == "a" ? (*due)[0] : (*due)[1];
    auto first_b = (*due)[0].notifier == "b" ? (*due)[0] : (*due)[1];
    CHECK(first_a.event.id == first_b.event.id);
    // "a" fails: its next delivery waits; "b" goes on.
    REQUIRE(store.mark_failed(first_a.id, at(2000), "HTTP 503", at(2600)));
    REQUIRE(store.mark_sent(first_b.id, at(2000), "HTTP 200"));
    due = store.due_deliveries(at(2001), 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].notifier == "b");
    CHECK((*due)[0].event_seq > first_b.event_seq);
    // The timer to arm: b's head now.
    CHECK(store.next_due_time()->value() == at(1001));
    REQUIRE(store.mark_sent((*due)[0].id, at(2001), "HTTP 200"));
    REQUIRE(store.mark_sent(store.due_deliveries(at(2002), 10)->at(0).id, at(2002), "HTTP 200"));
    CHECK(store.next_due_time()->value() == at(2600));
    due = store.due_deliveries(at(2600), 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].id == first_a.id);
    CHECK((*due)[0].attempts == 1);
    CHECK((*due)[0].last_error == "HTTP 503");
    // Dead: the next one for "a" is due; requeue puts the dead one back first.
    REQUIRE(store.mark_dead(first_a.id, at(2600), "HTTP 400"));
    due = store.due_deliveries(at(2600), 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].id != first_a.id);
    CHECK(store.list_deliveries(DeliveryStatus::dead).value().size() == 1);
    auto counts = store.delivery_counts();
    CHECK(counts->dead == 1);
    CHECK(counts->sent == 3);
    CHECK(counts->pending == 2);
    CHECK(store.oldest_pending_age(at(2600))->value() == std::chrono::seconds(2600 - 1001));
    auto requeued = store.requeue({first_a.id, 99999}, at(2700));
    REQUIRE(requeued);
    CHECK(*requeued == std::vector<std::int64_t>{first_a.id});
    CHECK(store.due_deliveries(at(2700), 10)->at(0).id == first_a.id);
    CHECK(store.deliveries_of_event(first_a.event.id).value().size() == 2);
}

TEST_CASE("store outbox: the event id and body are the same on every retry", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    add_reports(store, 1, {"a"});
    auto d1 = store.due_deliveries(at(2000), 1)->at(0);
    REQUIRE(store.mark_failed(d1.id, at(2000), "timeout", at(2001)));
    auto d2 = store.due_deliveries(at(2001), 1)->at(0);
    CHECK(d2.event.id == d1.event.id);
    CHECK(d2.event.body == d1.event.body);
}

TEST_CASE("store listing: a report gone for N polls in a row is withdrawn once", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    add_reports(store, 2);
    std::vector<std::string> both = {k_base + "r0", k_base + "r1"};
    auto c = ctx_at(3000);
    c.source = "cqc-reports";
    REQUIRE(store.note_listing(both, c, 3));
    for (int poll = 1; poll <= 2; ++poll) {
        auto r = store.note_listing({k_base + "r0"}, c, 3);
        REQUIRE(r);
        CHECK(r->events.empty());
    }
    auto r = store.note_listing({k_base + "r0"}, c, 3);
    REQUIRE(r);
    REQUIRE(r->events.size() == 1);
    CHECK(r->events[0].type == "assessment.withdrawn");
    CHECK(r->withdrawn_urls == std::vector<std::string>{k_base + "r1"});
    CHECK(store.note_listing({k_base + "r0"}, c, 3)->events.empty());
    HistoryQuery q;
    auto rows = store.history(q).value();
    CHECK(std::count_if(rows.begin(), rows.end(), [](const auto& a) { return a.withdrawn; }) == 1);
    // It comes back: restored, no alert.
    REQUIRE(store.note_listing(both, c, 3));
    rows = store.history(q).value();
    CHECK(std::none_of(rows.begin(), rows.end(), [](const auto& a) { return a.withdrawn; }));
}

TEST_CASE("store listing: a listing that suddenly yields nothing is parser.suspect, not a mass withdrawal", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    add_reports(store, 2);
    auto c = ctx_at(3000);
    c.source = "cqc-reports";
    REQUIRE(store.note_listing({k_base + "r0", k_base + "r1"}, c, 1));
    auto r = store.note_listing({}, c, 1);
    REQUIRE(r);
    CHECK(r->suspect);
    REQUIRE(r->events.size() == 1);
    CHECK(r->events[0].type == "parser.suspect");
    CHECK(r->withdrawn_urls.empty());
    CHECK(store.note_listing({}, c, 1)->events.empty());  // said once
    auto rows = store.history({}).value();
    CHECK(std::none_of(rows.begin(), rows.end(), [](const auto& a) { return a.withdrawn; }));
}

TEST_CASE("store sources: failing once at the threshold, recovered once", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(1000);
    c.source = "cqc-reports";
    CHECK(store.note_source_result(false, "HTTP 500", c, 3)->empty());
    CHECK(store.note_source_result(false, "HTTP 500", c, 3)->empty());
    auto third = store.note_source_result(false, "timeout", c, 3);
    REQUIRE(third->size() == 1);
    CHECK((*third)[0].type == "source.failing");
    CHECK((*third)[0].body["source"]["last_error"] == "timeout");
    CHECK(store.note_source_result(false, "timeout", c, 3)->empty());
    auto h = store.source_health("cqc-reports");
    REQUIRE(*h);
    CHECK((*h)->failing);
    CHECK((*h)->consecutive_failures == 4);
    auto ok = store.note_source_result(true, "", c, 3);
    REQUIRE(ok->size() == 1);
    CHECK((*ok)[0].type == "source.recovered");
    CHECK(store.note_source_result(true, "", c, 3)->empty());
    REQUIRE(store.set_next_poll("cqc-reports", at(1300)));
    auto st = store.status(at(1000)).value();
    REQUIRE(st.sources.size() == 1);
    CHECK(st.sources[0].next_poll == at(1300));
}

TEST_CASE("store sources: note_poll records the outcome and the next poll in one call", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto c = ctx_at(1000);
    c.source = "cqc-reports";
    // A source never seen: created on the slow path, healthy, next poll stored.
    CHECK(store.note_poll(true, "", c, 2, at(1060))->empty());
    auto h = store.source_health("cqc-reports");
    REQUIRE(*h);
    CHECK((*h)->last_success == at(1000));
    CHECK((*h)->next_poll == at(1060));
    // Below the threshold a failure raises nothing; the next success clears the count (fast path).
    c.now = at(1060);
    CHECK(store.note_poll(false, "HTTP 500", c, 2, at(1070))->empty());
    c.now = at(1070);
    CHECK(store.note_poll(true, "", c, 2, at(1130))->empty());
    h = store.source_health("cqc-reports");
    CHECK((*h)->consecutive_failures == 0);
    CHECK((*h)->last_success == at(1070));
    CHECK((*h)->next_poll == at(1130));
    // At the threshold: source.failing once; the success after it: source.recovered once.
    CHECK(store.note_poll(false, "HTTP 500", c, 2, at(1140))->empty());
    auto failing = store.note_poll(false, "timeout", c, 2, at(1150));
    REQUIRE(failing->size() == 1);
    CHECK((*failing)[0].type == "source.failing");
    CHECK(store.source_health("cqc-reports").value()->next_poll == at(1150));
    auto recovered = store.note_poll(true, "", c, 2, at(1200));
    REQUIRE(recovered->size() == 1);
    CHECK((*recovered)[0].type == "source.recovered");
    CHECK(store.note_poll(true, "", c, 2, at(1260))->empty());
    CHECK_FALSE(store.source_health("cqc-reports").value()->failing);
}

TEST_CASE("store: data_version moves only for another connection's commit", "[store]") {
    TempDir dir;
    Store mine = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto v0 = mine.data_version().value();
    REQUIRE(v0 >= 0);
    add_reports(mine, 1);  // our own commit
    CHECK(mine.data_version().value() == v0);
    {
        Store other = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
        add_reports(other, 2);
    }
    CHECK(mine.data_version().value() != v0);
}

TEST_CASE("store: statements reused across many calls and two open stores stay correct and close cleanly", "[store]") {
    TempDir dir;
    for (int round = 0; round < 3; ++round) {  // open, use, close: cached statements must not outlive a store
        Store a = Store::open_or_throw(dir.file("a.db"), StoreMode::read_write);
        Store b = Store::open_or_throw(dir.file("b.db"), StoreMode::read_write);
        for (int i = 0; i < 50; ++i) {
            FetchState f{
                "https://x/" + std::to_string(i), "\"e" + std::to_string(round) + "\"", "", "h", 200, 0, at(i)};
            REQUIRE(a.put_fetch_state(f));
            REQUIRE(b.put_fetch_state(f));
        }
        for (int i = 0; i < 50; ++i) {
            auto fa = a.fetch_state("https://x/" + std::to_string(i));
            REQUIRE(fa);
            REQUIRE(*fa);
            CHECK((*fa)->etag == "\"e" + std::to_string(round) + "\"");
            CHECK(*b.fetch_state("https://x/" + std::to_string(i)));
        }
        CHECK_FALSE(*a.fetch_state("https://x/none"));
    }
    // Every connection really closed (a statement left unfinalized keeps it open as a
    // zombie): the last close checkpoints and removes the write-ahead log.
    CHECK_FALSE(std::filesystem::exists(dir.file("a.db") + "-wal"));
    CHECK_FALSE(std::filesystem::exists(dir.file("b.db") + "-wal"));
    Store again = Store::open_or_throw(dir.file("a.db"), StoreMode::read_only);
    CHECK(*again.fetch_state("https://x/49"));
}

TEST_CASE("store fetch state: stored per URL and replaced", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    CHECK_FALSE(*store.fetch_state("https://x/a"));
    FetchState f{"https://x/a", "\"e1\"", "Mon, 01 Jan 2026 00:00:00 GMT", "abc", 200, 0, at(5)};
    REQUIRE(store.put_fetch_state(f));
    f.etag = "\"e2\"";
    f.consecutive_failures = 2;
    REQUIRE(store.put_fetch_state(f));
    auto got = store.fetch_state("https://x/a");
    REQUIRE(*got);
    CHECK((*got)->etag == "\"e2\"");
    CHECK((*got)->consecutive_failures == 2);
    CHECK((*got)->last_fetch == at(5));
}
