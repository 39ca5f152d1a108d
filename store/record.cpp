// record_document: one parsed page or message → the assessment it is about
// (found, linked or created), its history, its embargo, and the events it
// causes, all in one transaction.
//
// Identity: an assessment is keyed by its report's key (report_key: the landing
// page's path, whatever host the site was reached by); before the
// report exists, by its press release. A press release and a report of the
// same council within k_link_window_days are the same assessment.

#include <algorithm>
#include <cmath>

#include "store/sql.hpp"
#include "events/wording.hpp"
#include "parsers/consistency.hpp"
#include "parsers/report_url.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

constexpr int k_link_window_days = 60;

enum class Role { report, press };

// What the document says, reduced to what the store keeps.
struct Incoming {
    Role role = Role::press;
    AuthorityRef authority;
    std::int64_t council_id = 0;
    Assessment values;
    std::optional<std::string> report_key;
    std::optional<std::string> report_url;
    std::optional<std::string> summary_url;
    std::optional<std::string> press_url;
    std::optional<Date> published;
    std::optional<Date> updated;
    std::string title;
};

Incoming read_incoming(const ParseResult& doc) {
    Incoming in;
    in.role = doc.kind == DocKind::report ? Role::report : Role::press;
    in.authority = *doc.authority;
    if (doc.assessment) in.values = *doc.assessment;
    in.published = doc.published;
    in.updated = doc.updated;
    in.title = doc.title;
    std::optional<std::string> report_src = in.values.report_url;
    if (in.role == Role::report && !doc.url.empty()) report_src = doc.url;
    if (in.role == Role::press && !doc.url.empty()) in.press_url = strip_userinfo(doc.url);
    if (report_src) {
        in.report_key = report_key(*report_src);
        in.report_url = report_landing(*report_src);
        if (in.role == Role::report && is_summary_url(doc.url)) in.summary_url = strip_userinfo(doc.url);
        if (in.role == Role::report && doc.summary_url) in.summary_url = strip_userinfo(*doc.summary_url);
    }
    in.values.report_url = in.report_url;
    return in;
}

std::optional<std::int64_t> find_by(Connection& db, const char* sql, std::string_view key) {
    Stmt s(db, sql);
    s.bind(1, key);
    if (s.step()) return s.integer(0);
    return std::nullopt;
}

std::optional<std::int64_t> find_in_window(Connection& db, const Incoming& in, const RecordContext& ctx) {
    std::string date = in.published ? in.published->iso() : rfc3339(ctx.now).substr(0, 10);
    std::string sql =
        "SELECT id FROM assessments WHERE council_id = ?1 AND withdrawn = 0 AND "
        "abs(julianday(COALESCE(published, date(first_seen_ms / 1000, 'unixepoch'))) - julianday(?2)) <= ?3 AND ";
    sql += in.role == Role::report ? "report_key IS NULL"
                                   : "press_release_url IS NULL AND (?4 IS NULL OR report_key IS NULL)";
    sql +=
        " ORDER BY abs(julianday(COALESCE(published, date(first_seen_ms / 1000, 'unixepoch'))) - julianday(?2)) "
        "LIMIT 1";
    Stmt s(db, sql);
    s.bind(1, in.council_id).bind(2, date).bind(3, k_link_window_days);
    if (in.role == Role::press) s.bind(4, in.report_key);
    if (s.step()) return s.integer(0);
    return std::nullopt;
}

// A release and a report are one assessment only when their dates agree: CQC publishes the
// report when the release's embargo lifts, and assesses a council once in a few years, so a
// 2026 release beside a 2024 report announces a new assessment (the council's report page
// may keep its address). The report may come a while after the release, hardly before it.
constexpr int k_report_before_release_days = 14;

bool same_time(Connection& db, std::int64_t id, const Incoming& in) {
    if (!in.published) return true;
    Stmt s(db, "SELECT julianday(published) - julianday(?2) FROM assessments WHERE id = ?1 AND published IS NOT NULL");
    s.bind(1, id).bind(2, in.published->iso());
    if (!s.step()) return true;
    const double stored_minus_in = s.real(0);
    const double report_minus_release = in.role == Role::press ? stored_minus_in : -stored_minus_in;
    return report_minus_release >= -k_report_before_release_days && report_minus_release <= k_link_window_days;
}

std::optional<std::int64_t> find_existing(Connection& db, Incoming& in, const std::optional<Embargo>& embargo,
                                          const RecordContext& ctx) {
    if (in.report_key)
        if (auto id = find_by(db, "SELECT id FROM assessments WHERE report_key = ?", *in.report_key)) {
            if (in.role == Role::report || same_time(db, *id, in)) return id;
            // A new assessment: the report address belongs to the older one until its page says otherwise.
            in.report_key.reset();
            in.report_url.reset();
            in.values.report_url.reset();
        }
    if (in.press_url)
        if (auto id = find_by(db, "SELECT id FROM assessments WHERE press_release_url = ?", *in.press_url)) return id;
    if (embargo && embargo->resolved) {
        Stmt s(db, "SELECT assessment_id FROM embargoes WHERE council_id = ? AND until_unix = ? AND resolved = 1");
        s.bind(1, in.council_id).bind(2, embargo->until_unix);
        if (s.step()) return s.integer(0);
    }
    auto id = find_in_window(db, in, ctx);
    if (id && !same_time(db, *id, in)) return std::nullopt;
    return id;
}

// Where a value came from, and how much it is trusted: CQC's report (landing or summary
// page) is the published record; a press release announces it and may round or err. A
// value from a source of lower rank only fills a gap; one of equal rank is a later copy.
int rank_of(const nlohmann::json& provenance, const char* field) {
    if (!provenance.is_object() || !provenance.contains(field) || !provenance[field].is_object()) return 0;
    return provenance[field].value("from", "") == "press_release" ? 1 : 2;
}

int rank_of(const Incoming& in) { return in.role == Role::press ? 1 : 2; }

nlohmann::json source_of(const Incoming& in) {
    auto url = [](const std::optional<std::string>& u) { return u ? nlohmann::json(*u) : nlohmann::json(nullptr); };
    if (in.role == Role::press) return {{"from", "press_release"}, {"url", url(in.press_url)}};
    if (in.summary_url) return {{"from", "summary_page"}, {"url", url(in.summary_url)}};
    return {{"from", "report_page"}, {"url", url(in.report_url)}};
}

// Provenance of a record made from one document.
nlohmann::json provenance_of(const Incoming& in) {
    nlohmann::json p = nlohmann::json::object();
    const Assessment& v = in.values;
    const bool any_score = std::any_of(v.scores.begin(), v.scores.end(), [](const auto& x) { return x.has_value(); });
    if (v.rating) p["rating"] = source_of(in);
    if (any_score) p["scores"] = source_of(in);
    if (v.stated_percentage || any_score) p["percentage"] = source_of(in);
    if (in.published) p["published"] = source_of(in);
    return p;
}

// The stored values with the document's laid over them.
struct Merge {
    StoredAssessment merged;
    std::vector<std::string> changed;  // fields whose known value changed
    bool enriched = false;             // something unknown became known
    bool restored = false;
};

template <class T>
void merge_field(const std::optional<T>& in, std::optional<T>& out, const char* name, Merge& m) {
    if (!in) return;
    if (out && *out != *in) m.changed.push_back(name);
    if (!out) m.enriched = true;
    out = in;
}

bool is_known(const Assessment& a, std::string_view key) {
    if (key == "rating") return a.rating.has_value();
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (to_key(statement_at(i)) == key) return a.scores[i].has_value();
    return true;
}

// A report page says afresh what it could not read; any copy may fill a gap. A value
// that was unread and is now read is a change: the alert said "not read".
void merge_unread(const Assessment& before, const Incoming& in, Merge& m) {
    Assessment& a = m.merged.assessment;
    const auto& claimed = in.role == Role::report ? in.values.unread : before.unread;
    std::vector<std::string> unread;
    for (const auto& key : claimed)
        if (!is_known(a, key)) unread.push_back(key);
    for (const auto& key : before.unread)
        if (is_known(a, key) && std::find(m.changed.begin(), m.changed.end(), key) == m.changed.end())
            m.changed.push_back(key);
    if (unread != before.unread) m.enriched = true;
    a.unread = std::move(unread);
}

void merge_rating(const Incoming& in, Merge& m) {
    Assessment& a = m.merged.assessment;
    if (!in.values.rating || (a.rating && rank_of(m.merged.provenance, "rating") > rank_of(in))) return;
    merge_field(in.values.rating, a.rating, "rating", m);
    m.merged.provenance["rating"] = source_of(in);
}

// The scores and the stated percentage travel together: a percentage is only ever the
// one stated beside the scores it sits with (or computed from them), never another
// source's. A source of lower rank fills unknown scores and changes nothing else.
void merge_scores(const Incoming& in, Merge& m) {
    Assessment& a = m.merged.assessment;
    const auto& in_scores = in.values.scores;
    const bool in_any = std::any_of(in_scores.begin(), in_scores.end(), [](const auto& x) { return x.has_value(); });
    const bool have_any = std::any_of(a.scores.begin(), a.scores.end(), [](const auto& x) { return x.has_value(); });
    if (!in_any && !in.values.stated_percentage) return;
    const int stored_rank = rank_of(m.merged.provenance, "scores");
    if (have_any && stored_rank > rank_of(in)) {
        nlohmann::json filled = nlohmann::json::array();
        for (std::size_t i = 0; i < k_statement_count; ++i)
            if (!a.scores[i] && in_scores[i]) a.scores[i] = in_scores[i], filled.push_back(to_key(statement_at(i)));
        if (filled.empty()) return;
        m.enriched = true;
        nlohmann::json from = source_of(in);
        from["statements"] = std::move(filled);
        m.merged.provenance["scores_filled"] = std::move(from);  // what the report did not give
        return;
    }
    const auto before = a.stated_percentage;
    const Scores old_scores = a.scores;
    for (std::size_t i = 0; i < k_statement_count; ++i)
        merge_field(in_scores[i], a.scores[i], to_key(statement_at(i)).data(), m);
    const bool same_source = stored_rank == rank_of(in) && old_scores == a.scores;
    if (in.values.stated_percentage || !same_source) {
        if (a.stated_percentage != in.values.stated_percentage) m.enriched = true;
        a.stated_percentage = in.values.stated_percentage;
    }
    // The percentage follows the scores: a change of its own only when two statements differ.
    if (before && a.stated_percentage && std::fabs(*before - *a.stated_percentage) > 0.05)
        m.changed.push_back("percentage");
    if (in_any) m.merged.provenance["scores"] = source_of(in);
    m.merged.provenance["percentage"] = source_of(in);
}

// The publication date is the one of the source the figures are taken from: the report's
// over a release's; a later copy of the same kind keeps the first date.
void merge_dates(const Incoming& in, Merge& m) {
    auto& published = m.merged.published;
    if (in.published && (!published || rank_of(m.merged.provenance, "published") < rank_of(in)) &&
        published != in.published) {
        published = in.published;
        m.merged.provenance["published"] = source_of(in);
        m.enriched = true;
    }
    if (in.updated && m.merged.updated != in.updated) m.merged.updated = in.updated, m.enriched = true;
}

Merge merge(const StoredAssessment& stored, const Incoming& in) {
    Merge m{stored, {}, false, false};
    if (!m.merged.provenance.is_object()) m.merged.provenance = nlohmann::json::object();
    Assessment& a = m.merged.assessment;
    merge_rating(in, m);
    merge_scores(in, m);
    if (in.role == Role::report && a.indicative != in.values.indicative) {
        m.changed.push_back("indicative");
        a.indicative = in.values.indicative;
    }
    auto fill = [&m](const std::optional<std::string>& v, std::optional<std::string>& out) {
        if (v && !out) {
            out = v;
            m.enriched = true;
        }
    };
    fill(in.report_url, a.report_url);
    fill(in.summary_url, m.merged.summary_url);
    fill(in.press_url, m.merged.press_release_url);
    merge_dates(in, m);
    if (in.role == Role::report && stored.withdrawn) m.merged.withdrawn = false, m.restored = true;
    merge_unread(stored.assessment, in, m);
    a.doubts = in.values.doubts;  // this text's contradictions, for the parser.suspect it raises
    m.merged.computed_percentage = a.computed_percentage();
    return m;
}

void save_assessment(Connection& db, StoredAssessment& a, std::int64_t council_id, const RecordContext& ctx) {
    a.content_hash = hash_hex(values_json(a).dump());
    a.last_changed = ctx.now;
    const char* sql =
        a.id == 0
            ? "INSERT INTO assessments (council_id, report_key, report_url, summary_url, press_release_url, rating, "
              "indicative, stated_pct, computed_pct, s1, s2, s3, s4, s5, s6, s7, s8, s9, published, updated, "
              "content_hash, last_changed_ms, withdrawn, baseline, unread, first_seen_ms, provenance) "
              "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?22,"
              "?27)"
            : "UPDATE assessments SET council_id=?1, report_key=?2, report_url=?3, summary_url=?4, "
              "press_release_url=?5, rating=?6, indicative=?7, stated_pct=?8, computed_pct=?9, s1=?10, s2=?11, s3=?12, "
              "s4=?13, s5=?14, s6=?15, s7=?16, s8=?17, s9=?18, published=?19, updated=?20, content_hash=?21, "
              "last_changed_ms=?22, withdrawn=?23, baseline=?24, unread=?25, provenance=?27 WHERE id=?26";
    Stmt s(db, sql);
    const Assessment& v = a.assessment;
    s.bind(1, council_id);
    if (v.report_url) s.bind(2, report_key(*v.report_url));
    s.bind(3, v.report_url).bind(4, a.summary_url).bind(5, a.press_release_url);
    if (v.rating) s.bind(6, to_key(*v.rating));
    s.bind(7, v.indicative ? 1 : 0).bind(8, v.stated_percentage).bind(9, v.computed_percentage());
    for (std::size_t i = 0; i < k_statement_count; ++i) s.bind(10 + static_cast<int>(i), v.scores[i]);
    if (a.published) s.bind(19, a.published->iso());
    if (a.updated) s.bind(20, a.updated->iso());
    s.bind(21, a.content_hash).bind(22, to_unix_ms(ctx.now)).bind(23, a.withdrawn ? 1 : 0);
    s.bind(24, a.baseline ? 1 : 0);
    if (!v.unread.empty()) s.bind(25, join_keys(v.unread));
    if (a.id != 0) s.bind(26, a.id);
    if (a.provenance.is_object()) s.bind(27, a.provenance.dump());
    s.run();
    if (a.id == 0) a.id = sqlite3_last_insert_rowid(db.raw()), a.first_seen = ctx.now;
}

void add_change(Connection& db, std::int64_t id, const RecordContext& ctx, std::string_view kind,
                const nlohmann::json& previous, const nlohmann::json& current) {
    Stmt s(db,
           "INSERT INTO assessment_changes (assessment_id, changed_ms, source, kind, previous, current) "
           "VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, id).bind(2, to_unix_ms(ctx.now)).bind(3, ctx.source).bind(4, kind);
    if (!previous.is_null()) s.bind(5, previous.dump());
    s.bind(6, current.dump()).run();
}

nlohmann::json about(const StoredAssessment& a) {
    nlohmann::json f{{"authority", authority_json(a.authority)},
                     {"assessment", assessment_json(a.assessment, a.published)}};
    if (!a.conflicts.empty()) f["conflicts"] = a.conflicts;
    return f;
}

// What this document said, kept per kind of source: the record shows where they disagree.
nlohmann::json note_source_values(Connection& db, StoredAssessment& a, const Incoming& in) {
    const char* sql = in.role == Role::press ? "UPDATE assessments SET release_values = ? WHERE id = ?"
                                             : "UPDATE assessments SET report_values = ? WHERE id = ?";
    Stmt s(db, sql);
    s.bind(1, assessment_json(in.values, in.published).dump()).bind(2, a.id).run();
    Stmt get(db, "SELECT release_values, report_values FROM assessments WHERE id = ?");
    get.bind(1, a.id);
    get.step();
    a.conflicts = embargo_conflicts(json_or_null(get.opt_text(0)), json_or_null(get.opt_text(1)));
    return a.conflicts;
}

// A press release and the report page of one assessment that disagree: the record keeps the
// report page's figures and says so, once per new disagreement (an embargoed release has its own).
void note_conflicts(Connection& db, const nlohmann::json& before, const StoredAssessment& a, const RecordContext& ctx,
                    RecordResult& out) {
    if (a.conflicts == before) return;
    if (out.outcome == RecordOutcome::unchanged) out.outcome = RecordOutcome::updated;  // the record shows more now
    // An update carries its conflicts; an embargoed release's are said at its lift.
    const bool updated = std::any_of(out.events.begin(), out.events.end(),
                                     [](const Event& e) { return e.type == event_type::assessment_updated; });
    if (a.conflicts.empty() || updated || pending_embargo_of(db, a.id)) return;
    nlohmann::json f = about(a);
    f["reason"] = "the press release and the report page disagree: " + conflicts_text(a.conflicts) +
                  "; the record keeps the report page's figures";
    out.events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, a.id));
}

bool has_event(Connection& db, std::int64_t assessment_id, std::string_view type) {
    Stmt s(db, "SELECT 1 FROM events WHERE assessment_id = ? AND type = ? LIMIT 1");
    s.bind(1, assessment_id).bind(2, type);
    return s.step();
}

// A stated rating that the nine scores contradict deserves a human's look.
void check_consistency(Connection& db, const StoredAssessment& a, const RecordContext& ctx, RecordResult& out) {
    auto pct = whole_percent(a.assessment.scores);
    if (!pct || !a.assessment.rating) return;
    for (int d = -k_percent_tolerance; d <= k_percent_tolerance; ++d)
        if (rating_for_percent(*pct + d) == a.assessment.rating) return;  // other years' weightings
    auto band = rating_for_percent(*pct);
    if (!band) return;
    nlohmann::json f = about(a);
    f["reason"] = "stated rating " + std::string(to_label(*a.assessment.rating)) + " contradicts the scores (" +
                  std::to_string(*pct) + "% is " + std::string(to_label(*band)) + ")";
    out.events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, a.id));
}

// "rating Good; 3 of 9 scores" — what the page did yield, for the operator.
std::string found_text(const Assessment& a) {
    const auto known = std::count_if(a.scores.begin(), a.scores.end(), [](const auto& v) { return v.has_value(); });
    std::string out = a.rating ? "rating " + std::string(to_label(*a.rating)) : std::string("no rating");
    return out + "; " + std::to_string(known) + " of 9 scores";
}

std::string page_of(const StoredAssessment& a, const std::string& doc_url) {
    if (a.summary_url) return *a.summary_url;
    return doc_url.empty() ? a.assessment.report_url.value_or("") : doc_url;
}

// One parser.suspect when a report stops reading, one parser.recovered when it reads again:
// per report, never per poll (the stored unread list is the memory).
void note_unread(Connection& db, const std::vector<std::string>& before, const StoredAssessment& a,
                 const std::string& doc_url, const RecordContext& ctx, RecordResult& out) {
    const auto& now = a.assessment.unread;
    if (before.empty() == now.empty()) return;
    nlohmann::json f = about(a);
    f["url"] = page_of(a, doc_url);
    f["found"] = found_text(a.assessment);
    if (!now.empty()) {
        f["missing"] = now;
        f["reason"] = "report page no longer reads: " + fields_text(f["missing"]) + " not read from " +
                      f["url"].get<std::string>() + " (found " + f["found"].get<std::string>() + ")";
        // Figures withheld because the page contradicts itself: both sides, in words.
        for (const auto& d : a.assessment.doubts) f["reason"] = f["reason"].get<std::string>() + "; " + d;
        if (!a.assessment.doubts.empty()) f["doubts"] = a.assessment.doubts;
        out.events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, a.id));
    } else {
        f["reason"] =
            "report page reads again: " + f["url"].get<std::string>() + " (" + f["found"].get<std::string>() + ")";
        out.events.push_back(insert_event(db, event_type::parser_recovered, f, ctx, a.id));
    }
}

// A report page seen while the release is embargoed: kept beside the release's figures,
// and a disagreement is a parser.suspect, held like everything about the assessment.
void note_report_page(Connection& db, std::int64_t id, const Incoming& in, const StoredAssessment& merged,
                      const RecordContext& ctx, RecordResult& out) {
    auto embargo = pending_embargo_of(db, id);
    if (!embargo) return;
    auto conflicts = note_report_values(db, *embargo, assessment_json(in.values, in.published));
    if (conflicts.empty()) return;
    nlohmann::json f = about(merged);
    f["conflicts"] = conflicts;
    f["reason"] = "the report page disagrees with the embargoed press release: " + conflicts_text(conflicts);
    out.events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, id));
}

// A report that comes online after its embargo lifted follows the lift alert: it says so.
nlohmann::json published_fields(Connection& db, const StoredAssessment& a) {
    nlohmann::json f = about(a);
    Stmt s(db, "SELECT id FROM events WHERE assessment_id = ? AND type = ? ORDER BY seq LIMIT 1");
    s.bind(1, a.id).bind(2, event_type::embargo_lifted);
    if (s.step()) f["follows"] = {{"id", s.text(0)}, {"type", event_type::embargo_lifted}};
    return f;
}

void record_created(Connection& db, Incoming& in, const ParseResult& doc, const RecordContext& ctx, RecordResult& out) {
    StoredAssessment a;
    a.authority = in.authority;
    a.assessment = in.values;
    a.summary_url = in.summary_url;
    a.press_release_url = in.press_url;
    a.published = in.published;
    a.updated = in.updated;
    a.baseline = ctx.baseline;
    a.provenance = provenance_of(in);
    save_assessment(db, a, in.council_id, ctx);
    note_source_values(db, a, in);
    add_change(db, a.id, ctx, "created", nullptr, values_json(a));
    out.outcome = RecordOutcome::created;
    out.assessment_id = a.id;
    if (doc.embargo)
        out.embargo_id = note_embargo(db, *doc.embargo, a, in.council_id, doc.warnings, ctx, out.events);
    else
        out.events.push_back(insert_event(db, event_type::assessment_published, about(a), ctx, a.id));
    check_consistency(db, a, ctx, out);
    note_unread(db, {}, a, doc.url, ctx, out);
}

void record_existing(Connection& db, std::int64_t id, Incoming& in, const ParseResult& doc, const RecordContext& ctx,
                     RecordResult& out) {
    StoredAssessment stored = *load_assessment(db, id);
    Merge m = merge(stored, in);
    out.assessment_id = id;
    out.outcome = RecordOutcome::unchanged;
    note_source_values(db, m.merged, in);
    if (!m.changed.empty() || m.enriched || m.restored || m.merged.provenance != stored.provenance) {
        save_assessment(db, m.merged, in.council_id, ctx);
        const char* kind = !m.changed.empty() ? "updated" : m.restored ? "restored" : "enriched";
        add_change(db, id, ctx, kind, values_json(stored), values_json(m.merged));
        out.outcome = RecordOutcome::updated;
        out.previous = values_json(stored);
    }
    if (doc.embargo) {
        out.embargo_id =
            note_embargo(db, *doc.embargo, m.merged, in.council_id, doc.warnings, ctx, out.events);
        // A report stored before the release: its lift alert names where the two differ.
        if (out.embargo_id) {
            Stmt s(db, "UPDATE embargoes SET report_values = (SELECT report_values FROM assessments WHERE id = ?1) "
                       "WHERE id = ?2 AND report_values IS NULL");
            s.bind(1, id).bind(2, *out.embargo_id).run();
        }
    }
    if (in.role == Role::report) note_report_page(db, id, in, m.merged, ctx, out);
    if (in.role == Role::report && !has_event(db, id, event_type::assessment_published))
        out.events.push_back(insert_event(db, event_type::assessment_published, published_fields(db, m.merged), ctx, id));
    if (!m.changed.empty()) {
        nlohmann::json f = about(m.merged);
        f["previous"] = values_json(stored);
        f["changed"] = m.changed;
        out.events.push_back(insert_event(db, event_type::assessment_updated, f, ctx, id));
        check_consistency(db, m.merged, ctx, out);
    }
    note_conflicts(db, stored.conflicts, m.merged, ctx, out);
    note_unread(db, stored.assessment.unread, m.merged, doc.url, ctx, out);
}

void note_press_release(Connection& db, const Incoming& in, std::int64_t id, const RecordContext& ctx) {
    if (in.role != Role::press) return;
    Stmt s(db, "INSERT OR IGNORE INTO press_releases (assessment_id, url, title, source, seen_ms) VALUES (?,?,?,?,?)");
    s.bind(1, id).bind(2, in.press_url.value_or("")).bind(3, in.title).bind(4, ctx.source);
    s.bind(5, to_unix_ms(ctx.now)).run();
}

}  // namespace

std::optional<std::string> Store::unrecordable_reason(const ParseResult& doc) {
    if (!doc.authority || doc.authority->code.empty()) return "no council named in the document";
    if (!doc.assessment && !doc.embargo) return "no assessment or embargo in the document";
    return std::nullopt;
}

namespace {

// History is not news: a document published before ctx.history_before is stored without
// alerting, like the baseline. A report first seen counts from its publication; a change to
// a stored one from its "last updated" too (CQC's correction of an old report is news). An
// embargoed release is published when its embargo lifts; a document without a date is news.
std::optional<Date> history_date(const ParseResult& doc, const RecordContext& ctx, bool first_seen) {
    if (!ctx.history_before) return std::nullopt;
    std::optional<Date> newest = doc.published;
    if (!first_seen && doc.updated && (!newest || *doc.updated > *newest)) newest = doc.updated;
    if (doc.embargo && doc.embargo->resolved) newest = uk_date(TimePoint(std::chrono::seconds(doc.embargo->until_unix)));
    if (newest && *newest < *ctx.history_before) return newest;
    return std::nullopt;
}

}  // namespace

tl::expected<RecordResult, StoreError> Store::record_document(const ParseResult& doc, const RecordContext& given) {
    RecordResult out;
    RecordContext ctx = given;
    if (auto reason = unrecordable_reason(doc)) {
        out.reason = std::move(*reason);
        return out;
    }
    try {
        Connection& db = *m_db;
        Transaction txn(db);
        Incoming in = read_incoming(doc);
        in.council_id = upsert_council(db, in.authority);
        note_full_name(db, in.council_id, in.authority);
        auto id = find_existing(db, in, doc.embargo, ctx);
        out.history = history_date(doc, given, !id);
        if (out.history) ctx.baseline = true;
        if (id)
            record_existing(db, *id, in, doc, ctx, out);
        else
            record_created(db, in, doc, ctx, out);
        note_press_release(db, in, out.assessment_id, ctx);
        txn.commit();
        return out;
    } catch (const SqlError& e) {
        return tl::unexpected(to_store_error(e.code, m_path, e.what()));
    }
}

}  // namespace cqcwatch
