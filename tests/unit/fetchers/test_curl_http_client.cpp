#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

// One loop, one multi handle, one client, and the results of what it fetched.
struct Loop {
    asio::io_context io;
    CurlMulti multi{io};
    CurlHttpClient client{multi};

    FetchResult get(HttpRequest request, milliseconds limit = milliseconds(30000)) {
        std::optional<FetchResult> result;
        client.fetch(std::move(request), [&](FetchResult r) { result = std::move(r); });
        bool done = run_until(
            io, [&] { return result.has_value(); }, limit);
        if (!done) FAIL("no result within " << limit.count() << " ms");
        return std::move(*result);
    }
    FetchResult get(const std::string& url) {
        HttpRequest request;
        request.url = url;
        return get(std::move(request));
    }
};

HttpRequest request_for(const std::string& url) {
    HttpRequest r;
    r.url = url;
    r.options.user_agent = "cqcwatch/test (+ops@example.org)";
    return r;
}

int closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

}  // namespace

TEST_CASE("fetch: 200 arrives gzipped and is decoded, with validators and our User-Agent", "[fetchers]") {
    CqcSite site;
    Loop loop;
    FetchResult r = loop.get(request_for(site.url(k_listing_path)));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body.find("Westbridge City Council: local authority assessment") != std::string::npos);
    CHECK(r->bytes_on_wire > 0);
    CHECK(r->bytes_on_wire < r->body.size());  // it came compressed
    CHECK(r->etag.size() > 2);
    CHECK(!r->last_modified.empty());
    CHECK(r->content_type == "text/html; charset=utf-8");
    CHECK(r->final_url == site.url(k_listing_path));
    auto log = site.log();
    REQUIRE(log.size() == 1);
    CHECK(log[0]["headers"]["Accept-Encoding"].get<std::string>().find("gzip") != std::string::npos);
    CHECK(log[0]["headers"]["User-Agent"] == "cqcwatch/test (+ops@example.org)");
}

TEST_CASE("fetch: ETag round trip gives 304 with no body", "[fetchers]") {
    CqcSite site;
    Loop loop;
    FetchResult first = loop.get(request_for(site.url(k_listing_path)));
    REQUIRE(first.has_value());
    HttpRequest again = request_for(site.url(k_listing_path));
    again.if_none_match = first->etag;
    FetchResult second = loop.get(again);
    REQUIRE(second.has_value());
    CHECK(second->status == 304);
    CHECK(second->body.empty());
    auto log = site.log();
    REQUIRE(log.size() == 2);
    CHECK(log[1]["headers"]["If-None-Match"] == first->etag);
}

TEST_CASE("fetch: Last-Modified round trip gives 304, a changed page 200", "[fetchers]") {
    CqcSite site;
    Loop loop;
    std::string url = site.url(k_listing_path + "/eastmere-1025/summary");
    FetchResult first = loop.get(request_for(url));
    REQUIRE(first.has_value());
    HttpRequest again = request_for(url);
    again.if_modified_since = first->last_modified;
    FetchResult second = loop.get(again);
    REQUIRE(second.has_value());
    CHECK(second->status == 304);
    CHECK(site.log()[1]["headers"]["If-Modified-Since"] == first->last_modified);

    site.publish({{"slug", "eastmere-1025"},
                  {"council", "London Borough of Eastmere"},
                  {"rating", "good"},
                  {"scores", {3, 3, 3, 3, 3, 3, 3, 3, 3}},
                  {"published", "3 October 2025"}});
    HttpRequest changed = request_for(url);
    changed.if_none_match = first->etag;
    FetchResult third = loop.get(changed);
    REQUIRE(third.has_value());
    CHECK(third->status == 200);
    CHECK(third->body.find("Overall rating for Eastmere: 75%") != std::string::npos);
}

TEST_CASE("fetch: a 500 is a response, not an error", "[fetchers]") {
    CqcSite site;
    site.fault("/broken", "500");
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/broken")));
    REQUIRE(r.has_value());
    CHECK(r->status == 500);
    CHECK(!r->retry_after);
}

TEST_CASE("fetch: 429 and 503 carry Retry-After in seconds", "[fetchers]") {
    CqcSite site;
    site.fault("/busy", "429", {{"retry_after", 7}});
    site.fault("/down", "503", {{"retry_after", "Thu, 01 Jan 1970 00:00:00 GMT"}});
    Loop loop;
    FetchResult busy = loop.get(request_for(site.url("/busy")));
    REQUIRE(busy.has_value());
    CHECK(busy->status == 429);
    REQUIRE(busy->retry_after);
    CHECK(*busy->retry_after == std::chrono::seconds(7));
    FetchResult down = loop.get(request_for(site.url("/down")));
    REQUIRE(down.has_value());
    CHECK(down->status == 503);
    REQUIRE(down->retry_after);
    CHECK(*down->retry_after == std::chrono::seconds(0));  // a date in the past: retry now
}

TEST_CASE("fetch: a hanging server is a timeout within the total limit", "[fetchers]") {
    CqcSite site;
    site.fault("/hang", "hang");
    Loop loop;
    HttpRequest request = request_for(site.url("/hang"));
    request.options.total_timeout = milliseconds(1500);
    FetchResult r = loop.get(request, milliseconds(20000));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::timeout);
    CHECK_THAT(r.error().message, Catch::StartsWith("GET " + site.url("/hang") + ": timed out"));
}

TEST_CASE("fetch: a truncated body is a transient error", "[fetchers]") {
    CqcSite site;
    site.fault("/cut", "truncate");
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/cut")));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::transient);
    CHECK_THAT(r.error().message, Catch::StartsWith("GET " + site.url("/cut") + ": "));
}

TEST_CASE("fetch: a 100 MB body is cut off at the cap", "[fetchers]") {
    CqcSite site;
    site.fault("/huge", "huge");
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/huge")));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::too_large);
    CHECK(r.error().message == "GET " + site.url("/huge") + ": body exceeds 20 MiB");
    constexpr std::uint64_t cap = 20u << 20;
    CHECK(loop.client.stats().body_bytes <= cap);
    CHECK(loop.client.stats().bytes_on_wire <= cap + (1u << 20));
}

TEST_CASE("fetch: a gzip bomb is cut off at the cap after decompression", "[fetchers]") {
    CqcSite site;
    site.fault("/bomb", "gzip-bomb");
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/bomb")));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::too_large);
    CHECK(r.error().message == "GET " + site.url("/bomb") + ": body exceeds 20 MiB");
    CHECK(loop.client.stats().bytes_on_wire < (1u << 20));  // little on the wire, much inflated
}

TEST_CASE("fetch: a redirect to another host is refused and names it", "[fetchers]") {
    CqcSite site;
    site.fault("/away", "redirect-other-host");
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/away")));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::forbidden_redirect);
    CHECK(r.error().message == "GET " + site.url("/away") +
                                   ": redirect to another host 127.0.0.2 refused (http://127.0.0.2:" +
                                   std::to_string(site.port()) + "/away)");
}

TEST_CASE("fetch: a redirect on the same host is followed to the final URL", "[fetchers]") {
    CqcSite site;
    site.fault("/old", "redirect", {{"location", k_listing_path}});
    Loop loop;
    FetchResult r = loop.get(request_for(site.url("/old")));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->final_url == site.url(k_listing_path));
    CHECK(site.log().size() == 2);
}

TEST_CASE("fetch: redirects beyond the limit are a permanent error", "[fetchers]") {
    CqcSite site;
    site.fault("/loop", "redirect", {{"location", "/loop"}});
    Loop loop;
    HttpRequest request = request_for(site.url("/loop"));
    request.options.max_redirects = 2;
    FetchResult r = loop.get(request);
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::permanent);
    CHECK(r.error().message == "GET " + site.url("/loop") + ": too many redirects (more than 2)");
    CHECK(site.log().size() == 3);
}

TEST_CASE("fetch: HTTPS verified against the configured CA", "[fetchers]") {
    const std::string& certs = cqcwatch::test::test_certs();
    CqcSite site({"--tls", certs + "/server.pem", certs + "/server.key"}, certs + "/ca.pem");
    Loop loop;
    HttpRequest request = request_for(site.url(k_listing_path));
    request.options.ca_file = certs + "/ca.pem";
    FetchResult r = loop.get(request);
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body.find("local authority assessment") != std::string::npos);
}

TEST_CASE("fetch: HTTPS with a certificate the CA did not sign is a TLS error", "[fetchers]") {
    const std::string& certs = cqcwatch::test::test_certs();
    CqcSite site({"--tls", certs + "/other.pem", certs + "/other.key"}, certs + "/other.pem");
    Loop loop;
    HttpRequest request = request_for(site.url(k_listing_path));
    request.options.ca_file = certs + "/ca.pem";
    FetchResult r = loop.get(request);
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::tls);
    CHECK_THAT(r.error().message,
               Catch::StartsWith("GET " + site.url(k_listing_path) + ": certificate did not verify: "));
}

TEST_CASE("fetch: connection refused is transient and says where", "[fetchers]") {
    Loop loop;
    std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
    FetchResult r = loop.get(request_for(url));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::transient);
    CHECK(r.error().message == "GET " + url + ": connection refused");
}

TEST_CASE("fetch: credentials in URLs never reach error messages", "[fetchers]") {
    Loop loop;
    std::string port = std::to_string(closed_port());
    FetchResult r = loop.get(request_for("http://alice:hunter2@127.0.0.1:" + port + "/x?token=abc"));
    REQUIRE(!r.has_value());
    CHECK(r.error().message == "GET http://***@127.0.0.1:" + port + "/x?token=***: connection refused");
}

TEST_CASE("fetch: only http and https are allowed", "[fetchers]") {
    Loop loop;
    FetchResult r = loop.get(request_for("file:///etc/passwd"));
    REQUIRE(!r.has_value());
    CHECK(r.error().kind == FetchErrorKind::permanent);
}

TEST_CASE("fetch: POST sends the body and headers", "[fetchers]") {
    CqcSite site({"--empty"});
    Loop loop;
    HttpRequest post = request_for(site.url("/_control/publish"));
    post.method = "POST";
    post.headers = {"Content-Type: application/json", "X-Test: yes"};
    post.body = R"({"slug": "southholm-1225", "council": "Southholm Council", "rating": "inadequate",
                   "scores": [1, 1, 2, 1, 1, 1, 2, 1, 1], "published": "5 December 2025"})";
    FetchResult r = loop.get(post);
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    FetchResult listing = loop.get(request_for(site.url(k_listing_path)));
    REQUIRE(listing.has_value());
    CHECK(listing->body.find("Southholm Council: local authority assessment") != std::string::npos);
}

TEST_CASE("fetch: a cancelled request never calls back", "[fetchers]") {
    CqcSite site;
    site.fault("/hang", "hang");
    Loop loop;
    bool called = false;
    std::uint64_t in_flight = loop.client.fetch(request_for(site.url("/hang")), [&](FetchResult) { called = true; });
    std::uint64_t at_once =
        loop.client.fetch(request_for(site.url(k_listing_path)), [&](FetchResult) { called = true; });
    loop.client.cancel(at_once);
    // Cancel the hanging one once the server has seen it.
    run_until(
        loop.io, [&] { return site.log().size() == 1; }, milliseconds(10000));
    loop.client.cancel(in_flight);
    loop.client.cancel(in_flight);  // twice is harmless
    asio::steady_timer settle(loop.io, milliseconds(300));
    bool settled = false;
    settle.async_wait([&](auto) { settled = true; });
    run_until(
        loop.io, [&] { return settled; }, milliseconds(5000));
    CHECK(settled);
    CHECK(!called);
    CHECK(loop.client.active() == 0);
    CHECK(loop.multi.active() == 0);
}

TEST_CASE("fetch: concurrent requests share one multi handle on one loop", "[fetchers]") {
    CqcSite site({"--page-size", "1"});
    Loop loop;
    std::vector<std::string> paths = {k_listing_path,
                                      k_listing_path + "?page=2",
                                      k_listing_path + "?page=3",
                                      k_listing_path + "/northfold-0925",
                                      k_listing_path + "/eastmere-1025",
                                      k_listing_path + "/westbridge-1125",
                                      k_listing_path + "/westbridge-1125/summary",
                                      "/press-releases",
                                      "/press-release/cqc-rates-eastmere-1025",
                                      "/nothing-here"};
    std::vector<long> statuses(paths.size(), 0);
    std::size_t done = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        loop.client.fetch(request_for(site.url(paths[i])), [&, i](FetchResult r) {
            statuses[i] = r ? r->status : -1;
            ++done;
        });
    }
    CHECK(loop.multi.active() == paths.size());
    REQUIRE(run_until(
        loop.io, [&] { return done == paths.size(); }, milliseconds(30000)));
    std::vector<long> expected(paths.size(), 200);
    expected.back() = 404;
    CHECK(statuses == expected);
    CHECK(loop.client.stats().requests == paths.size());
}
