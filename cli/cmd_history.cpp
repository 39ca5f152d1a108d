// `cqcwatch history`: the assessments stored, newest first, filtered; as an
// aligned table for people or complete, stable JSON / RFC 4180 CSV for scripts.
// `--latest` gives the current picture: one row per council, its newest
// assessment, with the rating before it.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/history_columns.hpp"
#include "cli/output.hpp"
#include "cli/query.hpp"

namespace cqcwatch {

namespace {

struct HistoryOptions {
    SelectionOptions select;
    std::string format = "table";
    long limit = -1;  // -1: 50 for the table, everything for json/csv
    bool wide = false;
    std::string columns;
    std::string database;
};

constexpr std::size_t k_table_default_limit = 50;

// The columns the table (and a --columns csv) shows.
ColumnList columns_of(const HistoryOptions& o) {
    if (!o.columns.empty()) return parse_columns_or_throw(o.columns);
    return o.wide ? wide_columns(o.select.latest) : default_columns(o.select.latest);
}

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Councils with a current assessment (a withdrawn report is none), as --latest counts them.
std::size_t councils_assessed_now(const Store& store) {
    SelectionOptions all;
    all.latest = true;
    std::size_t n = 0;
    each_selected(store, all, std::chrono::system_clock::now(), [&](SelectedRow&&) {
        ++n;
        return true;
    });
    return n;
}

// "0 councils rated Inadequate now (153 assessed)": what was asked, and what there is.
void print_empty(const Store& store, const SelectionOptions& s) {
    const StatusView v = value_or_throw(store.status(std::chrono::system_clock::now()));
    if (v.assessments == 0) {
        std::cout << "No assessments in the history yet (" << v.path
                  << " has none: `cqcwatch run` or `cqcwatch poll --once` fills it, `cqcwatch ingest` adds "
                     "press releases)\n";
        return;
    }
    std::string rated;
    for (const auto& r : s.ratings)
        rated += std::string(rated.empty() ? " rated " : " or ") +
                 std::string(to_label(parse_rating_or_throw(r, "--rating")));
    const bool other = !s.authorities.empty() || !s.regions.empty() || !s.types.empty() || !s.where.empty() ||
                       !s.since.empty() || !s.until.empty() || s.indicative;
    const std::string filters = other ? (rated.empty() ? " matching the filters" : " and matching the other filters")
                                      : "";
    if (s.latest)
        std::cout << "0 councils" << rated << filters << " now (" << councils_assessed_now(store) << " assessed)\n";
    else
        std::cout << "0 assessments" << rated << filters << " ("
                  << plural(v.assessments, "assessment", "assessments") << " of "
                  << plural(v.councils_assessed, "council", "councils") << " in the history)\n";
}

void print_history_table(const Store& store, const HistoryOptions& o, const std::vector<SelectedRow>& rows,
                         bool truncated) {
    if (rows.empty()) return print_empty(store, o.select);
    const ColumnList columns = columns_of(o);
    std::vector<std::string> header;
    for (const auto* c : columns) header.emplace_back(c->header);
    std::vector<std::vector<std::string>> cells;
    for (const auto& r : rows) {
        std::vector<std::string> line;
        for (const auto* c : columns) line.push_back(c->table(r));
        cells.push_back(std::move(line));
    }
    print_table(std::cout, header, cells);
    std::cout << statement_key(columns);
    for (const auto& r : rows)
        if (auto note = conflict_note(r.current); !note.empty())
            std::cout << "[conflict] " << r.current.authority.name << " "
                      << (r.current.published ? r.current.published->iso() : "-") << ": " << note << "\n";
    if (truncated) std::cout << "(first " << rows.size() << " shown; --limit 0 shows all)\n";
}

nlohmann::json row_json(const SelectedRow& r, bool latest) {
    nlohmann::json j = assessment_record_json(r.current);
    add_geography(j);
    if (latest) {
        const auto& p = r.previous;
        j["previous"] =
            p ? nlohmann::json{{"id", p->id},
                               {"rating", p->assessment.rating ? nlohmann::json(to_key(*p->assessment.rating))
                                                               : nlohmann::json(nullptr)},
                               {"percentage", p->assessment.percentage() ? nlohmann::json(*p->assessment.percentage())
                                                                         : nlohmann::json(nullptr)},
                               {"published",
                                p->published ? nlohmann::json(p->published->iso()) : nlohmann::json(nullptr)}}
              : nlohmann::json(nullptr);
    }
    return j;
}

std::string csv_header(bool latest) {
    std::string h = assessment_csv_header();
    return latest ? h.substr(0, h.size() - 2) + ",previous_rating,previous_published\r\n" : h;
}

std::string csv_row(const SelectedRow& r, bool latest) {
    std::string row = assessment_csv_row(r.current);
    if (!latest) return row;
    const auto& p = r.previous;
    row.resize(row.size() - 2);  // the CRLF, put back after the two columns
    return row + "," + (p && p->assessment.rating ? std::string(to_key(*p->assessment.rating)) : "") + "," +
           (p && p->published ? p->published->iso() : "") + "\r\n";
}

// The table needs its rows for the column widths; it reads one more than it shows
// to know whether to say so.
void print_table_rows(const Store& store, const HistoryOptions& o, std::size_t limit, TimePoint now) {
    std::vector<SelectedRow> rows;
    bool truncated = false;
    each_selected(store, o.select, now, [&](SelectedRow&& r) {
        if (limit && rows.size() == limit) {
            truncated = o.limit < 0;
            return false;
        }
        rows.push_back(std::move(r));
        return true;
    });
    print_history_table(store, o, rows, truncated);
}

// json and csv go out row by row as they are read.
void print_stream(const Store& store, const HistoryOptions& o, std::size_t limit, TimePoint now) {
    const bool latest = o.select.latest;
    std::size_t n = 0;
    if (o.format == "csv" && !o.columns.empty()) {
        const ColumnList columns = columns_of(o);
        std::string header;
        for (const auto* c : columns) header += (header.empty() ? "" : ",") + std::string(c->name);
        std::cout << header << "\r\n";
        each_selected(store, o.select, now, [&](SelectedRow&& r) {
            std::string line;
            for (std::size_t i = 0; i < columns.size(); ++i) line += (i ? "," : "") + columns[i]->csv(r);
            std::cout << line << "\r\n";
            return !limit || ++n < limit;
        });
        return;
    }
    if (o.format == "csv") {
        std::cout << csv_header(latest);
        each_selected(store, o.select, now, [&](SelectedRow&& r) {
            std::cout << csv_row(r, latest);
            return !limit || ++n < limit;
        });
        return;
    }
    JsonArrayWriter out(std::cout);
    each_selected(store, o.select, now, [&](SelectedRow&& r) {
        out.add(row_json(r, latest));
        return !limit || ++n < limit;
    });
    out.finish();
}

int run_history(const HistoryOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    if (o.limit < -1) throw UsageError("--limit: expected 0 (no limit) or more");
    if (o.wide && o.format != "table")
        throw UsageError("--wide: shapes the table; json and csv always name each of the nine scores");
    if (!o.columns.empty() && o.format == "json")
        throw UsageError("--columns: shapes the table or a csv; json always carries every field");
    if (!o.columns.empty()) parse_columns_or_throw(o.columns);  // a mistyped name before any output
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    const std::size_t limit = o.limit >= 0          ? static_cast<std::size_t>(o.limit)
                              : o.format == "table" ? k_table_default_limit
                                                    : 0;
    const TimePoint now = std::chrono::system_clock::now();
    if (o.format == "table")
        print_table_rows(store, o, limit, now);
    else
        print_stream(store, o, limit, now);
    return 0;
}

}  // namespace

CommandRun setup_history(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<HistoryOptions>();
    sub.footer(
        "The assessments stored, newest first. SCORES shows the nine quality statement scores in CQC's "
        "order, grouped by theme (working with people, providing support, ensuring safety, leadership); "
        "'-' where unknown; --wide gives each its own named column, --columns picks columns. With --latest, one row per council (its newest assessment, withdrawn ones "
        "skipped) and the filters apply to that row: \"which councils are rated inadequate now?\" is "
        "history --latest --rating inadequate.");
    add_council_options(sub, o->select);
    add_assessment_options(sub, o->select);
    sub.add_flag("--latest", o->select.latest,
                 "One row per council: its newest assessment, the previous rating beside it");
    auto* wide = sub.add_flag("--wide", o->wide,
                              "The nine scores in named columns (NEEDS … LEARNING, a key under the table) instead "
                              "of SCORES");
    sub.add_option("--columns", o->columns,
                   "The table's (or a csv's) columns, comma-separated, in order: published, council, code, region, "
                   "type, rating, percentage, scores, previous, and the statement keys assessing_needs … learning "
                   "(or their short names: needs, health, …)")
        ->excludes(wide);
    sub.add_option("--format", o->format, "table (default), json or csv (RFC 4180, with a header)");
    sub.add_option("--limit", o->limit, "At most N rows; 0 = all (default: 50 for table, all for json/csv)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_history(*o, global); };
}

}  // namespace cqcwatch
