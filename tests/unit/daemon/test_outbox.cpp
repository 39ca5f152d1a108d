// The outbox over a real SQLite file: order per notifier, retries with the same
// event id, dead deliveries, and a failing notifier that does not hold up another.

#include <catch2/catch.hpp>

#include <deque>
#include <filesystem>

#include "daemon/outbox.hpp"
#include "store/store.hpp"
#include "fakes/fake_clock.hpp"

namespace cqcwatch {
namespace {

namespace fs = std::filesystem;

class ScriptedNotifier : public Notifier {
public:
    ScriptedNotifier(asio::io_context& io, std::string name) : m_io(io) {
        m_config.name = std::move(name);
        m_config.kind = NotifierKind::webhook;
    }
    const std::string& name() const override { return m_config.name; }
    const NotifierConfig& config() const override { return m_config; }
    void send(const Event& event, Done done) override {
        seen.push_back(event.id);
        DeliveryResult result = std::string("200");
        if (!script.empty()) {
            result = script.front();
            script.pop_front();
        }
        asio::post(m_io, [done = std::move(done), result] { done(result); });
    }
    std::deque<DeliveryResult> script;
    std::vector<std::string> seen;

private:
    asio::io_context& m_io;
    NotifierConfig m_config;
};

DeliveryResult failure(DeliveryFailureKind kind, std::string message) {
    return tl::make_unexpected(DeliveryFailure{kind, std::move(message), std::nullopt});
}

struct OutboxFixture {
    OutboxFixture() {
        char tmpl[] = "/tmp/cqcwatch-outbox-XXXXXX";
        dir = mkdtemp(tmpl);
        auto opened = Store::open((dir / "history.db").string(), StoreMode::read_write);
        REQUIRE(opened);
        store = std::make_unique<Store>(std::move(*opened));
    }
    ~OutboxFixture() {
        outbox.reset();
        store.reset();
        fs::remove_all(dir);
    }
    void make_outbox() {
        outbox =
            std::make_unique<Outbox>(io, *store, clock, jitter, std::map<std::string, Notifier*>{{"a", &a}, {"b", &b}});
    }
    std::string event_to(std::vector<std::string> names) {
        RecordContext ctx;
        ctx.now = clock.now();
        ctx.source = "test";
        ctx.route = [names](const Event&) { return names; };
        auto event = store->record_event("source.failing", {{"source", {{"name", "x"}}}}, ctx);
        REQUIRE(event);
        return event->id;
    }
    void pump() {
        outbox->kick();
        for (int i = 0; i < 1000 && io.poll() > 0; ++i) io.restart();
        io.restart();
    }
    fs::path dir;
    asio::io_context io;
    testing::FakeClock clock;
    testing::FakeJitter jitter{{0.5}};
    std::unique_ptr<Store> store;
    ScriptedNotifier a{io, "a"};
    ScriptedNotifier b{io, "b"};
    std::unique_ptr<Outbox> outbox;
};

}  // namespace

TEST_CASE_METHOD(OutboxFixture, "outbox: delivers each notifier's events in order, once each") {
    auto e1 = event_to({"a"});
    auto e2 = event_to({"a"});
    auto e3 = event_to({"a"});
    make_outbox();
    pump();
    CHECK(a.seen == std::vector<std::string>{e1, e2, e3});
    auto counts = store->delivery_counts();
    REQUIRE(counts);
    CHECK(counts->sent == 3);
    CHECK(counts->pending == 0);
    pump();
    CHECK(a.seen.size() == 3);
}

TEST_CASE_METHOD(OutboxFixture, "outbox: a transient failure is retried later with the same event id") {
    auto e1 = event_to({"a"});
    auto e2 = event_to({"a"});
    a.script.push_back(failure(DeliveryFailureKind::transient, "HTTP 500 from http://127.0.0.1/"));
    make_outbox();
    pump();
    // The first failed and waits for its back-off; the second must not overtake it.
    CHECK(a.seen == std::vector<std::string>{e1});
    clock.advance(std::chrono::hours(2));
    pump();
    CHECK(a.seen == std::vector<std::string>{e1, e1, e2});
    auto sent = store->list_deliveries(DeliveryStatus::sent).value();
    REQUIRE(sent.size() == 2);
    for (const auto& d : sent)
        if (d.event.id == e1) CHECK(d.attempts >= 1);
}

TEST_CASE_METHOD(OutboxFixture, "outbox: a permanent failure is dead and the next event goes on") {
    auto e1 = event_to({"a"});
    auto e2 = event_to({"a"});
    a.script.push_back(failure(DeliveryFailureKind::permanent, "HTTP 400 from http://127.0.0.1/"));
    make_outbox();
    pump();
    CHECK(a.seen == std::vector<std::string>{e1, e2});
    auto dead = store->list_deliveries(DeliveryStatus::dead).value();
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].event.id == e1);
    CHECK(dead[0].last_error.find("HTTP 400") != std::string::npos);
}

TEST_CASE_METHOD(OutboxFixture, "outbox: a notifier that keeps failing does not hold up another") {
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) ids.push_back(event_to({"a", "b"}));
    for (int i = 0; i < 10; ++i) a.script.push_back(failure(DeliveryFailureKind::transient, "connection refused"));
    make_outbox();
    pump();
    CHECK(b.seen == ids);
    CHECK(a.seen.size() == 1);
}

TEST_CASE_METHOD(OutboxFixture, "outbox: a delivery for a notifier no longer configured is dead, not lost") {
    auto e1 = event_to({"gone"});
    make_outbox();
    pump();
    auto dead = store->list_deliveries(DeliveryStatus::dead).value();
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].event.id == e1);
    CHECK(dead[0].last_error == "notifier 'gone' is not in the config");
}

}  // namespace cqcwatch
