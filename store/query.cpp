// The read side for the query commands: history with filters, one council,
// every change, and the store's part of `cqcwatch status`.

#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

AssessmentChange read_change(const Stmt& s) {
    AssessmentChange c;
    c.assessment_id = s.integer(0);
    c.changed_at = from_unix_ms(s.integer(1));
    c.source = s.text(2);
    c.kind = s.text(3);
    if (auto p = s.opt_text(4)) c.previous = nlohmann::json::parse(*p);
    c.current = nlohmann::json::parse(s.text(5));
    return c;
}

constexpr const char* k_change_columns =
    "SELECT ch.assessment_id, ch.changed_ms, ch.source, ch.kind, ch.previous, ch.current FROM assessment_changes ch ";

std::int64_t count(Connection& db, const char* sql) {
    Stmt s(db, sql);
    s.step();
    return s.integer(0);
}

void each_history(Connection& db, const HistoryQuery& q, const std::function<bool(StoredAssessment&&)>& visit) {
    std::string sql = std::string("SELECT ") + k_assessment_columns + " WHERE 1";
    if (q.authority_code) sql += " AND a.council_id = (SELECT id FROM councils WHERE code = ?1)";
    if (q.rating) sql += " AND a.rating = ?2";
    if (q.since) sql += " AND a.published >= ?3";
    if (q.until) sql += " AND a.published <= ?4";
    if (q.indicative_only) sql += " AND a.indicative = 1";
    // DESC puts NULL (an undated copy) last and lets the indexes give the order.
    sql += q.first_recorded_first ? " ORDER BY a.id" : " ORDER BY a.published DESC, a.id DESC";
    if (q.limit) sql += " LIMIT " + std::to_string(q.limit);
    Stmt s(db, sql);
    if (q.authority_code) s.bind(1, *q.authority_code);
    if (q.rating) s.bind(2, to_key(*q.rating));
    if (q.since) s.bind(3, q.since->iso());
    if (q.until) s.bind(4, q.until->iso());
    while (s.step())
        if (!visit(read_assessment(s))) return;
}

std::vector<StoredAssessment> select_history(Connection& db, const HistoryQuery& q) {
    std::vector<StoredAssessment> out;
    each_history(db, q, [&](StoredAssessment&& a) {
        out.push_back(std::move(a));
        return true;
    });
    return out;
}

}  // namespace

tl::expected<std::vector<StoredAssessment>, StoreError> Store::history(const HistoryQuery& q) const {
    return guarded(m_path, [&] { return select_history(*m_db, q); });
}

tl::expected<void, StoreError> Store::each_assessment(const HistoryQuery& q,
                                                      const std::function<bool(StoredAssessment&&)>& visit) const {
    return guarded(m_path, [&] { each_history(*m_db, q, visit); });
}

tl::expected<CouncilView, StoreError> Store::council(const AuthorityRef& authority) const {
    return guarded(m_path, [&] {
        CouncilView v;
        v.authority = authority;
        HistoryQuery q;
        q.authority_code = authority.code;
        v.assessments = select_history(*m_db, q);
        Stmt ch(*m_db, std::string(k_change_columns) +
                           "JOIN assessments a ON a.id = ch.assessment_id "
                           "WHERE a.council_id = (SELECT id FROM councils WHERE code = ?) ORDER BY ch.id");
        ch.bind(1, authority.code);
        while (ch.step()) v.changes.push_back(read_change(ch));
        Stmt em(*m_db, std::string("SELECT ") + k_embargo_columns + " WHERE c.code = ? ORDER BY e.until_unix DESC");
        em.bind(1, authority.code);
        while (em.step()) v.embargoes.push_back(read_embargo(em));
        return v;
    });
}

tl::expected<void, StoreError> Store::each_change(const std::function<bool(AssessmentChange&&)>& visit) const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, std::string(k_change_columns) + "ORDER BY ch.id");
        while (s.step())
            if (!visit(read_change(s))) return;
    });
}

tl::expected<std::vector<AssessmentChange>, StoreError> Store::changes_since(TimePoint since) const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, std::string(k_change_columns) + "WHERE ch.changed_ms >= ? ORDER BY ch.id");
        s.bind(1, to_unix_ms(since));
        std::vector<AssessmentChange> out;
        while (s.step()) out.push_back(read_change(s));
        return out;
    });
}

namespace {

// A created row is silent when its assessment was stored silently; withdrawals and restores
// are always news. Any other change is as silent as the events written with it (same
// assessment, same instant); one without events (an enrichment) is silent while its
// assessment has had no alert yet (the baseline pass reading the report, then its summary).
constexpr const char* k_changes_between = R"sql(
SELECT ch.assessment_id, ch.changed_ms, ch.source, ch.kind, ch.previous, ch.current,
  CASE WHEN ch.kind = 'created' THEN a.baseline
       WHEN ch.kind IN ('withdrawn', 'restored') THEN 0
       ELSE COALESCE(
         (SELECT MIN(e.baseline) FROM events e WHERE e.assessment_id = ch.assessment_id AND e.occurred_ms = ch.changed_ms),
         a.baseline AND NOT EXISTS (SELECT 1 FROM events e WHERE e.assessment_id = ch.assessment_id
                                    AND e.baseline = 0 AND e.occurred_ms <= ch.changed_ms))
  END, ch.id, 0
FROM assessment_changes ch JOIN assessments a ON a.id = ch.assessment_id
WHERE ch.changed_ms >= ?1 AND ch.changed_ms < ?2
UNION ALL
SELECT e.assessment_id, e.occurred_ms, 'embargo', 'lifted', NULL,
  json_object('embargo_until', json_extract(e.body, '$.embargo.until'),
              'late', json(CASE WHEN json_extract(e.body, '$.late') THEN 'true' ELSE 'false' END)),
  e.baseline, e.seq, 1
FROM events e
WHERE e.type = 'embargo.lifted' AND e.assessment_id IS NOT NULL AND e.occurred_ms >= ?1 AND e.occurred_ms < ?2
ORDER BY 2, 9, 8
)sql";

}  // namespace

tl::expected<std::vector<AssessmentChange>, StoreError> Store::changes_between(TimePoint since, TimePoint until) const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, k_changes_between);
        s.bind(1, to_unix_ms(since)).bind(2, to_unix_ms(until));
        std::vector<AssessmentChange> out;
        while (s.step()) {
            out.push_back(read_change(s));
            out.back().silent = s.integer(6) != 0;
        }
        return out;
    });
}

tl::expected<StatusView, StoreError> Store::status(TimePoint now) const {
    return guarded(m_path, [&] {
        Connection& db = *m_db;
        StatusView v;
        v.path = m_path;
        v.schema_version = user_version(db);
        v.assessments = count(db, "SELECT count(*) FROM assessments");
        v.councils_assessed = count(db, "SELECT count(DISTINCT council_id) FROM assessments");
        v.events = count(db, "SELECT count(*) FROM events");
        v.pending_embargoes = count(db, "SELECT count(*) FROM embargoes WHERE status = 'pending'");
        Stmt names(db, "SELECT name FROM sources ORDER BY name");
        std::vector<std::string> sources;
        while (names.step()) sources.push_back(names.text(0));
        for (const auto& name : sources)
            if (auto h = source_health(name); h && *h) v.sources.push_back(**h);
        if (auto c = delivery_counts()) v.deliveries = *c;
        if (auto age = oldest_pending_age(now)) v.oldest_pending_age = *age;
        return v;
    });
}

}  // namespace cqcwatch
