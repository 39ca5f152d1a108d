// `cqcwatch changes --since 7d`: what happened in a window — assessments new
// in it, updated ones with each field before → after, withdrawn and restored
// ones, embargoes lifted — from the change rows the store keeps for ever.
// What was recorded without an alert (the first-run baseline, releases loaded
// by hand as history) is left out unless asked for: it did not happen then.

#include <algorithm>
#include <cctype>
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
    std::string until;
    long limit = 0;
    bool include_silent = false;
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

// What the rows were chosen from, for the sentence under them.
struct Window {
    TimePoint since;
    TimePoint until;
    std::string words;           // "in the last 7 days", "between … and …"
    std::size_t assessments = 0;  // in the whole history
    std::size_t silent = 0;       // matching, left out (recorded without an alert)
    std::size_t matching = 0;     // shown or cut by --limit
};

std::string kind_of(const AssessmentChange& c) {
    if (c.kind == "created") return "new";
    if (c.kind == "lifted") return "embargo_lifted";
    return c.kind;
}

std::string kind_words(const AssessmentChange& c) { return c.kind == "lifted" ? "embargo lifted" : kind_of(c); }

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
    if (c.kind == "created" || c.kind == "lifted") return out;
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

std::string field_text(const FieldChange& f) {
    if (f.field == "withdrawn")
        return f.after == true ? "withdrawn from CQC's site" : "restored on CQC's site";
    return f.field + " " + value_text(f.field, f.before) + " → " + value_text(f.field, f.after);
}

std::string figures(const StoredAssessment& a) {
    return std::string(a.assessment.rating ? to_label(*a.assessment.rating) : "rating unknown") + " " +
           percentage_text(a.assessment);
}

std::string lift_text(const ChangeRow& r) {
    std::string out = "embargo lifted: " + figures(*r.assessment);
    if (r.change.current.value("late", false)) out += " (lifted late: cqcwatch was not running at the time)";
    return out;
}

std::string details(const ChangeRow& r) {
    const auto& a = *r.assessment;
    std::string out;
    if (r.change.kind == "created")
        out = figures(a) + ", published " + (a.published ? a.published->iso() : "date unknown");
    if (auto mark = embargo_mark(a); !mark.empty() && r.change.kind == "created") out += " " + mark;
    else if (r.change.kind == "lifted")
        out = lift_text(r);
    for (const auto& f : r.fields) out += (out.empty() ? "" : "; ") + field_text(f);
    if (out.empty()) out = "no field changed";
    if (r.change.silent) out += " (recorded without an alert: baseline or history)";
    return out;
}

// The rating the change left, else the assessment's own (a withdrawal or lift carries none).
std::optional<Rating> rating_after(const ChangeRow& r) {
    auto key = field_or_null(r.change.current, "rating");
    if (key.is_string()) return rating_from_key(key.get<std::string>());
    return r.assessment->assessment.rating;
}

bool rating_wanted(const std::vector<Rating>& ratings, const ChangeRow& r) {
    if (ratings.empty()) return true;
    auto rating = rating_after(r);
    return rating && std::find(ratings.begin(), ratings.end(), *rating) != ratings.end();
}

std::vector<ChangeRow> changes_of(const Store& store, const std::vector<StoredAssessment>& all,
                                  const ChangesOptions& o, Window& w) {
    std::vector<Rating> ratings;
    for (const auto& r : o.select.ratings) ratings.push_back(parse_rating_or_throw(r, "--rating"));
    const std::set<std::string> councils = selected_councils(o.select);
    w.assessments = all.size();
    std::map<std::int64_t, const StoredAssessment*> by_id;
    for (const auto& a : all) by_id[a.id] = &a;
    std::vector<ChangeRow> out;
    for (auto& c : value_or_throw(store.changes_between(w.since, w.until))) {
        auto it = by_id.find(c.assessment_id);
        if (it == by_id.end() || !councils.count(it->second->authority.code)) continue;
        ChangeRow row{std::move(c), it->second, {}};
        row.fields = field_changes(row.change);
        if (row.change.kind == "enriched" && row.fields.empty()) continue;  // nothing a reader would see
        if (!rating_wanted(ratings, row)) continue;
        if (row.change.silent && !o.include_silent) {
            ++w.silent;
            continue;
        }
        out.push_back(std::move(row));
    }
    w.matching = out.size();
    if (o.limit > 0 && out.size() > static_cast<std::size_t>(o.limit)) out.resize(static_cast<std::size_t>(o.limit));
    return out;
}

std::string left_out_text(const Window& w) {
    return std::to_string(w.silent) + (w.silent == 1 ? " change" : " changes") +
           " recorded without an alert (the first-run baseline, history loaded by hand) left out: "
           "--include-baseline shows " +
           (w.silent == 1 ? "it" : "them");
}

void print_empty(const Window& w, bool filtered) {
    std::cout << "No changes" << (filtered ? " matching the filters " : " ") << w.words << " ("
              << w.assessments << (w.assessments == 1 ? " assessment" : " assessments") << " in the history";
    if (w.silent) std::cout << "; " << left_out_text(w);
    std::cout << ")\n";
}

void print_changes_table(const std::vector<ChangeRow>& rows, const Window& w, bool filtered) {
    if (rows.empty()) return print_empty(w, filtered);
    std::vector<std::vector<std::string>> cells;
    for (const auto& r : rows)
        cells.push_back({uk_time(r.change.changed_at), r.assessment->authority.name, kind_words(r.change), details(r)});
    print_table(std::cout, {"WHEN (UK)", "COUNCIL", "CHANGE", "DETAILS"}, cells);
    if (rows.size() < w.matching)
        std::cout << "(first " << rows.size() << " of " << w.matching << " shown; --limit 0 shows all)\n";
    if (w.silent) std::cout << "(" << left_out_text(w) << ")\n";
}

nlohmann::json changes_json(const std::vector<ChangeRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : r.fields)
            fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}, {"text", field_text(f)}});
        nlohmann::json j{{"changed_at", rfc3339(r.change.changed_at)},
                         {"kind", kind_of(r.change)},
                         {"source", r.change.source},
                         {"assessment_id", r.change.assessment_id},
                         {"authority", authority_json(r.assessment->authority)},
                         {"fields", fields},
                         {"summary", details(r)},
                         {"silent", r.change.silent},
                         {"current", assessment_record_json(*r.assessment)}};
        if (r.change.kind == "lifted") j["embargo"] = r.change.current;
        add_geography(j);
        out.push_back(std::move(j));
    }
    return out;
}

void print_changes_csv(const std::vector<ChangeRow>& rows) {
    std::cout << "changed_at,kind,authority,ons_code,assessment_id,field,before,after,summary\r\n";
    auto csv_value = [](const nlohmann::json& v) {
        return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump();
    };
    for (const auto& r : rows) {
        std::string head = rfc3339(r.change.changed_at) + "," + kind_of(r.change) + "," +
                           csv_field(r.assessment->authority.name) + "," + r.assessment->authority.code + "," +
                           std::to_string(r.change.assessment_id) + ",";
        if (r.fields.empty()) std::cout << head << ",,," << csv_field(details(r)) << "\r\n";
        for (const auto& f : r.fields)
            std::cout << head << f.field << "," << csv_field(csv_value(f.before)) << ","
                      << csv_field(csv_value(f.after)) << "," << csv_field(field_text(f)) << "\r\n";
    }
}

// "in the last 7 days" for an age, else the instants in UK time.
std::string window_words(const ChangesOptions& o, const Window& w) {
    const std::string& s = o.since;
    const char unit = s.empty() ? 0 : static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
    const bool age = s.size() >= 2 && (unit == 'h' || unit == 'd' || unit == 'w') &&
                     std::all_of(s.begin(), s.end() - 1, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (age && o.until.empty()) {
        const std::string n = s.substr(0, s.size() - 1);
        const std::string name = unit == 'h' ? "hour" : unit == 'd' ? "day" : "week";
        return "in the last " + (n == "1" ? name : n + " " + name + "s");
    }
    if (o.until.empty()) return "since " + uk_time(w.since);
    return "between " + uk_time(w.since) + " and " + uk_time(w.until);
}

// --until: an age or instant as given; a date means to the end of that UK day.
TimePoint until_of(const std::string& text, TimePoint now) {
    if (text.empty()) return now + std::chrono::seconds(1);
    TimePoint t = parse_since_or_throw(text, "--until", now);
    if (parse_iso_date(text)) t = uk_day_start(uk_date(t + std::chrono::hours(36)));
    return t;
}

int run_changes(const ChangesOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    if (o.limit < 0) throw UsageError("--limit: expected 0 (no limit) or more");
    const TimePoint now = std::chrono::system_clock::now();
    Window w;
    w.since = parse_since_or_throw(o.since, "--since", now);
    w.until = until_of(o.until, now);
    if (w.until <= w.since) throw UsageError("--until: must be after --since ('" + o.since + "')");
    w.words = window_words(o, w);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    const std::vector<StoredAssessment> all = value_or_throw(store.history({}));  // the rows point into it
    std::vector<ChangeRow> rows = changes_of(store, all, o, w);
    const auto& s = o.select;
    const bool filtered = !s.authorities.empty() || !s.regions.empty() || !s.types.empty() || !s.ratings.empty();
    if (o.format == "json")
        std::cout << changes_json(rows).dump(2) << "\n";
    else if (o.format == "csv")
        print_changes_csv(rows);
    else
        print_changes_table(rows, w, filtered);
    return 0;
}

}  // namespace

CommandRun setup_changes(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ChangesOptions>();
    sub.footer(
        "What happened in a window, oldest first: new assessments, updated ones (each field before -> after), "
        "withdrawn from and restored on CQC's site, embargoes lifted. What was recorded without an alert (the "
        "daemon's first-run baseline, `ingest --baseline`, old releases stored as history) is left out unless "
        "--include-baseline is given.");
    sub.add_option("--since", o->since,
                   "Recorded at or after: an age (7d, 2w, 12h; default 7d), a date (UK midnight) or an RFC 3339 "
                   "time (2026-01-23T00:01:00Z, 2026-06-05T00:01:00+01:00)");
    sub.add_option("--until", o->until,
                   "Recorded before: an age, an RFC 3339 time, or a date (to the end of that UK day); default now");
    add_council_options(sub, o->select);
    sub.add_option("--rating", o->select.ratings,
                   "Only changes that leave the assessment rated so: outstanding, good, \"requires improvement\" or "
                   "inadequate (repeatable)");
    sub.add_option("--limit", o->limit, "At most N changes, oldest first; 0 = all (default)");
    sub.add_flag("--include-baseline", o->include_silent,
                 "Also what was recorded without an alert: the first-run baseline and history loaded by hand");
    sub.add_option("--format", o->format, "table (default), json or csv (one row per changed field)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_changes(*o, global); };
}

}  // namespace cqcwatch
