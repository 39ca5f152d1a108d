// Per-URL fetch state, per-source health, and listing bookkeeping: which
// reports a listing showed, so one that disappears for N polls in a row is
// withdrawn — and a listing that suddenly shows nothing is a parser problem,
// not a mass withdrawal.

#include <set>

#include "parsers/report_url.hpp"
#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

SourceHealth read_health(Connection& db, std::string_view source) {
    Stmt s(db,
           "SELECT consecutive_failures, last_attempt_ms, last_success_ms, next_poll_ms, last_error, failing, "
           "last_item_count, baseline_ms FROM sources WHERE name = ?");
    s.bind(1, source);
    SourceHealth h;
    h.source = std::string(source);
    if (!s.step()) return h;
    h.consecutive_failures = static_cast<int>(s.integer(0));
    if (auto v = s.opt_integer(1)) h.last_attempt = from_unix_ms(*v);
    if (auto v = s.opt_integer(2)) h.last_success = from_unix_ms(*v);
    if (auto v = s.opt_integer(3)) h.next_poll = from_unix_ms(*v);
    h.last_error = s.text(4);
    h.failing = s.integer(5) != 0;
    h.last_item_count = static_cast<int>(s.integer(6));
    if (auto v = s.opt_integer(7)) h.baseline_at = from_unix_ms(*v);
    return h;
}

void ensure_source(Connection& db, std::string_view source) {
    Stmt s(db, "INSERT OR IGNORE INTO sources (name) VALUES (?)");
    s.bind(1, source).run();
}

nlohmann::json source_json(const SourceHealth& h) {
    return {{"name", h.source}, {"consecutive_failures", h.consecutive_failures}, {"last_error", h.last_error}};
}

std::optional<std::int64_t> assessment_for_url(Connection& db, const std::string& url) {
    Stmt s(db, "SELECT id FROM assessments WHERE report_key = ?1 OR press_release_url = ?2 LIMIT 1");
    s.bind(1, report_key(url)).bind(2, url);
    if (s.step()) return s.integer(0);
    return std::nullopt;
}

void set_withdrawn(Connection& db, std::int64_t id, bool withdrawn, const RecordContext& ctx) {
    Stmt s(db, "UPDATE assessments SET withdrawn = ?, last_changed_ms = ? WHERE id = ?");
    s.bind(1, withdrawn ? 1 : 0).bind(2, to_unix_ms(ctx.now)).bind(3, id).run();
    Stmt c(db,
           "INSERT INTO assessment_changes (assessment_id, changed_ms, source, kind, previous, current) "
           "VALUES (?, ?, ?, ?, ?, ?)");
    c.bind(1, id).bind(2, to_unix_ms(ctx.now)).bind(3, ctx.source).bind(4, withdrawn ? "withdrawn" : "restored");
    c.bind(5, nlohmann::json{{"withdrawn", !withdrawn}}.dump())
        .bind(6, nlohmann::json{{"withdrawn", withdrawn}}.dump());
    c.run();
}

// When the listing last showed `url` (the poll before the misses began), or null.
nlohmann::json last_seen(Connection& db, const std::string& url, const RecordContext& ctx) {
    Stmt s(db, "SELECT last_seen_ms FROM listing_items WHERE source = ? AND url = ?");
    s.bind(1, ctx.source).bind(2, url);
    return s.step() ? nlohmann::json(rfc3339(from_unix_ms(s.integer(0)))) : nlohmann::json(nullptr);
}

// The alert says the page is gone and links what still stands: the listing it was on.
void withdraw(Connection& db, const std::string& url, std::string_view listing_url, const RecordContext& ctx,
              ListingResult& out) {
    out.withdrawn_urls.push_back(url);
    auto id = assessment_for_url(db, url);
    if (!id) return;
    auto a = load_assessment(db, *id);
    if (!a || a->withdrawn) return;
    set_withdrawn(db, *id, true, ctx);
    nlohmann::json f{{"authority", authority_json(a->authority)},
                     {"assessment", assessment_json(a->assessment, a->published)},
                     {"withdrawn_url", url},
                     {"listing_url", listing_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(listing_url)},
                     {"last_seen", last_seen(db, url, ctx)}};
    out.events.push_back(insert_event(db, event_type::assessment_withdrawn, f, ctx, *id));
}

// A URL seen again after being withdrawn is restored (the report came back).
void note_seen(Connection& db, const std::string& url, bool was_withdrawn, const RecordContext& ctx) {
    Stmt s(db,
           "INSERT INTO listing_items (source, url, misses, last_seen_ms, withdrawn) VALUES (?1, ?2, 0, ?3, 0) "
           "ON CONFLICT (source, url) DO UPDATE SET misses = 0, last_seen_ms = ?3, withdrawn = 0");
    s.bind(1, ctx.source).bind(2, url).bind(3, to_unix_ms(ctx.now)).run();
    if (!was_withdrawn) return;
    if (auto id = assessment_for_url(db, url)) {
        auto a = load_assessment(db, *id);
        if (a && a->withdrawn) set_withdrawn(db, *id, false, ctx);
    }
}

ListingResult listing(Connection& db, const std::vector<std::string>& seen_list, std::string_view listing_url,
                      const RecordContext& ctx, int threshold) {
    ListingResult out;
    ensure_source(db, ctx.source);
    SourceHealth h = read_health(db, ctx.source);
    if (seen_list.empty()) {
        if (h.last_item_count > 0) {
            out.suspect = true;
            nlohmann::json f{{"source", {{"name", ctx.source}, {"previous_item_count", h.last_item_count}}},
                             {"reason", "listing " + ctx.source + " yielded no items (it yielded " +
                                            std::to_string(h.last_item_count) + " last time); nothing withdrawn"}};
            out.events.push_back(insert_event(db, event_type::parser_suspect, f, ctx, 0));
        }
        Stmt upd(db, "UPDATE sources SET last_item_count = 0 WHERE name = ?");
        upd.bind(1, ctx.source).run();
        return out;
    }
    std::set<std::string> seen(seen_list.begin(), seen_list.end());
    // The same report under another host name (the source moved) is not a miss: forget the old spelling.
    std::set<std::string> seen_keys;
    for (const auto& url : seen) seen_keys.insert(report_key(url));
    Stmt forget(db, "DELETE FROM listing_items WHERE source = ? AND url = ?");
    Stmt known(db, "SELECT url, misses, withdrawn FROM listing_items WHERE source = ?");
    known.bind(1, ctx.source);
    std::vector<std::tuple<std::string, int, bool>> rows;
    while (known.step()) rows.emplace_back(known.text(0), static_cast<int>(known.integer(1)), known.integer(2) != 0);
    std::set<std::string> withdrawn_before;
    Stmt miss(db, "UPDATE listing_items SET misses = ?, withdrawn = ? WHERE source = ? AND url = ?");
    for (const auto& [url, misses, withdrawn] : rows) {
        if (withdrawn) withdrawn_before.insert(url);
        if (seen.count(url)) continue;
        if (seen_keys.count(report_key(url))) {
            forget.bind(1, ctx.source).bind(2, url).run();
            forget.reset();
            continue;
        }
        if (withdrawn) continue;
        bool now_withdrawn = misses + 1 >= threshold;
        miss.bind(1, misses + 1).bind(2, now_withdrawn ? 1 : 0).bind(3, ctx.source).bind(4, url).run();
        miss.reset();
        if (now_withdrawn) withdraw(db, url, listing_url, ctx, out);
    }
    for (const auto& url : seen) note_seen(db, url, withdrawn_before.count(url) > 0, ctx);
    Stmt upd(db, "UPDATE sources SET last_item_count = ? WHERE name = ?");
    upd.bind(1, static_cast<std::int64_t>(seen.size())).bind(2, ctx.source).run();
    return out;
}

std::vector<Event> source_result(Connection& db, bool ok, std::string_view error, const RecordContext& ctx,
                                 int threshold) {
    ensure_source(db, ctx.source);
    SourceHealth h = read_health(db, ctx.source);
    std::vector<Event> events;
    std::int64_t now = to_unix_ms(ctx.now);
    if (ok) {
        if (h.failing)
            events.push_back(insert_event(db, event_type::source_recovered, {{"source", source_json(h)}}, ctx, 0));
        Stmt s(db,
               "UPDATE sources SET consecutive_failures = 0, failing = 0, last_attempt_ms = ?1, "
               "last_success_ms = ?1 WHERE name = ?2");
        s.bind(1, now).bind(2, ctx.source).run();
        return events;
    }
    h.consecutive_failures += 1;
    h.last_error = std::string(error);
    bool failing = h.failing || h.consecutive_failures >= threshold;
    if (failing && !h.failing)
        events.push_back(insert_event(db, event_type::source_failing, {{"source", source_json(h)}}, ctx, 0));
    Stmt s(db,
           "UPDATE sources SET consecutive_failures = ?, failing = ?, last_attempt_ms = ?, last_error = ? "
           "WHERE name = ?");
    s.bind(1, h.consecutive_failures).bind(2, failing ? 1 : 0).bind(3, now).bind(4, error).bind(5, ctx.source).run();
    return events;
}

}  // namespace

tl::expected<ListingResult, StoreError> Store::note_listing(const std::vector<std::string>& urls_seen,
                                                            const RecordContext& ctx, int miss_threshold,
                                                            std::string_view listing_url) {
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        ListingResult out = listing(*m_db, urls_seen, listing_url, ctx, miss_threshold);
        txn.commit();
        return out;
    });
}

tl::expected<void, StoreError> Store::note_listed(const std::vector<std::string>& urls_seen, const RecordContext& ctx) {
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        ensure_source(*m_db, ctx.source);
        Stmt was(*m_db, "SELECT withdrawn FROM listing_items WHERE source = ? AND url = ?");
        for (const auto& url : urls_seen) {
            was.bind(1, ctx.source).bind(2, url);
            bool withdrawn = was.step() && was.integer(0) != 0;
            was.reset();
            note_seen(*m_db, url, withdrawn, ctx);
        }
        txn.commit();
    });
}

tl::expected<std::vector<Event>, StoreError> Store::note_source_result(bool ok, std::string_view error,
                                                                       const RecordContext& ctx, int threshold) {
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        auto events = source_result(*m_db, ok, error, ctx, threshold);
        txn.commit();
        return events;
    });
}

tl::expected<std::vector<Event>, StoreError> Store::note_poll(bool ok, std::string_view error, const RecordContext& ctx,
                                                              int threshold, TimePoint next_poll) {
    return guarded(m_path, [&] {
        Connection& db = *m_db;
        if (ok) {  // the usual poll: a source that is not failing worked again
            Stmt s(db,
                   "UPDATE sources SET consecutive_failures = 0, last_attempt_ms = ?1, last_success_ms = ?1, "
                   "next_poll_ms = ?2 WHERE name = ?3 AND failing = 0");
            s.bind(1, to_unix_ms(ctx.now)).bind(2, to_unix_ms(next_poll)).bind(3, ctx.source).run();
            if (sqlite3_changes(db.raw()) == 1) return std::vector<Event>{};
        }
        Transaction txn(db);
        auto events = source_result(db, ok, error, ctx, threshold);
        Stmt s(db, "UPDATE sources SET next_poll_ms = ? WHERE name = ?");
        s.bind(1, to_unix_ms(next_poll)).bind(2, ctx.source).run();
        txn.commit();
        return events;
    });
}

tl::expected<std::int64_t, StoreError> Store::data_version() const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, "PRAGMA data_version");
        s.step();
        return s.integer(0);
    });
}

tl::expected<void, StoreError> Store::set_next_poll(std::string_view source, TimePoint when) {
    return guarded(m_path, [&] {
        ensure_source(*m_db, source);
        Stmt s(*m_db, "UPDATE sources SET next_poll_ms = ? WHERE name = ?");
        s.bind(1, to_unix_ms(when)).bind(2, source).run();
    });
}

tl::expected<std::optional<SourceHealth>, StoreError> Store::source_health(std::string_view source) const {
    return guarded(m_path, [&]() -> std::optional<SourceHealth> {
        Stmt s(*m_db, "SELECT 1 FROM sources WHERE name = ?");
        s.bind(1, source);
        if (!s.step()) return std::nullopt;
        return read_health(*m_db, source);
    });
}

tl::expected<std::optional<TimePoint>, StoreError> Store::baseline_of(std::string_view source) const {
    return guarded(m_path, [&]() -> std::optional<TimePoint> {
        Stmt s(*m_db, "SELECT baseline_ms FROM sources WHERE name = ? AND baseline_ms IS NOT NULL");
        s.bind(1, source);
        if (!s.step()) return std::nullopt;
        return from_unix_ms(s.integer(0));
    });
}

tl::expected<void, StoreError> Store::note_baseline(std::string_view source, TimePoint at) {
    return guarded(m_path, [&] {
        ensure_source(*m_db, source);
        {
            Stmt s(*m_db, "UPDATE sources SET baseline_ms = ? WHERE name = ?");
            s.bind(1, to_unix_ms(at)).bind(2, source).run();
        }
        // A baseline is the largest run of writes the daemon makes: give the volume the WAL's
        // space back at once (best effort: a reader may hold it; the next checkpoint does it then).
        m_db->truncate_wal();
    });
}

tl::expected<std::optional<FetchState>, StoreError> Store::fetch_state(std::string_view url) const {
    return guarded(m_path, [&]() -> std::optional<FetchState> {
        Stmt s(*m_db,
               "SELECT etag, last_modified, content_hash, last_status, consecutive_failures, last_fetch_ms "
               "FROM fetch_state WHERE url = ?");
        s.bind(1, url);
        if (!s.step()) return std::nullopt;
        FetchState f{std::string(url),
                     s.text(0),
                     s.text(1),
                     s.text(2),
                     static_cast<int>(s.integer(3)),
                     static_cast<int>(s.integer(4)),
                     std::nullopt};
        if (auto v = s.opt_integer(5)) f.last_fetch = from_unix_ms(*v);
        return f;
    });
}

tl::expected<void, StoreError> Store::put_fetch_state(const FetchState& f) {
    return guarded(m_path, [&] {
        Stmt s(*m_db,
               "INSERT OR REPLACE INTO fetch_state (url, etag, last_modified, content_hash, last_status, "
               "consecutive_failures, last_fetch_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, f.url).bind(2, f.etag).bind(3, f.last_modified).bind(4, f.content_hash).bind(5, f.last_status);
        s.bind(6, f.consecutive_failures);
        if (f.last_fetch) s.bind(7, to_unix_ms(*f.last_fetch));
        s.run();
    });
}

}  // namespace cqcwatch
