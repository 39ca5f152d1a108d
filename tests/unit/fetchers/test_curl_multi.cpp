#include <catch2/catch.hpp>

#include "fetchers/curl_http_client.hpp"
#include "support/cqc_site.hpp"
#include "support/fetch_test_util.hpp"

using namespace cqcwatch;
using cqcwatch::test::CqcSite;
using cqcwatch::test::k_listing_path;
using cqcwatch::test::run_until;
using std::chrono::milliseconds;

namespace {
HttpRequest get(std::string url) {
    HttpRequest r;
    r.url = std::move(url);
    return r;
}
}  // namespace

TEST_CASE("curl multi: destroyed with transfers in flight, the loop runs on safely", "[fetchers][multi]") {
    CqcSite site;
    site.fault("/hang", "hang");
    asio::io_context io;
    auto multi = std::make_unique<CurlMulti>(io);
    auto client = std::make_unique<CurlHttpClient>(*multi);
    bool called = false;
    client->fetch(get(site.url("/hang")), [&](FetchResult) { called = true; });
    client->fetch(get(site.url("/hang?second")), [&](FetchResult) { called = true; });
    REQUIRE(run_until(
        io, [&] { return site.log().size() == 2; }, milliseconds(10000)));
    client.reset();
    multi.reset();
    asio::steady_timer settle(io, milliseconds(200));
    bool settled = false;
    settle.async_wait([&](auto) { settled = true; });
    CHECK(run_until(
        io, [&] { return settled; }, milliseconds(5000)));
    CHECK(!called);
}

TEST_CASE("curl multi: a transfer started from a completion callback runs", "[fetchers][multi]") {
    CqcSite site;
    asio::io_context io;
    CurlMulti multi(io);
    CurlHttpClient client(multi);
    std::vector<long> statuses;
    client.fetch(get(site.url(k_listing_path)), [&](FetchResult first) {
        statuses.push_back(first ? first->status : -1);
        client.fetch(get(site.url("/press-releases")),
                     [&](FetchResult second) { statuses.push_back(second ? second->status : -1); });
    });
    REQUIRE(run_until(
        io, [&] { return statuses.size() == 2; }, milliseconds(10000)));
    CHECK(statuses == std::vector<long>{200, 200});
    CHECK(multi.active() == 0);
}

TEST_CASE("curl multi: the loop runs out of work once every transfer is done", "[fetchers][multi]") {
    // `cqcwatch poll --once` relies on io_context::run() returning: no timer may outlive the
    // transfers, not even the 60 s deadline of one that was cancelled.
    CqcSite site;
    site.fault("/hang", "hang");
    asio::io_context io;
    CurlMulti multi(io);
    CurlHttpClient client(multi);
    int done = 0;
    std::uint64_t hanging = client.fetch(get(site.url("/hang")), [&](FetchResult) { done += 100; });
    for (const char* path : {"/press-releases", "/nothing-here"})
        client.fetch(get(site.url(path)), [&](FetchResult r) { done += r.has_value(); });
    REQUIRE(run_until(
        io, [&] { return done == 2 && site.log().size() == 3; }, milliseconds(10000)));
    client.cancel(hanging);
    io.restart();
    io.run_for(std::chrono::seconds(20));
    CHECK(done == 2);
    CHECK(io.stopped());  // returned for lack of work, not because 20 s passed
}
