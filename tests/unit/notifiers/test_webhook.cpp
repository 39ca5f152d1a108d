#include <catch2/catch.hpp>

#include "fakes/fake_http_client.hpp"
#include "fetchers/curl_http_client.hpp"
#include "notifiers/render.hpp"
#include "notifiers/signature.hpp"
#include "notifiers/webhook.hpp"
#include "support/test_server.hpp"
#include "support/notify_test_util.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;

namespace {

NotifierConfig webhook_config(const std::string& url, const char* secret = "s3cret") {
    NotifierConfig c;
    c.name = "newsdesk";
    c.kind = NotifierKind::webhook;
    c.url = url;
    if (secret) c.secret = Secret(secret);
    c.headers = {{"X-Team", "news"}};
    c.timeout = 2000ms;
    return c;
}

bool has_header(const HttpRequest& r, const std::string& line) {
    return std::find(r.headers.begin(), r.headers.end(), line) != r.headers.end();
}

DeliveryFailureKind failure_kind(const DeliveryResult& r) {
    REQUIRE_FALSE(r.has_value());
    return r.error().kind;
}

}  // namespace

TEST_CASE("notifiers webhook: request carries event headers, signature and static headers", "[notifiers][webhook]") {
    test::FakeHttpClient http;
    WebhookNotifier n(webhook_config("https://hooks.example.org/cqc"), http, [] { return std::int64_t{1769126460}; });
    auto e = test::walsall_event();
    auto r = n.request_for(e, 1769126460);
    CHECK(r.method == "POST");
    CHECK(r.url == "https://hooks.example.org/cqc");
    CHECK(r.body == e.body.dump());
    CHECK(has_header(r, "Content-Type: application/json"));
    CHECK(has_header(r, "X-Cqcwatch-Event: embargo.lifted"));
    CHECK(has_header(r, "X-Cqcwatch-Delivery: evt_walsall_1"));
    CHECK(has_header(r, "X-Cqcwatch-Timestamp: 1769126460"));
    CHECK(has_header(r, "X-Cqcwatch-Signature: " + sign("s3cret", "1769126460", r.body)));
    CHECK(has_header(r, "X-Team: news"));
    CHECK(r.options.total_timeout == 2000ms);
    CHECK(r.options.user_agent.rfind("cqcwatch/", 0) == 0);
}

TEST_CASE("notifiers webhook: no secret, no signature - slack format sends the rendered message",
          "[notifiers][webhook]") {
    test::FakeHttpClient http;
    auto c = webhook_config("https://hooks.example.org/x", nullptr);
    c.format = WebhookFormat::slack;
    WebhookNotifier n(c, http, [] { return std::int64_t{1}; });
    auto e = test::walsall_event();
    auto r = n.request_for(e, 1);
    for (const auto& h : r.headers) CHECK(h.rfind("X-Cqcwatch-Signature", 0) != 0);
    CHECK(nlohmann::json::parse(r.body) == render_slack(e));
}

TEST_CASE("notifiers webhook: HTTP outcomes map to delivery results", "[notifiers][webhook]") {
    const std::string url = "https://user:pw@hooks.example.org/cqc";
    using K = DeliveryFailureKind;
    CHECK(classify_webhook_result(test::FakeHttpClient::status(200), url).value() == "200");
    CHECK(classify_webhook_result(test::FakeHttpClient::status(204), url).value() == "204");
    CHECK(failure_kind(classify_webhook_result(test::FakeHttpClient::status(500), url)) == K::transient);
    CHECK(failure_kind(classify_webhook_result(test::FakeHttpClient::status(408), url)) == K::transient);
    auto limited = classify_webhook_result(test::FakeHttpClient::status(429, 30s), url);
    CHECK(failure_kind(limited) == K::rate_limited);
    CHECK(limited.error().retry_after == 30s);
    CHECK(classify_webhook_result(test::FakeHttpClient::status(503, 5s), url).error().retry_after == 5s);
    auto bad = classify_webhook_result(test::FakeHttpClient::status(400), url);
    CHECK(failure_kind(bad) == K::permanent);
    CHECK(bad.error().message.find("pw") == std::string::npos);  // credentials redacted
    CHECK(failure_kind(classify_webhook_result(test::FakeHttpClient::status(301), url)) == K::permanent);
    auto err = [&](FetchErrorKind k, const char* m) {
        return classify_webhook_result(tl::unexpected(FetchError{k, m}), url);
    };
    CHECK(failure_kind(err(FetchErrorKind::timeout, "timed out")) == K::transient);
    CHECK(failure_kind(err(FetchErrorKind::transient, "connection refused")) == K::transient);
    CHECK(failure_kind(err(FetchErrorKind::tls, "certificate did not verify: x")) == K::permanent);
    CHECK(failure_kind(err(FetchErrorKind::tls, "TLS error: reset")) == K::transient);
    CHECK(failure_kind(err(FetchErrorKind::forbidden_redirect, "to elsewhere")) == K::permanent);
}

TEST_CASE("notifiers webhook: prepare warms a connection and the send reuses the rendered body",
          "[notifiers][webhook]") {
    test::FakeHttpClient http;
    WebhookNotifier n(webhook_config("https://hooks.example.org/cqc"), http, [] { return std::int64_t{5}; });
    auto e = test::walsall_event();
    n.prepare(e);
    REQUIRE(http.requests.size() == 1);
    CHECK(http.requests[0].method == "HEAD");
    std::optional<DeliveryResult> got;
    n.send(e, [&](DeliveryResult r) { got = r; });
    REQUIRE(http.requests.size() == 2);
    CHECK(http.requests[1].body == e.body.dump());
    CHECK(n.prepared_used() == 1);
    http.complete(test::FakeHttpClient::status(405));  // the warm-up's answer is ignored
    CHECK_FALSE(got);
    http.complete(test::FakeHttpClient::status(200));
    REQUIRE(got);
    CHECK(got->value() == "200");
}

TEST_CASE("notifiers webhook: an event changed since prepare is rendered again - never the stale body",
          "[notifiers][webhook]") {
    test::FakeHttpClient http;
    WebhookNotifier n(webhook_config("https://hooks.example.org/cqc"), http, [] { return std::int64_t{5}; });
    auto e = test::walsall_event();
    n.prepare(e);
    e.body["assessment"]["rating"] = "good";  // the report page came in between
    n.send(e, [](DeliveryResult) {});
    REQUIRE(http.requests.size() == 2);
    CHECK(http.requests[1].body == e.body.dump());
    CHECK(n.prepared_used() == 0);
    n.send(e, [](DeliveryResult) {});  // and the prepared body is gone, not kept for later
    CHECK(http.requests[2].body == e.body.dump());
}

TEST_CASE("notifiers webhook: destroying the notifier cancels requests in flight", "[notifiers][webhook]") {
    test::FakeHttpClient http;
    {
        WebhookNotifier n(webhook_config("https://hooks.example.org/cqc"), http, [] { return std::int64_t{5}; });
        n.send(test::walsall_event(), [](DeliveryResult) { FAIL("must not be called"); });
    }
    CHECK(http.cancelled.size() == 1);
    CHECK(http.pending() == 0);
}

namespace {

struct LiveWebhook {
    asio::io_context io;
    CurlMulti multi{io};
    CurlHttpClient http{multi};
    test::PythonServer receiver{
        {CQCWATCH_TOOLS_DIR "/webhook_receiver.py", "--secret", "s3cret", "--hang-seconds", "5"}};

    DeliveryResult deliver(WebhookNotifier& n, const Event& e) {
        std::optional<DeliveryResult> got;
        n.send(e, [&](DeliveryResult r) { got = std::move(r); });
        REQUIRE(test::run_until(io, [&] { return got.has_value(); }));
        return *got;
    }
    void control(const std::string& json) {
        REQUIRE(test::http_post(receiver.base_url() + "/_control", json).status == 200);
    }
    nlohmann::json log() { return nlohmann::json::parse(test::http_get(receiver.base_url() + "/_log").body); }
};

std::int64_t wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

TEST_CASE("notifiers webhook: a real receiver verifies the signature and sees the event",
          "[notifiers][webhook][live]") {
    LiveWebhook live;
    WebhookNotifier n(webhook_config(live.receiver.base_url() + "/hook"), live.http, wall_now);
    auto e = test::walsall_event();
    n.prepare(e);
    REQUIRE(test::run_until(live.io, [&] { return live.multi.active() == 0; }));
    auto r = live.deliver(n, e);
    REQUIRE(r.has_value());
    CHECK(*r == "200");
    auto log = live.log();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["method"] == "HEAD");
    const auto& d = log[1];
    CHECK(d["method"] == "POST");
    CHECK(d["signature_ok"] == true);
    CHECK(d["headers"]["X-Cqcwatch-Delivery"] == "evt_walsall_1");
    CHECK(d["headers"]["X-Cqcwatch-Event"] == "embargo.lifted");
    CHECK(d["headers"]["X-Team"] == "news");
    CHECK(nlohmann::json::parse(d["body"].get<std::string>()) == e.body);
    CHECK(d["peer_port"] == log[0]["peer_port"]);  // the POST reused the warmed connection
}

TEST_CASE("notifiers webhook: a wrong secret fails the receiver's check", "[notifiers][webhook][live]") {
    LiveWebhook live;
    WebhookNotifier n(webhook_config(live.receiver.base_url() + "/hook", "not-the-secret"), live.http, wall_now);
    REQUIRE(live.deliver(n, test::walsall_event()).has_value());
    CHECK(live.log()[0]["signature_ok"] == false);
}

TEST_CASE("notifiers webhook: receiver failures classify as transient, rate-limited or permanent",
          "[notifiers][webhook][live]") {
    LiveWebhook live;
    WebhookNotifier n(webhook_config(live.receiver.base_url() + "/hook"), live.http, wall_now);
    auto e = test::walsall_event();
    live.control(R"({"mode": "500", "count": 1})");
    CHECK(failure_kind(live.deliver(n, e)) == DeliveryFailureKind::transient);
    live.control(R"({"mode": "429", "retry_after": 120, "count": 1})");
    auto limited = live.deliver(n, e);
    CHECK(failure_kind(limited) == DeliveryFailureKind::rate_limited);
    CHECK(limited.error().retry_after == 120s);
    live.control(R"({"mode": "400", "count": 1})");
    auto bad = live.deliver(n, e);
    CHECK(failure_kind(bad) == DeliveryFailureKind::permanent);
    CHECK(bad.error().message == "HTTP 400 from " + live.receiver.base_url() + "/hook: {\"error\":\"as told\"}");
    CHECK(live.deliver(n, e).has_value());  // count exhausted: back to ok
    auto log = live.log();
    REQUIRE(log.size() == 4);
    for (const auto& d : log) CHECK(d["headers"]["X-Cqcwatch-Delivery"] == "evt_walsall_1");
}

TEST_CASE("notifiers webhook: a hanging receiver times out as transient", "[notifiers][webhook][live]") {
    LiveWebhook live;
    auto c = webhook_config(live.receiver.base_url() + "/hook");
    c.timeout = 500ms;
    WebhookNotifier n(c, live.http, wall_now);
    live.control(R"({"mode": "hang", "count": 1})");
    auto r = live.deliver(n, test::walsall_event());
    CHECK(failure_kind(r) == DeliveryFailureKind::transient);
}

TEST_CASE("notifiers webhook: nobody listening is transient", "[notifiers][webhook][live]") {
    asio::io_context io;
    CurlMulti multi{io};
    CurlHttpClient http{multi};
    int port = 0;
    {
        test::PythonServer gone{{CQCWATCH_TOOLS_DIR "/webhook_receiver.py"}};
        port = gone.port();
    }
    WebhookNotifier n(webhook_config("http://127.0.0.1:" + std::to_string(port) + "/hook"), http, wall_now);
    std::optional<DeliveryResult> got;
    n.send(test::walsall_event(), [&](DeliveryResult r) { got = std::move(r); });
    REQUIRE(test::run_until(io, [&] { return got.has_value(); }));
    CHECK(failure_kind(*got) == DeliveryFailureKind::transient);
}
