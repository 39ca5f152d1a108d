// The alert context: the means function and the words the alerts make of the JSON.

#include <catch2/catch.hpp>

#include "events/context.hpp"

using namespace cqcwatch;

namespace {

Assessment scored(std::array<std::optional<int>, 9> scores, std::optional<double> stated = std::nullopt) {
    Assessment a;
    for (std::size_t i = 0; i < 9; ++i) a.scores[i] = scores[i];
    a.stated_percentage = stated;
    return a;
}

nlohmann::json body_with_context() {
    ScoreMeans region{14, {2.64, 2.5, 2.4, 2.6, 2.9, 2.5, 2.56, 2.5, 2.7}, 61.24};
    ScoreMeans england{150, {2.5, 2.5, 2.3, 2.6, 2.8, 2.5, std::nullopt, 2.5, 2.6}, 63.0};
    Assessment before;
    before.rating = Rating::requires_improvement;
    before.stated_percentage = 52;
    return {{"previous_assessment", previous_json(before, Date{2024, 3, 12})},
            {"first_assessment", false},
            {"context",
             {{"region", means_json(region, "West Midlands", "E12000005")},
              {"england", means_json(england, "England", "E92000001")}}}};
}

}  // namespace

TEST_CASE("events context: means leave unknown and out-of-range scores out", "[events][context]") {
    std::vector<Assessment> rows{scored({2, 2, 2, 2, 2, 2, 2, 2, 3}), scored({3, 3, 3, 3, 3, 3, std::nullopt, 3, 3}),
                                 scored({4, 1, 2, 3, 4, 1, 9, 2, 3})};
    ScoreMeans m = score_means(rows);
    CHECK(m.n == 3);
    CHECK(*m.scores[0] == Approx(3.0));
    CHECK(*m.scores[1] == Approx(2.0));
    CHECK(*m.scores[6] == Approx(2.0));  // the unknown one and the 9 left out: only Walsall's 2
    // Percentages as Assessment::percentage() gives them: the first and third have nine scores
    // (19/36 -> 53, 29/36 -> 81: whole, half up), the second none.
    CHECK(*m.percentage == Approx((53.0 + 81.0) / 2));
    CHECK(!score_means({}).percentage);
    CHECK(!score_means({}).scores[0]);
}

TEST_CASE("events context: the JSON of an area names every statement and rounds to 2 decimals", "[events][context]") {
    ScoreMeans m{2, {}, 55.555};
    m.scores[0] = 2.0 / 3.0;
    auto j = means_json(m, "London", "E12000007");
    CHECK(j["name"] == "London");
    CHECK(j["code"] == "E12000007");
    CHECK(j["n"] == 2);
    CHECK(j["means"].size() == 9);
    CHECK(j["means"]["assessing_needs"].get<double>() == Approx(0.67));
    CHECK(j["means"]["learning"].is_null());
    CHECK(j["percentage"].get<double>() == Approx(55.56));
}

TEST_CASE("events context: the words of the previous assessment and of the means", "[events][context]") {
    auto body = body_with_context();
    CHECK(previous_assessment_text(body) == "Requires improvement (52%, 12 March 2024)");
    CHECK(context_percentage_text(body) == "West Midlands 61.2% (14 councils), England 63% (150 councils)");
    CHECK(context_score_text(body, 0) == "West Midlands mean 2.6, England 2.5");
    CHECK(context_score_text(body, 6) == "West Midlands mean 2.6");  // England's unknown: left out
    CHECK(context_region_name(body) == "West Midlands");
    CHECK(*context_score_mean(body, "england", 1) == Approx(2.5));

    body["previous_assessment"] = nullptr;
    body["first_assessment"] = true;
    CHECK(previous_assessment_text(body) == "none (first assessment)");
    body["context"]["region"] = nullptr;  // a council the data places in no region
    CHECK(context_percentage_text(body) == "England 63% (150 councils)");
    CHECK(context_score_text(body, 0) == "England mean 2.5");
}

TEST_CASE("events context: an event from before the context says nothing of it", "[events][context]") {
    nlohmann::json old = {{"authority", {{"name", "Walsall"}}}, {"previous", {{"rating", "good"}}}};
    CHECK(previous_assessment_text(old).empty());  // "previous" is assessment.updated's: not the previous assessment
    CHECK(context_percentage_text(old).empty());
    CHECK(context_score_text(old, 0).empty());
    CHECK(date_text(Date{2026, 1, 3}) == "3 January 2026");
}
