#include "notifiers/routing.hpp"

#include <algorithm>
#include <array>

#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

constexpr std::array<const char*, 9> k_routable_types{
    event_type::assessment_published, event_type::assessment_updated, event_type::assessment_withdrawn,
    event_type::embargo_scheduled,    event_type::embargo_lifted,     event_type::source_failing,
    event_type::source_recovered,     event_type::parser_suspect,     event_type::parser_recovered};

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string nested_string(const nlohmann::json& body, const char* outer, const char* inner) {
    if (!body.is_object()) return {};
    auto o = body.find(outer);
    if (o == body.end() || !o->is_object()) return {};
    auto i = o->find(inner);
    return i != o->end() && i->is_string() ? i->get<std::string>() : std::string();
}

bool type_routes(const NotifierConfig& n, const Event& e) {
    if (e.type == event_type::test) return false;
    if (n.events.empty()) return e.type != event_type::embargo_scheduled;
    return contains(n.events, e.type);
}

// A rating filter applies only to events that carry a rating; source events pass.
bool rating_routes(const NotifierConfig& n, const Event& e) {
    if (n.ratings.empty()) return true;
    // An operator who filters alerts by rating still needs to hear that a page no longer reads.
    if (e.type == event_type::parser_suspect || e.type == event_type::parser_recovered) return true;
    auto rating = nested_string(e.body, "assessment", "rating");
    return rating.empty() || contains(n.ratings, rating);
}

// Compares ONS codes, so "Walsall Council", "walsall" and "E08000030" are one filter.
bool authority_routes(const NotifierConfig& n, const Event& e) {
    if (n.authorities.empty()) return true;
    auto code = nested_string(e.body, "authority", "code");
    auto name = nested_string(e.body, "authority", "name");
    if (code.empty() && name.empty()) return true;  // not about a council: source events
    if (code.empty()) {
        if (auto r = Authorities::builtin().resolve(name)) code = r->code;
    }
    for (const auto& wanted : n.authorities) {
        auto r = Authorities::builtin().resolve(wanted);
        if (r && !r->code.empty() && r->code == code) return true;
    }
    return false;
}

std::string prefix(const NotifierConfig& n) { return "notifier \"" + n.name + "\": "; }

}  // namespace

bool routes(const NotifierConfig& n, const Event& e) {
    return type_routes(n, e) && rating_routes(n, e) && authority_routes(n, e);
}

std::vector<std::string> routing_config_errors(const NotifierConfig& n) {
    std::vector<std::string> errors;
    for (const auto& t : n.events) {
        bool known =
            std::any_of(k_routable_types.begin(), k_routable_types.end(), [&](const char* k) { return t == k; });
        if (!known) errors.push_back(prefix(n) + "unknown event type '" + t + "' in events");
    }
    for (const auto& r : n.ratings)
        if (!rating_from_key(r))
            errors.push_back(prefix(n) + "unknown rating '" + r +
                             "' in ratings (expected outstanding, good, requires_improvement or inadequate)");
    for (const auto& a : n.authorities) {
        if (Authorities::builtin().resolve(a)) continue;
        std::string msg = prefix(n) + "unknown council '" + a + "' in authorities";
        auto near = Authorities::builtin().suggest(a, 1);
        if (!near.empty()) msg += " (did you mean '" + near.front() + "'?)";
        errors.push_back(msg);
    }
    return errors;
}

}  // namespace cqcwatch
