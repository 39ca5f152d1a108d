#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "parsers/feed.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;
using cqcwatch::test::k_listing_url;
using cqcwatch::test::parser_fixture;

namespace {

const std::string k_reports = std::string(k_listing_url) + "/";

std::vector<std::string> item_lines(const ParseResult& r) {
    std::vector<std::string> out;
    for (const auto& i : r.items) {
        out.push_back(i.url + " | " + i.title + " | " + (i.published ? i.published->iso() : "-"));
    }
    return out;
}

const std::vector<std::string> k_expected_items = {
    k_reports + "walsall-0126 | Walsall: local authority assessment | 2026-01-23",
    k_reports + "croydon-1025 | London Borough of Croydon: local authority assessment | 2025-10-03",
    k_reports + "kent-0525 | Kent County Council: local authority assessment | 2025-05-23",
    k_reports +
        "windsormaidenhead-1124 | Royal Borough of Windsor and Maidenhead: local authority assessment | 2024-11-29",
    k_reports + "Hertfordshire-0524 | Hertfordshire: local authority assessment | 2024-05-17",
    k_reports + "lincolnshire-cc | Lincolnshire County Council assessment | 2023-12-15",
};

}  // namespace

TEST_CASE("feed: RSS 2.0 items with RFC 822 dates, relative links and CDATA", "[parsers][feed]") {
    const auto r = parse_feed(parser_fixture("feed-reports.rss"), "https://www.cqc.org.uk/feeds/reports.rss");
    REQUIRE(r);
    CHECK(r->kind == DocKind::feed);
    CHECK(r->title == "Local authority assessment reports");
    CHECK(r->url == "https://www.cqc.org.uk/feeds/reports.rss");
    CHECK(item_lines(*r) == k_expected_items);
    CHECK(r->warnings.empty());
}

TEST_CASE("feed: Atom entries: alternate or rel-less link, published else updated", "[parsers][feed]") {
    const auto r = parse_feed(parser_fixture("feed-reports.atom"), "https://feeds.example.org/cqc-la.atom");
    REQUIRE(r);
    CHECK(r->kind == DocKind::feed);
    CHECK(r->title == "Local authority assessment reports");
    CHECK(item_lines(*r) == k_expected_items);
    CHECK(r->warnings.empty());
}

TEST_CASE("feed: RSS 1.0 and broken feeds are read with warnings", "[parsers][feed]") {
    const auto rdf = parse_feed(
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>T</title></channel>"
        "<item><title>A</title><link>https://h/a</link><dc:date>2025-05-23T09:00:00+01:00</dc:date></item>"
        "<item><title>No "
        "link</title></item><item><title>B</title><link>/b</link><dc:date>soon</dc:date></item></rdf:RDF>",
        "https://h/feed");
    REQUIRE(rdf);
    CHECK(item_lines(*rdf) == std::vector<std::string>{"https://h/a | A | 2025-05-23", "https://h/b | B | -"});
    CHECK(rdf->warnings ==
          std::vector<std::string>{"item 2 (No link) has no link; skipped", "item 3: unreadable date 'soon'"});

    const auto broken =
        parse_feed("<rss><channel><item><title>Fish & chips</title><link>https://h/x</link></item>", "https://h/feed");
    REQUIRE(broken);
    CHECK(item_lines(*broken) == std::vector<std::string>{"https://h/x | Fish & chips | -"});
    REQUIRE(broken->warnings.size() == 1);
    CHECK(broken->warnings[0].rfind("feed is not well-formed XML (line 1: ", 0) == 0);
}

TEST_CASE("feed: errors say what was expected and found", "[parsers][feed]") {
    CHECK(parse_feed("", "https://h/").error().message == "empty document");
    CHECK(parse_feed("<!DOCTYPE html><html><body><p>hi</p></body></html>", "https://h/").error().message ==
          "expected <rss> or <feed> root, found <html>");
    CHECK(parse_feed(std::string("\x89PNG\r\n\x1a\n\0\0", 10), "https://h/").error().message.rfind("not XML: ", 0) ==
          0);
    CHECK(parse_feed("just words", "https://h/").error().message.rfind("not XML: line 1: ", 0) == 0);
}

TEST_CASE("feed: a billion laughs is neither expanded nor hangs", "[parsers][feed]") {
    std::string xml = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY lol0 'lol'>";
    for (int i = 1; i <= 12; ++i) {
        std::string refs;
        for (int k = 0; k < 10; ++k) {
            refs += "&lol" + std::to_string(i - 1) + ";";
        }
        xml += "<!ENTITY lol" + std::to_string(i) + " '" + refs + "'>";
    }
    xml +=
        "]><rss><channel><title>&lol12;</title><item><title>&lol12;</title><link>https://h/a</link></item>"
        "</channel></rss>";
    const auto r = parse_feed(xml, "https://h/");
    if (r) {
        REQUIRE(r->items.size() <= 1);
        CHECK(r->title.size() < 1000);
        for (const auto& i : r->items) {
            CHECK(i.title.size() < 1000);
        }
    } else {
        CHECK_FALSE(r.error().message.empty());
    }
    const auto external = parse_feed(
        "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        "<rss><channel><title>&x;</title></channel></rss>",
        "https://h/");
    REQUIRE(external);
    CHECK(external->title.find("root") == std::string::npos);
}

TEST_CASE("feed: dates in RFC 822 and RFC 3339 forms", "[parsers][feed]") {
    CHECK(parse_feed_date("Fri, 23 Jan 2026 00:01:00 GMT")->iso() == "2026-01-23");
    CHECK(parse_feed_date("23 Jan 2026 00:01 +0000")->iso() == "2026-01-23");
    CHECK(parse_feed_date("2025-05-23T00:01:00+01:00")->iso() == "2025-05-23");
    CHECK(parse_feed_date("2025-05-23")->iso() == "2025-05-23");
    CHECK_FALSE(parse_feed_date("yesterday"));
    CHECK_FALSE(parse_feed_date(""));
}
