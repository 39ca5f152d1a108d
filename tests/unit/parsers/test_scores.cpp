#include <catch2/catch.hpp>

#include "parsers/document.hpp"
#include "parsers/scores.hpp"

using namespace cqcwatch;

namespace {

ScoreReading scores_of(std::string_view text) { return read_scores(text_to_document(text).blocks); }

Scores all(std::initializer_list<std::optional<int>> v) {
    Scores s{};
    std::size_t i = 0;
    for (const auto& x : v) s[i++] = x;
    return s;
}

}  // namespace

TEST_CASE("scores: labels in every year's wording map to their statement", "[parsers][scores]") {
    CHECK(statement_from_label("1. Assessing people's needs") == Statement::assessing_needs);
    CHECK(statement_from_label("how the local authority works with people") == Statement::assessing_needs);
    CHECK(statement_from_label("Supporting people to live healthier lives") == Statement::healthier_lives);
    CHECK(statement_from_label("Equity in experience and outcomes") == Statement::equity);
    CHECK(statement_from_label("providing support (care provision, integration and continuity)") ==
          Statement::care_provision);
    CHECK(statement_from_label("partnership and communities") == Statement::partnerships);
    CHECK(statement_from_label("how the local authority ensures safety in the system") == Statement::safe_pathways);
    CHECK(statement_from_label("Safeguarding") == Statement::safeguarding);
    CHECK(statement_from_label("leadership (management and sustainability)") == Statement::governance);
    CHECK(statement_from_label("Leadership") == Statement::governance);
    CHECK(statement_from_label("learning, improvement and innovation") == Statement::learning);
    CHECK_FALSE(
        statement_from_label("The local authority acknowledged that their safeguarding practice needed to "
                             "improve and were able to demonstrate a plan"));
    CHECK_FALSE(statement_from_label("What people expect"));
}

TEST_CASE("scores: numbered lines with a dash or a colon", "[parsers][scores]") {
    const auto dash = scores_of(
        "1. Assessing people\xE2\x80\x99s needs \xE2\x80\x93 2\n2. Supporting people to lead healthier lives "
        "\xE2\x80\x93 3\n"
        "3. Equity in experience and outcomes - 3\n4. Care provision, integration and continuity of care - 2\n"
        "5. Partnerships and communities - 4\n6. Safe pathways, systems and transitions - 1\n7. Safeguarding - 2\n"
        "8. Governance, management and sustainability - 3\n9. Learning, improvement and innovation - 4\n");
    CHECK(dash.scores == all({2, 3, 3, 2, 4, 1, 2, 3, 4}));
    CHECK(dash.warnings.empty());
    const auto colon = scores_of(
        "1.\xC2\xA0\xC2\xA0 assessing people\xE2\x80\x99s needs: 3\n\n2.    supporting people to lead healthier lives: "
        "2\n\n"
        "9.    learning, improvement and innovation: 1\n");
    CHECK(colon.scores ==
          all({3, 2, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1}));
}

TEST_CASE("scores: pilot bullets with words", "[parsers][scores]") {
    const auto r = scores_of(
        "  \xE2\x80\xA2 how the local authority works with people \xE2\x80\x93 indicative score of three\n"
        "  \xE2\x80\xA2 supporting people to lead healthier lives \xE2\x80\x93 indicative score of four\n"
        "  \xE2\x80\xA2 leadership \xE2\x80\x93 indicative score of one\n"
        "  \xE2\x80\xA2 learning, improvement and innovation \xE2\x80\x93 indicative score of two.\n");
    CHECK(r.scores == all({3, 4, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 2}));
}

TEST_CASE("scores: older theme-style labels", "[parsers][scores]") {
    const auto r = scores_of(
        "1. how the local authority works with people - 3\n"
        "4. providing support (care provision, integration and continuity) - 2\n"
        "6. how the local authority ensures safety in the system - 3\n"
        "8. leadership (management and sustainability) - 4\n");
    CHECK(r.scores == all({3, std::nullopt, std::nullopt, 2, std::nullopt, 3, std::nullopt, 4, std::nullopt}));
}

TEST_CASE("scores: a flattened Theme | Area | Score table with stray bars", "[parsers][scores]") {
    const auto r = scores_of(
        "|\nTheme |\nArea |\nScore |\n|\nWorking with people |\n1. assessing needs |\n1 |\n|\n"
        "2. healthier lives support |\n4 |\n|\nProviding support\n|\n4. care provision, integration and continuity |\n"
        "2 |\n|\nHow the local authority ensures safety in the system |\n6. safe pathways, systems and transitions "
        "|\n3 |\n"
        "7. safeguarding |\n|\nLeadership |\n8. governance, management and sustainability |\n2 |\n");
    CHECK(r.scores == all({1, 4, std::nullopt, 2, std::nullopt, 3, std::nullopt, 2, std::nullopt}));
}

TEST_CASE("scores: a table without numbering, and scores under theme headings", "[parsers][scores]") {
    const auto table = scores_of("Assessing needs\n2\nEquity in experience and outcomes\n3\nSafeguarding\n4\n");
    CHECK(table.scores ==
          all({2, std::nullopt, 3, std::nullopt, std::nullopt, std::nullopt, 4, std::nullopt, std::nullopt}));
    const auto themed = scores_of(
        "Working with people\nAssessing needs: 2\nEquity in experience and outcomes: 3\nLeadership\n"
        "Governance, management and sustainability: 1\nLearning, improvement and innovation: 2\n");
    CHECK(themed.scores == all({2, std::nullopt, 3, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 2}));
}

TEST_CASE("scores: summary and theme pages with Score lines", "[parsers][scores]") {
    const auto summary = scores_of(
        "Quality statement scores\n  \xE2\x80\xA2 Assessing needs\n    Score: 4\n  \xE2\x80\xA2 Safeguarding\n    "
        "Score 2\n"
        "  \xE2\x80\xA2 Partnerships and communities\n    Score:3\n");
    CHECK(summary.scores ==
          all({4, std::nullopt, std::nullopt, std::nullopt, 3, std::nullopt, 2, std::nullopt, std::nullopt}));
    const auto theme = scores_of(
        "Somewhere Council: local authority assessment\nDownloads\nSupporting people to live healthier lives\nScore: "
        "2\n"
        "2 - Evidence shows some shortfalls\nWhat people expect\n");
    CHECK(theme.scores == all({std::nullopt, 2, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                               std::nullopt, std::nullopt}));
    const auto merged = scores_of("Assessing needs Score: 3\n");
    CHECK(merged.scores[0] == 3);
}

TEST_CASE("scores: a missing score stays null, never guessed", "[parsers][scores]") {
    const auto r =
        scores_of("6. safe pathways, systems and transitions - 3\n7. safeguarding \xE2\x80\x93\n8. leadership - 3\n");
    CHECK(r.scores[5] == 3);
    CHECK_FALSE(r.scores[6]);
    CHECK(r.scores[7] == 3);
    CHECK(missing_scores_warning(r.scores).value_or("").starts_with("scores: 2 of 9 found; none for Assessing needs"));
}

TEST_CASE("scores: an unknown label is placed by its number, with a warning", "[parsers][scores]") {
    const auto r = scores_of("3. fairness for everyone - 2\n5. working together locally - 4\n");
    CHECK(r.scores[2] == 2);
    CHECK(r.scores[4] == 4);
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0] == "scores: unknown label \"fairness for everyone\" placed by its number 3 as Equity in experience and outcomes");
}

TEST_CASE("scores: two scores for one statement that disagree withhold it and warn", "[parsers][scores]") {
    const auto r = scores_of("Safeguarding - 2\nSafeguarding - 3\nGovernance - 3\nGovernance: three\n");
    CHECK_FALSE(r.scores[6]);
    CHECK(r.scores[7] == 3);  // two pieces of evidence that agree are one score
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          "scores: Safeguarding is given as 2 (\"Safeguarding - 2\") and as 3 (\"Safeguarding - 3\"): withheld");
}

TEST_CASE("scores: numbers outside 1-4 and prose are not scores", "[parsers][scores]") {
    const auto r = scores_of(
        "Safeguarding - 5\nThe council had 4 safeguarding teams and a budget of 2 million\n"
        "Assessing needs\n0\n");
    CHECK(r.scores == Scores{});
    CHECK(score_from_text("indicative score of three") == 3);
    CHECK(score_from_text("Score:2") == 2);
    CHECK_FALSE(score_from_text("Score: 7"));
}

TEST_CASE("scores: labels by the words CQC's names keep, in any case and decoration", "[parsers][scores]") {
    CHECK(statement_from_label("QS7: Safeguarding") == Statement::safeguarding);
    CHECK(statement_from_label("Quality statement 5 - Partnerships & communities") == Statement::partnerships);
    CHECK(statement_from_label("LEADERSHIP: LEARNING, IMPROVEMENT AND INNOVATION") == Statement::learning);
    CHECK(statement_from_label("How the local authority ensures safety within the system: Safeguarding adults") ==
          Statement::safeguarding);
    CHECK(statement_from_label("Keeping people safe from abuse (safeguarding)") == Statement::safeguarding);
    CHECK(statement_from_label("Equity in experiences & outcomes") == Statement::equity);
    // A number that contradicts the name places nothing; two names place nothing.
    CHECK_FALSE(statement_from_label("QS4: Safeguarding"));
    CHECK_FALSE(statement_from_label("Safeguarding and governance"));
}

TEST_CASE("scores: symbols are counted, and must agree with the words beside them", "[parsers][scores]") {
    CHECK(score_from_text("\u25CF\u25CF\u25CF\u25CB") == 3);
    CHECK(score_from_text("\u2605\u2605\u2606\u2606") == 2);
    CHECK(score_from_text("\u25CF\u25CF\u25CF\u25CB 3 out of 4") == 3);
    CHECK_FALSE(score_from_text("\u25CF\u25CF\u25CF\u25CF 3 out of 4"));  // four dots, "3": which?
    CHECK_FALSE(score_from_text("\u25CF\u25CB\u25CF\u25CB"));               // not a count
    CHECK_FALSE(score_from_text("\u25CF\u25CF\u25CF"));                     // out of three?
}

TEST_CASE("scores: a descriptor in brackets after the number", "[parsers][scores]") {
    CHECK(score_from_text("3 (Evidence shows a good standard)") == 3);
    CHECK(score_from_text("2 (some shortfalls)") == 2);
    CHECK_FALSE(score_from_text("3 (see the report)"));
}
