// The schema, as numbered forward-only migrations. Migration N takes a
// database at version N-1 to N; PRAGMA user_version records where a file is.
// Never edit a migration that has shipped: add the next one.

#include <map>
#include <string>
#include <vector>

#include "store/sql.hpp"
#include "parsers/authorities.hpp"
#include "parsers/report_url.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

// 1: councils, assessments and every change to them.
constexpr const char* k_v1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE councils (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  council_id INTEGER NOT NULL REFERENCES councils(id),
  report_key TEXT UNIQUE,
  report_url TEXT,
  summary_url TEXT,
  press_release_url TEXT,
  rating TEXT CHECK (rating IN ('outstanding','good','requires_improvement','inadequate')),
  indicative INTEGER NOT NULL DEFAULT 0,
  stated_pct REAL,
  computed_pct REAL,
  s1 INTEGER, s2 INTEGER, s3 INTEGER, s4 INTEGER, s5 INTEGER,
  s6 INTEGER, s7 INTEGER, s8 INTEGER, s9 INTEGER,
  published TEXT,
  updated TEXT,
  content_hash TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_changed_ms INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  baseline INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE assessment_changes (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessments(id),
  changed_ms INTEGER NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  previous TEXT,
  current TEXT NOT NULL
);
)sql";

// 2: events and the outbox. The salt makes event ids unique across databases.
constexpr const char* k_v2 = R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,
  assessment_id INTEGER REFERENCES assessments(id),
  baseline INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL
);
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events(seq),
  notifier TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  order_seq INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  not_before_ms INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  held_by INTEGER,
  finished_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  UNIQUE (event_seq, notifier)
);
INSERT INTO meta (key, value) VALUES ('event_salt', lower(hex(randomblob(8))));
)sql";

// 3: conditional-request state, source health, and what each listing showed.
constexpr const char* k_v3 = R"sql(
CREATE TABLE fetch_state (
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  last_status INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_fetch_ms INTEGER
);
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_attempt_ms INTEGER,
  last_success_ms INTEGER,
  next_poll_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  failing INTEGER NOT NULL DEFAULT 0,
  last_item_count INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE listing_items (
  source TEXT NOT NULL,
  url TEXT NOT NULL,
  misses INTEGER NOT NULL DEFAULT 0,
  last_seen_ms INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source, url)
);
)sql";

// 4: press releases and embargoes. One embargo per council and lift instant.
constexpr const char* k_v4 = R"sql(
CREATE TABLE press_releases (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessments(id),
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  seen_ms INTEGER NOT NULL,
  UNIQUE (assessment_id, url, title)
);
CREATE TABLE embargoes (
  id INTEGER PRIMARY KEY,
  council_id INTEGER NOT NULL REFERENCES councils(id),
  assessment_id INTEGER NOT NULL REFERENCES assessments(id),
  until_unix INTEGER NOT NULL,
  until_utc TEXT NOT NULL,
  until_uk TEXT NOT NULL,
  line TEXT NOT NULL,
  resolved INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','lifted','unresolved')),
  press_release_url TEXT,
  lifted_ms INTEGER,
  late INTEGER NOT NULL DEFAULT 0,
  warning TEXT NOT NULL DEFAULT '',
  first_seen_ms INTEGER NOT NULL,
  first_source TEXT NOT NULL
);
CREATE UNIQUE INDEX embargoes_once ON embargoes (council_id, until_unix) WHERE resolved = 1;
)sql";

// 5: indexes for the queries users run and the outbox scan, so each stays
// well under 50 ms at 100 000 assessments.
constexpr const char* k_v5 = R"sql(
CREATE INDEX assessments_by_council ON assessments (council_id, published DESC, id DESC);
CREATE INDEX assessments_by_published ON assessments (published DESC, id DESC);
CREATE INDEX assessments_by_rating ON assessments (rating, published DESC, id DESC);
CREATE INDEX assessments_by_press_release ON assessments (press_release_url);
CREATE INDEX changes_by_assessment ON assessment_changes (assessment_id, id);
CREATE INDEX events_by_assessment ON events (assessment_id, type);
CREATE INDEX deliveries_pending ON deliveries (notifier, order_seq) WHERE status = 'pending';
CREATE INDEX deliveries_by_status ON deliveries (status, id DESC);
CREATE INDEX deliveries_by_order ON deliveries (order_seq);
CREATE INDEX deliveries_held ON deliveries (held_by) WHERE held_by IS NOT NULL;
CREATE INDEX embargoes_by_status ON embargoes (status, until_unix);
CREATE INDEX embargoes_by_assessment ON embargoes (assessment_id, status);
)sql";

// 6: each source's baseline (its first complete pass) is its own fact. A source
// that has had a successful pass before this version has had its baseline. Report
// keys become host-independent (rekey_reports, below).
constexpr const char* k_v6 = R"sql(
ALTER TABLE sources ADD COLUMN baseline_ms INTEGER;
UPDATE sources SET baseline_ms = last_success_ms WHERE last_success_ms IS NOT NULL;
)sql";

// 7: what a report page should have stated but could not be read (comma-separated keys).
constexpr const char* k_v7 = R"sql(
ALTER TABLE assessments ADD COLUMN unread TEXT;
)sql";

// 8: what the press release and the report page each say, so the lift alert carries
// the release's figures and names where the report page differs.
constexpr const char* k_v8 = R"sql(
ALTER TABLE embargoes ADD COLUMN release_values TEXT;
ALTER TABLE embargoes ADD COLUMN report_values TEXT;
)sql";

// 9: one record per assessment from several sources: where each value came from, and
// what the press release and the report page each said (their disagreements are shown).
constexpr const char* k_v9 = R"sql(
ALTER TABLE assessments ADD COLUMN provenance TEXT;
ALTER TABLE assessments ADD COLUMN release_values TEXT;
ALTER TABLE assessments ADD COLUMN report_values TEXT;
)sql";

// 10: the council's name as CQC's texts write it ("Walsall Metropolitan Borough Council"), for alerts.
constexpr const char* k_v10 = R"sql(
ALTER TABLE councils ADD COLUMN full_name TEXT;
)sql";

constexpr const char* k_migrations[] = {k_v1, k_v2, k_v3, k_v4, k_v5, k_v6, k_v7, k_v8, k_v9, k_v10};
constexpr int k_latest = static_cast<int>(std::size(k_migrations));

void seed_councils(Connection& db) {
    Stmt ins(db, "INSERT OR IGNORE INTO councils (code, name) VALUES (?, ?)");
    for (const auto& e : Authorities::builtin().all()) {
        ins.bind(1, e.code).bind(2, e.name).run();
        ins.reset();
    }
}

// Moves everything that points at assessment `from` to `to`, then deletes `from`.
void fold_assessment(Connection& db, std::int64_t from, std::int64_t to) {
    for (const char* sql : {"UPDATE assessment_changes SET assessment_id = ?2 WHERE assessment_id = ?1",
                            "UPDATE events SET assessment_id = ?2 WHERE assessment_id = ?1",
                            "UPDATE embargoes SET assessment_id = ?2 WHERE assessment_id = ?1",
                            "UPDATE OR IGNORE press_releases SET assessment_id = ?2 WHERE assessment_id = ?1",
                            "DELETE FROM press_releases WHERE assessment_id = ?1",
                            "UPDATE assessments SET "
                            "report_url = COALESCE((SELECT report_url FROM assessments WHERE id = ?1), report_url), "
                            "summary_url = COALESCE((SELECT summary_url FROM assessments WHERE id = ?1), summary_url), "
                            "press_release_url = COALESCE(press_release_url, "
                            "(SELECT press_release_url FROM assessments WHERE id = ?1)), "
                            "withdrawn = min(withdrawn, (SELECT withdrawn FROM assessments WHERE id = ?1)) "
                            "WHERE id = ?2",
                            "DELETE FROM assessments WHERE id = ?1"}) {
        Stmt s(db, sql);
        s.bind(1, from).bind(2, to).run();
    }
}

// Version 5 keyed reports on "https://<host><path>", so one site reached by two
// names (127.0.0.1 and a DNS name, www. or not) stored each report twice. The
// key is now report_key(): the path alone. Rows that now share a key are one
// report: the oldest keeps its id and history, the newer copy's URLs (the name
// in use now) and everything pointing at it move over.
void rekey_reports(Connection& db) {
    std::vector<std::pair<std::int64_t, std::string>> rows;
    {
        Stmt s(db,
               "SELECT id, COALESCE(report_url, report_key) FROM assessments WHERE report_key IS NOT NULL ORDER BY id");
        while (s.step()) rows.emplace_back(s.integer(0), s.text(1));
    }
    std::map<std::string, std::int64_t> keeper;
    Stmt set(db, "UPDATE assessments SET report_key = ? WHERE id = ?");
    for (const auto& [id, url] : rows) {
        std::string key = report_key(url);
        if (auto it = keeper.find(key); it != keeper.end()) {
            fold_assessment(db, id, it->second);
            continue;
        }
        keeper.emplace(key, id);
        set.bind(1, key).bind(2, id).run();
        set.reset();
    }
}

}  // namespace

int store_schema_version() { return k_latest; }

namespace store_detail {

int user_version(Connection& db) {
    Stmt s(db, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.integer(0));
}

void migrate(Connection& db, int from, int to) {
    for (int v = from + 1; v <= to && v <= k_latest; ++v) {
        Transaction txn(db);
        if (user_version(db) >= v) continue;  // another process migrated first
        exec(db, k_migrations[v - 1]);
        if (v == 1) seed_councils(db);
        if (v == 6) rekey_reports(db);
        exec(db, "PRAGMA user_version = " + std::to_string(v));
        txn.commit();
    }
}

}  // namespace store_detail

}  // namespace cqcwatch
