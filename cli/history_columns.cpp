// The history table's columns, one table of them. A score column is headed by
// a one-word short name (the key under the table spells out CQC's statement),
// so the nine fit beside the council on a wide terminal.

#include "cli/history_columns.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "parsers/edit_distance.hpp"

namespace cqcwatch {

namespace {

std::string published(const SelectedRow& r) { return r.current.published ? r.current.published->iso() : "-"; }
std::string published_csv(const SelectedRow& r) { return r.current.published ? r.current.published->iso() : ""; }
std::string council(const SelectedRow& r) { return r.current.authority.name; }
std::string council_csv(const SelectedRow& r) { return csv_field(r.current.authority.name); }
std::string code(const SelectedRow& r) { return r.current.authority.code; }
std::string region(const SelectedRow& r) { return std::string(region_of(r.current.authority.code)); }
std::string region_csv(const SelectedRow& r) { return csv_field(region(r)); }
std::string type(const SelectedRow& r) { return std::string(type_of(r.current.authority.code)); }
std::string type_csv(const SelectedRow& r) { return csv_field(type(r)); }
std::string rating(const SelectedRow& r) { return rating_text(r.current); }
std::string rating_csv(const SelectedRow& r) {
    const auto& v = r.current.assessment.rating;
    return v ? std::string(to_key(*v)) : "";
}
std::string percentage(const SelectedRow& r) { return percentage_text(r.current.assessment); }
std::string percentage_csv(const SelectedRow& r) {
    // Whole, as the full csv gives it (the one percentage rule).
    auto p = r.current.assessment.percentage();
    return p ? std::to_string(*p) : "";
}
std::string scores(const SelectedRow& r) { return compact_scores(r.current.assessment.scores); }
std::string previous(const SelectedRow& r) {
    if (!r.previous) return "-";
    return rating_text(*r.previous) + (r.previous->published ? " (" + r.previous->published->iso() + ")" : "");
}
std::string previous_csv(const SelectedRow& r) {
    return r.previous && r.previous->assessment.rating ? std::string(to_key(*r.previous->assessment.rating)) : "";
}

template <std::size_t I>
std::string score(const SelectedRow& r) {
    const auto& s = r.current.assessment.scores[I];
    return s ? std::to_string(*s) : "-";
}
template <std::size_t I>
std::string score_csv(const SelectedRow& r) {
    const auto& s = r.current.assessment.scores[I];
    return s ? std::to_string(*s) : "";
}

// The statements' short names, in CQC's order (the key names them in full).
const std::array<HistoryColumn, 18> k_columns{{
    {"published", "PUBLISHED", published, published_csv},
    {"council", "COUNCIL", council, council_csv},
    {"code", "CODE", code, code},
    {"region", "REGION", region, region_csv},
    {"type", "TYPE", type, type_csv},
    {"rating", "RATING", rating, rating_csv},
    {"percentage", "%", percentage, percentage_csv},
    {"scores", "SCORES", scores, scores},
    {"previous", "PREVIOUS", previous, previous_csv},
    {"assessing_needs", "NEEDS", score<0>, score_csv<0>, 0},
    {"healthier_lives", "HEALTH", score<1>, score_csv<1>, 1},
    {"equity", "EQUITY", score<2>, score_csv<2>, 2},
    {"care_provision", "CARE", score<3>, score_csv<3>, 3},
    {"partnerships", "PARTNERS", score<4>, score_csv<4>, 4},
    {"safe_pathways", "PATHWAYS", score<5>, score_csv<5>, 5},
    {"safeguarding", "SAFEGUARDING", score<6>, score_csv<6>, 6},
    {"governance", "GOVERNANCE", score<7>, score_csv<7>, 7},
    {"learning", "LEARNING", score<8>, score_csv<8>, 8},
}};

const HistoryColumn* find_column(std::string_view name) {
    for (const auto& c : k_columns) {
        std::string header = fold_words(c.header);
        if (c.name == name || header == name) return &c;
    }
    return nullptr;
}

std::string all_names() {
    std::string out;
    for (const auto& c : k_columns) out += (out.empty() ? "" : ", ") + std::string(c.name);
    return out;
}

[[noreturn]] void unknown_column(const std::string& given) {
    std::string best;
    std::size_t best_d = 4;  // only close misspellings
    for (const auto& c : k_columns)
        if (auto d = edit_distance(given, c.name); d < best_d) best = c.name, best_d = d;
    std::string msg = "--columns: unknown column '" + given + "'";
    if (!best.empty()) msg += " (did you mean '" + best + "'?)";
    throw UsageError(msg + "; expected some of " + all_names());
}

ColumnList named(std::initializer_list<std::string_view> names, bool latest) {
    ColumnList out;
    for (auto n : names) out.push_back(find_column(n));
    if (latest) out.push_back(find_column("previous"));
    return out;
}

}  // namespace

std::string rating_text(const StoredAssessment& a) {
    const Assessment& v = a.assessment;
    std::string out = v.rating ? std::string(to_label(*v.rating)) : "-";
    if (v.indicative) out += " (indicative)";
    if (a.withdrawn) out += " [withdrawn]";
    if (auto mark = embargo_mark(a); !mark.empty()) out += " " + mark;
    if (!a.conflicts.empty()) out += " [conflict]";
    return out;
}

ColumnList parse_columns_or_throw(std::string_view list) {
    ColumnList out;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = std::min(list.find(',', start), list.size());
        std::string name = fold_words(list.substr(start, comma - start));
        std::replace(name.begin(), name.end(), ' ', '_');
        if (name == "%") name = "percentage";
        if (name.empty()) throw UsageError("--columns: an empty name in '" + std::string(list) + "'");
        const HistoryColumn* c = find_column(name);
        if (!c) unknown_column(name);
        out.push_back(c);
        start = comma + 1;
    }
    return out;
}

ColumnList default_columns(bool latest) {
    return named({"published", "council", "code", "rating", "percentage", "scores"}, latest);
}

ColumnList wide_columns(bool latest) {
    ColumnList out = named({"published", "council", "rating", "percentage"}, false);
    for (const auto& c : k_columns)
        if (c.statement >= 0) out.push_back(&c);
    if (latest) out.push_back(find_column("previous"));
    return out;
}

std::string statement_key(const ColumnList& columns) {
    std::string out;
    std::optional<Theme> theme;
    for (const auto* c : columns) {
        if (c->statement < 0) continue;
        Statement s = statement_at(static_cast<std::size_t>(c->statement));
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            out += std::string(out.empty() ? "" : "\n") + std::string(to_label(*theme)) + ":";
        } else {
            out += ";";
        }
        out += " " + std::string(c->header) + " " + std::string(to_label(s));
    }
    return out.empty() ? out : out + "\n";
}

}  // namespace cqcwatch
