#include <algorithm>

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
    c.kind = NotifierKind::webhook;
    c.url = "https://hooks.example.org/x";
    auto w = make_notifier(c, deps);
    REQUIRE(w.has_value());
    CHECK((*w)->name() == "n");
    c.kind = NotifierKind::email;
    c.smtp_url = "smtps://mail.example.org";
    c.from = "a@example.org";
    c.to = {"b@example.org"};
    CHECK(make_notifier(c, deps).has_value());
    c.kind = NotifierKind::exec;
    c.command = {"/bin/true"};
    CHECK(make_notifier(c, deps).has_value());
}

TEST_CASE("notifiers factory: missing keys are clear errors", "[notifiers][factory]") {
    asio::io_context io;
    CurlMulti multi{io};
    test::FakeHttpClient http;
    NotifierDeps deps{io, multi, http, [] { return std::int64_t{0}; }};
    NotifierConfig c;
    c.name = "pager";
    c.kind = NotifierKind::webhook;
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": webhook needs 'url'");
    c.kind = NotifierKind::email;
    c.smtp_url = "http://mail.example.org";
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": email needs 'smtp_url' starting smtp:// or smtps://");
    c.kind = NotifierKind::exec;
    CHECK(make_notifier(c, deps).error() == "notifier \"pager\": exec needs 'command'");
}

TEST_CASE("notifiers factory: one table names every kind, its keys and what it requires", "[notifiers][factory]") {
    CHECK(notifier_kind_keys() == std::vector<std::string_view>{"webhook", "email", "exec"});
    CHECK(to_key(NotifierKind::email) == "email");
    REQUIRE(kind_row("exec") != nullptr);
    CHECK(kind_row("exec")->kind == NotifierKind::exec);
    CHECK(kind_row("sms") == nullptr);
    CHECK(kinds_using("ca_file") == "webhook email");
    CHECK(kinds_using("url") == "webhook");
    CHECK(kinds_using("events").empty());
    for (const auto& row : notifier_kind_table())
        for (std::string_view key : row.required)
            CHECK(std::find(row.keys.begin(), row.keys.end(), key) != row.keys.end());
}
