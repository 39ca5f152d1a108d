#include <catch2/catch.hpp>

#include "parsers/consistency.hpp"
#include "parsers/document.hpp"
#include "parsers/rating.hpp"

using namespace cqcwatch;

namespace {

Assessment with_scores(std::initializer_list<int> v, std::optional<Rating> rating) {
    Assessment a;
    std::size_t i = 0;
    for (int x : v) a.scores[i++] = x;
    a.rating = rating;
    return a;
}

}  // namespace

TEST_CASE("consistency: 14/36 = 38.9% rounds to 39, requires improvement", "[parsers][consistency]") {
    const auto a = with_scores({1, 1, 2, 2, 2, 2, 2, 1, 1}, Rating::requires_improvement);
    CHECK(whole_percent(a.scores) == 39);
    CHECK(consistency_warnings(a).empty());
    const auto wrong = with_scores({1, 1, 2, 2, 2, 2, 2, 1, 1}, Rating::inadequate);
    const auto w = consistency_warnings(wrong);
    REQUIRE(w.size() == 1);
    CHECK(w[0] == "consistency: rated inadequate but the scores sum to 39%, which is requires_improvement");
}

TEST_CASE("consistency: band edges", "[parsers][consistency]") {
    CHECK(whole_percent(with_scores({4, 4, 4, 4, 4, 4, 4, 4, 4}, {}).scores) == 100);
    CHECK(whole_percent(with_scores({3, 3, 3, 3, 4, 4, 4, 4, 4}, {}).scores) == 89);  // 32/36 = 88.9
    CHECK(whole_percent(with_scores({2, 2, 2, 2, 2, 2, 3, 3, 3}, {}).scores) == 58);
    CHECK_FALSE(whole_percent(Scores{}));
}

TEST_CASE("consistency: a stated percentage a point or two off is tolerated", "[parsers][consistency]") {
    auto a = with_scores({2, 2, 3, 2, 3, 2, 3, 3, 3}, Rating::good);  // 23/36 = 63.9 -> 64
    a.stated_percentage = 62;
    CHECK(consistency_warnings(a).size() == 1);  // 62% is requires improvement: the stated band disagrees
    a.stated_percentage = 65;
    CHECK(consistency_warnings(a).empty());
    a.stated_percentage = 70;
    const auto w = consistency_warnings(a);
    REQUIRE(w.size() == 1);
    CHECK(w[0] == "consistency: the text states 70% but the scores sum to 64%");
}

TEST_CASE("consistency: two ratings named keeps the rated-as sentence and warns", "[parsers][consistency]") {
    const auto doc = text_to_document(
        "CQC rates Somewhere Council's adult social care provision as good\n"
        "The Care Quality Commission (CQC), has rated Somewhere Council as requires improvement, in how well ...\n"
        "CQC looked at nine areas in order to create their good rating.\n");
    const auto r = read_rating(doc);
    REQUIRE(r.rating);
    CHECK(*r.rating == Rating::requires_improvement);
    CHECK(r.rated_name == "Somewhere Council");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].starts_with("rating: the text names two ratings"));
}

TEST_CASE("consistency: a pilot's 'good standard' is not its rating", "[parsers][consistency]") {
    const auto doc = text_to_document(
        "A report indicating that X Council is ensuring people have access to a good standard of adult social care.\n"
        "in order to create their indicative requires improvement rating.\n");
    const auto r = read_rating(doc);
    REQUIRE(r.rating);
    CHECK(*r.rating == Rating::requires_improvement);
    CHECK(r.indicative);
    CHECK(r.warnings.empty());
    CHECK_FALSE(read_rating(text_to_document("people have access to a good standard of care")).rating);
}
