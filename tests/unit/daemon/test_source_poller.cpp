// SourcePoller, the state machine between the HTTP client and the store, with
// a fake HTTP client the test answers by hand, a fake clock and a real SQLite file.

#include <catch2/catch.hpp>

#include "daemon/source_poller.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_http_client.hpp"
#include "support/parser_fixtures.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using cqcwatch::test::FakeHttpClient;
using cqcwatch::testing::FakeClock;

namespace {

const std::string k_listing = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";
const std::string k_kent = k_listing + "/kent-0525";

std::string listing_html(const std::vector<std::string>& hrefs) {
    std::string items;
    for (const auto& h : hrefs)
        items += "<li><a href=\"" + h + "\">Kent County Council: local authority assessment</a></li>\n";
    return "<html><head><title>Local authority assessment reports</title></head><body><main>"
           "<h1>Local authority assessment reports</h1><ul>\n" +
           items + "</ul></main></body></html>";
}

FetchResult ok(std::string body) {
    HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    return r;
}

struct PollerRig {
    store_test::TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    FakeHttpClient http;
    FakeClock clock;
    SourceConfig source;
    DaemonConfig daemon;
    std::unique_ptr<SourcePoller> poller;
    std::optional<PollReport> report;

    PollerRig() {
        source.name = "reports";
        source.url = k_listing;
        source.link_pattern = "/care-services/local-authority-assessment-reports/[^/?#]+$";
        daemon.user_agent_contact = "tests@example.org";
    }
    void start(PassOptions options = {}) {
        if (!poller)
            poller = std::make_unique<SourcePoller>(source, daemon, http, store, clock,
                                                    [](const Event&) { return std::vector<std::string>{"hook"}; });
        report.reset();
        poller->poll(options, [this](PollReport r) { report = std::move(r); });
    }
    const std::string& last_url() const { return http.requests.back().url; }
};

}  // namespace

TEST_CASE("source poller: a first pass is the baseline - stored, no deliveries, baseline noted at the end",
          "[daemon][source_poller]") {
    PollerRig rig;
    rig.start();
    REQUIRE(rig.last_url() == k_listing);
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));
    REQUIRE(rig.last_url() == k_kent);
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.last_url() == k_kent + "/summary");
    CHECK_FALSE(rig.report);
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
    REQUIRE(rig.report);
    CHECK(rig.report->ok);
    CHECK(rig.report->baseline);
    CHECK(rig.report->baseline_done);
    CHECK(rig.report->fetched == 2);
    CHECK_FALSE(rig.report->events.empty());                 // stored as history...
    CHECK(rig.store.list_deliveries(std::nullopt).empty());  // ...without alerting
    CHECK(rig.store.baseline_of("reports")->has_value());

    // The next pass is no baseline: an unchanged listing costs one request.
    rig.start();
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->baseline);
    CHECK(rig.http.requests.size() == 4);
}

TEST_CASE("source poller: a failed item keeps the source in its baseline, and the next pass reads it again silently",
          "[daemon][source_poller]") {
    PollerRig rig;
    rig.start();
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
    REQUIRE(rig.report);
    CHECK(rig.report->ok);  // the listing was read
    CHECK(rig.report->item_failures == 1);
    CHECK_FALSE(rig.report->baseline_done);
    CHECK_FALSE(rig.store.baseline_of("reports")->has_value());

    rig.start();
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));  // not a 304: the listing was not remembered
    REQUIRE(rig.last_url() == k_kent);
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
    REQUIRE(rig.report);
    CHECK(rig.report->baseline);
    CHECK(rig.report->baseline_done);
    CHECK(rig.store.list_deliveries(std::nullopt).empty());
}

TEST_CASE("source poller: links to other hosts or ports are skipped, and max_items caps one pass",
          "[daemon][source_poller]") {
    PollerRig rig;
    rig.daemon.max_items = 1;
    const std::string other = k_listing + "/walsall-0126";
    rig.start();
    REQUIRE(rig.http.complete(
        ok(listing_html({k_kent, "http://127.0.0.2/care-services/local-authority-assessment-reports/evil-0126",
                         "https://www.cqc.org.uk:8443/care-services/"
                         "local-authority-assessment-reports/hull-0126",
                         other}))));
    REQUIRE(rig.last_url() == k_kent);
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
    REQUIRE(rig.report);
    CHECK(rig.report->skipped_hosts == 2);  // 127.0.0.2, and the site on another port
    CHECK(rig.report->items == 2);
    CHECK(rig.report->capped);
    CHECK_FALSE(rig.report->baseline_done);  // walsall waits for the next pass
    for (const auto& r : rig.http.requests) CHECK(r.url.find(":8443") == std::string::npos);
}

TEST_CASE("source poller: --alert-existing makes the baseline alert, and a rebaseline after it is silent again",
          "[daemon][source_poller]") {
    PollerRig rig;
    rig.start(PassOptions{false, true});
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
    REQUIRE(rig.report);
    CHECK(rig.report->baseline_done);
    auto sent = rig.store.list_deliveries(std::nullopt).size();
    CHECK(sent >= 1);

    rig.start(PassOptions{true, false});
    REQUIRE(rig.http.complete(FakeHttpClient::status(304)));
    REQUIRE(rig.report);
    CHECK(rig.report->baseline);
    CHECK(rig.report->baseline_done);
    CHECK(rig.store.list_deliveries(std::nullopt).size() == sent);
}

TEST_CASE("source poller: a listing page past the parser's bounds fails the pass and withdraws nothing",
          "[daemon][source_poller]") {
    PollerRig rig;
    rig.daemon.withdraw_after_misses = 1;
    rig.start();
    REQUIRE(rig.http.complete(ok(listing_html({k_kent}))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);

    // Page 1 no longer lists Kent; page 2, where it moved, nests past the bound and cannot be read whole.
    const std::string page1 = "<html><body><main><ul><li><a href=\"" + k_listing +
                              "/surrey-0525\">Surrey County Council: local authority assessment</a></li></ul>"
                              "<a rel=\"next\" href=\"?page=2\">Next</a></main></body></html>";
    std::string page2 = "<html><body><main><ul><li><a href=\"" + k_kent + "\">Kent</a>";
    const std::size_t first_div = page2.size();  // html, body, main, ul and li are open: the 9 996th div is too deep
    for (int i = 0; i < 10001; ++i) page2 += "<div>";
    auto withdrawn = [&] {
        return std::count_if(rig.report->events.begin(), rig.report->events.end(),
                             [](const Event& e) { return e.type == event_type::assessment_withdrawn; });
    };
    rig.start();
    REQUIRE(rig.http.complete(ok(page1)));
    REQUIRE(rig.last_url() == k_listing + "?page=2");
    REQUIRE(rig.http.complete(ok(page2)));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->ok);
    CHECK(rig.report->error == k_listing + "?page=2: elements nested more than 10000 deep (<div> at byte " +
                                   std::to_string(first_div + 9995 * 5) + "): page not read");
    CHECK(withdrawn() == 0);

    // The same page 1 read as the whole listing does withdraw Kent: the bound above is what kept it.
    rig.start();
    REQUIRE(rig.http.complete(ok(listing_html({k_listing + "/surrey-0525"}))));
    while (!rig.report && rig.http.complete(FakeHttpClient::status(500))) {}
    REQUIRE(rig.report);
    CHECK(withdrawn() == 1);
}
