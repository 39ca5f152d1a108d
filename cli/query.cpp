// The shared selection of the query commands. The store hands over every
// assessment of the chosen councils in one read (a few thousand rows at
// most); the filters that need "latest per council" or a score comparison
// run here, so each command is one query and a pass over the rows.

#include "cli/query.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "parsers/authorities.hpp"
#include "parsers/edit_distance.hpp"

namespace cqcwatch {

namespace {

struct OpSpelling {
    std::string_view text;
    WhereClause::Op op;
};
// Longest first, so "<=" is not read as "<".
constexpr OpSpelling k_ops[] = {{"<=", WhereClause::Op::le}, {">=", WhereClause::Op::ge}, {"!=", WhereClause::Op::ne},
                                {"==", WhereClause::Op::eq}, {"<", WhereClause::Op::lt},  {">", WhereClause::Op::gt},
                                {"=", WhereClause::Op::eq}};

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::string nearest_subject(const std::string& given) {
    std::vector<std::string> names{"any", "all", "percentage"};
    for (std::size_t i = 0; i < k_statement_count; ++i) names.emplace_back(to_key(statement_at(i)));
    std::string best;
    std::size_t best_d = 4;  // only close misspellings
    for (const auto& n : names)
        if (auto d = edit_distance(given, n); d < best_d) best = n, best_d = d;
    return best;
}

// " (did you mean 'West Midlands'?)" for a close misspelling, else "".
std::string nearest_region(const std::string& given) {
    const std::string folded = fold_words(given);
    std::string best;
    std::size_t best_d = 4;
    for (const auto& r : regions())
        if (auto d = edit_distance(folded, fold_words(r.name)); d < best_d) best = r.name, best_d = d;
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

WhereClause::Subject subject_or_throw(WhereClause& w, const std::string& name) {
    if (name == "any") return WhereClause::Subject::any;
    if (name == "all") return WhereClause::Subject::all;
    if (name == "percentage") return WhereClause::Subject::percentage;
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (to_key(statement_at(i)) == name) {
            w.statement = i;
            return WhereClause::Subject::statement;
        }
    std::string msg = "--where '" + w.text + "': unknown statement '" + name + "'";
    if (auto near = nearest_subject(name); !near.empty()) msg += " (did you mean '" + near + "'?)";
    throw UsageError(msg + "; expected a statement key (assessing_needs … learning), any, all or percentage");
}

bool compare(double lhs, WhereClause::Op op, double rhs) {
    switch (op) {
        case WhereClause::Op::eq:
            return std::fabs(lhs - rhs) < 1e-9;
        case WhereClause::Op::ne:
            return std::fabs(lhs - rhs) >= 1e-9;
        case WhereClause::Op::lt:
            return lhs < rhs;
        case WhereClause::Op::le:
            return lhs <= rhs + 1e-9;
        case WhereClause::Op::gt:
            return lhs > rhs;
        case WhereClause::Op::ge:
            return lhs + 1e-9 >= rhs;
    }
    return false;
}

std::vector<std::string> codes_where(auto pred) {
    std::vector<std::string> out;
    for (const auto& e : Authorities::builtin().all())
        if (pred(e)) out.push_back(e.code);
    return out;
}

// Councils of each option kind; a council is selected when every given kind names it.
std::vector<std::vector<std::string>> council_sets(const SelectionOptions& o) {
    std::vector<std::vector<std::string>> sets;
    if (!o.authorities.empty()) {
        std::vector<std::string> codes;
        for (const auto& a : o.authorities) codes.push_back(resolve_authority_or_throw(a).code);
        sets.push_back(codes);
    }
    if (!o.regions.empty()) {
        std::vector<std::string> wanted;
        for (const auto& r : o.regions) {
            const Region* region = find_region(r);
            if (!region)
                throw UsageError("--region: unknown region '" + r + "'" + nearest_region(r) +
                                 "; expected one of North East, North West, Yorkshire and The Humber, East "
                                 "Midlands, West Midlands, East of England, London, South East, South West");
            wanted.emplace_back(region->code);
        }
        sets.push_back(codes_where([&](const Authorities::Entry& e) {
            return std::find(wanted.begin(), wanted.end(), e.region) != wanted.end();
        }));
    }
    if (!o.types.empty()) {
        std::vector<CouncilType> wanted;
        for (const auto& t : o.types) {
            auto type = find_council_type(t);
            if (!type)
                throw UsageError("--type: unknown council type '" + t +
                                 "'; expected county, metropolitan, London borough, unitary, City of London or "
                                 "Isles of Scilly");
            wanted.push_back(*type);
        }
        sets.push_back(codes_where([&](const Authorities::Entry& e) {
            return e.type && std::find(wanted.begin(), wanted.end(), *e.type) != wanted.end();
        }));
    }
    return sets;
}

struct Filters {
    std::vector<Rating> ratings;
    std::optional<Date> since;
    std::optional<Date> until;
    std::vector<WhereClause> where;
    bool indicative = false;
};

Filters filters_of(const SelectionOptions& o, TimePoint now) {
    Filters f;
    for (const auto& r : o.ratings) f.ratings.push_back(parse_rating_or_throw(r, "--rating"));
    if (!o.since.empty()) f.since = uk_date(parse_since_or_throw(o.since, "--since", now));
    if (!o.until.empty()) f.until = uk_date(parse_since_or_throw(o.until, "--until", now));
    for (const auto& w : o.where) f.where.push_back(parse_where_or_throw(w));
    f.indicative = o.indicative;
    return f;
}

bool passes(const Filters& f, const StoredAssessment& a) {
    const Assessment& v = a.assessment;
    if (!f.ratings.empty() &&
        (!v.rating || std::find(f.ratings.begin(), f.ratings.end(), *v.rating) == f.ratings.end()))
        return false;
    if (f.since && (!a.published || *a.published < *f.since)) return false;
    if (f.until && (!a.published || *a.published > *f.until)) return false;
    if (f.indicative && !v.indicative) return false;
    return std::all_of(f.where.begin(), f.where.end(), [&](const WhereClause& w) { return matches(w, v); });
}

}  // namespace

WhereClause parse_where_or_throw(std::string_view text) {
    WhereClause w;
    w.text = std::string(text);
    for (const auto& spelling : k_ops) {
        auto at = text.find(spelling.text);
        if (at == std::string_view::npos) continue;
        w.op = spelling.op;
        std::string name = fold_words(trim(text.substr(0, at)));
        std::replace(name.begin(), name.end(), ' ', '_');
        std::string number = trim(text.substr(at + spelling.text.size()));
        if (name.empty())
            throw UsageError("--where '" + w.text + "': expected a statement before '" + std::string(spelling.text) +
                             "'");
        w.subject = subject_or_throw(w, name);
        std::size_t used = 0;
        try {
            w.value = std::stod(number, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (number.empty() || used != number.size())
            throw UsageError("--where '" + w.text + "': expected a number after '" + std::string(spelling.text) +
                             "', found '" + number + "'");
        return w;
    }
    throw UsageError("--where '" + w.text +
                     "': expected STATEMENT OP N with OP one of = != < <= > >= (e.g. \"safeguarding<=1\")");
}

bool matches(const WhereClause& w, const Assessment& a) {
    switch (w.subject) {
        case WhereClause::Subject::statement:
            return a.scores[w.statement] && compare(*a.scores[w.statement], w.op, w.value);
        case WhereClause::Subject::percentage: {
            auto p = a.percentage();
            return p && compare(*p, w.op, w.value);
        }
        case WhereClause::Subject::any:
            return std::any_of(a.scores.begin(), a.scores.end(),
                               [&](auto s) { return s && compare(*s, w.op, w.value); });
        case WhereClause::Subject::all:
            return std::all_of(a.scores.begin(), a.scores.end(),
                               [&](auto s) { return s && compare(*s, w.op, w.value); });
    }
    return false;
}

Rating parse_rating_or_throw(std::string_view text, std::string_view option) {
    std::string key = fold_words(text);
    std::replace(key.begin(), key.end(), ' ', '_');
    if (key == "ri") key = "requires_improvement";
    if (auto r = rating_from_key(key)) return *r;
    throw UsageError(std::string(option) + ": expected outstanding, good, requires improvement or inadequate, got '" +
                     std::string(text) + "'");
}

TimePoint parse_since_or_throw(std::string_view text, std::string_view option, TimePoint now) {
    const std::string t = trim(text);
    if (auto d = parse_iso_date(t)) {
        return uk_day_start(*d);
    }
    if (t.size() >= 2 &&
        std::all_of(t.begin(), t.end() - 1, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        const long n = std::stol(t.substr(0, t.size() - 1));
        const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(t.back())));
        const long hours = unit == 'h' ? n : unit == 'd' ? n * 24 : unit == 'w' ? n * 24 * 7 : -1;
        if (hours >= 0) return now - std::chrono::hours(hours);
    }
    if (auto instant = parse_rfc3339(t)) return *instant;
    throw UsageError(std::string(option) +
                     ": expected a date (2026-01-01), an RFC 3339 time (2026-01-23T00:01:00Z or "
                     "2026-06-05T00:01:00+01:00) or an age (12h, 7d, 2w), got '" +
                     std::string(text) + "'");
}

void add_council_options(CLI::App& sub, SelectionOptions& o) {
    sub.add_option("--authority", o.authorities, "A council: any name CQC uses, or its ONS code (repeatable)");
    sub.add_option("--region", o.regions, "An English region, e.g. \"West Midlands\" or london (repeatable)");
    sub.add_option("--type", o.types,
                   "county, metropolitan, \"London borough\", unitary, \"City of London\" or \"Isles of Scilly\" "
                   "(repeatable)");
}

void add_assessment_options(CLI::App& sub, SelectionOptions& o) {
    sub.add_option("--rating", o.ratings, "outstanding, good, \"requires improvement\" or inadequate (repeatable)");
    sub.add_option("--since", o.since,
                   "Published on or after: a date (2026-01-01, UK day), an age (7d, 2w, 12h) or an RFC 3339 time "
                   "(2026-01-23T00:01:00Z, 2026-06-05T00:01:00+01:00)");
    sub.add_option("--until", o.until, "Published on or before: a date (2026-01-31), an age or an RFC 3339 time");
    sub.add_option("--where", o.where,
                   "STATEMENT OP N, ANDed when repeated; STATEMENT a key (assessing_needs … learning), any, all or "
                   "percentage; OP = != < <= > >=; e.g. \"safeguarding<=1\"");
    sub.add_flag("--indicative", o.indicative, "Only the indicative 2023 pilot assessments");
}

std::set<std::string> selected_councils(const SelectionOptions& o) {
    auto sets = council_sets(o);
    std::set<std::string> out;
    for (const auto& e : Authorities::builtin().all()) {
        bool in_all = std::all_of(sets.begin(), sets.end(), [&](const std::vector<std::string>& s) {
            return std::find(s.begin(), s.end(), e.code) != s.end();
        });
        if (in_all) out.insert(e.code);
    }
    return out;
}

namespace {

// Without --latest the filters that SQL can apply are pushed into the query, so a
// short listing reads only the rows it shows.
HistoryQuery store_query(const SelectionOptions& o, const Filters& f, const std::set<std::string>& councils) {
    HistoryQuery q;
    if (o.authorities.size() == 1 && o.regions.empty() && o.types.empty()) q.authority_code = *councils.begin();
    if (o.latest) return q;
    if (f.ratings.size() == 1) q.rating = f.ratings.front();
    q.since = f.since;
    q.until = f.until;
    q.indicative_only = f.indicative;
    return q;
}

}  // namespace

void each_selected(const Store& store, const SelectionOptions& o, TimePoint now,
                   const std::function<bool(SelectedRow&&)>& visit) {
    const Filters f = filters_of(o, now);
    const std::set<std::string> councils = selected_councils(o);
    const HistoryQuery q = store_query(o, f, councils);
    if (!o.latest) {
        value_or_throw(store.each_assessment(q, [&](StoredAssessment&& a) {
            if (!councils.count(a.authority.code) || !passes(f, a)) return true;
            return visit({std::move(a), std::nullopt});
        }));
        return;
    }
    // Newest first: a council's first row is its latest, its second the one before;
    // the rest are read and dropped.
    std::map<std::string, std::size_t> seen;
    std::vector<SelectedRow> latest;
    value_or_throw(store.each_assessment(q, [&](StoredAssessment&& a) {
        if (a.withdrawn || !councils.count(a.authority.code)) return true;
        auto [it, fresh] = seen.emplace(a.authority.code, latest.size());
        if (fresh)
            latest.push_back({std::move(a), std::nullopt});
        else if (!latest[it->second].previous)
            latest[it->second].previous = std::move(a);
        return true;
    }));
    for (auto& row : latest)
        if (passes(f, row.current) && !visit(std::move(row))) return;
}

std::vector<SelectedRow> select_assessments(const Store& store, const SelectionOptions& o, TimePoint now) {
    std::vector<SelectedRow> out;
    each_selected(store, o, now, [&](SelectedRow&& row) {
        out.push_back(std::move(row));
        return true;
    });
    return out;
}

std::string_view region_of(std::string_view code) {
    const auto* e = Authorities::builtin().by_code(code);
    const Region* r = e ? region_by_code(e->region) : nullptr;
    return r ? r->name : std::string_view();
}

std::string_view type_of(std::string_view code) {
    const auto* e = Authorities::builtin().by_code(code);
    return e && e->type ? to_label(*e->type) : std::string_view();
}

void add_geography(nlohmann::json& record) {
    auto& a = record["authority"];
    if (!a.is_object() || !a.contains("code")) return;
    const auto* e = Authorities::builtin().by_code(a["code"].get<std::string>());
    const Region* r = e ? region_by_code(e->region) : nullptr;
    a["region"] = r ? nlohmann::json(r->name) : nlohmann::json(nullptr);
    a["type"] = e && e->type ? nlohmann::json(to_key(*e->type)) : nlohmann::json(nullptr);
}

void check_format_or_throw(const std::string& format) {
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError("--format: expected table, json or csv, got '" + format + "'");
}

}  // namespace cqcwatch
