// The loopback CQC site is a test tool others build on: check the behaviour they rely on.
#include <catch2/catch.hpp>

#include "support/cqc_site.hpp"

using cqcwatch::test::CqcSite;
using cqcwatch::test::http_get;
using cqcwatch::test::k_listing_path;

namespace {
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("cqc site: listing pages newest first and links the next page", "[fetchers][site]") {
    CqcSite site({"--page-size", "2"});
    auto first = http_get(site.url(k_listing_path));
    REQUIRE(first.status == 200);
    CHECK(has(first.body, "Westbridge City Council: local authority assessment"));
    CHECK(has(first.body, "London Borough of Eastmere: local authority assessment"));
    CHECK(!has(first.body, "Northfold"));
    CHECK(has(first.body, "href=\"" + k_listing_path + "?page=2\""));
    auto second = http_get(site.url(k_listing_path + "?page=2"));
    CHECK(has(second.body, "Northfold Council: local authority assessment"));
    CHECK(!has(second.body, "rel=\"next\""));
}

TEST_CASE("cqc site: embargoed reports stay hidden, withdrawn ones go", "[fetchers][site]") {
    CqcSite site;
    site.publish({{"slug", "later-0130"},
                  {"council", "Later Council"},
                  {"rating", "good"},
                  {"scores", {3, 3, 3, 3, 3, 3, 3, 3, 3}},
                  {"embargoed_until", "2999-01-30T00:01:00Z"}});
    CHECK(!has(http_get(site.url(k_listing_path)).body, "Later Council"));
    CHECK(http_get(site.url(k_listing_path + "/later-0130")).status == 404);
    site.publish({{"slug", "now-0130"},
                  {"council", "Now Council"},
                  {"rating", "inadequate"},
                  {"scores", {1, 1, 1, 1, 1, 1, 1, 1, 1}},
                  {"embargoed_until", "2020-01-30T00:01:00Z"}});
    auto summary = http_get(site.url(k_listing_path + "/now-0130/summary"));
    REQUIRE(summary.status == 200);
    CHECK(has(summary.body, "Overall rating for Now: 25%"));
    CHECK(has(summary.body, "<p>Inadequate</p>"));
    site.withdraw("westbridge-1125");
    CHECK(http_get(site.url(k_listing_path + "/westbridge-1125")).status == 404);
    CHECK(!has(http_get(site.url(k_listing_path)).body, "Westbridge"));
    site.reset();
    CHECK(http_get(site.url(k_listing_path + "/westbridge-1125")).status == 200);
    CHECK(site.log().size() == 1);
}

TEST_CASE("cqc site: press releases state the rating and the nine scores", "[fetchers][site]") {
    CqcSite site;
    auto r = http_get(site.url("/press-release/cqc-rates-eastmere-1025"));
    REQUIRE(r.status == 200);
    CHECK(has(r.body, "CQC rates London Borough of Eastmere's adult social care provision as requires improvement"));
    CHECK(has(r.body, "has rated London Borough of Eastmere as requires improvement, in how well"));
    CHECK(has(r.body, "<li>Learning, improvement and innovation \xE2\x80\x93 3</li>"));
    CHECK(has(http_get(site.url("/press-releases")).body, "/press-release/cqc-rates-eastmere-1025"));
}

TEST_CASE("cqc site: faults can be limited to a number of requests", "[fetchers][site]") {
    CqcSite site;
    site.fault(k_listing_path, "503", {{"times", 2}, {"retry_after", 30}});
    CHECK(http_get(site.url(k_listing_path)).status == 503);
    CHECK(http_get(site.url(k_listing_path)).status == 503);
    CHECK(http_get(site.url(k_listing_path)).status == 200);
    CHECK_THROWS(site.publish({{"slug", "x"}}));  // the site says what is missing
}
