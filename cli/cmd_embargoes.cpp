// `cqcwatch embargoes`: pending embargoes (soonest first) then lifted and
// unresolved ones, with the lift time in UK time and in UTC.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct EmbargoesOptions {
    std::string format = "table";
    std::string database;
};

TimePoint lift_instant(const StoredEmbargo& e) { return TimePoint(std::chrono::seconds(e.embargo.until_unix)); }

std::vector<std::string> row(const StoredEmbargo& e) {
    std::string note = e.status == "unresolved" ? e.warning : e.press_release_url.value_or("");
    if (e.late) note = "fired late; " + note;
    if (!e.embargo.resolved) return {e.status, e.authority.name, "?", "?", e.embargo.line + " - " + note};
    return {e.status, e.authority.name, uk_time(lift_instant(e)), utc_time(lift_instant(e)), note};
}

nlohmann::json embargo_record_json(const StoredEmbargo& e) {
    nlohmann::json j{
        {"id", e.id},
        {"status", e.status},
        {"authority", authority_json(e.authority)},
        {"assessment_id", e.assessment_id},
        {"resolved", e.embargo.resolved},
        {"line", e.embargo.line},
        {"press_release_url", e.press_release_url ? nlohmann::json(*e.press_release_url) : nlohmann::json()},
        {"late", e.late},
        {"warning", e.warning},
        {"first_seen", rfc3339(e.first_seen)},
        {"first_source", e.first_source}};
    j["until"] = e.embargo.resolved ? nlohmann::json(rfc3339(lift_instant(e))) : nlohmann::json();
    j["until_uk"] = e.embargo.resolved ? nlohmann::json(uk_time(lift_instant(e))) : nlohmann::json();
    j["lifted_at"] = e.lifted_at ? nlohmann::json(rfc3339(*e.lifted_at)) : nlohmann::json();
    return j;
}

int run_embargoes(const EmbargoesOptions& o, const GlobalOptions& global) {
    if (o.format != "table" && o.format != "json")
        throw UsageError("--format: expected table or json, got '" + o.format + "'");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    auto all = value_or_throw(store.list_embargoes());
    if (o.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : all) out.push_back(embargo_record_json(e));
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (all.empty()) {
        std::cout << "No embargoes stored.\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : all) rows.push_back(row(e));
    print_table(std::cout, {"STATUS", "COUNCIL", "LIFTS (UK)", "LIFTS (UTC)", "PRESS RELEASE / NOTE"}, rows);
    return 0;
}

}  // namespace

CommandRun setup_embargoes(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<EmbargoesOptions>();
    sub.footer(
        "Embargoed press releases: pending ones first (soonest first), then lifted and unresolved ones. "
        "Lift times are shown in UK time (GMT/BST) and UTC.");
    sub.add_option("--format", o->format, "table (default) or json");
    add_database_option(sub, o->database);
    return [o, &global] { return run_embargoes(*o, global); };
}

}  // namespace cqcwatch
