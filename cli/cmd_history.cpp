// `cqcwatch history`: the assessments stored, newest first, filtered; as an
// aligned table for people or complete, stable JSON / RFC 4180 CSV for scripts.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct HistoryOptions {
    std::string authority;
    std::string rating;
    std::string since;
    std::string until;
    bool indicative = false;
    std::string format = "table";
    long limit = -1;  // -1: 50 for the table, everything for json/csv
    std::string database;
};

constexpr std::size_t k_table_default_limit = 50;

HistoryQuery to_query(const HistoryOptions& o) {
    HistoryQuery q;
    if (!o.authority.empty()) q.authority_code = resolve_authority_or_throw(o.authority).code;
    if (!o.rating.empty()) {
        q.rating = rating_from_key(o.rating);
        if (!q.rating)
            throw UsageError("--rating: expected outstanding, good, requires_improvement or inadequate, got '" +
                             o.rating + "'");
    }
    if (!o.since.empty()) q.since = parse_date_or_throw(o.since, "--since");
    if (!o.until.empty()) q.until = parse_date_or_throw(o.until, "--until");
    q.indicative_only = o.indicative;
    if (o.limit < -1) throw UsageError("--limit: expected 0 (no limit) or more");
    q.limit = o.limit >= 0 ? static_cast<std::size_t>(o.limit) : o.format == "table" ? k_table_default_limit + 1 : 0;
    return q;
}

void print_history_table(const std::vector<StoredAssessment>& rows, bool truncated) {
    std::vector<std::vector<std::string>> cells;
    for (const auto& a : rows) {
        const Assessment& v = a.assessment;
        std::string rating = v.rating ? std::string(to_label(*v.rating)) : "-";
        if (v.indicative) rating += " (indicative)";
        if (a.withdrawn) rating += " [withdrawn]";
        cells.push_back({a.published ? a.published->iso() : "-", a.authority.name, a.authority.code, rating,
                         percent_text(v.percentage()), compact_scores(v.scores)});
    }
    print_table(std::cout, {"PUBLISHED", "COUNCIL", "CODE", "RATING", "%", "SCORES"}, cells);
    if (truncated) std::cout << "(first " << rows.size() << " shown; --limit 0 shows all)\n";
}

int run_history(const HistoryOptions& o, const GlobalOptions& global) {
    if (o.format != "table" && o.format != "json" && o.format != "csv")
        throw UsageError("--format: expected table, json or csv, got '" + o.format + "'");
    HistoryQuery q = to_query(o);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    std::vector<StoredAssessment> rows = store.history(q);
    if (o.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& a : rows) out.push_back(assessment_record_json(a));
        std::cout << out.dump(2) << "\n";
    } else if (o.format == "csv") {
        std::cout << assessment_csv_header();
        for (const auto& a : rows) std::cout << assessment_csv_row(a);
    } else {
        bool truncated = o.limit < 0 && rows.size() > k_table_default_limit;
        if (truncated) rows.resize(k_table_default_limit);
        print_history_table(rows, truncated);
    }
    return 0;
}

}  // namespace

CommandRun setup_history(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<HistoryOptions>();
    sub.footer(
        "The assessments stored, newest first. SCORES shows the nine quality statement scores in CQC's "
        "order, grouped by theme (working with people, providing support, ensuring safety, leadership); "
        "'-' where unknown.");
    sub.add_option("--authority", o->authority, "A council: any name CQC uses, or its ONS code");
    sub.add_option("--rating", o->rating, "outstanding, good, requires_improvement or inadequate");
    sub.add_option("--since", o->since, "Published on or after this date (YYYY-MM-DD)");
    sub.add_option("--until", o->until, "Published on or before this date (YYYY-MM-DD)");
    sub.add_flag("--indicative", o->indicative, "Only the indicative 2023 pilot assessments");
    sub.add_option("--format", o->format, "table (default), json or csv (RFC 4180, with a header)");
    sub.add_option("--limit", o->limit, "At most N rows; 0 = all (default: 50 for table, all for json/csv)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_history(*o, global); };
}

}  // namespace cqcwatch
