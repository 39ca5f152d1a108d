// `cqcwatch export`: everything in the history, oldest first, as one JSON
// document (assessments, changes, embargoes) or as CSV (the assessments).

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct ExportOptions {
    std::string format;
    std::string database;
};

nlohmann::json export_json(const Store& store, const std::vector<StoredAssessment>& rows) {
    nlohmann::json j{{"schema", "cqcwatch.export.v1"},
                     {"assessments", nlohmann::json::array()},
                     {"changes", nlohmann::json::array()},
                     {"embargoes", nlohmann::json::array()}};
    for (const auto& a : rows) j["assessments"].push_back(assessment_record_json(a));
    for (const auto& c : value_or_throw(store.all_changes()))
        j["changes"].push_back({{"assessment_id", c.assessment_id},
                                {"changed_at", rfc3339(c.changed_at)},
                                {"kind", c.kind},
                                {"source", c.source},
                                {"previous", c.previous},
                                {"current", c.current}});
    for (const auto& e : value_or_throw(store.list_embargoes()))
        j["embargoes"].push_back(
            {{"id", e.id},
             {"status", e.status},
             {"authority", authority_json(e.authority)},
             {"assessment_id", e.assessment_id},
             {"until", e.embargo.resolved ? nlohmann::json(e.embargo.until_utc) : nlohmann::json()},
             {"line", e.embargo.line},
             {"late", e.late},
             {"warning", e.warning}});
    return j;
}

int run_export(const ExportOptions& o, const GlobalOptions& global) {
    if (o.format != "json" && o.format != "csv")
        throw UsageError("--format: expected json or csv, got '" + o.format + "'");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    std::vector<StoredAssessment> rows = value_or_throw(store.history({}));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    if (o.format == "json") {
        std::cout << export_json(store, rows).dump(2) << "\n";
        return 0;
    }
    std::cout << assessment_csv_header();
    for (const auto& a : rows) std::cout << assessment_csv_row(a);
    return 0;
}

}  // namespace

CommandRun setup_export(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ExportOptions>();
    sub.footer(
        "Everything in the history, in the order it was first recorded. json: one object with "
        "\"assessments\", \"changes\" and \"embargoes\"; csv: one row per assessment (RFC 4180, header, "
        "same columns as `history --format csv`).");
    sub.add_option("--format", o->format, "json or csv")->required();
    add_database_option(sub, o->database);
    return [o, &global] { return run_export(*o, global); };
}

}  // namespace cqcwatch
