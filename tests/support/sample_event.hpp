#pragma once
// Events for notifier tests, built through the same functions the store uses.

#include "events/event.hpp"

namespace cqcwatch::test {

/// Walsall, requires improvement, 19/36 = 52.8 %, embargo lifted 2026-01-23 00:01 GMT.
inline Event walsall_event(const char* type = event_type::embargo_lifted, const char* id = "evt_walsall_1") {
    Assessment a;
    a.rating = Rating::requires_improvement;
    a.scores = {2, 2, 2, 2, 2, 2, 2, 2, 3};
    a.report_url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall";
    Event e;
    e.id = id;
    e.type = type;
    e.occurred_at = "2026-01-23T00:01:00Z";
    e.body = {{"schema", "cqcwatch.event.v1"},
              {"id", e.id},
              {"type", e.type},
              {"occurred_at", e.occurred_at},
              {"authority", authority_json(AuthorityRef{"Walsall", "E08000030", "Walsall Council"})},
              {"assessment", assessment_json(a, Date{2026, 1, 23})},
              {"embargo",
               {{"until", "2026-01-23T00:01:00Z"},
                {"press_release_url", "https://www.cqc.org.uk/press-release/walsall?a=1&b=2"}}}};
    return e;
}

/// A council and rating of choice, published without an embargo.
inline Event rated_event(const char* council, const char* code, Rating rating, const char* id) {
    Event e = walsall_event(event_type::assessment_published, id);
    e.body["authority"] = authority_json(AuthorityRef{council, code, council});
    e.body["assessment"]["rating"] = std::string(to_key(rating));
    e.body.erase("embargo");
    return e;
}

}  // namespace cqcwatch::test
