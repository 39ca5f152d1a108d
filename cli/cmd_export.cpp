// `cqcwatch export`: everything in the history, oldest first, as one JSON
// document (assessments, changes, embargoes) or as CSV (the assessments).

#include <iostream>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct ExportOptions {
    std::string format;
    std::string database;
};

nlohmann::json change_json(const AssessmentChange& c) {
    return {{"assessment_id", c.assessment_id},
            {"changed_at", rfc3339(c.changed_at)},
            {"kind", c.kind},
            {"source", c.source},
            {"previous", c.previous},
            {"current", c.current}};
}

nlohmann::json embargo_json(const StoredEmbargo& e) {
    return {{"id", e.id},
            {"status", e.status},
            {"authority", authority_json(e.authority)},
            {"assessment_id", e.assessment_id},
            {"until", e.embargo.resolved ? nlohmann::json(e.embargo.until_utc) : nlohmann::json()},
            {"line", e.embargo.line},
            {"late", e.late},
            {"warning", e.warning}};
}

/// The export document, written as it is read: byte for byte what dump(2) of one
/// {"assessments", "changes", "embargoes", "schema"} object prints (nlohmann orders
/// keys alphabetically), without holding every record's tree at once.
void write_export_json(std::ostream& out, const Store& store, const HistoryQuery& q) {
    out << "{\n  \"assessments\": ";
    JsonArrayWriter assessments(out, 2);
    value_or_throw(store.each_assessment(q, [&](StoredAssessment&& a) {
        assessments.add(assessment_record_json(a));
        return true;
    }));
    assessments.finish();
    out << ",\n  \"changes\": ";
    JsonArrayWriter changes(out, 2);
    value_or_throw(store.each_change([&](AssessmentChange&& c) {
        changes.add(change_json(c));
        return true;
    }));
    changes.finish();
    out << ",\n  \"embargoes\": ";
    JsonArrayWriter embargoes(out, 2);
    for (const auto& e : value_or_throw(store.list_embargoes())) embargoes.add(embargo_json(e));
    embargoes.finish();
    out << ",\n  \"schema\": \"cqcwatch.export.v1\"\n}\n";
}

int run_export(const ExportOptions& o, const GlobalOptions& global) {
    if (o.format != "json" && o.format != "csv")
        throw UsageError("--format: expected json or csv, got '" + o.format + "'");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    HistoryQuery q;
    q.first_recorded_first = true;
    if (o.format == "json") {
        write_export_json(std::cout, store, q);
        return 0;
    }
    std::cout << assessment_csv_header();
    value_or_throw(store.each_assessment(q, [](StoredAssessment&& a) {
        std::cout << assessment_csv_row(a);
        return true;
    }));
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
