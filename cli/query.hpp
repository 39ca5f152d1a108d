#pragma once
// The selection the query commands share (history, compare, stats, report):
// which councils (--authority, --region, --type), which assessments
// (--rating, --since, --until, --where, --latest), read from the store once
// and filtered here. Values are read the way people write them:
// "requires improvement", "Inadequate", "7d", "2026-01-01".

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "parsers/geography.hpp"
#include "store/store.hpp"

namespace cqcwatch {

/// One `--where` condition: STATEMENT|any|all|percentage OP N.
struct WhereClause {
    enum class Op { eq, ne, lt, le, gt, ge };
    enum class Subject { statement, any, all, percentage };
    Subject subject = Subject::statement;
    std::size_t statement = 0;  ///< index in CQC's order, for Subject::statement
    Op op = Op::eq;
    double value = 0;
    std::string text;  ///< as given, for messages
};

/// Parses "safeguarding<=1", "any = 1", "percentage>=62.5"; UsageError naming what is wrong.
WhereClause parse_where_or_throw(std::string_view text);
/// True when the assessment meets the clause (an unknown score never does).
bool matches(const WhereClause& w, const Assessment& a);

/// A rating as people write it ("requires improvement", "Requires-Improvement", "RI"); UsageError if none.
Rating parse_rating_or_throw(std::string_view text, std::string_view option);
/// "7d", "12h", "2w" (back from `now`), "2026-01-01" (UK midnight) or RFC 3339; UsageError if none.
TimePoint parse_since_or_throw(std::string_view text, std::string_view option, TimePoint now);

/// The options as typed.
struct SelectionOptions {
    std::vector<std::string> authorities;
    std::vector<std::string> regions;
    std::vector<std::string> types;
    std::vector<std::string> ratings;
    std::vector<std::string> where;
    std::string since;
    std::string until;
    bool indicative = false;
    bool latest = false;
};

/// Declares --authority, --region, --type (repeatable) on a subcommand.
void add_council_options(CLI::App& sub, SelectionOptions& o);
/// Declares the assessment filters: --rating, --since, --until, --where, --indicative.
void add_assessment_options(CLI::App& sub, SelectionOptions& o);

/// One selected assessment, with the council's assessment before it (for --latest).
struct SelectedRow {
    StoredAssessment current;
    std::optional<StoredAssessment> previous;  ///< the council's previous assessment, if any
};

/// Reads and filters. With `latest`, one row per council (its newest assessment not
/// withdrawn), filtered after choosing; otherwise every matching assessment, newest first.
std::vector<SelectedRow> select_assessments(const Store& store, const SelectionOptions& o, TimePoint now);
/// The rows select_assessments returns, in its order, handed to `visit` one at a time
/// (without --latest nothing is kept); stops when `visit` returns false.
void each_selected(const Store& store, const SelectionOptions& o, TimePoint now,
                   const std::function<bool(SelectedRow&&)>& visit);
/// The ONS codes the council options name (every council when they name none).
std::set<std::string> selected_councils(const SelectionOptions& o);

/// The region name of a council code ("" when unknown).
std::string_view region_of(std::string_view code);
/// The type label of a council code ("" when unknown).
std::string_view type_of(std::string_view code);
/// Adds "region" and "type" keys to a record's "authority" object.
void add_geography(nlohmann::json& record);

/// The output formats of the query commands; UsageError for others.
void check_format_or_throw(const std::string& format);

}  // namespace cqcwatch
