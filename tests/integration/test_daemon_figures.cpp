// Read or withhold, through the real daemon: a summary page whose headline
// percentage contradicts the nine scores it shows (the restyle that read as
// nine 4s beside "Good (67%)") is alerted with the scores withheld, never as
// fact, and raises one parser.suspect that says both sides in words — once,
// however many polls read the page again.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

TEST_CASE("daemon_figures: a page whose stated percentage contradicts its scores is alerted with null scores and one "
          "parser.suspect",
          "[daemon][e2e]") {
    t::Rig rig;
    rig.site.publish(t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3},
                               "14 January 2026"));
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    auto daemon = rig.start();
    REQUIRE(t::wait_until([&] { return rig.hist().size() >= 1; }, 30s));

    // Nine scores of 4 (100%) on a page that says Good, 67%.
    // Published today: news, not history.
    auto bad = t::report("dudley-1126", "Dudley Metropolitan Borough Council", "good", {4, 4, 4, 4, 4, 4, 4, 4, 4});
    bad["stated_percent"] = 67;
    rig.site.publish(bad);
    REQUIRE(t::wait_until([&] { return t::of_type(rig.receiver.delivered(), "parser.suspect").size() >= 1; }, 30s));
    // Let it poll the page a few more times: still one suspect.
    REQUIRE(daemon->wait_stderr("poll reports", 5s));
    std::this_thread::sleep_for(4s);
    const auto got = rig.receiver.delivered();
    INFO(got.dump(2));
    const auto published = t::of_type(got, "assessment.published");
    REQUIRE(published.size() == 1);
    const auto body = t::body_of(published[0]);
    CHECK(body["authority"]["name"] == "Dudley");
    for (const auto& s : body["assessment"]["scores"]) CHECK(s["score"].is_null());
    CHECK(body["assessment"]["rating"] == "good");  // the rating and the 67% agree with each other
    const auto suspects = t::of_type(got, "parser.suspect");
    REQUIRE(suspects.size() == 1);
    const std::string reason = t::body_of(suspects[0])["reason"].get<std::string>();
    CHECK(reason.find("67%") != std::string::npos);
    CHECK(reason.find("100%") != std::string::npos);
    CHECK(reason.find("withheld") != std::string::npos);

    // The history never holds the nine 4s as fact.
    const auto row = t::history_row(rig.hist(), "Dudley");
    REQUIRE(row.is_object());
    for (const auto& s : row["scores"]) CHECK(s["score"].is_null());
}
