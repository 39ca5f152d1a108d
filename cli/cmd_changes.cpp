// `cqcwatch changes --since 7d`: what changed in the history — assessments
// new in it, updated ones with each field before → after, withdrawn and
// restored ones — from the change rows the store keeps for ever.

#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/query.hpp"

namespace cqcwatch {

namespace {

struct ChangesOptions {
    SelectionOptions select;
    std::string since = "7d";
    std::string format = "table";
    std::string database;
};

struct FieldChange {
    std::string field;
    nlohmann::json before;
    nlohmann::json after;
};

struct ChangeRow {
    AssessmentChange change;
    const StoredAssessment* assessment = nullptr;
    std::vector<FieldChange> fields;
};

std::string kind_of(const AssessmentChange& c) { return c.kind == "created" ? "new" : c.kind; }

nlohmann::json field_or_null(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) ? j[key] : nlohmann::json(nullptr);
}

std::map<std::string, nlohmann::json> scores_by_statement(const nlohmann::json& values) {
    std::map<std::string, nlohmann::json> out;
    if (values.is_object() && values.contains("scores"))
        for (const auto& s : values["scores"]) out[s["statement"].get<std::string>()] = s["score"];
    return out;
}

std::vector<FieldChange> field_changes(const AssessmentChange& c) {
    std::vector<FieldChange> out;
    if (c.kind == "created") return out;
    for (const char* key : {"rating", "percentage", "indicative", "published", "updated", "report_url", "withdrawn"}) {
        auto before = field_or_null(c.previous, key), after = field_or_null(c.current, key);
        if (before != after) out.push_back({key, before, after});
    }
    auto before = scores_by_statement(c.previous), after = scores_by_statement(c.current);
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        std::string key(to_key(statement_at(i)));
        auto b = before.count(key) ? before[key] : nlohmann::json(nullptr);
        auto a = after.count(key) ? after[key] : nlohmann::json(nullptr);
        if (b != a) out.push_back({key, b, a});
    }
    return out;
}

std::string value_text(const std::string& field, const nlohmann::json& v) {
    if (v.is_null()) return "-";
    if (field == "rating" && v.is_string())
        if (auto r = rating_from_key(v.get<std::string>())) return std::string(to_label(*r));
    if (field == "percentage" && v.is_number()) return percentage_text(v.get<double>());
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

std::string details(const ChangeRow& r) {
    if (r.change.kind == "created" && r.assessment) {
        const auto& a = *r.assessment;
        return std::string(a.assessment.rating ? to_label(*a.assessment.rating) : "rating unknown") + " " +
               percentage_text(a.assessment) + ", published " +
               (a.published ? a.published->iso() : "date unknown");
    }
    std::string out;
    for (const auto& f : r.fields)
        out += (out.empty() ? "" : "; ") + f.field + " " + value_text(f.field, f.before) + " → " +
               value_text(f.field, f.after);
    return out.empty() ? "no field changed" : out;
}

std::vector<ChangeRow> changes_of(const Store& store, const std::vector<StoredAssessment>& all,
                                  const std::set<std::string>& councils, TimePoint since) {
    std::map<std::int64_t, const StoredAssessment*> by_id;
    for (const auto& a : all) by_id[a.id] = &a;
    std::vector<ChangeRow> out;
    for (auto& c : value_or_throw(store.changes_since(since))) {
        auto it = by_id.find(c.assessment_id);
        if (it == by_id.end() || !councils.count(it->second->authority.code)) continue;
        ChangeRow row{std::move(c), it->second, {}};
        row.fields = field_changes(row.change);
        if (row.change.kind == "enriched" && row.fields.empty()) continue;  // nothing a reader would see
        out.push_back(std::move(row));
    }
    return out;
}

void print_changes_table(const std::vector<ChangeRow>& rows) {
    std::vector<std::vector<std::string>> cells;
    for (const auto& r : rows)
        cells.push_back({uk_time(r.change.changed_at), r.assessment->authority.name, kind_of(r.change), details(r)});
    print_table(std::cout, {"WHEN (UK)", "COUNCIL", "CHANGE", "DETAILS"}, cells);
    if (rows.empty()) std::cout << "(no changes in that time)\n";
}

nlohmann::json changes_json(const std::vector<ChangeRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : r.fields) fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
        nlohmann::json j{{"changed_at", rfc3339(r.change.changed_at)},
                         {"kind", kind_of(r.change)},
                         {"source", r.change.source},
                         {"assessment_id", r.change.assessment_id},
                         {"authority", authority_json(r.assessment->authority)},
                         {"fields", fields},
                         {"current", assessment_record_json(*r.assessment)}};
        add_geography(j);
        out.push_back(std::move(j));
    }
    return out;
}

void print_changes_csv(const std::vector<ChangeRow>& rows) {
    std::cout << "changed_at,kind,authority,ons_code,assessment_id,field,before,after\r\n";
    auto csv_value = [](const nlohmann::json& v) {
        return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump();
    };
    for (const auto& r : rows) {
        std::string head = rfc3339(r.change.changed_at) + "," + kind_of(r.change) + "," +
                           csv_field(r.assessment->authority.name) + "," + r.assessment->authority.code + "," +
                           std::to_string(r.change.assessment_id) + ",";
        if (r.fields.empty()) std::cout << head << ",,\r\n";
        for (const auto& f : r.fields)
            std::cout << head << f.field << "," << csv_field(csv_value(f.before)) << ","
                      << csv_field(csv_value(f.after)) << "\r\n";
    }
}

int run_changes(const ChangesOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    TimePoint since = parse_since_or_throw(o.since, "--since", std::chrono::system_clock::now());
    std::set<std::string> councils = selected_councils(o.select);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    std::vector<StoredAssessment> all = value_or_throw(store.history({}));
    std::vector<ChangeRow> rows = changes_of(store, all, councils, since);
    if (o.format == "json")
        std::cout << changes_json(rows).dump(2) << "\n";
    else if (o.format == "csv")
        print_changes_csv(rows);
    else
        print_changes_table(rows);
    return 0;
}

}  // namespace

CommandRun setup_changes(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ChangesOptions>();
    sub.footer(
        "Changes recorded in the history since a time, oldest first: new assessments, updated ones "
        "(each field before -> after), withdrawn and restored ones.");
    sub.add_option("--since", o->since,
                   "Recorded at or after: an age (7d, 2w, 12h; default 7d), a date (UK midnight) or an RFC 3339 "
                   "time (2026-01-23T00:01:00Z, 2026-06-05T00:01:00+01:00)");
    add_council_options(sub, o->select);
    sub.add_option("--format", o->format, "table (default), json or csv (one row per changed field)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_changes(*o, global); };
}

}  // namespace cqcwatch
