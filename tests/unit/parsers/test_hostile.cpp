// Hostile and broken HTML, as other projects' test corpora found it: nesting
// past libxml2's 256, an element with 300 000 attributes, end tags that close
// nothing deep in open elements, a NUL byte, UTF-16/UTF-32 pages. Each bound
// is met before libxml2 starts, with an error that says which and where.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"
#include "parsers/html_bounds.hpp"
#include "parsers/parse.hpp"
#include "support/parse_page.hpp"
#include "support/wide_text.hpp"

using namespace cqcwatch;
using cqcwatch::test::parse_page;
using cqcwatch::test::wide;

namespace {

constexpr const char* k_listing = cqcwatch::test::k_listing_url;

}  // namespace

TEST_CASE("hostile: a listing nested past libxml2's depth 256 yields every link and its next page",
          "[parsers][hostile]") {
    std::string html = "<html><body><main><ul>";
    for (int i = 0; i < 400; ++i)
        html += "<li><div><a href=\"/care-services/local-authority-assessment-reports/c" + std::to_string(i) +
                "\">Walsall Council: local authority assessment</a>";
    html += "</ul><nav class=\"pagination\"><a rel=\"next\" href=\"?page=2\">Next</a></nav></main></body></html>";
    auto r = parse_page(html, k_listing, DocKind::listing);
    REQUIRE(r);
    CHECK(r->items.size() == 400);
    REQUIRE(r->next_page);
    CHECK(*r->next_page == std::string(k_listing) + "?page=2");
}

TEST_CASE("hostile: 300 000 attributes on one element are refused before libxml2 sees them", "[parsers][hostile]") {
    std::string html = "<html><body><div";
    for (int i = 0; i < 300000; ++i) html += " a" + std::to_string(i) + "=\"x\"";
    html += ">text</div></body></html>";
    auto r = html_to_document(html, "https://example.org/");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "element <div> at byte 12 has 300000 attributes (limit 256): page not read");
    // Quoted '>' and '=', unquoted values, spaces round '=' and attributes in scripts do not count.
    const std::string fine =
        "<p title=\"a > b = c d e\" class=x id = 'y' hidden>ok</p>"
        "<script>var s = '<a b c d e f>';</script><STYLE>p{}</STYLE>";
    CHECK(check_markup_bounds(fine, MarkupBounds{.attributes = 4}) == std::nullopt);
    CHECK(check_markup_bounds(fine, MarkupBounds{.attributes = 3})->message ==
          "element <p> at byte 0 has 4 attributes (limit 3): page not read");
}

TEST_CASE("hostile: many elements each under the attribute cap are bounded in all", "[parsers][hostile]") {
    // 2 000 elements of 250 attributes: libxml2 compares each attribute with the element's others.
    std::string html = "<html><body>";
    std::string attributes;
    for (int i = 0; i < 250; ++i) attributes += " a" + std::to_string(i);
    for (int e = 0; e < 2000; ++e) html += "<p" + attributes + ">x</p>";
    auto r = html_to_document(html, "https://example.org/");
    REQUIRE_FALSE(r);
    // 250 attributes are 31 125 pairs: the 1 607th element passes 50 000 000.
    CHECK(r.error().message == "elements up to byte " + std::to_string(12 + 1606 * (2 + attributes.size() + 6)) +
                                   " have attributes needing over 50000000 comparisons in all (too many attributes)"
                                   ": page not read");
}

TEST_CASE("hostile: end tags that close nothing, deep in open elements, are bounded", "[parsers][hostile]") {
    // Each stray </span> makes libxml2 search all 5 000 open <div>s.
    std::string html = "<html><body>" + std::string(5000 * 5, ' ');
    for (std::size_t i = 0; i < 5000; ++i) html.replace(12 + i * 5, 5, "<div>");
    const std::size_t stray_at = html.size();
    for (int i = 0; i < 30000; ++i) html += "</span>";
    auto r = html_to_document(html, "https://example.org/");
    REQUIRE_FALSE(r);
    // 5 002 open elements (html, body, the divs) a search: the 19 993rd stray end tag passes 100 000 000.
    CHECK(r.error().message == "end tags up to byte " + std::to_string(stray_at + 19992 * 7) +
                                   " search over 100000000 open elements in all (end tags that close nothing, "
                                   "5002 elements deep): page not read");
    // End tags that close what is open cost nothing more, however many.
    std::string matched = "<html><body>";
    for (int i = 0; i < 100000; ++i) matched += "<div><span>x</span></div>";
    CHECK(html_to_document(matched, "https://example.org/"));
}

TEST_CASE("hostile: elements are bounded in number, sloppy pages that leave p, li and td open are not refused",
          "[parsers][hostile]") {
    CHECK(check_markup_bounds("<ul><li>a<li>b<li>c</ul><br><br>", MarkupBounds{.elements = 6}) == std::nullopt);
    CHECK(check_markup_bounds("<ul><li>a<li>b<li>c</ul><br><br><hr>", MarkupBounds{.elements = 6})->message ==
          "more than 6 elements (at byte 32): page not read");
    // 20 000 paragraphs, list items and cells left open nest no deeper than one of each.
    std::string sloppy = "<html><body><table><tr>";
    for (int i = 0; i < 20000; ++i) sloppy += "<td><p>cell " + std::to_string(i);
    sloppy += "</table><ul>";
    for (int i = 0; i < 20000; ++i) sloppy += "<li><p>item";
    sloppy += "</ul></body></html>";
    CHECK(check_markup_bounds(sloppy) == std::nullopt);
    const auto doc = html_to_document(sloppy, "https://example.org/");
    REQUIRE(doc);
    CHECK(doc->blocks.size() == 40000);
    // Self-closed and void elements open nothing.
    CHECK(check_markup_bounds("<div/><br><img src=x><input><div>", MarkupBounds{.depth = 1}) == std::nullopt);
}

TEST_CASE("hostile: a NUL byte in an HTML page is read as U+FFFD, not as binary", "[parsers][hostile]") {
    std::string html = "<html><body><h1>Walsall Council: local authority assessment</h1><p>A";
    html += '\0';
    html += "B</p></body></html>";
    auto r = parse_page(html, "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall-0126");
    REQUIRE(r);
    CHECK(r->title == "Walsall Council: local authority assessment");
    auto doc = html_to_document(html, "https://example.org/");
    REQUIRE(doc);
    CHECK(doc->blocks[1].text ==
          "A\xEF\xBF\xBD"
          "B");
    CHECK(doc->warnings == std::vector<std::string>{"NUL bytes in the page were read as U+FFFD, as browsers do"});
    // A short page is not binary for its NULs either (html5lib's tree-construction cases).
    const auto tiny = parse_page(std::string("<p>\0</p>", 8), "https://example.org/");
    REQUIRE(tiny);
    CHECK(std::count(tiny->warnings.begin(), tiny->warnings.end(),
                     "NUL bytes in the page were read as U+FFFD, as browsers do") == 1);
    // Bytes that really are binary are still refused.
    CHECK_FALSE(parse_page(std::string(4096, '\0') + "<html>"));
}

TEST_CASE("hostile: UTF-16 and UTF-32 pages are read as text, and bounded like any other", "[parsers][hostile]") {
    const std::string page =
        "<html><head><meta charset=\"utf-16\"><title>Walsall</title></head>"
        "<body><h1>Walsall Council: local authority assessment</h1></body></html>";
    const auto utf8 = html_to_document(page, "https://example.org/");
    REQUIRE(utf8);
    for (std::size_t width : {2U, 4U})
        for (bool big : {false, true})
            for (bool bom : {false, true}) {
                INFO("width " << width << " big-endian " << big << " BOM " << bom);
                const auto doc = html_to_document(wide(page, width, big, bom), "https://example.org/");
                REQUIRE(doc);
                CHECK(doc->title == utf8->title);
                REQUIRE(doc->blocks.size() == 1);
                CHECK(doc->blocks[0].text == "Walsall Council: local authority assessment");
                CHECK(doc->warnings.empty());
            }
    std::string deep = "<html><body>";
    for (int i = 0; i < 10001; ++i) deep += "<b>";
    CHECK_FALSE(html_to_document(wide(deep, 2, false, true), "https://example.org/"));
}
