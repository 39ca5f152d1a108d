// Layout families a CQC redesign could plausibly use, in our own markup: the
// same facts as a table with a Score column (themes as rowspan row headers),
// a table with a "Previous score" column, a table on its side, a GOV.UK
// summary list with <meter>, cards with only CQC's descriptors, prose — and a
// page that no longer reads, which must say what it could not read.

#include <catch2/catch.hpp>

#include <string>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"
#include "parsers/report.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;

namespace {

constexpr const char* k_summary_url =
    "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall-0126/summary";
constexpr const char* k_landing_url =
    "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall-0126";

ParseResult parse_fixture(const std::string& name, const char* url = k_summary_url) {
    ParseOptions o;
    o.url = url;
    auto r = parse_document(test::parser_fixture(name), o, Authorities::builtin());
    REQUIRE(r);
    return *r;
}

std::vector<std::optional<int>> scores_of(const ParseResult& r) {
    REQUIRE(r.assessment);
    return {r.assessment->scores.begin(), r.assessment->scores.end()};
}

std::vector<std::optional<int>> nine(std::array<int, 9> v) { return {v.begin(), v.end()}; }

bool warns(const ParseResult& r, const std::string& part) {
    for (const auto& w : r.warnings)
        if (w.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("layouts: a table with a Score column, themes as rowspan row headers, hidden 'out of 4'",
          "[parsers][layouts]") {
    const auto r = parse_fixture("layout-table-score-column.html");
    CHECK(r.kind == DocKind::report);
    REQUIRE(r.authority);
    CHECK(r.authority->name == "Walsall");
    CHECK(scores_of(r) == nine({2, 2, 3, 2, 2, 2, 2, 2, 3}));
    CHECK(r.assessment->rating == Rating::requires_improvement);
    CHECK(r.assessment->unread.empty());
    CHECK_FALSE(r.assessment->stated_percentage);  // "20 out of 36" is a sum, not a percentage
}

TEST_CASE("layouts: the Score column wins over a Previous score column", "[parsers][layouts]") {
    const auto r = parse_fixture("layout-table-previous-column.html");
    CHECK(scores_of(r) == nine({3, 3, 3, 3, 3, 3, 2, 3, 3}));
    CHECK(r.assessment->rating == Rating::good);
    CHECK_FALSE(warns(r, "given as"));
}

TEST_CASE("layouts: a table on its side: statements head the columns, 3/4 in the cells", "[parsers][layouts]") {
    const auto r = parse_fixture("layout-table-transposed.html");
    CHECK(scores_of(r) == nine({3, 3, 2, 3, 3, 3, 3, 3, 4}));
    CHECK(r.assessment->rating == Rating::good);
    CHECK(r.assessment->unread.empty());
}

TEST_CASE("layouts: a GOV.UK summary list with 'N out of 4', words, 'Score N', 'N of 4' and <meter>",
          "[parsers][layouts]") {
    const auto r = parse_fixture("layout-summary-list.html");
    CHECK(scores_of(r) == nine({3, 3, 2, 3, 3, 2, 3, 3, 2}));
    CHECK(r.assessment->rating == Rating::good);
    REQUIRE(r.assessment->stated_percentage);
    CHECK(*r.assessment->stated_percentage == 67);
    CHECK(r.assessment->unread.empty());
}

TEST_CASE("layouts: cards with a heading and only CQC's descriptor, a badge and 'per cent'", "[parsers][layouts]") {
    const auto r = parse_fixture("layout-cards-descriptors.html");
    CHECK(scores_of(r) == nine({2, 3, 2, 1, 4, 1, 2, 2, 1}));  // 18 of 36: 50%
    CHECK(r.assessment->rating == Rating::requires_improvement);
    REQUIRE(r.assessment->stated_percentage);
    CHECK(*r.assessment->stated_percentage == 50);
}

TEST_CASE("layouts: prose: 'was scored 3 out of 4', 'a score of 3', '2/4', 'rated ... as good', 'per cent'",
          "[parsers][layouts]") {
    const auto r = parse_fixture("layout-prose.html");
    CHECK(scores_of(r) == nine({3, 2, 3, 2, 3, 2, 3, 3, 2}));
    CHECK(r.assessment->rating == Rating::good);
    REQUIRE(r.assessment->stated_percentage);
    CHECK(*r.assessment->stated_percentage == 64);
}

TEST_CASE("layouts: a summary page that no longer reads says which values it could not read",
          "[parsers][layouts][unread]") {
    const auto r = parse_fixture("layout-unreadable.html");
    REQUIRE(r.assessment);
    CHECK_FALSE(r.assessment->rating);
    CHECK(r.assessment->scores[7] == 3);
    CHECK(r.assessment->scores[8] == 3);
    CHECK(r.assessment->unread == std::vector<std::string>{"rating", "assessing_needs", "healthier_lives", "equity",
                                                           "care_provision", "partnerships", "safe_pathways",
                                                           "safeguarding"});
    CHECK(warns(r, "report: not read from this page: the rating, Assessing needs"));
}

TEST_CASE("layouts: a landing page that links its summary leaves the scores to the summary",
          "[parsers][layouts][unread]") {
    const std::string landing =
        "<html><body><main><h1>Walsall Council: local authority assessment</h1>"
        "<p>Overall rating: Good</p><p><a href=\"walsall-0126/summary\">Summary</a></p></main></body></html>";
    ParseOptions o;
    o.url = k_landing_url;
    auto r = parse_document(landing, o, Authorities::builtin());
    REQUIRE(r);
    REQUIRE(r->assessment);
    CHECK(r->assessment->unread.empty());
}

TEST_CASE("layouts: merging a report page and its summary keeps what each knows", "[parsers][layouts][unread]") {
    ParseResult landing;
    landing.kind = DocKind::report;
    landing.url = k_landing_url;
    Assessment l;
    l.rating = Rating::good;
    l.stated_percentage = 64;
    l.report_url = k_landing_url;
    landing.assessment = l;
    ParseResult summary;
    summary.kind = DocKind::report;
    summary.url = k_summary_url;
    Assessment s;
    s.scores = {3, 3, 3, 2, 3, 2, 3, 3, 2};
    s.unread = {"rating"};
    summary.assessment = s;
    summary.warnings = {"report: not read from this page: rating"};

    const auto merged = merge_report_pages(landing, summary);
    REQUIRE(merged.assessment);
    CHECK(merged.assessment->rating == Rating::good);
    REQUIRE(merged.assessment->stated_percentage);
    CHECK(*merged.assessment->stated_percentage == 64);
    CHECK(merged.assessment->scores[3] == 2);
    CHECK(merged.assessment->unread.empty());
    CHECK(merged.assessment->report_url == std::string(k_landing_url));
    CHECK(merged.summary_url == std::string(k_summary_url));
    CHECK(merged.warnings == std::vector<std::string>{"summary: report: not read from this page: rating"});

    // What neither page states stays unread.
    summary.assessment->scores[6].reset();
    summary.assessment->unread = {"rating", "safeguarding"};
    CHECK(merge_report_pages(landing, summary).assessment->unread == std::vector<std::string>{"safeguarding"});
}

TEST_CASE("layouts: dots with the number in visually hidden text read as the number, checked against 'Good (67%)'",
          "[parsers][layouts]") {
    // The restyle that was read as nine 4s: each score a row of dots, the number for screen readers.
    const std::array<int, 9> v{3, 3, 2, 3, 3, 2, 3, 3, 2};  // 24 of 36: 67%
    const char* names[] = {"Assessing needs", "Supporting people to lead healthier lives",
                           "Equity in experience and outcomes", "Care provision, integration and continuity",
                           "Partnerships and communities", "Safe pathways, systems and transitions", "Safeguarding",
                           "Governance, management and sustainability", "Learning, improvement and innovation"};
    std::string rows;
    for (std::size_t i = 0; i < 9; ++i) {
        std::string dots;
        for (int k = 1; k <= 4; ++k) dots += k <= v[i] ? "\u25CF" : "\u25CB";
        rows += std::string("<li class=\"qs\"><span class=\"qs__name\">") + names[i] + "</span><span class=\"qs__dots\">" +
                dots + "</span><span class=\"govuk-visually-hidden\">" + std::to_string(v[i]) + " out of 4</span></li>";
    }
    const std::string page = "<html><body><main><h1>Walsall Council: local authority assessment</h1>"
                             "<p class=\"overall\">Overall: Good (67%)</p><ul>" + rows + "</ul></main></body></html>";
    ParseOptions o;
    o.url = k_summary_url;
    const auto r = parse_document(page, o, Authorities::builtin());
    REQUIRE(r);
    CHECK(scores_of(*r) == nine(v));
    CHECK(r->assessment->rating == Rating::good);
    REQUIRE(r->assessment->stated_percentage);
    CHECK(*r->assessment->stated_percentage == 67);
    // The same page with four dots for every statement (the old misreading) withholds, it does not publish 100%.
    std::string misdrawn = page;
    for (auto at = misdrawn.find("\u25CB"); at != std::string::npos; at = misdrawn.find("\u25CB"))
        misdrawn.replace(at, std::string("\u25CB").size(), "\u25CF");
    const auto w = parse_document(misdrawn, o, Authorities::builtin());
    REQUIRE(w);
    CHECK(std::none_of(w->assessment->scores.begin(), w->assessment->scores.end(), [](auto s) { return s.has_value(); }));
    CHECK(warns(*w, "withheld"));
}
