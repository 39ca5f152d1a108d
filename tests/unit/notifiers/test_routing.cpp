#include <catch2/catch.hpp>

#include "notifiers/routing.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

namespace {

NotifierConfig notifier(const char* name) {
    NotifierConfig n;
    n.name = name;
    n.kind = NotifierKind::webhook;
    return n;
}

}  // namespace

TEST_CASE("notifiers routing: a notifier following only RI and inadequate gets no good report",
          "[notifiers][routing]") {
    auto worried = notifier("worried");
    worried.ratings = {"requires_improvement", "inadequate"};
    auto everyone = notifier("everyone");
    auto good = test::rated_event("Walsall", "E08000030", Rating::good, "evt_good");
    auto poor = test::rated_event("Walsall", "E08000030", Rating::inadequate, "evt_poor");
    CHECK_FALSE(routes(worried, good));
    CHECK(routes(everyone, good));
    CHECK(routes(worried, poor));
    CHECK(routes(everyone, poor));
}

TEST_CASE("notifiers routing: default events are all but embargo.scheduled and test", "[notifiers][routing]") {
    auto n = notifier("n");
    auto e = test::walsall_event();
    CHECK(routes(n, e));
    e.type = event_type::embargo_scheduled;
    CHECK_FALSE(routes(n, e));
    e.type = event_type::test;
    CHECK_FALSE(routes(n, e));
    n.events = {"embargo.scheduled"};
    e.type = event_type::embargo_scheduled;
    CHECK(routes(n, e));
    e.type = event_type::embargo_lifted;
    CHECK_FALSE(routes(n, e));
}

TEST_CASE("notifiers routing: councils match by name, alias or ONS code", "[notifiers][routing]") {
    auto n = notifier("local");
    auto brighton = test::rated_event("Brighton and Hove", "E06000043", Rating::good, "evt_b");
    auto walsall = test::rated_event("Walsall", "E08000030", Rating::good, "evt_w");
    for (const char* key : {"Brighton & Hove", "brighton and hove", "E06000043"}) {
        n.authorities = {key};
        CHECK(routes(n, brighton));
        CHECK_FALSE(routes(n, walsall));
    }
    Event source{"evt_s", event_type::source_failing, "2026-01-23T00:01:00Z", {{"source", {{"name", "x"}}}}};
    CHECK(routes(n, source));  // not about a council: the filter does not apply
}

TEST_CASE("notifiers routing: unknown filter values are config errors", "[notifiers][routing]") {
    auto n = notifier("newsdesk");
    n.events = {"embargo.lifted", "assesment.published"};
    n.ratings = {"good", "poor"};
    n.authorities = {"Walsall", "Nowhereshire"};
    auto errors = routing_config_errors(n);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "notifier \"newsdesk\": unknown event type 'assesment.published' in events");
    CHECK(errors[1] ==
          "notifier \"newsdesk\": unknown rating 'poor' in ratings "
          "(expected outstanding, good, requires_improvement or inadequate)");
    CHECK(errors[2].rfind("notifier \"newsdesk\": unknown council 'Nowhereshire' in authorities", 0) == 0);
    CHECK(routing_config_errors(notifier("ok")).empty());
}

TEST_CASE("notifiers routing: route_decision says which key stops an event, in the config's words",
          "[notifiers][routing]") {
    auto n = notifier("newsdesk");
    n.events = {"embargo.lifted", "assessment.published"};
    n.ratings = {"good"};
    n.authorities = {"Birmingham"};
    auto e = test::rated_event("Walsall", "E08000030", Rating::inadequate, "evt_1");
    auto d = route_decision(n, e);
    CHECK_FALSE(d.routed);
    CHECK(d.reasons == std::vector<std::string>{"ratings = [\"good\"] does not include inadequate",
                                                "authorities = [\"Birmingham\"] does not include Walsall"});
    CHECK(routes(n, e) == d.routed);
    n.ratings.clear();
    n.authorities = {"walsall"};
    d = route_decision(n, e);
    CHECK(d.routed);
    CHECK(d.reasons ==
          std::vector<std::string>{"events = [\"embargo.lifted\", \"assessment.published\"] includes assessment.published",
                                   "ratings not set: any rating", "authorities = [\"walsall\"] includes Walsall"});
    e.type = event_type::assessment_updated;
    CHECK(route_decision(n, e).reasons ==
          std::vector<std::string>{
              "events = [\"embargo.lifted\", \"assessment.published\"] does not include assessment.updated"});
    CHECK(route_names({n, notifier("all")}, e) == std::vector<std::string>{"all"});
}
