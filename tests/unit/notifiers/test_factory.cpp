#include <catch2/catch.hpp>

#include "fakes/fake_http_client.hpp"
#include "notifiers/factory.hpp"

using namespace cqcwatch;

TEST_CASE("notifiers factory: builds each kind from config data", "[notifiers][factory]") {
    asio::io_context io;
    CurlMulti multi{io};
    test::FakeHttpClient http;
    NotifierDeps deps{io, multi, http, [] { return std::int64_t{0}; }};
    NotifierConfig c;
    c.name = "n";
    c.kind = "webhook";
    c.url = "https://hooks.example.org/x";
    auto w = make_notifier(c, deps);
    REQUIRE(w.has_value());
    CHECK((*w)->name() == "n");
    c.kind = "email";
    c.smtp_url = "smtps://mail.example.org";
    c.from = "a@example.org";
    c.to = {"b@example.org"};
    CHECK(make_notifier(c, deps).has_value());
    c.kind = "exec";
    c.command = {"/bin/true"};
    CHECK(make_notifier(c, deps).has_value());
}

TEST_CASE("notifiers factory: unknown kinds and missing keys are clear errors", "[notifiers][factory]") {
    asio::io_context io;
    CurlMulti multi{io};
    test::FakeHttpClient http;
    NotifierDeps deps{io, multi, http, [] { return std::int64_t{0}; }};
    NotifierConfig c;
    c.name = "pager";
    c.kind = "sms";
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": unknown kind 'sms' (expected webhook, email or exec)");
    c.kind = "webhook";
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": webhook needs 'url'");
    c.url = "https://x.example.org";
    c.format = "teams";
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": unknown format 'teams' (expected json or slack)");
    c.kind = "email";
    c.smtp_url = "http://mail.example.org";
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": email needs 'smtp_url' starting smtp:// or smtps://");
}
