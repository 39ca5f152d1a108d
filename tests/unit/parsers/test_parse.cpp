#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

using namespace cqcwatch;

namespace {

tl::expected<ParseResult, ParseError> parse(std::string_view text, std::string url = "",
                                            DocKind kind = DocKind::unknown, std::string reference = "") {
    ParseOptions o;
    o.kind = kind;
    o.url = std::move(url);
    o.reference_date = std::move(reference);
    return parse_document(text, o, Authorities::builtin());
}

constexpr const char* k_release =
    "11 Dec 2025\n"
    "Press release embargoed until 00.01hrs on Friday 12 December\n"
    "The Care Quality Commission (CQC), has rated North Somerset Council as good, in how well they are meeting ...\n"
    "1. Assessing people\xE2\x80\x99s needs \xE2\x80\x93 3\n2. Supporting people to lead healthier lives \xE2\x80\x93 "
    "3\n"
    "3. Equity in experience and outcomes \xE2\x80\x93 3\n4. Care provision, integration and continuity of care - 2\n"
    "5. Partnership and communities \xE2\x80\x93 3\n6. Safe pathways, systems and transitions - 3\n7. Safeguarding - "
    "3\n"
    "8. Governance, management and sustainability - 2\n9. Learning, improvement and innovation - 3\n";

}  // namespace

TEST_CASE("parse: a press release as plain text", "[parsers][parse]") {
    const auto r = parse(k_release);
    REQUIRE(r);
    CHECK(r->kind == DocKind::press_release);
    REQUIRE(r->authority);
    CHECK(r->authority->name == "North Somerset");
    CHECK(r->authority->code == "E06000024");
    REQUIRE(r->assessment);
    CHECK(r->assessment->rating == Rating::good);
    CHECK_FALSE(r->assessment->indicative);
    CHECK(r->assessment->computed_percentage().has_value());
    REQUIRE(r->embargo);
    CHECK(r->embargo->until_utc == "2025-12-12T00:01:00Z");
    CHECK(r->published == Date{2025, 12, 11});
    CHECK(r->warnings.empty());
}

TEST_CASE("parse: a rating contradicting the scores is withheld with them, and says why", "[parsers][parse]") {
    std::string text = k_release;
    text.replace(text.find("as good"), 7, "as outstanding");
    const auto r = parse(text);
    REQUIRE(r);
    CHECK_FALSE(r->assessment->rating);
    CHECK(std::none_of(r->assessment->scores.begin(), r->assessment->scores.end(), [](auto s) { return s.has_value(); }));
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] ==
          "figures: the text rates it Outstanding but the nine scores read, 3, 3, 3, 2, 3, 3, 3, 2, 3 (25 of 36), make "
          "69%, which is Good: the rating and the scores are withheld");
    CHECK(r->assessment->doubts == r->warnings);
}

TEST_CASE("parse: an embargo with no dateline uses the reference date", "[parsers][parse]") {
    const std::string text = "Embargoed until 00.01hrs on Friday 23 January\nCQC has rated Walsall Council as good.\n";
    const auto with_ref = parse(text, "", DocKind::press_release, "2026-01-20");
    REQUIRE(with_ref);
    REQUIRE(with_ref->embargo);
    CHECK(with_ref->embargo->resolved);
    CHECK(with_ref->embargo->until_utc == "2026-01-23T00:01:00Z");
    const auto without = parse(text, "", DocKind::press_release);
    REQUIRE(without);
    REQUIRE(without->embargo);
    CHECK_FALSE(without->embargo->resolved);
}

TEST_CASE("parse: a 2024 summary page with its overall score", "[parsers][parse]") {
    const auto r = parse(
        "Somerset Council: local authority assessment\nPublished: 2 August 2024 Page last updated: 5 August 2024\n"
        "Local authority rating and score\nSomerset Council\nRequires improvement\nOverall score: 50\n"
        "Quality statement scores\nAssessing needs\nScore: 2\nSupporting people to lead healthier lives\nScore: 2\n"
        "Equity in experience and outcomes\nScore: 2\nCare provision, integration and continuity\nScore: 2\n"
        "Partnerships and communities\nScore: 2\nSafe pathways, systems and transitions\nScore: "
        "2\nSafeguarding\nScore: 2\n"
        "Governance, management and sustainability\nScore: 2\nLearning, improvement and innovation\nScore: 2\n",
        "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/somerset-0824-summary");
    REQUIRE(r);
    CHECK(r->kind == DocKind::report);
    REQUIRE(r->authority);
    CHECK(r->authority->code == "E06000066");
    REQUIRE(r->assessment);
    CHECK(r->assessment->rating == Rating::requires_improvement);
    CHECK(r->assessment->stated_percentage == 50.0);
    CHECK(r->assessment->report_url ==
          "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/somerset-0824");
    CHECK(r->published == Date{2024, 8, 2});
    CHECK(r->updated == Date{2024, 8, 5});
    CHECK(r->warnings.empty());
}

TEST_CASE("parse: an unknown council is reported, never matched to a neighbour", "[parsers][parse]") {
    const auto r = parse("CQC has rated Somerset West Council as good, in how well they meet their duties.\n");
    REQUIRE(r);
    REQUIRE(r->authority);
    CHECK(r->authority->code.empty());
    const auto unknown = std::find_if(r->warnings.begin(), r->warnings.end(),
                                      [](const std::string& w) { return w.starts_with("authority: "); });
    REQUIRE(unknown != r->warnings.end());
    CHECK(unknown->starts_with("authority: \"Somerset West Council\" is not a known council (nearest: "));
}

TEST_CASE("parse: bad input is an error or warnings, never a crash", "[parsers][parse]") {
    CHECK_FALSE(parse(""));
    CHECK(parse("").error().message == "empty input: expected a page, feed or message");
    CHECK_FALSE(parse(" \n\t\xC2\xA0\n"));
    CHECK(parse(std::string("\x7F"
                            "ELF\x02\x01\x01\0\0\0",
                            10))
              .error()
              .message == "binary data: expected a page, feed or message as text");
    const std::string release = k_release;
    for (std::size_t cut = 0; cut < release.size(); cut += 7) (void)parse(release.substr(0, cut));
    std::string noise;
    for (int i = 0; i < 5000; ++i) noise += static_cast<char>(32 + (i * 7919) % 95);
    CHECK(parse(noise));
    const std::string deep = std::string(20000, '(') + "Score: 2 embargoed until 99.99 on 45 Smarch";
    CHECK(parse(deep));
}

TEST_CASE("parse: listing items resolve to councils, unknown ones warn", "[parsers][parse]") {
    const auto r = parse(
        "<html><body><main><ul>"
        "<li><a href=\"/care-services/local-authority-assessment-reports/kent-0525\">Kent County Council: local "
        "authority assessment</a></li>"
        "<li><a href=\"/care-services/local-authority-assessment-reports/northsomerset-0125\">North Somerset Council: "
        "local authority assessment</a></li>"
        "<li><a href=\"/care-services/local-authority-assessment-reports/atlantis-0125\">Atlantis Council: local "
        "authority assessment</a></li>"
        "</ul></main></body></html>",
        "https://www.cqc.org.uk/care-services/local-authority-assessment-reports");
    REQUIRE(r);
    CHECK(r->kind == DocKind::listing);
    REQUIRE(r->items.size() == 3);
    REQUIRE(r->items[0].authority);
    CHECK(r->items[0].authority->code == "E10000016");
    REQUIRE(r->items[1].authority);
    CHECK(r->items[1].authority->code == "E06000024");
    CHECK_FALSE(r->items[2].authority);
    CHECK(std::find(r->warnings.begin(), r->warnings.end(), "listing: \"Atlantis Council\" is not a known council") !=
          r->warnings.end());
}

TEST_CASE("parse: a report landing page links its summary, themes and PDF", "[parsers][parse]") {
    const auto r = parse(
        "<html><head><title>Kent County Council: local authority assessment</title></head><body><main>"
        "<h1>Kent County Council: local authority assessment</h1><p>Assessment published: 16 May 2025</p>"
        "<a href=\"kent-0525/theme1/needs\">Assessing needs</a><a href=\"kent-0525/summary\">Summary</a>"
        "<a href=\"/sites/default/files/kent-report.pdf\">Download report</a></main></body></html>",
        "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/kent-0525");
    REQUIRE(r);
    CHECK(r->kind == DocKind::report);
    REQUIRE(r->authority);
    CHECK(r->authority->code == "E10000016");
    CHECK(r->published == Date{2025, 5, 16});
    REQUIRE(r->links.size() == 3);
    CHECK(r->links[0].url.ends_with("/kent-0525/summary"));
    CHECK(r->links[1].url.ends_with("/kent-0525/theme1/needs"));
    CHECK(r->links[2].url.ends_with(".pdf"));
}
