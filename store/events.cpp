// Events and their delivery rows, councils, and reading assessment rows:
// the pieces every write path shares.

#include <algorithm>
#include <cmath>
#include <set>

#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace store_detail {

const char* const k_held_by_embargo =
    "EXISTS (SELECT 1 FROM embargoes em WHERE em.assessment_id = ev.assessment_id AND em.status = 'pending')";

const char* const k_assessment_columns =
    "a.id, c.name, c.code, a.report_url, a.summary_url, a.press_release_url, a.rating, a.indicative, "
    "a.stated_pct, a.computed_pct, a.s1, a.s2, a.s3, a.s4, a.s5, a.s6, a.s7, a.s8, a.s9, a.published, a.updated, "
    "a.content_hash, a.first_seen_ms, a.last_changed_ms, a.withdrawn, a.baseline, "
    "(SELECT max(em.until_unix) FROM embargoes em WHERE em.assessment_id = a.id AND em.status = 'pending'), "
    "a.unread, a.provenance, a.release_values, a.report_values "
    "FROM assessments a JOIN councils c ON c.id = a.council_id";

std::vector<std::string> split_keys(std::string_view joined) {
    std::vector<std::string> out;
    while (!joined.empty()) {
        const auto comma = joined.find(',');
        if (auto key = joined.substr(0, comma); !key.empty()) out.emplace_back(key);
        joined = comma == std::string_view::npos ? std::string_view{} : joined.substr(comma + 1);
    }
    return out;
}

std::string join_keys(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ",") + k;
    return out;
}

nlohmann::json json_or_null(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

StoredAssessment read_assessment(const Stmt& s) {
    StoredAssessment a;
    a.id = s.integer(0);
    a.authority.name = s.text(1);
    a.authority.code = s.text(2);
    a.authority.name_in_text = a.authority.name;
    a.assessment.report_url = s.opt_text(3);
    a.summary_url = s.opt_text(4);
    a.press_release_url = s.opt_text(5);
    if (auto r = s.opt_text(6)) a.assessment.rating = rating_from_key(*r);
    a.assessment.indicative = s.integer(7) != 0;
    a.assessment.stated_percentage = s.opt_real(8);
    a.computed_percentage = s.opt_real(9);
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        if (auto v = s.opt_integer(10 + static_cast<int>(i))) a.assessment.scores[i] = static_cast<int>(*v);
    }
    if (auto p = s.opt_text(19)) a.published = parse_iso_date(*p);
    if (auto u = s.opt_text(20)) a.updated = parse_iso_date(*u);
    a.content_hash = s.text(21);
    a.first_seen = from_unix_ms(s.integer(22));
    a.last_changed = from_unix_ms(s.integer(23));
    a.withdrawn = s.integer(24) != 0;
    a.baseline = s.integer(25) != 0;
    if (auto until = s.opt_integer(26)) a.embargo_until = TimePoint(std::chrono::seconds(*until));
    if (auto unread = s.opt_text(27)) a.assessment.unread = split_keys(*unread);
    if (auto p = s.opt_text(28)) a.provenance = nlohmann::json::parse(*p, nullptr, false);
    if (a.provenance.is_discarded()) a.provenance = nullptr;
    a.conflicts = embargo_conflicts(json_or_null(s.opt_text(29)), json_or_null(s.opt_text(30)));
    return a;
}

std::optional<StoredAssessment> load_assessment(Connection& db, std::int64_t id) {
    Stmt s(db, std::string("SELECT ") + k_assessment_columns + " WHERE a.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_assessment(s);
}

nlohmann::json values_json(const StoredAssessment& a) {
    nlohmann::json v = assessment_json(a.assessment, a.published);
    v["updated"] = a.updated ? nlohmann::json(a.updated->iso()) : nlohmann::json(nullptr);
    return v;
}

std::int64_t upsert_council(Connection& db, const AuthorityRef& a) {
    if (a.code.empty()) return 0;
    Stmt find(db, "SELECT id FROM councils WHERE code = ?");
    find.bind(1, a.code);
    if (find.step()) return find.integer(0);
    Stmt ins(db, "INSERT INTO councils (code, name) VALUES (?, ?)");
    ins.bind(1, a.code).bind(2, a.name).run();
    return sqlite3_last_insert_rowid(db.raw());
}

namespace {

std::int64_t next_value(Connection& db, const char* sql) {
    Stmt s(db, sql);
    s.step();
    return s.integer(0);
}

std::string event_salt(Connection& db) {
    Stmt s(db, "SELECT value FROM meta WHERE key = 'event_salt'");
    return s.step() ? s.text(0) : std::string();
}

void insert_deliveries(Connection& db, const Event& e, std::int64_t seq, const RecordContext& ctx) {
    if (ctx.baseline || !ctx.route) return;
    std::vector<std::string> names = ctx.route(e);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.empty()) return;
    std::int64_t now = to_unix_ms(ctx.now);
    Stmt ins(db,
             "INSERT INTO deliveries (event_seq, notifier, order_seq, created_ms, not_before_ms, "
             "next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?)");
    std::int64_t order = next_value(db, "SELECT COALESCE(MAX(order_seq), 0) + 1 FROM deliveries");
    for (const auto& name : names) {
        ins.bind(1, seq).bind(2, name).bind(3, order++).bind(4, now).bind(5, now).bind(6, now).run();
        ins.reset();
    }
}

}  // namespace

Event insert_event(Connection& db, std::string_view type, const nlohmann::json& fields, const RecordContext& ctx,
                   std::int64_t assessment_id) {
    std::int64_t seq = next_value(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM events");
    Event e;
    e.type = std::string(type);
    e.id = "evt_" + hash_hex(event_salt(db) + ":" + std::to_string(seq) + ":" + e.type);
    e.occurred_at = rfc3339(ctx.now);
    e.body = {{"authority", nullptr}, {"assessment", nullptr}};
    if (fields.is_object()) e.body.update(fields);
    add_alert_fields(db, type, assessment_id, ctx.baseline, e.body);
    e.body["schema"] = "cqcwatch.event.v1";
    e.body["id"] = e.id;
    e.body["type"] = e.type;
    e.body["occurred_at"] = e.occurred_at;
    Stmt ins(db,
             "INSERT INTO events (seq, id, type, occurred_ms, assessment_id, baseline, body) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, seq).bind(2, e.id).bind(3, e.type).bind(4, to_unix_ms(ctx.now));
    if (assessment_id != 0)
        ins.bind(5, assessment_id);
    else
        ins.bind_null(5);
    ins.bind(6, ctx.baseline ? 1 : 0).bind(7, e.body.dump()).run();
    insert_deliveries(db, e, seq, ctx);
    return e;
}

}  // namespace store_detail

tl::expected<Event, StoreError> Store::record_event(std::string_view type, const nlohmann::json& fields,
                                                    const RecordContext& ctx) {
    try {
        Transaction txn(*m_db);
        Event e = insert_event(*m_db, type, fields, ctx, 0);
        txn.commit();
        return e;
    } catch (const SqlError& err) {
        return tl::unexpected(to_store_error(err.code, m_path, err.what()));
    }
}

tl::expected<std::vector<Event>, StoreError> Store::list_events(std::size_t limit) const {
    return guarded(m_path, [&] {
        std::string sql = "SELECT id, type, occurred_ms, body FROM events ORDER BY seq DESC";
        if (limit) sql += " LIMIT " + std::to_string(limit);
        Stmt s(*m_db, sql);
        std::vector<Event> out;
        while (s.step()) {
            Event e{s.text(0), s.text(1), rfc3339(from_unix_ms(s.integer(2))), nlohmann::json::parse(s.text(3))};
            out.push_back(std::move(e));
        }
        return out;
    });
}

tl::expected<std::vector<Event>, StoreError> Store::feed_events(std::size_t limit) const {
    return guarded(m_path, [&] {
        // Newest first, so a lift is read before the events it merged; stop at `limit`.
        Stmt s(*m_db, std::string("SELECT ev.id, ev.type, ev.occurred_ms, ev.body FROM events ev "
                                  "WHERE ev.baseline = 0 AND ev.type != 'test' AND NOT ") +
                          k_held_by_embargo + " ORDER BY ev.seq DESC");
        std::vector<Event> out;
        std::set<std::string> merged;
        while (out.size() < limit && s.step()) {
            Event e{s.text(0), s.text(1), rfc3339(from_unix_ms(s.integer(2))), nlohmann::json::parse(s.text(3))};
            if (merged.count(e.id)) continue;
            if (auto it = e.body.find("merged"); it != e.body.end() && it->is_array())
                for (const auto& m : *it)
                    if (m.is_object() && m.contains("id") && m["id"].is_string())
                        merged.insert(m["id"].get<std::string>());
            out.push_back(std::move(e));
        }
        return out;
    });
}

}  // namespace cqcwatch
