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
    /// The fixtures' reports are from 2025 and the clock is in 2026: news to these tests unless
    /// a test says otherwise (the daemon's default is 48 h, the notifiers' max_age).
    std::chrono::seconds history_age = std::chrono::hours(24 * 3650);
    void start(PassOptions options = {}) {
        if (!poller) {
            poller = std::make_unique<SourcePoller>(source, daemon, http, store, clock,
                                                    [](const Event&) { return std::vector<std::string>{"hook"}; });
            poller->set_history_age(history_age);
        }
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
    CHECK(rig.store.list_deliveries(std::nullopt).value().empty());  // ...without alerting
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
    CHECK(rig.store.list_deliveries(std::nullopt).value().empty());
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
    auto sent = rig.store.list_deliveries(std::nullopt).value().size();
    CHECK(sent >= 1);

    rig.start(PassOptions{true, false});
    REQUIRE(rig.http.complete(FakeHttpClient::status(304)));
    REQUIRE(rig.report);
    CHECK(rig.report->baseline);
    CHECK(rig.report->baseline_done);
    CHECK(rig.store.list_deliveries(std::nullopt).value().size() == sent);
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
    REQUIRE(rig.last_url() == k_listing + "/surrey-0525");  // page 1's new item first
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
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

// ---- newest first: page 1's new items before any other page -------------------------

namespace {

const std::string k_page2 = k_listing + "?page=2";
const std::string k_page3 = k_listing + "?page=3";
const std::string k_old_a = k_listing + "/old-a-0125";
const std::string k_old_b = k_listing + "/old-b-0125";
const std::string k_new_x = k_listing + "/new-x-1126";

/// A listing page with a pager link to `next` (none when empty) and an ETag.
FetchResult page(const std::vector<std::string>& hrefs, const std::string& next = "", const std::string& etag = "") {
    std::string html = listing_html(hrefs);
    if (!next.empty())
        html.insert(html.find("</main>"),
                    "<nav class=\"pager\"><a rel=\"next\" href=\"" + next + "\">Next page</a></nav>");
    HttpResponse r;
    r.status = 200;
    r.body = std::move(html);
    r.etag = etag;
    return r;
}

/// Marks URLs as read before (their fetch state is stored), without fetching them.
void known(PollerRig& rig, const std::vector<std::string>& urls) {
    for (const auto& url : urls) {
        FetchState state;
        state.url = url;
        state.content_hash = "seen";
        state.last_status = 200;
        REQUIRE(rig.store.put_fetch_state(state));
    }
}

/// The URLs requested from the `from`-th request on.
std::vector<std::string> urls_from(const PollerRig& rig, std::size_t from) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < rig.http.requests.size(); ++i) out.push_back(rig.http.requests[i].url);
    return out;
}

/// The Kent report page and its summary, in that order.
void answer_kent(PollerRig& rig) {
    REQUIRE(rig.last_url() == k_kent);
    REQUIRE(rig.http.complete(ok(test::parser_fixture("report-kent-0525.html"))));
    REQUIRE(rig.last_url() == k_kent + "/summary");
    REQUIRE(rig.http.complete(ok(test::parser_fixture("summary-kent-0525.html"))));
}

bool has_event(const PollReport& report, const std::string& type) {
    return std::any_of(report.events.begin(), report.events.end(), [&](const Event& e) { return e.type == type; });
}

/// A baseline over two pages: page 1 [kent, old-a], page 2 [old-b]; old-a and old-b read before.
void baseline_kent_two_pages(PollerRig& rig) {
    known(rig, {k_old_a, k_old_b});
    rig.start();
    REQUIRE(rig.http.complete(page({k_kent, k_old_a}, k_page2, "\"v1\"")));
    answer_kent(rig);  // page 1's new item before page 2, the baseline too
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);
    REQUIRE(rig.report->walked);
    REQUIRE(rig.http.requests.size() == 4);
}

}  // namespace

TEST_CASE("source poller: a new report on page 1 is fetched at once, and the other pages are left alone",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    known(rig, {k_old_a, k_old_b});
    rig.start();  // the baseline, and the poller's first walk: page 1 shows nothing new, so page 2 is read
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);
    CHECK(rig.report->walked);

    std::size_t from = rig.http.requests.size();
    rig.start();
    CHECK(rig.http.requests.back().if_none_match == "\"v1\"");
    REQUIRE(rig.http.complete(page({k_kent, k_old_a}, k_page2, "\"v2\"")));  // old-a: the boundary
    answer_kent(rig);
    REQUIRE(rig.report);
    CHECK(rig.report->ok);
    CHECK_FALSE(rig.report->walked);
    CHECK(rig.report->pages == 1);
    CHECK(rig.report->items == 2);
    CHECK(has_event(*rig.report, event_type::assessment_published));
    CHECK(rig.store.list_deliveries(std::nullopt).value().size() >= 1);  // alerted
    CHECK(urls_from(rig, from) == std::vector<std::string>{k_listing, k_kent, k_kent + "/summary"});
    CHECK(rig.http.pending() == 0);

    // Page 1 was remembered: the next pass is one conditional request.
    rig.start();
    CHECK(rig.http.requests.back().if_none_match == "\"v2\"");
    REQUIRE(rig.http.complete(FakeHttpClient::status(304)));
    REQUIRE(rig.report);
    CHECK(rig.http.requests.size() == from + 4);
}

TEST_CASE("source poller: a page 1 that is all new is read first, then the other pages and their new items",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    baseline_kent_two_pages(rig);
    std::size_t from = rig.http.requests.size();
    const std::string new_y = k_listing + "/new-y-1126";
    rig.start();
    REQUIRE(rig.http.complete(page({k_new_x, new_y}, k_page2)));  // no item seen before: page 2 may hold more
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));      // new-x
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));      // new-y
    REQUIRE(rig.last_url() == k_page2);
    const std::string new_z = k_listing + "/new-z-1126";
    REQUIRE(rig.http.complete(page({new_z, k_kent, k_old_a}, k_page3)));
    REQUIRE(rig.last_url() == k_page3);
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.last_url() == new_z);
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
    REQUIRE(rig.report);
    CHECK(rig.report->walked);
    CHECK(rig.report->item_failures == 3);
    CHECK(urls_from(rig, from) == std::vector<std::string>{k_listing, k_new_x, new_y, k_page2, k_page3, new_z});
}

TEST_CASE("source poller: an alert is handed over as soon as it is stored, before the walk's other pages",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    known(rig, {k_old_a, k_old_b});
    rig.start();  // the baseline: silent
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);

    struct Handed {
        std::vector<std::string> types;
        bool silent = true;
        std::string last_request;  ///< what had been asked when the events were handed over
        std::size_t deliveries = 0;
    };
    std::vector<Handed> handed;
    rig.poller->on_committed([&](const std::vector<Event>& events, bool silent) {
        Handed h;
        for (const auto& e : events) h.types.push_back(e.type);
        h.silent = silent;
        h.last_request = rig.last_url();
        h.deliveries = rig.store.list_deliveries(std::nullopt).value().size();
        handed.push_back(h);
    });
    rig.start();
    REQUIRE(rig.http.complete(page({k_kent}, k_page2, "\"v2\"")));  // all new: a walk follows
    answer_kent(rig);
    REQUIRE(handed.size() == 1);  // before page 2 was asked for
    CHECK(handed[0].types == std::vector<std::string>{event_type::assessment_published});
    CHECK_FALSE(handed[0].silent);
    CHECK(handed[0].last_request == k_kent + "/summary");
    CHECK(handed[0].deliveries >= 1);  // stored (with its delivery) before it is handed over
    CHECK_FALSE(rig.report);
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(page({k_old_a, k_old_b})));
    REQUIRE(rig.report);
    CHECK(rig.report->walked);
    CHECK(handed.size() == 1);  // the walk stored nothing new: handed over once
    CHECK(has_event(*rig.report, event_type::assessment_published));
}

TEST_CASE("source poller: a page 1 that changed and shows nothing new is walked, and a miss then counts",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    rig.daemon.withdraw_after_misses = 1;
    baseline_kent_two_pages(rig);
    rig.start();
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v2\"")));  // kent is gone from page 1...
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(page({k_old_b})));  // ...and from page 2
    REQUIRE(rig.report);
    CHECK(rig.report->walked);
    CHECK(has_event(*rig.report, event_type::assessment_withdrawn));
}

TEST_CASE("source poller: nothing is withdrawn from page 1 alone or from a walk cut short",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    rig.daemon.withdraw_after_misses = 1;
    baseline_kent_two_pages(rig);

    // Kent is no longer on page 1, but page 1 shows the boundary: page 2 is not read, kent not missed.
    std::size_t from = rig.http.requests.size();
    rig.start();
    REQUIRE(rig.http.complete(page({k_new_x, k_old_a}, k_page2, "\"v2\"")));
    REQUIRE(rig.last_url() == k_new_x);
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->walked);
    CHECK_FALSE(has_event(*rig.report, event_type::assessment_withdrawn));
    CHECK(urls_from(rig, from) == std::vector<std::string>{k_listing, k_new_x});

    // new-x failed, so it may have moved on by now: the next pass walks, but page 2 fails mid-walk.
    from = rig.http.requests.size();
    rig.start();
    REQUIRE(rig.http.complete(page({k_new_x, k_old_a}, k_page2, "\"v2\"")));
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));  // new-x again
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->ok);
    CHECK_FALSE(rig.report->walked);
    CHECK_FALSE(has_event(*rig.report, event_type::assessment_withdrawn));
    CHECK(urls_from(rig, from) == std::vector<std::string>{k_listing, k_new_x, k_page2});

    // The walk completes: kent is missed now (withdraw_after_misses = 1).
    rig.start();
    REQUIRE(rig.http.complete(page({k_new_x, k_old_a}, k_page2, "\"v2\"")));
    REQUIRE(rig.http.complete(FakeHttpClient::status(500)));
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    CHECK(rig.report->walked);
    CHECK(has_event(*rig.report, event_type::assessment_withdrawn));
}

TEST_CASE("source poller: a report withdrawn before the next walk is still withdrawn",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    rig.daemon.withdraw_after_misses = 1;
    known(rig, {k_old_a, k_old_b});
    rig.start();  // baseline: page 1 shows nothing new, page 2 is read
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    rig.start();  // kent is published: page 1 alone
    REQUIRE(rig.http.complete(page({k_kent, k_old_a}, k_page2, "\"v2\"")));
    answer_kent(rig);
    REQUIRE(rig.report);
    REQUIRE_FALSE(rig.report->walked);
    rig.start();  // and taken down again: page 1 changed with nothing new, so the pages are walked
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v3\"")));
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    CHECK(rig.report->walked);
    CHECK(has_event(*rig.report, event_type::assessment_withdrawn));
}

TEST_CASE("source poller: every walk_period the pages are swept, even when page 1 is unchanged",
          "[daemon][source_poller][newest_first]") {
    PollerRig rig;
    rig.daemon.withdraw_after_misses = 1;
    CHECK(walk_period(rig.source) == std::chrono::hours(1));
    rig.source.interval = std::chrono::minutes(20);
    CHECK(walk_period(rig.source) == std::chrono::hours(2));
    rig.source.interval = std::chrono::minutes(5);
    known(rig, {k_old_a, k_old_b});
    rig.start();  // baseline: page 1 shows nothing new, so page 2 is read, and kent on it
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));
    REQUIRE(rig.http.complete(page({k_kent, k_old_b})));
    answer_kent(rig);
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);

    rig.clock.advance(std::chrono::minutes(59));
    rig.start();  // not due yet: conditional, and a 304 ends it
    CHECK(rig.http.requests.back().if_none_match == "\"v1\"");
    REQUIRE(rig.http.complete(FakeHttpClient::status(304)));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->sweep);

    rig.clock.advance(std::chrono::minutes(1));
    std::size_t from = rig.http.requests.size();
    rig.start();  // due: page 1 unconditionally, then page 2
    CHECK(rig.http.requests.back().if_none_match.empty());
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));  // the same page 1
    REQUIRE(rig.last_url() == k_page2);
    REQUIRE(rig.http.complete(page({k_old_b})));  // kent was taken down
    REQUIRE(rig.report);
    CHECK(rig.report->sweep);
    CHECK(rig.report->walked);
    CHECK(has_event(*rig.report, event_type::assessment_withdrawn));
    CHECK(urls_from(rig, from) == std::vector<std::string>{k_listing, k_page2});

    rig.start();  // the sweep started the period again
    CHECK(rig.http.requests.back().if_none_match == "\"v1\"");
    REQUIRE(rig.http.complete(FakeHttpClient::status(304)));
    REQUIRE(rig.report);
    CHECK_FALSE(rig.report->sweep);
}

TEST_CASE("source poller: a new report published longer ago than max_age is stored as history - no delivery",
          "[daemon][source_poller][history]") {
    PollerRig rig;
    rig.history_age = std::chrono::hours(48);  // the 2025 report, a 2026 clock
    known(rig, {k_old_a, k_old_b});
    rig.start();
    REQUIRE(rig.http.complete(page({k_old_a}, k_page2, "\"v1\"")));
    REQUIRE(rig.http.complete(page({k_old_b})));
    REQUIRE(rig.report);
    REQUIRE(rig.report->baseline_done);

    rig.start();
    REQUIRE(rig.http.complete(page({k_kent, k_old_a}, k_page2, "\"v2\"")));
    answer_kent(rig);
    REQUIRE(rig.report);
    CHECK(rig.report->ok);
    CHECK(has_event(*rig.report, event_type::assessment_published));  // recorded
    CHECK(rig.store.list_deliveries(std::nullopt).value().empty());    // not alerted
}
