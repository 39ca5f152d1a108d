#include <catch2/catch.hpp>

#include "events/wording.hpp"

using namespace cqcwatch;
using nlohmann::json;

TEST_CASE("events wording: fields by the names people read, scores out of 4", "[events][wording]") {
    CHECK(field_label("rating") == "Rating");
    CHECK(field_label("safeguarding") == "Safeguarding");
    CHECK(field_label("governance") == "Governance, management and sustainability");
    CHECK(field_label("something_new") == "something_new");  // an unknown key as it is, not dropped
    CHECK(fields_text(json{"rating", "safeguarding", "learning"}) ==
          "Rating; Safeguarding; Learning, improvement and innovation");
    CHECK(fields_text(json::object()).empty());
    CHECK(out_of_4(2) == "2/4");
    json conflicts =
        json::array({{{"field", "rating"}, {"press_release", "requires_improvement"}, {"report_page", "good"}},
                     {{"field", "safeguarding"}, {"press_release", 2}, {"report_page", 3}}});
    CHECK(conflicts_text(conflicts) ==
          "Rating: Requires improvement in the press release, Good on the report page; "
          "Safeguarding: 2/4 in the press release, 3/4 on the report page");
    CHECK(conflicts_text(json("not a list")).empty());
}
