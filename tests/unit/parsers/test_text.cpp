#include <catch2/catch.hpp>

#include "parsers/document.hpp"

using namespace cqcwatch;

TEST_CASE("text: normalise folds odd spaces, quotes and dashes", "[parsers][text]") {
    CHECK(normalise_text("  a\xC2\xA0"
                         "b\tc\xE2\x80\xAF"
                         "d\xE2\x80\x87"
                         "e\xE2\x80\x89"
                         "f  ") == "a b c d e f");
    CHECK(normalise_text("people\xE2\x80\x99s \xE2\x80\x9Cgood\xE2\x80\x9D") == "people's \"good\"");
    CHECK(normalise_text("needs \xE2\x80\x93 2 \xE2\x80\x94 3 \xE2\x88\x92 4") == "needs - 2 - 3 - 4");
    CHECK(normalise_text("\xE2\x80\xA2 item") == "- item");
    CHECK(normalise_text("zero\xE2\x80\x8Bwidth\xEF\xBB\xBF") == "zerowidth");
    CHECK(normalise_text("") == "");
    CHECK(normalise_text(" \n\t ") == "");
    CHECK(normalise_text("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("text: normalise survives invalid and truncated UTF-8", "[parsers][text]") {
    CHECK(normalise_text("a\xE2\x80") == "a\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(normalise_text(std::string_view("x\0y", 3)) == "xy");
    CHECK(normalise_text("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("text: one block per non-empty line, first line is the title", "[parsers][text]") {
    const auto doc = text_to_document("\n  Title here \r\n\nsecond\xC2\xA0line\n\n");
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.title == "Title here");
    CHECK(doc.blocks[1].text == "second line");
    CHECK(doc.blocks[1].kind == BlockKind::line);
    CHECK(text_to_document("").blocks.empty());
}

TEST_CASE("text: resolve_url follows RFC 3986 examples", "[parsers][text]") {
    const std::string base = "http://a/b/c/d;p?q";
    CHECK(resolve_url(base, "g:h") == "g:h");
    CHECK(resolve_url(base, "g") == "http://a/b/c/g");
    CHECK(resolve_url(base, "./g") == "http://a/b/c/g");
    CHECK(resolve_url(base, "g/") == "http://a/b/c/g/");
    CHECK(resolve_url(base, "/g") == "http://a/g");
    CHECK(resolve_url(base, "//g") == "http://g/");
    CHECK(resolve_url(base, "?y") == "http://a/b/c/d;p?y");
    CHECK(resolve_url(base, "g?y") == "http://a/b/c/g?y");
    CHECK(resolve_url(base, "#s") == "http://a/b/c/d;p?q");
    CHECK(resolve_url(base, "g#s") == "http://a/b/c/g");
    CHECK(resolve_url(base, "") == "http://a/b/c/d;p?q");
    CHECK(resolve_url(base, ".") == "http://a/b/c/");
    CHECK(resolve_url(base, "..") == "http://a/b/");
    CHECK(resolve_url(base, "../g") == "http://a/b/g");
    CHECK(resolve_url(base, "../..") == "http://a/");
    CHECK(resolve_url(base, "../../g") == "http://a/g");
    CHECK(resolve_url(base, "../../../g") == "http://a/g");
    CHECK(resolve_url(base, "/./g") == "http://a/g");
    CHECK(resolve_url(base, "g/../h") == "http://a/b/c/h");
}

TEST_CASE("text: resolve_url on CQC-shaped links", "[parsers][text]") {
    const std::string page = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports?page=1";
    CHECK(resolve_url(page, "/care-services/local-authority-assessment-reports/kent-0525") ==
          "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/kent-0525");
    CHECK(resolve_url(page, "?page=2") ==
          "https://www.cqc.org.uk/care-services/local-authority-assessment-reports?page=2");
    CHECK(resolve_url(page, "//cqc.org.uk/x") == "https://cqc.org.uk/x");
    CHECK(resolve_url(page, " https://example.org/a ") == "https://example.org/a");
    CHECK(resolve_url("", "relative") == "relative");
}
