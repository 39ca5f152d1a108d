#include <catch2/catch.hpp>

#include "fetchers/curl_http_client.hpp"
#include "fetchers/host_gate.hpp"
#include "support/cqc_site.hpp"
#include "support/fetch_test_util.hpp"

using namespace cqcwatch;
using cqcwatch::test::CqcSite;
using cqcwatch::test::k_listing_path;
using cqcwatch::test::run_until;
using std::chrono::milliseconds;

namespace {

struct GateLoop {
    explicit GateLoop(PolitenessOptions options) : polite(io, client, options) {}
    asio::io_context io;
    CurlMulti multi{io};
    CurlHttpClient client{multi};
    PoliteHttpClient polite;
};

HttpRequest get(const std::string& url) {
    HttpRequest r;
    r.url = url;
    return r;
}

}  // namespace

TEST_CASE("polite: same-host requests run one at a time, in order, with the gap", "[fetchers][polite]") {
    CqcSite site;
    GateLoop loop({1, milliseconds(300)});
    std::vector<std::string> paths = {k_listing_path, k_listing_path + "?page=2", "/press-releases"};
    std::vector<std::size_t> finished;
    for (std::size_t i = 0; i < paths.size(); ++i)
        loop.polite.fetch(get(site.url(paths[i])), [&, i](FetchResult r) {
            CHECK(r.has_value());
            finished.push_back(i);
        });
    CHECK(loop.polite.in_flight() == 1);
    CHECK(loop.polite.queued() == 2);
    REQUIRE(run_until(
        loop.io, [&] { return finished.size() == paths.size(); }, milliseconds(20000)));
    CHECK(finished == std::vector<std::size_t>{0, 1, 2});
    auto log = site.log();
    REQUIRE(log.size() == 3);
    for (std::size_t i = 0; i < paths.size(); ++i) CHECK(log[i]["path"] == paths[i]);
    for (std::size_t i = 1; i < paths.size(); ++i) {
        // Not before the previous one arrived plus the gap. (The server notes "done" after its last write, which a
        // loaded machine may schedule after the client already has the answer, so "done + gap" is
        // a race; the previous arrival is always before the client's completion.)
        CHECK(log[i]["time"].get<double>() >= log[i - 1]["time"].get<double>() + 0.3);
    }
}

TEST_CASE("polite: another host is not held up by a busy one", "[fetchers][polite]") {
    CqcSite site;
    site.fault("/hang", "hang");
    GateLoop loop({1, milliseconds(0)});
    bool hang_done = false;
    std::optional<FetchResult> other;
    loop.polite.fetch(get(site.url("/hang")), [&](FetchResult) { hang_done = true; });
    std::string localhost_url = "http://localhost:" + std::to_string(site.port()) + k_listing_path;
    loop.polite.fetch(get(localhost_url), [&](FetchResult r) { other = std::move(r); });
    REQUIRE(run_until(
        loop.io, [&] { return other.has_value(); }, milliseconds(10000)));
    REQUIRE(other->has_value());
    CHECK((*other)->status == 200);
    CHECK(!hang_done);
}

TEST_CASE("polite: cancel drops queued requests and frees the slot of running ones", "[fetchers][polite]") {
    CqcSite site;
    site.fault("/hang", "hang");
    GateLoop loop({1, milliseconds(0)});
    std::vector<std::string> called;
    auto note = [&](std::string what) { return [&called, what](FetchResult) { called.push_back(what); }; };
    std::uint64_t hanging = loop.polite.fetch(get(site.url("/hang")), note("hang"));
    std::uint64_t queued = loop.polite.fetch(get(site.url("/press-releases")), note("queued"));
    loop.polite.fetch(get(site.url(k_listing_path)), note("last"));
    CHECK(loop.polite.queued() == 2);
    loop.polite.cancel(queued);
    CHECK(loop.polite.queued() == 1);
    REQUIRE(run_until(
        loop.io, [&] { return site.log().size() == 1; }, milliseconds(10000)));
    loop.polite.cancel(hanging);
    REQUIRE(run_until(
        loop.io, [&] { return !called.empty(); }, milliseconds(10000)));
    CHECK(called == std::vector<std::string>{"last"});
    auto log = site.log();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["path"] == "/hang");
    CHECK(log[1]["path"] == k_listing_path);
    CHECK(loop.polite.in_flight() == 0);
}

TEST_CASE("polite: www and bare host share one gate", "[fetchers][polite]") {
    // Nothing listens on these names; the point is the queueing, so cancel before any I/O.
    asio::io_context io;
    CurlMulti multi{io};
    CurlHttpClient client{multi};
    PoliteHttpClient polite(io, client, {1, milliseconds(1000)});
    std::uint64_t a = polite.fetch(get("https://www.cqc.org.uk/a"), [](FetchResult) {});
    std::uint64_t b = polite.fetch(get("https://cqc.org.uk/b"), [](FetchResult) {});
    std::uint64_t c = polite.fetch(get("https://cqc-newsroom.prgloo.com/c"), [](FetchResult) {});
    CHECK(polite.in_flight() == 2);
    CHECK(polite.queued() == 1);
    for (auto id : {a, b, c}) polite.cancel(id);
    CHECK(polite.in_flight() == 0);
    CHECK(polite.queued() == 0);
    CHECK(client.active() == 0);
}
