#include <catch2/catch.hpp>

#include "events/event.hpp"

using namespace cqcwatch;

TEST_CASE("events event_about: a log line about an event names the council, else the source", "[events][log]") {
    Event council{"evt_1",
                  event_type::assessment_published,
                  "2026-01-23T00:01:00Z",
                  {{"authority", {{"name", "Walsall"}, {"code", "E08000030"}}}, {"source", {{"name", "cqc-reports"}}}}};
    CHECK(event_about(council) == " (Walsall)");
    Event source{"evt_2", event_type::source_failing, "2026-01-23T00:01:00Z", {{"source", {{"name", "cqc-reports"}}}}};
    CHECK(event_about(source) == " (source cqc-reports)");
    Event neither{"evt_3", event_type::test, "2026-01-23T00:01:00Z", {{"authority", nullptr}}};
    CHECK(event_about(neither).empty());
    Event not_object{"evt_4", event_type::test, "2026-01-23T00:01:00Z", nlohmann::json::array()};
    CHECK(event_about(not_object).empty());
}
