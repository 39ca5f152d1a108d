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

// `key = ["a", "b"]`, as the config spells it.
std::string listed(const char* key, const std::vector<std::string>& values) {
    std::string out = std::string(key) + " = [";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", \"" : "\"") + values[i] + "\"";
    return out + "]";
}

// One routing key's verdict on an event, in the config's words.
struct Check {
    bool pass = false;
    std::string why;
};

Check type_check(const NotifierConfig& n, const Event& e) {
    if (e.type == event_type::test) return {false, "test alerts are never routed (notify-test sends them directly)"};
    if (n.events.empty()) {
        if (e.type == event_type::embargo_scheduled)
            return {false, "events not set: every type but embargo.scheduled (list it in events to get it)"};
        return {true, "events not set: every type but embargo.scheduled"};
    }
    bool in = contains(n.events, e.type);
    return {in, listed("events", n.events) + (in ? " includes " : " does not include ") + e.type};
}

// A rating filter applies only to events that carry a rating; source events pass.
Check rating_check(const NotifierConfig& n, const Event& e) {
    if (n.ratings.empty()) return {true, "ratings not set: any rating"};
    // An operator who filters alerts by rating still needs to hear that a page no longer reads.
    if (e.type == event_type::parser_suspect || e.type == event_type::parser_recovered)
        return {true, listed("ratings", n.ratings) + " never holds back " + e.type};
    auto rating = nested_string(e.body, "assessment", "rating");
    if (rating.empty()) return {true, listed("ratings", n.ratings) + " lets through an event with no rating"};
    bool in = contains(n.ratings, rating);
    return {in, listed("ratings", n.ratings) + (in ? " includes " : " does not include ") + rating};
}

// Compares ONS codes, so "Walsall Council", "walsall" and "E08000030" are one filter.
Check authority_check(const NotifierConfig& n, const Event& e) {
    if (n.authorities.empty()) return {true, "authorities not set: every council"};
    auto code = nested_string(e.body, "authority", "code");
    auto name = nested_string(e.body, "authority", "name");
    if (code.empty() && name.empty())
        return {true, listed("authorities", n.authorities) + " lets through an event about no council"};
    if (code.empty()) {
        if (auto r = Authorities::builtin().resolve(name)) code = r->code;
    }
    std::string council = name.empty() ? code : name;
    for (const auto& wanted : n.authorities) {
        auto r = Authorities::builtin().resolve(wanted);
        if (r && !r->code.empty() && r->code == code)
            return {true, listed("authorities", n.authorities) + " includes " + council};
    }
    return {false, listed("authorities", n.authorities) + " does not include " + council};
}

std::string prefix(const NotifierConfig& n) { return "notifier \"" + n.name + "\": "; }

}  // namespace

RouteDecision route_decision(const NotifierConfig& n, const Event& e) {
    RouteDecision d{true, {}};
    std::vector<std::string> passed, stopped;
    for (const Check& c : {type_check(n, e), rating_check(n, e), authority_check(n, e)}) {
        (c.pass ? passed : stopped).push_back(c.why);
        d.routed = d.routed && c.pass;
    }
    // Why not: every key that stops it; why: every key's say.
    for (const auto& why : d.routed ? passed : stopped) d.reasons.push_back(why);
    return d;
}

bool routes(const NotifierConfig& n, const Event& e) { return route_decision(n, e).routed; }

std::vector<std::string> route_names(const std::vector<NotifierConfig>& notifiers, const Event& e) {
    std::vector<std::string> names;
    for (const auto& n : notifiers)
        if (routes(n, e)) names.push_back(n.name);
    return names;
}

bool is_routable_type(std::string_view type) {
    return std::any_of(k_routable_types.begin(), k_routable_types.end(), [&](const char* k) { return type == k; });
}

std::vector<std::string> routable_types() { return {k_routable_types.begin(), k_routable_types.end()}; }

std::vector<std::string> routing_config_errors(const NotifierConfig& n) {
    std::vector<std::string> errors;
    for (const auto& t : n.events)
        if (!is_routable_type(t)) errors.push_back(prefix(n) + "unknown event type '" + t + "' in events");
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
