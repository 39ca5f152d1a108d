// Which council a text is about when it names several (a copy-paste slip in a
// release), names one loosely (a newspaper's "Slough's adult social care
// services", a council's own "the Council's adult social care provision"), or
// names two equally (a round-up): read by meaning, warn, never guess.

#include <catch2/catch.hpp>

#include <string>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;

namespace {

ParseResult parse_fixture(const std::string& name) {
    ParseOptions o;
    o.kind = DocKind::press_release;
    o.url = "https://example.org/" + name;
    auto r = parse_document(test::parser_fixture(name), o, Authorities::builtin());
    REQUIRE(r);
    return *r;
}

std::vector<std::string> authority_warnings(const ParseResult& r) {
    std::vector<std::string> out;
    for (const auto& w : r.warnings)
        if (w.starts_with("authority: ")) out.push_back(w);
    return out;
}

}  // namespace

TEST_CASE("subject: a release that names a second council as its subject is read as neither, with a warning",
          "[parsers][subject]") {
    const auto r = parse_fixture("subject-two-councils.html");
    // "has rated Suffolk County Council as" in a release about Nottingham: the rating sentence is about
    // another council, so whose figures these are cannot be vouched for. Null, and say why.
    CHECK_FALSE(r.authority);
    CHECK(authority_warnings(r) ==
          std::vector<std::string>{"authority: the text names Nottingham and Suffolk and none is clearly its subject; "
                                   "not read (Nottingham: in the title or first heading, 7 mentions, 6 near 'adult "
                                   "social care'; Suffolk: named as the subject 1x, 1 mention)"});
}

TEST_CASE("subject: loose names in third-party texts resolve when one council is meant", "[parsers][subject]") {
    const auto paper = parse_fixture("subject-third-party.html");
    REQUIRE(paper.authority);
    CHECK(paper.authority->name == "Slough");
    CHECK(authority_warnings(paper) ==
          std::vector<std::string>{"authority: no sentence names the council the text is about; read as Slough, the "
                                   "one it names (1 mention, 1 near 'adult social care')"});
    const auto own_site = parse_fixture("subject-council-site.html");
    REQUIRE(own_site.authority);
    CHECK(own_site.authority->name == "Slough");  // "the Council's", on a page titled "… | Slough Borough Council"
    CHECK(authority_warnings(own_site) ==
          std::vector<std::string>{"authority: no sentence names the council the text is about; read as Slough, the "
                                   "one it names (in the title or first heading, 1 mention, 1 near 'adult social "
                                   "care')"});
}

TEST_CASE("subject: a text about two councils equally is read as neither, with a warning", "[parsers][subject]") {
    const auto r = parse_fixture("subject-no-clear-council.html");
    CHECK_FALSE(r.authority);
    CHECK(authority_warnings(r) ==
          std::vector<std::string>{"authority: the text names Kent and Medway and none is clearly its subject; not "
                                   "read (Kent: 1 mention, 1 near 'adult social care'; Medway: 1 mention, 1 near "
                                   "'adult social care')"});
}

TEST_CASE("subject: council names in running text are whole, capitalised and the longest at each place",
          "[parsers][subject]") {
    std::vector<std::string> found;
    for (const auto& m : Authorities::builtin().mentions(
             "After reading the report, East Suffolk and Somerset West were not assessed; North Somerset, Kingston "
             "upon "
             "Hull and the Royal Borough of Windsor & Maidenhead were, and so was Reading."))
        found.push_back(m.authority.name + " = " + m.authority.name_in_text);
    CHECK(found == std::vector<std::string>{
                       "North Somerset = North Somerset", "Kingston upon Hull = Kingston upon Hull",
                       "Windsor and Maidenhead = Royal Borough of Windsor & Maidenhead", "Reading = Reading"});
}
