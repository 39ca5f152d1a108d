#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "parsers/document.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;
using cqcwatch::test::k_listing_url;
using cqcwatch::test::parser_fixture;

namespace {

using KindText = std::pair<BlockKind, std::string>;

std::vector<KindText> kinds_and_texts(const Document& doc) {
    std::vector<KindText> out;
    for (const auto& b : doc.blocks) {
        out.emplace_back(b.kind, b.text);
    }
    return out;
}

std::vector<std::string> urls(const std::vector<Link>& links) {
    std::vector<std::string> out;
    for (const auto& l : links) {
        out.push_back(l.url);
    }
    return out;
}

Document html(std::string_view text, std::string_view base = "https://example.org/a/b") {
    auto doc = html_to_document(text, base);
    REQUIRE(doc);
    return *doc;
}

const std::string k_reports = std::string(k_listing_url) + "/";

}  // namespace

TEST_CASE("html: listing page keeps content, drops header, nav, forms and footer", "[parsers][html]") {
    const Document doc = html(parser_fixture("listing-page1.html"), k_listing_url);
    CHECK(doc.title == "Local authority assessment reports");
    const auto H = BlockKind::heading;
    const auto P = BlockKind::paragraph;
    const auto L = BlockKind::list_item;
    const std::vector<KindText> expected = {
        {P, "Skip to main content"},
        {H, "Local authority assessment reports"},
        {P,
         "We look at how councils in England carry out their duties under Part 1 of the Care Act (2014), and we "
         "publish what we find."},
        {H, "Assessment reports"},
        {P, "Our reports, most recent first:"},
        {H, "Walsall: local authority assessment"},
        {L, "Published: 23 January 2026"},
        {H, "London Borough of Croydon: local authority assessment"},
        {L, "Published: 3 October 2025"},
        {H, "Kent County Council: local authority assessment"},
        {L, "Published: 23 May 2025"},
        {L, "Read the Kent report"},
        {H, "Royal Borough of Windsor and Maidenhead: local authority assessment"},
        {L, "Assessment published: 29 November 2024"},
        {H, "Hertfordshire: local authority assessment"},
        {L, "17 May 2024"},
        {H, "Lincolnshire County Council assessment"},
        {L, "Pilot assessment"},
        {L, "Published: 15 December 2023"},
        {L, "1"},
        {L, "2"},
        {L, "Next \xE2\x80\xBA"},
        {H, "Assessments in progress"},
        {P, "These are the councils we have written to about starting an assessment:"},
        {L, "Barnsley"},
        {L, "Bedford Borough Council"},
        {L, "Stoke on Trent"},
        {H, "Pilot assessments"},
        {P, "Five pilot assessments in 2023 tested our methods before we began."},
    };
    CHECK(kinds_and_texts(doc) == expected);
    const std::vector<std::string> expected_links = {
        k_reports + "walsall-0126",
        k_reports + "croydon-1025",
        k_reports + "kent-0525",
        k_reports + "kent-0525",
        k_reports + "windsormaidenhead-1124",
        k_reports + "Hertfordshire-0524",
        k_reports + "lincolnshire-cc",
        std::string(k_listing_url) + "?page=1",
        std::string(k_listing_url) + "?page=1",
    };
    CHECK(urls(doc.links) == expected_links);
    CHECK(doc.links[2].text == "Kent County Council: local authority assessment");
    CHECK(doc.links[3].text == "Read the Kent report");
    REQUIRE(doc.blocks[5].links.size() == 1);
    CHECK(doc.blocks[5].links[0].url == k_reports + "walsall-0126");
    CHECK(doc.blocks[6].links.empty());
    CHECK(doc.warnings.empty());
}

TEST_CASE("html: report page honours <base href> and keeps the article's own header and footer", "[parsers][html]") {
    const Document doc = html(parser_fixture("report-kent-0525.html"), k_reports + "kent-0525");
    CHECK(doc.title == "Kent County Council: local authority assessment");
    REQUIRE(doc.blocks.size() >= 3);
    CHECK(doc.blocks[0].text == "Kent County Council: local authority assessment");
    CHECK(doc.blocks[1].text == "Assessment published: 23 May 2025");
    CHECK(doc.blocks.back().text == "Published: 23 May 2025 Page last updated: 23 May 2025");
    const std::vector<std::string> expected_links = {
        k_reports + "kent-0525/summary",
        k_reports + "kent-0525/theme1/needs",
        k_reports + "kent-0525/theme2/provision",
        k_reports + "kent-0525/theme3/safety",
        k_reports + "kent-0525/theme4/leadership",
        "https://www.cqc.org.uk/sites/default/files/2025-05/kent-local-authority-assessment.pdf",
    };
    CHECK(urls(doc.links) == expected_links);
    CHECK(doc.links[5].text == "Download the full report (PDF, 1.2 MB)");
}

TEST_CASE("html: table cells are one block each - <br> splits lines", "[parsers][html]") {
    const Document pr = html(parser_fixture("press-release-kent.html"), "https://www.cqc.org.uk/press-release/kent");
    CHECK(pr.title == "CQC rates Kent County Council's adult social care provision as requires improvement");
    std::vector<std::string> cells;
    for (const auto& b : pr.blocks) {
        if (b.kind == BlockKind::cell) {
            cells.push_back(b.text);
        }
    }
    REQUIRE(cells.size() == 3 + 4 + 9 * 2);
    CHECK(cells[0] == "Theme");
    CHECK(cells[3] == "How the local authority works with people");
    CHECK(cells[4] == "1. assessing people's needs");
    CHECK(cells[5] == "2");
    CHECK(cells.back() == "3");

    const Document herts =
        html(parser_fixture("summary-hertfordshire-0524.html"), k_reports + "Hertfordshire-0524-summary");
    const auto texts = kinds_and_texts(herts);
    CHECK(texts[1] == KindText{BlockKind::paragraph, "Published: 17 May 2024"});
    CHECK(texts[2] == KindText{BlockKind::paragraph, "Page last updated: 17 May 2024"});
    CHECK(texts[5] == KindText{BlockKind::list_item, "Hertfordshire County Council"});
    CHECK(texts[6] == KindText{BlockKind::list_item, "Good"});
    CHECK(texts[9] == KindText{BlockKind::list_item, "Assessing needs"});
    CHECK(texts[10] == KindText{BlockKind::list_item, "Score: 3"});
}

TEST_CASE("html: title from <title> loses the site's name when there is no h1", "[parsers][html]") {
    CHECK(html("<title>Reports | Care Quality Commission</title><p>x</p>").title == "Reports");
    CHECK(html("<title>Reports \xE2\x80\x93 Care Quality Commission</title><p>x</p>").title == "Reports");
    CHECK(html("<title>Reports - CQC</title><p>x</p>").title == "Reports");
    CHECK(html("<title>Reports - spring edition</title><p>x</p>").title == "Reports - spring edition");
    CHECK(html("<title>Reports | CQC</title><h1>Kent:  local authority assessment</h1>").title ==
          "Kent: local authority assessment");
}

TEST_CASE("html: the page banner keeps only its h1", "[parsers][html]") {
    const Document doc = html(
        "<body><header><a href='/'>Home</a><h1>Walsall <a href='/w'>report</a></h1><p>Menu</p></header>"
        "<div role='navigation'><a href='/n'>Nav</a></div><p>Body</p><footer><a href='/f'>F</a></footer></body>");
    CHECK(kinds_and_texts(doc) ==
          std::vector<KindText>{{BlockKind::heading, "Walsall report"}, {BlockKind::paragraph, "Body"}});
    CHECK(urls(doc.links) == std::vector<std::string>{"https://example.org/w"});
    CHECK(doc.title == "Walsall report");
}

TEST_CASE("html: links: rel kept, <link rel=next>, javascript and fragments skipped, text fallbacks",
          "[parsers][html]") {
    const Document doc = html(
        "<html><head><link rel='next' href='?page=2'></head><body>"
        "<p><a href='#top'>Top</a> <a href='javascript:void(0)'>JS</a> <a href='../c' rel='Next'>More</a>"
        " <a href='/img' aria-label='Picture'><img src='x.png'></a></p><pre>line one\nline two</pre></body></html>");
    REQUIRE(doc.links.size() == 3);
    CHECK(doc.links[0].url == "https://example.org/a/b?page=2");
    CHECK(doc.links[0].rel == "next");
    CHECK(doc.links[1].url == "https://example.org/c");
    CHECK(doc.links[1].text == "More");
    CHECK(doc.links[1].rel == "next");
    CHECK(doc.links[2].text == "Picture");
    CHECK(kinds_and_texts(doc) == std::vector<KindText>{{BlockKind::paragraph, "Top JS More"},
                                                        {BlockKind::paragraph, "line one"},
                                                        {BlockKind::paragraph, "line two"}});
}

TEST_CASE("html: scripts, styles, hidden elements and forms never reach the text", "[parsers][html]") {
    const Document doc = html(
        "<p>A<script>var x = '<p>no</p>';</script><style>p{}</style>B</p><div hidden>secret</div>"
        "<noscript>enable JS</noscript><form><label>Search</label></form><svg><text>icon</text></svg><p>C</p>");
    CHECK(kinds_and_texts(doc) == std::vector<KindText>{{BlockKind::paragraph, "AB"}, {BlockKind::paragraph, "C"}});
}

TEST_CASE("html: charsets: meta charset honoured, undeclared non-UTF-8 read as windows-1252", "[parsers][html]") {
    const Document declared =
        html("<html><head><meta charset=\"windows-1252\"></head><body><p>Council\x92s \x93good\x94 caf\xe9</p>");
    CHECK(declared.blocks.at(0).text == "Council's \"good\" caf\xC3\xA9");
    CHECK(declared.warnings.empty());
    const Document undeclared = html("<p>Council\x92s caf\xe9</p>");
    CHECK(undeclared.blocks.at(0).text == "Council's caf\xC3\xA9");
    CHECK(undeclared.warnings == std::vector<std::string>{"not UTF-8 and no charset declared: read as windows-1252"});
    const Document utf8 = html("<p>Council\xE2\x80\x99s caf\xC3\xA9</p>");
    CHECK(utf8.blocks.at(0).text == "Council's caf\xC3\xA9");
    CHECK(utf8.warnings.empty());
}

TEST_CASE("html: bad input: empty, binary, truncated", "[parsers][html]") {
    CHECK(html_to_document("", "https://x/").error().message == "empty document");
    CHECK(html_to_document(" \r\n\t ", "https://x/").error().message == "empty document");
    const std::string binary("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    CHECK(html_to_document(binary, "https://x/").error().message ==
          "not HTML: 4 control bytes in the first 16 (NUL at offset 8): binary data?");

    const Document truncated = html("<html><body><p>Hello <a href=\"/x");
    REQUIRE(truncated.blocks.size() == 1);
    CHECK(truncated.blocks[0].text == "Hello");

    std::string noise;
    for (int i = 0; i < 4096; ++i) {
        noise += static_cast<char>(1 + (i * 7919) % 255);
    }
    CHECK(html_to_document(noise, "https://x/"));
}

TEST_CASE("html: 50 MB of nested tags is refused at once, before libxml2 builds the tree", "[parsers][html][slow]") {
    const std::size_t target = 50U * 1024U * 1024U;
    std::string deep = "<html><body>";
    deep.reserve(target + 64);
    while (deep.size() < target) {
        deep += "<div>";
    }
    // <html> and <body> are open too: the 9 999th <div> is the 10 001st open element.
    auto doc = html_to_document(deep, "https://x/");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().message ==
          "elements nested more than 10000 deep (<div> at byte " + std::to_string(12 + 9998 * 5) + "): page not read");
    deep.resize(12);
    while (deep.size() < target) {
        deep += "<table><tr><td>z";  // three open elements a unit: the 3 333rd unit's <td> is the 10 001st
    }
    doc = html_to_document(deep, "https://x/");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().message == "elements nested more than 10000 deep (<td> at byte " +
                                     std::to_string(12 + 3332 * 16 + 11) + "): page not read");
    // Wide rather than deep: every element is read (kept small: libxml2's tree costs ~50x the bytes).
    const std::size_t wide_target = 5U * 1024U * 1024U;
    std::string flat = "<html><body>";
    while (flat.size() < wide_target) {
        flat += "<p>para</p>";
    }
    const auto flat_doc = html_to_document(flat, "https://x/");
    REQUIRE(flat_doc);
    CHECK(flat_doc->blocks.size() == (wide_target - 12 + 10) / 11);
}

TEST_CASE("html: libxml2 prints nothing on stderr for broken markup", "[parsers][html]") {
    char path[] = "/tmp/cqcwatch-html-stderr-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    std::fflush(stderr);
    const int saved = dup(2);
    dup2(fd, 2);
    const auto doc =
        html_to_document("<p><b>bad &nosuch; <</i></table>\xff</p><div>" + std::string(300, '<'), "https://x/");
    std::string deep;
    for (int i = 0; i < 300; ++i) {
        deep += "<div>";
    }
    const auto deep_doc = html_to_document(deep, "https://x/");
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    const off_t written = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    CHECK(doc);
    CHECK(deep_doc);
    CHECK(written == 0);
}
