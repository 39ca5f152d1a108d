// Embargoes: stored once per council and lift instant (whichever copy came
// first, email or newsroom), scheduled, and lifted — which releases every
// delivery held for the assessment until then.

#include <algorithm>

#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace store_detail {

const char* const k_embargo_columns =
    "e.id, c.name, c.code, e.assessment_id, e.until_unix, e.until_utc, e.until_uk, e.line, e.resolved, "
    "e.press_release_url, e.status, e.lifted_ms, e.late, e.warning, e.first_seen_ms, e.first_source "
    "FROM embargoes e JOIN councils c ON c.id = e.council_id";

StoredEmbargo read_embargo(const Stmt& s) {
    StoredEmbargo e;
    e.id = s.integer(0);
    e.authority = {s.text(1), s.text(2), s.text(1)};
    e.assessment_id = s.integer(3);
    e.embargo = {s.integer(4), s.text(5), s.text(6), s.text(7), s.integer(8) != 0};
    e.press_release_url = s.opt_text(9);
    e.status = s.text(10);
    if (auto ms = s.opt_integer(11)) e.lifted_at = from_unix_ms(*ms);
    e.late = s.integer(12) != 0;
    e.warning = s.text(13);
    e.first_seen = from_unix_ms(s.integer(14));
    e.first_source = s.text(15);
    return e;
}

}  // namespace store_detail

namespace {

nlohmann::json embargo_json(const Embargo& e, const std::optional<std::string>& press_release_url) {
    return {{"until", e.until_utc},
            {"until_uk", e.until_uk},
            {"press_release_url", press_release_url ? nlohmann::json(*press_release_url) : nlohmann::json(nullptr)}};
}

nlohmann::json about(const StoredAssessment& a) {
    return {{"authority", authority_json(a.authority)}, {"assessment", assessment_json(a.assessment, a.published)}};
}

std::optional<std::int64_t> find_embargo(sqlite3* db, const Embargo& e, std::int64_t council_id,
                                         std::int64_t assessment_id) {
    Stmt s(db, e.resolved ? "SELECT id FROM embargoes WHERE council_id = ?1 AND until_unix = ?2 AND resolved = 1"
                          : "SELECT id FROM embargoes WHERE assessment_id = ?3 AND line = ?4 AND resolved = 0");
    if (e.resolved)
        s.bind(1, council_id).bind(2, e.until_unix);
    else
        s.bind(3, assessment_id).bind(4, e.line);
    if (s.step()) return s.integer(0);
    return std::nullopt;
}

std::string join_warnings(const std::vector<std::string>& warnings) {
    std::string out;
    for (const auto& w : warnings) out += (out.empty() ? "" : "; ") + w;
    return out.empty() ? "the embargo line could not be resolved to an instant" : out;
}

}  // namespace

namespace store_embargo {

std::optional<std::int64_t> note_embargo(sqlite3* db, const Embargo& e, const StoredAssessment& a,
                                         std::int64_t council_id, const std::vector<std::string>& warnings,
                                         const RecordContext& ctx, std::vector<Event>& events) {
    if (auto id = find_embargo(db, e, council_id, a.id)) return id;
    std::int64_t now = to_unix_ms(ctx.now);
    bool passed = e.until_unix * 1000 <= now;
    std::string status = !e.resolved ? "unresolved" : (ctx.baseline && passed) ? "lifted" : "pending";
    Stmt ins(db,
             "INSERT INTO embargoes (council_id, assessment_id, until_unix, until_utc, until_uk, line, resolved, "
             "status, press_release_url, lifted_ms, warning, first_seen_ms, first_source) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, council_id).bind(2, a.id).bind(3, e.until_unix).bind(4, e.until_utc).bind(5, e.until_uk);
    ins.bind(6, e.line).bind(7, e.resolved ? 1 : 0).bind(8, status).bind(9, a.press_release_url);
    if (status == "lifted") ins.bind(10, now);
    ins.bind(11, e.resolved ? std::string() : join_warnings(warnings)).bind(12, now).bind(13, ctx.source).run();
    std::int64_t id = sqlite3_last_insert_rowid(db);
    nlohmann::json f = about(a);
    f["embargo"] = embargo_json(e, a.press_release_url);
    if (!e.resolved) {
        f["embargo"]["line"] = e.line;
        f["reason"] = "embargo line could not be resolved: " + join_warnings(warnings);
        events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, a.id));
    } else if (status == "pending") {
        events.push_back(insert_event(db, event_type::embargo_scheduled, f, ctx, a.id));
    }
    return id;
}

}  // namespace store_embargo

namespace {

// Held deliveries go after the lifted event's, in their old order.
void release_held(sqlite3* db, std::int64_t embargo_id, std::int64_t now) {
    Stmt next(db, "SELECT COALESCE(MAX(order_seq), 0) + 1 FROM deliveries");
    next.step();
    std::int64_t order = next.integer(0);
    Stmt held(db, "SELECT id FROM deliveries WHERE held_by = ? ORDER BY order_seq");
    held.bind(1, embargo_id);
    std::vector<std::int64_t> ids;
    while (held.step()) ids.push_back(held.integer(0));
    Stmt upd(db,
             "UPDATE deliveries SET held_by = NULL, order_seq = ?, not_before_ms = min(not_before_ms, ?), "
             "next_attempt_ms = min(next_attempt_ms, ?) WHERE id = ?");
    for (auto id : ids) {
        upd.bind(1, order++).bind(2, now).bind(3, now).bind(4, id).run();
        upd.reset();
    }
}

std::optional<Event> lift(sqlite3* db, std::int64_t embargo_id, const RecordContext& ctx, bool late) {
    Stmt s(db, std::string("SELECT ") + k_embargo_columns + " WHERE e.id = ?");
    s.bind(1, embargo_id);
    if (!s.step()) return std::nullopt;
    StoredEmbargo e = read_embargo(s);
    if (e.status != "pending") return std::nullopt;
    std::int64_t now = to_unix_ms(ctx.now);
    Stmt upd(db, "UPDATE embargoes SET status = 'lifted', lifted_ms = ?, late = ? WHERE id = ?");
    upd.bind(1, now).bind(2, late ? 1 : 0).bind(3, embargo_id).run();
    auto a = load_assessment(db, e.assessment_id);
    nlohmann::json f = a ? about(*a) : nlohmann::json::object();
    f["embargo"] = embargo_json(e.embargo, e.press_release_url);
    f["late"] = late;
    f["late_by_seconds"] = std::max<std::int64_t>(0, (now - e.embargo.until_unix * 1000) / 1000);
    Event ev = insert_event(db, event_type::embargo_lifted, f, ctx, e.assessment_id);
    release_held(db, embargo_id, now);
    return ev;
}

}  // namespace

tl::expected<std::optional<Event>, StoreError> Store::lift_embargo(std::int64_t embargo_id, const RecordContext& ctx,
                                                                   bool late) {
    try {
        Transaction txn(m_db.get());
        auto ev = lift(m_db.get(), embargo_id, ctx, late);
        txn.commit();
        return ev;
    } catch (const SqlError& err) {
        return tl::unexpected(to_store_error(err.code, m_path, err.what()));
    }
}

tl::expected<std::vector<StoredEmbargo>, StoreError> Store::pending_embargoes() const {
    try {
        Stmt s(m_db.get(),
               std::string("SELECT ") + k_embargo_columns + " WHERE e.status = 'pending' ORDER BY e.until_unix, e.id");
        std::vector<StoredEmbargo> out;
        while (s.step()) out.push_back(read_embargo(s));
        return out;
    } catch (const SqlError& err) {
        return tl::unexpected(to_store_error(err.code, m_path, err.what()));
    }
}

std::vector<StoredEmbargo> Store::list_embargoes() const {
    Stmt s(m_db.get(), std::string("SELECT ") + k_embargo_columns +
                           " ORDER BY e.status = 'pending' DESC, "
                           "CASE WHEN e.status = 'pending' THEN e.until_unix ELSE -e.until_unix END, e.id DESC");
    std::vector<StoredEmbargo> out;
    while (s.step()) out.push_back(read_embargo(s));
    return out;
}

}  // namespace cqcwatch
