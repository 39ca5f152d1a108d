// Feeds as real sites serve them, repaired as feed readers do: UTF-16/UTF-32
// that declares itself, HTML entities and bare ampersands, RSS <link href>,
// Atom entries with only an <id>, dcterms:modified, two-digit years, asctime
// dates, and times that cannot be (an error, not a date).

#include <catch2/catch.hpp>

#include <string>

#include "parsers/authorities.hpp"
#include "parsers/feed.hpp"
#include "parsers/parse.hpp"
#include "support/parse_page.hpp"
#include "support/wide_text.hpp"

using namespace cqcwatch;
using cqcwatch::test::parse_page;
using cqcwatch::test::wide;

namespace {

constexpr const char* k_listing = cqcwatch::test::k_listing_url;

constexpr const char* k_rss_body =
    "<rss version=\"2.0\"><channel><title>Reports</title>"
    "<item><title>Bath & North East Somerset Council: local authority assessment</title>"
    "<link>https://www.cqc.org.uk/care-services/local-authority-assessment-reports/bath-0126?a=1&b=2</link>"
    "<pubDate>Fri, 23 Jan 2026 00:01:00 GMT</pubDate></item>"
    "<item><title>Caf&eacute; &rsquo;news&rsquo; &pound;5 &amp; more</title><link>https://example.org/x</link></item>"
    "</channel></rss>";

}  // namespace

TEST_CASE("feed repairs: UTF-16 and UTF-32 feeds that declare themselves are read", "[parsers][feed]") {
    const std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>") +
                            "<rss version=\"2.0\"><channel><title>Reports</title><item><title>Walsall</title>"
                            "<link>https://example.org/walsall</link></item></channel></rss>";
    for (std::size_t width : {2U, 4U})
        for (bool big : {false, true})
            for (bool bom : {false, true}) {
                INFO("width " << width << " big-endian " << big << " BOM " << bom);
                auto r = parse_page(wide(xml, width, big, bom), "https://example.org/feed");
                REQUIRE(r);
                CHECK(r->kind == DocKind::feed);
                REQUIRE(r->items.size() == 1);
                CHECK(r->items[0].url == "https://example.org/walsall");
            }
}

TEST_CASE("feed repairs: HTML entities and bare ampersands in a feed are read as feed readers do", "[parsers][feed]") {
    auto r = parse_page(k_rss_body, "https://example.org/feed");
    REQUIRE(r);
    REQUIRE(r->items.size() == 2);
    CHECK(r->items[0].title == "Bath & North East Somerset Council: local authority assessment");
    REQUIRE(r->items[0].authority);
    CHECK(r->items[0].authority->name == "Bath and North East Somerset");
    CHECK(r->items[0].url ==
          "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/bath-0126?a=1&b=2");
    CHECK(r->items[1].title ==
          "Caf\xC3\xA9 'news' \xC2\xA3"
          "5 & more");
    CHECK(r->warnings == std::vector<std::string>{"feed is not well-formed XML (line 1: xmlParseEntityRef: no name): "
                                                  "read 4 HTML entities and 2 bare '&' as a feed reader would",
                                                  "listing: \"Caf\xC3\xA9 'news' \xC2\xA3"
                                                  "5 & more\" is not a known council"});
    // CDATA, comments, character references and entities the feed declares itself are left as they are.
    const std::string kept =
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY org \"Example\">]><rss version=\"2.0\"><channel>"
        "<title>T</title><!-- a & b --><item><title><![CDATA[Fish & chips &pound;]]> &#163; &#x2019; &org; "
        "&nbsp;&amp;</title><link>https://example.org/a?x=1&amp;y=2</link></item></channel></rss>";
    auto k = parse_feed(kept, "https://example.org/feed");
    REQUIRE(k);
    REQUIRE(k->items.size() == 1);
    CHECK(k->items[0].title == "Fish & chips &pound; \xC2\xA3 ' &");
    CHECK(k->items[0].url == "https://example.org/a?x=1&y=2");
    CHECK(k->warnings == std::vector<std::string>{"feed is not well-formed XML (line 1: Entity 'nbsp' not defined): "
                                                  "read 1 HTML entities and 0 bare '&' as a feed reader would"});
}

TEST_CASE("feed repairs: RSS <link href>, Atom <id> as the only URL, dcterms:modified", "[parsers][feed]") {
    const std::string rss =
        "<rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel><title>T</title>"
        "<item><title>A</title><link href=\"https://example.org/a\"/><dcterms:modified>2025-05-23T10:00:00Z"
        "</dcterms:modified></item></channel></rss>";
    auto r = parse_feed(rss, "https://example.org/feed");
    REQUIRE(r);
    REQUIRE(r->items.size() == 1);
    CHECK(r->items[0].url == "https://example.org/a");
    REQUIRE(r->items[0].published);
    CHECK(r->items[0].published->iso() == "2025-05-23");
    const std::string atom =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
        "<entry><title>B</title><id>https://example.org/b</id><updated>2025-05-24T10:00:00Z</updated></entry>"
        "<entry><title>C</title><id>tag:example.org,2025:c</id></entry></feed>";
    auto a = parse_feed(atom, "https://example.org/feed");
    REQUIRE(a);
    REQUIRE(a->items.size() == 1);
    CHECK(a->items[0].url == "https://example.org/b");
    CHECK(a->warnings == std::vector<std::string>{"item 2 (C) has no link; skipped"});
}

TEST_CASE("feed repairs: two-digit years, asctime, and a time that cannot be", "[parsers][feed]") {
    CHECK(parse_feed_date("Fri, 23 Jan 26 00:01:00 GMT")->iso() == "2026-01-23");
    CHECK(parse_feed_date("Sun, 06 Nov 94 08:49:37 GMT")->iso() == "1994-11-06");
    CHECK(parse_feed_date("Fri Jan 23 00:01:00 2026")->iso() == "2026-01-23");
    CHECK(parse_feed_date("Sun Nov  6 08:49:37 1994")->iso() == "1994-11-06");
    CHECK_FALSE(parse_feed_date("Fri, 23 Jan 2026 25:14:00 GMT"));
    CHECK_FALSE(parse_feed_date("2026-01-23T25:14:00Z"));
    CHECK_FALSE(parse_feed_date("Fri Jan 23 25:14:00 2026"));
    CHECK_FALSE(parse_feed_date("31 Feb 2026 10:00 GMT"));
    const std::string rss =
        "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><link>https://example.org/a</link>"
        "<pubDate>Fri, 23 Jan 2026 25:14:00 GMT</pubDate></item></channel></rss>";
    auto r = parse_feed(rss, "https://example.org/feed");
    REQUIRE(r);
    CHECK_FALSE(r->items[0].published);
    CHECK(r->warnings == std::vector<std::string>{"item 1: unreadable date 'Fri, 23 Jan 2026 25:14:00 GMT'"});
}
