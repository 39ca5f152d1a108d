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

std::optional<std::int64_t> find_existing(Connection& db, const Incoming& in, const std::optional<Embargo>& embargo,
                                          const RecordContext& ctx) {
    if (in.report_key)
        if (auto id = find_by(db, "SELECT id FROM assessments WHERE report_key = ?", *in.report_key)) return id;
    if (in.press_url)
        if (auto id = find_by(db, "SELECT id FROM assessments WHERE press_release_url = ?", *in.press_url)) return id;
    if (embargo && embargo->resolved) {
        Stmt s(db, "SELECT assessment_id FROM embargoes WHERE council_id = ? AND until_unix = ? AND resolved = 1");
        s.bind(1, in.council_id).bind(2, embargo->until_unix);
        if (s.step()) return s.integer(0);
    }
    return find_in_window(db, in, ctx);
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

Merge merge(const StoredAssessment& stored, const Incoming& in) {
    Merge m{stored, {}, false, false};
    Assessment& a = m.merged.assessment;
    merge_field(in.values.rating, a.rating, "rating", m);
    for (std::size_t i = 0; i < k_statement_count; ++i)
        merge_field(in.values.scores[i], a.scores[i], to_key(statement_at(i)).data(), m);
    if (in.values.stated_percentage) {
        if (a.stated_percentage && std::fabs(*a.stated_percentage - *in.values.stated_percentage) > 0.05)
            m.changed.push_back("percentage");
        if (!a.stated_percentage) m.enriched = true;
        a.stated_percentage = in.values.stated_percentage;
    }
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
    if (in.published && !m.merged.published) m.merged.published = in.published, m.enriched = true;
    if (in.updated && m.merged.updated != in.updated) m.merged.updated = in.updated, m.enriched = true;
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
              "content_hash, last_changed_ms, withdrawn, baseline, unread, first_seen_ms) "
              "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?22)"
            : "UPDATE assessments SET council_id=?1, report_key=?2, report_url=?3, summary_url=?4, "
              "press_release_url=?5, rating=?6, indicative=?7, stated_pct=?8, computed_pct=?9, s1=?10, s2=?11, s3=?12, "
              "s4=?13, s5=?14, s6=?15, s7=?16, s8=?17, s9=?18, published=?19, updated=?20, content_hash=?21, "
              "last_changed_ms=?22, withdrawn=?23, baseline=?24, unread=?25 WHERE id=?26";
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
    return {{"authority", authority_json(a.authority)}, {"assessment", assessment_json(a.assessment, a.published)}};
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
    save_assessment(db, a, in.council_id, ctx);
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
    if (!m.changed.empty() || m.enriched || m.restored) {
        save_assessment(db, m.merged, in.council_id, ctx);
        const char* kind = !m.changed.empty() ? "updated" : m.restored ? "restored" : "enriched";
        add_change(db, id, ctx, kind, values_json(stored), values_json(m.merged));
        out.outcome = RecordOutcome::updated;
        out.previous = values_json(stored);
    }
    if (doc.embargo)
        out.embargo_id =
            note_embargo(db, *doc.embargo, m.merged, in.council_id, doc.warnings, ctx, out.events);
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

tl::expected<RecordResult, StoreError> Store::record_document(const ParseResult& doc, const RecordContext& ctx) {
    RecordResult out;
    if (auto reason = unrecordable_reason(doc)) {
        out.reason = std::move(*reason);
        return out;
    }
    try {
        Connection& db = *m_db;
        Transaction txn(db);
        Incoming in = read_incoming(doc);
        in.council_id = upsert_council(db, in.authority);
        if (auto id = find_existing(db, in, doc.embargo, ctx))
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
