// Embargoes: stored once per council and lift instant (whichever copy came
// first, email or newsroom), scheduled, and lifted — which releases every
// delivery held for the assessment until then.

#include <algorithm>
#include <set>

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

std::optional<std::int64_t> find_embargo(Connection& db, const Embargo& e, std::int64_t council_id,
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

// Before the lift nothing carries an embargoed figure: these notices name the
// council and the embargo only, and are not linked to the assessment (which
// would hold them).
nlohmann::json notice_fields(const StoredAssessment& a, const Embargo& e) {
    return {{"authority", authority_json(a.authority)},
            {"assessment", nullptr},
            {"embargo", embargo_json(e, a.press_release_url)}};
}

// An embargo already past when first stored is history: lifted at its instant, no alert.
std::string initial_status(const Embargo& e, std::int64_t now_ms) {
    if (!e.resolved) return "unresolved";
    return e.until_unix * 1000 <= now_ms ? "lifted" : "pending";
}

}  // namespace

namespace store_detail {

std::optional<std::int64_t> note_embargo(Connection& db, const Embargo& e, const StoredAssessment& a,
                                         std::int64_t council_id, const std::vector<std::string>& warnings,
                                         const RecordContext& ctx, std::vector<Event>& events) {
    if (auto id = find_embargo(db, e, council_id, a.id)) return id;
    std::int64_t now = to_unix_ms(ctx.now);
    std::string status = initial_status(e, now);
    Stmt ins(db,
             "INSERT INTO embargoes (council_id, assessment_id, until_unix, until_utc, until_uk, line, resolved, "
             "status, press_release_url, lifted_ms, warning, first_seen_ms, first_source, release_values) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, council_id).bind(2, a.id).bind(3, e.until_unix).bind(4, e.until_utc).bind(5, e.until_uk);
    ins.bind(6, e.line).bind(7, e.resolved ? 1 : 0).bind(8, status).bind(9, a.press_release_url);
    if (status == "lifted") ins.bind(10, e.until_unix * 1000);
    ins.bind(11, e.resolved ? std::string() : join_warnings(warnings)).bind(12, now).bind(13, ctx.source);
    ins.bind(14, assessment_json(a.assessment, a.published).dump()).run();
    std::int64_t id = sqlite3_last_insert_rowid(db.raw());
    nlohmann::json f = notice_fields(a, e);
    if (status == "unresolved") {
        f["embargo"]["line"] = e.line;
        f["reason"] = "embargo line could not be resolved: " + join_warnings(warnings) +
                      "; the release is stored, nothing of it is sent: check its embargo by hand";
        events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, 0));
    } else if (status == "pending") {
        events.push_back(insert_event(db, event_type::embargo_scheduled, f, ctx, 0));
    }
    return id;
}

std::optional<std::int64_t> pending_embargo_of(Connection& db, std::int64_t assessment_id) {
    Stmt s(db,
           "SELECT id FROM embargoes WHERE assessment_id = ? AND status = 'pending' "
           "ORDER BY until_unix DESC LIMIT 1");
    s.bind(1, assessment_id);
    if (s.step()) return s.integer(0);
    return std::nullopt;
}

nlohmann::json embargo_conflicts(const nlohmann::json& release, const nlohmann::json& report) {
    nlohmann::json out = nlohmann::json::array();
    if (!release.is_object() || !report.is_object()) return out;
    auto differ = [&out](const std::string& field, const nlohmann::json& a, const nlohmann::json& b) {
        if (!a.is_null() && !b.is_null() && a != b)
            out.push_back({{"field", field}, {"press_release", a}, {"report_page", b}});
    };
    differ("rating", release.value("rating", nlohmann::json()), report.value("rating", nlohmann::json()));
    const auto& rs = release.value("scores", nlohmann::json::array());
    const auto& ps = report.value("scores", nlohmann::json::array());
    for (std::size_t i = 0; i < k_statement_count && i < rs.size() && i < ps.size(); ++i)
        differ(std::string(to_key(statement_at(i))), rs[i].value("score", nlohmann::json()),
               ps[i].value("score", nlohmann::json()));
    return out;
}

nlohmann::json note_report_values(Connection& db, std::int64_t embargo_id, const nlohmann::json& report) {
    Stmt get(db, "SELECT release_values, report_values FROM embargoes WHERE id = ?");
    get.bind(1, embargo_id);
    if (!get.step()) return nlohmann::json::array();
    auto release = nlohmann::json::parse(get.opt_text(0).value_or("null"));
    auto before = nlohmann::json::parse(get.opt_text(1).value_or("null"));
    Stmt upd(db, "UPDATE embargoes SET report_values = ? WHERE id = ?");
    upd.bind(1, report.dump()).bind(2, embargo_id).run();
    auto now = embargo_conflicts(release, report);
    if (!before.is_null() && embargo_conflicts(release, before) == now) return nlohmann::json::array();
    return now;
}

}  // namespace store_detail

namespace {

struct HeldDelivery {
    std::int64_t id;
    std::string notifier;
    std::string event_id;
    std::string type;
};

// The pending deliveries of events about the assessment, oldest first: what the embargo held.
std::vector<HeldDelivery> held_deliveries(Connection& db, std::int64_t assessment_id) {
    Stmt s(db,
           "SELECT d.id, d.notifier, ev.id, ev.type FROM deliveries d JOIN events ev ON ev.seq = d.event_seq "
           "WHERE ev.assessment_id = ? AND d.status = 'pending' ORDER BY d.order_seq");
    s.bind(1, assessment_id);
    std::vector<HeldDelivery> out;
    while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3)});
    return out;
}

bool mergeable(const std::string& type) {
    return type == event_type::assessment_published || type == event_type::assessment_updated;
}

// The held events the lift alert stands for (each once, oldest first).
nlohmann::json merged_events(const std::vector<HeldDelivery>& held) {
    nlohmann::json out = nlohmann::json::array();
    std::set<std::string> seen;
    for (const auto& h : held)
        if (mergeable(h.type) && seen.insert(h.event_id).second) out.push_back({{"id", h.event_id}, {"type", h.type}});
    return out;
}

// One message per notifier at the lift: a notifier that gets the lift alert has its
// held published/updated deliveries recorded as sent within it; everything else
// held goes after the lift alert, in its old order (parser.suspect follows the lift).
void merge_and_release(Connection& db, const std::vector<HeldDelivery>& held, const Event& lift, std::int64_t now) {
    std::set<std::string> got_lift;
    Stmt who(db, "SELECT d.notifier FROM deliveries d JOIN events ev ON ev.seq = d.event_seq WHERE ev.id = ?");
    who.bind(1, lift.id);
    while (who.step()) got_lift.insert(who.text(0));
    Stmt next(db, "SELECT COALESCE(MAX(order_seq), 0) + 1 FROM deliveries");
    next.step();
    std::int64_t order = next.integer(0);
    Stmt merged(db,
                "UPDATE deliveries SET status = 'sent', finished_ms = ?, summary = ? WHERE id = ? "
                "AND status = 'pending'");
    Stmt later(db, "UPDATE deliveries SET order_seq = ?, not_before_ms = max(not_before_ms, ?) WHERE id = ?");
    for (const auto& h : held) {
        if (mergeable(h.type) && got_lift.count(h.notifier)) {
            merged.bind(1, now).bind(2, "sent within " + lift.id + " (embargo.lifted)").bind(3, h.id).run();
            merged.reset();
        } else {
            later.bind(1, order++).bind(2, now).bind(3, h.id).run();
            later.reset();
        }
    }
}

std::optional<nlohmann::json> json_column(const Stmt& s, int col) {
    auto text = s.opt_text(col);
    if (!text) return std::nullopt;
    return nlohmann::json::parse(*text, nullptr, false);
}

// The lift alert's body: the press release's figures (plus the report link once known),
// and where the report page said otherwise, both values.
nlohmann::json lift_fields(Connection& db, const StoredEmbargo& e, std::int64_t now, bool late) {
    Stmt v(db, "SELECT release_values, report_values FROM embargoes WHERE id = ?");
    v.bind(1, e.id);
    v.step();
    auto release = json_column(v, 0);
    auto report = json_column(v, 1);
    auto a = load_assessment(db, e.assessment_id);
    nlohmann::json f = nlohmann::json::object();
    if (a) {
        f["authority"] = authority_json(a->authority);
        f["assessment"] = release && release->is_object() ? *release : assessment_json(a->assessment, a->published);
        f["assessment"]["report_url"] =
            a->assessment.report_url ? nlohmann::json(*a->assessment.report_url) : nlohmann::json(nullptr);
    }
    f["embargo"] = embargo_json(e.embargo, e.press_release_url);
    f["late"] = late;
    f["late_by_seconds"] = std::max<std::int64_t>(0, (now - e.embargo.until_unix * 1000) / 1000);
    f["conflicts"] = release && report ? embargo_conflicts(*release, *report) : nlohmann::json::array();
    return f;
}

std::optional<Event> lift(Connection& db, std::int64_t embargo_id, const RecordContext& ctx, LiftKind kind) {
    Stmt s(db, std::string("SELECT ") + k_embargo_columns + " WHERE e.id = ?");
    s.bind(1, embargo_id);
    if (!s.step()) return std::nullopt;
    StoredEmbargo e = read_embargo(s);
    if (e.status != "pending") return std::nullopt;
    std::int64_t now = to_unix_ms(ctx.now);
    bool late = kind == LiftKind::late;
    Stmt upd(db, "UPDATE embargoes SET status = 'lifted', lifted_ms = ?, late = ? WHERE id = ?");
    upd.bind(1, now).bind(2, late ? 1 : 0).bind(3, embargo_id).run();
    if (kind == LiftKind::history) return std::nullopt;  // released as they are, no alert of its own
    auto held = held_deliveries(db, e.assessment_id);
    nlohmann::json f = lift_fields(db, e, now, late);
    f["merged"] = merged_events(held);
    Event ev = insert_event(db, event_type::embargo_lifted, f, ctx, e.assessment_id);
    merge_and_release(db, held, ev, now);
    return ev;
}

}  // namespace

tl::expected<std::optional<Event>, StoreError> Store::lift_embargo(std::int64_t embargo_id, const RecordContext& ctx,
                                                                   LiftKind kind) {
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        auto ev = lift(*m_db, embargo_id, ctx, kind);
        txn.commit();
        return ev;
    });
}

tl::expected<std::optional<Event>, StoreError> Store::preview_lift(std::int64_t embargo_id, const RecordContext& ctx) {
    // The real lift, rolled back: the preview cannot drift from what the lift will send.
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        return lift(*m_db, embargo_id, ctx, LiftKind::on_time);
    });
}

tl::expected<std::vector<StoredEmbargo>, StoreError> Store::pending_embargoes() const {
    try {
        Stmt s(*m_db,
               std::string("SELECT ") + k_embargo_columns + " WHERE e.status = 'pending' ORDER BY e.until_unix, e.id");
        std::vector<StoredEmbargo> out;
        while (s.step()) out.push_back(read_embargo(s));
        return out;
    } catch (const SqlError& err) {
        return tl::unexpected(to_store_error(err.code, m_path, err.what()));
    }
}

tl::expected<std::vector<StoredEmbargo>, StoreError> Store::list_embargoes() const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, std::string("SELECT ") + k_embargo_columns +
                          " ORDER BY e.status = 'pending' DESC, "
                          "CASE WHEN e.status = 'pending' THEN e.until_unix ELSE -e.until_unix END, e.id DESC");
        std::vector<StoredEmbargo> out;
        while (s.step()) out.push_back(read_embargo(s));
        return out;
    });
}

}  // namespace cqcwatch
