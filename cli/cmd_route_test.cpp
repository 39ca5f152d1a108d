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
    std::vector<std::string> expect_includes;
    bool expect_none = false;
    std::string format = "table";
};

std::string type_or_throw(const std::string& type) {
    if (is_routable_type(type)) return type;
    std::string known;
    for (const auto& t : routable_types()) known += (known.empty() ? "" : ", ") + t;
    throw UsageError("--type: unknown event type '" + type + "' (expected one of " + known + ")");
}

// Runs `part`; a UsageError it throws is kept in `errors`, so that every mistyped value is reported at once.
template <class F>
void collect(std::vector<std::string>& errors, F&& part) {
    try {
        part();
    } catch (const UsageError& e) {
        errors.push_back(e.what());
    }
}

// The event as the store would build it, with only what routing reads; every bad value in `errors`.
Event sample_event(const RouteTestOptions& o, std::vector<std::string>& errors) {
    Event e;
    e.id = "evt_route_test";
    e.body = {{"type", nullptr}, {"authority", nullptr}, {"assessment", nullptr}};
    collect(errors, [&] {
        e.type = type_or_throw(o.type);
        e.body["type"] = e.type;
    });
    collect(errors, [&] {
        if (!o.authority.empty()) e.body["authority"] = authority_json(resolve_authority_or_throw(o.authority));
    });
    collect(errors, [&] {
        if (!o.rating.empty())
            e.body["assessment"] = {{"rating", std::string(to_key(parse_rating_or_throw(o.rating, "--rating")))}};
    });
    return e;
}

// --expect/--expect-includes names that are no notifier of the config (a typo would otherwise only fail).
void check_names(const RouteTestOptions& o, const Config& config, std::vector<std::string>& errors) {
    std::string known;
    for (const auto& n : config.notifiers) known += (known.empty() ? "" : ", ") + n.name;
    auto check = [&](const char* option, const std::vector<std::string>& names) {
        for (const auto& name : names) {
            bool found = false;
            for (const auto& n : config.notifiers) found = found || n.name == name;
            if (!found)
                errors.push_back(std::string(option) + ": no notifier '" + name + "' in " + config.path +
                                 (known.empty() ? " (it has none)" : " (it has " + known + ")"));
        }
    };
    check("--expect", o.expect);
    check("--expect-includes", o.expect_includes);
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

// --expect: the names that must get it, exactly; --expect-includes: these among others (a config's
// regression test). 1 when they do not.
int check_expected(const RouteTestOptions& o, const std::vector<std::string>& got) {
    const std::set<std::string> have(got.begin(), got.end());
    const std::string got_text = have.empty() ? "no notifier" : joined(got, ", ");
    int code = 0;
    if (!o.expect.empty() || o.expect_none) {
        std::set<std::string> want(o.expect.begin(), o.expect.end());
        if (want != have) {
            std::cerr << "cqcwatch: route-test: expected "
                      << (want.empty() ? "no notifier" : joined({want.begin(), want.end()}, ", ")) << ", got "
                      << got_text << "\n";
            code = 1;
        }
    }
    std::vector<std::string> missing;
    for (const auto& name : o.expect_includes)
        if (!have.count(name)) missing.push_back(name);
    if (!missing.empty()) {
        std::cerr << "cqcwatch: route-test: expected " << joined(missing, ", ") << " among those that get it, got "
                  << got_text << "\n";
        code = 1;
    }
    return code;
}

int run_route_test(const RouteTestOptions& o, const GlobalOptions& global) {
    std::vector<std::string> errors;
    if (o.format != "table" && o.format != "json")
        errors.push_back("--format: expected table or json, got '" + o.format + "'");
    if (o.expect_none && (!o.expect.empty() || !o.expect_includes.empty()))
        errors.push_back("--expect-none: not with --expect or --expect-includes");
    Event e = sample_event(o, errors);
    Config config = load_config_or_throw(global);
    check_names(o, config, errors);
    if (!errors.empty()) throw UsageError(joined(errors, "\ncqcwatch: "));
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
        "Exit status: 0, or 1 when --expect/--expect-includes/--expect-none does not hold; 2 for a bad option "
        "or config (every mistyped value is named at once).");
    sub.add_option("--type", o->type, "The event type (assessment.published, embargo.lifted, ...)")->required();
    sub.add_option("--authority", o->authority, "The council it is about (any name CQC uses, or the ONS code)");
    sub.add_option("--rating", o->rating, "Its rating (\"requires improvement\", inadequate, ...)");
    sub.add_option("--expect", o->expect, "A notifier that must get it (repeatable; exactly these)");
    sub.add_option("--expect-includes", o->expect_includes,
                   "A notifier that must get it among others (repeatable; the others may get it too)");
    sub.add_flag("--expect-none", o->expect_none, "No notifier may get it");
    sub.add_option("--format", o->format, "table (default) or json");
    return [o, &global] { return run_route_test(*o, global); };
}

}  // namespace cqcwatch
