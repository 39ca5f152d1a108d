// `cqcwatch route-test --type T [--authority A] [--rating R]`: which notifiers
// an event like that would go to, and why not the others — a dry run of the
// daemon's own routing (notifiers/routing), like `amtool config routes test`.

#include <iostream>
#include <set>

#include "cli/cmd_common.hpp"
#include "cli/output.hpp"
#include "cli/query.hpp"
#include "notifiers/factory.hpp"
#include "notifiers/routing.hpp"

namespace cqcwatch {

namespace {

struct RouteTestOptions {
    std::string type;
    std::string authority;
    std::string rating;
    std::vector<std::string> expect;
    bool expect_none = false;
    std::string format = "table";
};

std::string type_or_throw(const std::string& type) {
    if (is_routable_type(type)) return type;
    std::string known;
    for (const auto& t : routable_types()) known += (known.empty() ? "" : ", ") + t;
    throw UsageError("--type: unknown event type '" + type + "' (expected one of " + known + ")");
}

// The event as the store would build it, with only what routing reads.
Event sample_event(const RouteTestOptions& o) {
    Event e;
    e.id = "evt_route_test";
    e.type = type_or_throw(o.type);
    e.body = {{"type", e.type}, {"authority", nullptr}, {"assessment", nullptr}};
    if (!o.authority.empty()) e.body["authority"] = authority_json(resolve_authority_or_throw(o.authority));
    if (!o.rating.empty())
        e.body["assessment"] = {{"rating", std::string(to_key(parse_rating_or_throw(o.rating, "--rating")))}};
    return e;
}

std::string describe(const Event& e) {
    std::string out = e.type;
    if (e.body["authority"].is_object()) out += " about " + e.body["authority"]["name"].get<std::string>();
    if (e.body["assessment"].is_object())
        out += ", rated " + std::string(to_label(*rating_from_key(e.body["assessment"]["rating"].get<std::string>())));
    return out;
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

void print_decisions(const std::string& what, const Config& config, const std::vector<RouteDecision>& decisions) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> getting;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const auto& n = config.notifiers[i];
        rows.push_back({n.name, std::string(to_key(n.kind)), decisions[i].routed ? "yes" : "no",
                        joined(decisions[i].reasons, "; ")});
        if (decisions[i].routed) getting.push_back(n.name);
    }
    std::cout << what << " (" << config.path << "):\n";
    print_table(std::cout, {"NOTIFIER", "KIND", "GETS IT", "WHY"}, rows);
    if (config.notifiers.empty()) std::cout << "(the config has no notifiers)\n";
    std::cout << (getting.empty() ? std::string("No notifier would get it.")
                                  : std::to_string(getting.size()) + " of " + std::to_string(config.notifiers.size()) +
                                        " notifiers would get it: " + joined(getting, ", ") + ".")
              << "\n";
}

nlohmann::json decisions_json(const Event& e, const Config& config, const std::vector<RouteDecision>& decisions) {
    nlohmann::json out{{"event", {{"type", e.type}, {"authority", e.body["authority"]}}},
                       {"notifiers", nlohmann::json::array()}};
    out["event"]["rating"] = e.body["assessment"].is_object() ? e.body["assessment"]["rating"] : nlohmann::json();
    for (std::size_t i = 0; i < decisions.size(); ++i)
        out["notifiers"].push_back({{"name", config.notifiers[i].name},
                                    {"kind", to_key(config.notifiers[i].kind)},
                                    {"routed", decisions[i].routed},
                                    {"reasons", decisions[i].reasons}});
    return out;
}

// --expect: the names that must get it, exactly (a config's regression test). 1 when they do not.
int check_expected(const RouteTestOptions& o, const std::vector<std::string>& got) {
    if (o.expect.empty() && !o.expect_none) return 0;
    std::set<std::string> want(o.expect.begin(), o.expect.end()), have(got.begin(), got.end());
    if (want == have) return 0;
    std::cerr << "cqcwatch: route-test: expected "
              << (want.empty() ? "no notifier" : joined({want.begin(), want.end()}, ", ")) << ", got "
              << (have.empty() ? "no notifier" : joined(got, ", ")) << "\n";
    return 1;
}

int run_route_test(const RouteTestOptions& o, const GlobalOptions& global) {
    if (o.format != "table" && o.format != "json")
        throw UsageError("--format: expected table or json, got '" + o.format + "'");
    if (o.expect_none && !o.expect.empty()) throw UsageError("--expect-none: not with --expect");
    Event e = sample_event(o);
    Config config = load_config_or_throw(global);
    std::vector<RouteDecision> decisions;
    std::vector<std::string> got;
    for (const auto& n : config.notifiers) {
        decisions.push_back(route_decision(n, e));
        if (decisions.back().routed) got.push_back(n.name);
    }
    if (o.format == "json")
        std::cout << decisions_json(e, config, decisions).dump(2) << "\n";
    else
        print_decisions(describe(e), config, decisions);
    return check_expected(o, got);
}

}  // namespace

CommandRun setup_route_test(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<RouteTestOptions>();
    sub.footer(
        "A dry run of the config's routing (events, ratings, authorities of each [[notifier]]): which "
        "notifiers an event like this would go to, and which key keeps it from the others. Nothing is sent. "
        "Exit status: 0, or 1 when --expect/--expect-none does not hold; 2 for a bad option or config.");
    sub.add_option("--type", o->type, "The event type (assessment.published, embargo.lifted, ...)")->required();
    sub.add_option("--authority", o->authority, "The council it is about (any name CQC uses, or the ONS code)");
    sub.add_option("--rating", o->rating, "Its rating (\"requires improvement\", inadequate, ...)");
    sub.add_option("--expect", o->expect, "A notifier that must get it (repeatable; exactly these)");
    sub.add_flag("--expect-none", o->expect_none, "No notifier may get it");
    sub.add_option("--format", o->format, "table (default) or json");
    return [o, &global] { return run_route_test(*o, global); };
}

}  // namespace cqcwatch
