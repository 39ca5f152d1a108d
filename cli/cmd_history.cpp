// `cqcwatch history`: the assessments stored, newest first, filtered; as an
// aligned table for people or complete, stable JSON / RFC 4180 CSV for scripts.
// `--latest` gives the current picture: one row per council, its newest
// assessment, with the rating before it.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/query.hpp"

namespace cqcwatch {

namespace {

struct HistoryOptions {
    SelectionOptions select;
    std::string format = "table";
    long limit = -1;  // -1: 50 for the table, everything for json/csv
    std::string database;
};

constexpr std::size_t k_table_default_limit = 50;

std::string rating_text(const StoredAssessment& a) {
    const Assessment& v = a.assessment;
    std::string rating = v.rating ? std::string(to_label(*v.rating)) : "-";
    if (v.indicative) rating += " (indicative)";
    if (a.withdrawn) rating += " [withdrawn]";
    if (auto mark = embargo_mark(a); !mark.empty()) rating += " " + mark;
    if (!a.conflicts.empty()) rating += " [conflict]";
    return rating;
}

std::string previous_text(const SelectedRow& r) {
    if (!r.previous) return "-";
    return rating_text(*r.previous) + (r.previous->published ? " (" + r.previous->published->iso() + ")" : "");
}

void print_history_table(const std::vector<SelectedRow>& rows, bool latest, bool truncated) {
    std::vector<std::vector<std::string>> cells;
    for (const auto& r : rows) {
        const StoredAssessment& a = r.current;
        std::vector<std::string> line{a.published ? a.published->iso() : "-",
                                      a.authority.name,
                                      a.authority.code,
                                      rating_text(a),
                                      percentage_text(a.assessment),
                                      compact_scores(a.assessment.scores)};
        if (latest) line.push_back(previous_text(r));
        cells.push_back(std::move(line));
    }
    std::vector<std::string> header{"PUBLISHED", "COUNCIL", "CODE", "RATING", "%", "SCORES"};
    if (latest) header.push_back("PREVIOUS");
    print_table(std::cout, header, cells);
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
    print_history_table(rows, o.select.latest, truncated);
}

// json and csv go out row by row as they are read.
void print_stream(const Store& store, const HistoryOptions& o, std::size_t limit, TimePoint now) {
    const bool latest = o.select.latest;
    std::size_t n = 0;
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
        "'-' where unknown. With --latest, one row per council (its newest assessment, withdrawn ones "
        "skipped) and the filters apply to that row: \"which councils are rated inadequate now?\" is "
        "history --latest --rating inadequate.");
    add_council_options(sub, o->select);
    add_assessment_options(sub, o->select);
    sub.add_flag("--latest", o->select.latest,
                 "One row per council: its newest assessment, the previous rating beside it");
    sub.add_option("--format", o->format, "table (default), json or csv (RFC 4180, with a header)");
    sub.add_option("--limit", o->limit, "At most N rows; 0 = all (default: 50 for table, all for json/csv)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_history(*o, global); };
}

}  // namespace cqcwatch
