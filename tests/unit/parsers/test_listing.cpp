#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/listing.hpp"
#include "parsers/parse.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;
using cqcwatch::test::k_listing_url;
using cqcwatch::test::parser_fixture;

namespace {

const std::string k_reports = std::string(k_listing_url) + "/";
const std::string k_pattern(k_default_report_link_pattern);

ParseResult listing(const std::string& fixture, const std::string& url, const std::string& pattern = k_pattern) {
    auto doc = html_to_document(parser_fixture(fixture), url);
    REQUIRE(doc);
    return extract_listing(*doc, url, pattern);
}

std::string item_line(const ListingItem& i) {
    return i.url + " | " + i.title + " | " + (i.published ? i.published->iso() : "-");
}

std::vector<std::string> item_lines(const ParseResult& r) {
    std::vector<std::string> out;
    for (const auto& i : r.items) {
        out.push_back(item_line(i));
    }
    return out;
}

}  // namespace

TEST_CASE("listing: page 1 yields the six reports in order with dates, and the next page", "[parsers][listing]") {
    const ParseResult r = listing("listing-page1.html", k_listing_url);
    CHECK(r.kind == DocKind::listing);
    CHECK(r.url == k_listing_url);
    CHECK(r.title == "Local authority assessment reports");
    const std::vector<std::string> expected = {
        k_reports + "walsall-0126 | Walsall | 2026-01-23",
        k_reports + "croydon-1025 | London Borough of Croydon | 2025-10-03",
        k_reports + "kent-0525 | Kent County Council | 2025-05-23",
        k_reports + "windsormaidenhead-1124 | Royal Borough of Windsor and Maidenhead | 2024-11-29",
        k_reports + "Hertfordshire-0524 | Hertfordshire | 2024-05-17",
        k_reports + "lincolnshire-cc | Lincolnshire County Council | 2023-12-15",
    };
    CHECK(item_lines(r) == expected);
    for (const auto& i : r.items) {
        CHECK_FALSE(i.authority);
    }
    REQUIRE(r.next_page);
    CHECK(*r.next_page == std::string(k_listing_url) + "?page=1");
    REQUIRE(r.links.size() == 1);
    CHECK(r.links[0].url == *r.next_page);
    CHECK(r.links[0].rel == "next");
    CHECK(r.warnings.empty());
}

TEST_CASE("listing: the last page has no next page", "[parsers][listing]") {
    const std::string url = std::string(k_listing_url) + "?page=1";
    const ParseResult r = listing("listing-page2.html", url);
    CHECK(item_lines(r) == std::vector<std::string>{
                               k_reports + "nottingham-city | Nottingham City Council | 2023-12-01",
                               k_reports + "birmingham-cc | Birmingham City Council | 2023-11-24",
                           });
    CHECK_FALSE(r.next_page);
    CHECK(r.links.empty());
}

TEST_CASE("listing: no matching link is a warning the daemon can act on", "[parsers][listing]") {
    const ParseResult r =
        listing("press-release-kent.html", "https://www.cqc.org.uk/press-release/kent", "/nothing-like-this/");
    CHECK(r.items.empty());
    CHECK(r.warnings == std::vector<std::string>{"no links matched /nothing-like-this/"});
    const ParseResult bad = listing("listing-page1.html", k_listing_url, "([unclosed");
    REQUIRE(bad.warnings.size() == 1);
    CHECK(bad.warnings[0].rfind("invalid link pattern '([unclosed': ", 0) == 0);
}

TEST_CASE("listing: next page by rel=next, by ›/» text, and by ?page=N+1", "[parsers][listing]") {
    const auto next_of = [](const std::string& html, const std::string& url) {
        auto doc = html_to_document(html, url);
        REQUIRE(doc);
        return extract_listing(*doc, url, "/r/").next_page.value_or("none");
    };
    CHECK(next_of("<a href='/r/1'>A</a><a href='/list/older' rel='next nofollow'>Go</a>", "https://h/list") ==
          "https://h/list/older");
    CHECK(next_of("<head><link rel=next href='/list?p=9'></head><a href='/r/1'>A</a>", "https://h/list") ==
          "https://h/list?p=9");
    CHECK(next_of("<a href='/r/1'>A</a><a href='/list?x=2'>\xC2\xBB</a>", "https://h/list") == "https://h/list?x=2");
    CHECK(next_of("<a href='/r/1'>A</a><a href='/list?x=3'>Next page</a>", "https://h/list") == "https://h/list?x=3");
    CHECK(next_of("<a href='/list?page=3'>3</a><a href='/list?page=5'>5</a><a href='/list?page=1'>1</a>",
                  "https://h/list?page=2") == "https://h/list?page=3");
    CHECK(next_of("<a href='/list?page=2'>2</a><a href='/other?page=1'>1</a>", "https://h/list") ==
          "https://h/list?page=2");
    CHECK(next_of("<a href='/list?page=1'>Prev</a><a href='/list'>First</a>", "https://h/list?page=2") == "none");
    // A "next" link back to this very page would loop.
    CHECK(next_of("<a href='/list' rel=next>Next</a>", "https://h/list") == "none");
}

TEST_CASE("listing: dates are read in several forms and not taken from the next item", "[parsers][listing]") {
    CHECK(find_published_date("Published: 3 October 2025 Page last updated: 4 October 2025")->iso() == "2025-10-03");
    CHECK(find_published_date("Page last updated: 4 Oct 2025. Published 3rd Sept 2025")->iso() == "2025-09-03");
    CHECK(find_published_date("Friday, 23 January 2026")->iso() == "2026-01-23");
    CHECK(find_published_date("on 2024-05-17")->iso() == "2024-05-17");
    CHECK_FALSE(find_published_date("31 February 2025"));
    CHECK_FALSE(find_published_date("May 2025"));
    CHECK_FALSE(find_published_date("12 Maypole 2025"));
    auto doc = html_to_document(
        "<ul><li><a href='/r/a'>A assessment</a></li><li><a href='/r/b'>B</a></li>"
        "<li>Published: 1 May 2025</li></ul>",
        "https://h/list");
    REQUIRE(doc);
    const ParseResult r = extract_listing(*doc, "https://h/list", "/r/");
    CHECK(item_lines(r) == std::vector<std::string>{"https://h/r/a | A | -", "https://h/r/b | B | 2025-05-01"});
}

TEST_CASE("listing: titles lose the assessment suffix only", "[parsers][listing]") {
    CHECK(listing_title("Kent County Council: local authority assessment") == "Kent County Council");
    CHECK(listing_title("Lincolnshire County Council assessment") == "Lincolnshire County Council");
    CHECK(listing_title("Walsall: Local Authority Assessment") == "Walsall");
    CHECK(listing_title("Read the Kent report") == "Read the Kent report");
    CHECK(listing_title("assessment") == "assessment");
}
