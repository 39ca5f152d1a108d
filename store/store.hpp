#pragma once
// The store: the only owner of the SQLite file. It holds councils,
// assessments and their history, press releases and embargoes, events and
// their deliveries (the outbox), fetch state per URL and source health.
//
// Every write that changes data also writes the events it causes and one
// delivery row per (event, notifier) in the SAME transaction, so a crash can
// neither lose an alert nor raise one twice. The store never reads the clock:
// every write takes `now`. It does not know notifier configs either: the
// caller passes a RouteFn naming the notifiers an event goes to.
//
// Delivery states:
//
//   pending ──mark_sent──▶ sent
//     │  ▲
//     │  └─mark_failed (attempts+1, next_attempt_at)
//     └──mark_dead──▶ dead ──requeue──▶ pending
//
// A pending delivery is due when now ≥ not_before and now ≥ next_attempt_at,
// it is not held by a pending embargo, and no earlier delivery of the same
// notifier (in order_seq) is still pending and released. Held deliveries
// (embargoed) do not block the notifier's other deliveries.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "events/display.hpp"  // TimePoint
#include "events/event.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

namespace store_detail {
class Connection;
}

/// How the file is opened: the daemon and ingest write, query commands only read.
enum class StoreMode { read_write, read_only };

/// Why the store could not be used; `message` names the file and what to do.
struct StoreError {
    enum class Kind { not_found, locked, read_only, corrupt, full, newer_schema, other };
    Kind kind = Kind::other;
    std::string message;
};

/// A process holding the database's write lock (a `sqlite3` session, a backup, another writer).
struct LockHolder {
    long pid = 0;         ///< its process id
    std::string program;  ///< its name (/proc/<pid>/comm), "" when unreadable
};

/// The notifier names an event goes to (routing is the caller's knowledge).
using RouteFn = std::function<std::vector<std::string>(const Event&)>;

/// What every write needs to know.
struct RecordContext {
    TimePoint now;          ///< the instant of the write (events' occurred_at)
    std::string source;     ///< source name ("cqc-reports", "ingest", "maildir")
    bool baseline = false;  ///< store events but create no deliveries (first run)
    RouteFn route;          ///< empty = no deliveries
    /// A document published (or last updated) before this day is history: stored, no alert
    /// (the caller's day of now - max_age). nullopt: every document is news.
    std::optional<Date> history_before;
};

/// An assessment as stored.
struct StoredAssessment {
    std::int64_t id = 0;
    AuthorityRef authority;  ///< canonical name and ONS code
    Assessment assessment;   ///< rating, indicative, stated %, scores, report_url
    std::optional<double> computed_percentage;
    std::optional<Date> published;
    std::optional<Date> updated;
    std::optional<std::string> press_release_url;
    std::optional<std::string> summary_url;
    std::string content_hash;  ///< 16 hex over the stored values
    TimePoint first_seen;
    TimePoint last_changed;
    bool withdrawn = false;
    bool baseline = false;  ///< recorded without alerting
    std::optional<TimePoint> embargo_until;  ///< the instant of a pending embargo, if one holds it
    /// Where each value came from: {"rating"|"scores"|"percentage"|"published": {"from":
    /// "press_release"|"report_page"|"summary_page", "url": … or null}}; null for rows stored before it was kept.
    nlohmann::json provenance;
    /// Where the press release and the report page disagree: [{"field", "press_release", "report_page"}].
    /// The record keeps the report page's values; empty when they agree (or only one was seen).
    nlohmann::json conflicts = nlohmann::json::array();
};

/// One change to an assessment, kept for ever.
struct AssessmentChange {
    std::int64_t assessment_id = 0;
    TimePoint changed_at;
    std::string source;
    std::string kind;         ///< "created", "updated", "enriched", "linked", "withdrawn", "restored"
                              ///< (changes_between also gives "lifted": an embargo lifted with an alert)
    nlohmann::json previous;  ///< values before (null for "created")
    nlohmann::json current;   ///< values after
    /// Recorded without alerting (the first-run baseline, `ingest --baseline`, history older
    /// than max_age); set by changes_between only.
    bool silent = false;
};

/// What record_document did.
enum class RecordOutcome { created, updated, unchanged, ignored };

/// The result of record_document.
struct RecordResult {
    RecordOutcome outcome = RecordOutcome::ignored;
    std::int64_t assessment_id = 0;          ///< 0 when ignored
    nlohmann::json previous;                 ///< values before an update, else null
    std::vector<Event> events;               ///< events created (also stored with deliveries)
    std::optional<std::int64_t> embargo_id;  ///< the embargo stored or matched
    std::string reason;                      ///< why ignored (no authority, no assessment, …)
    std::optional<Date> history;             ///< stored as history (no alert): the date older than max_age
};

/// An embargo as stored.
struct StoredEmbargo {
    std::int64_t id = 0;
    AuthorityRef authority;
    std::int64_t assessment_id = 0;
    Embargo embargo;  ///< until_unix, until_utc, until_uk, line, resolved
    std::optional<std::string> press_release_url;
    std::string status;  ///< "pending", "lifted" or "unresolved"
    std::optional<TimePoint> lifted_at;
    bool late = false;
    std::string warning;  ///< why unresolved
    TimePoint first_seen;
    std::string first_source;  ///< the copy that came first (email or newsroom)
};

/// How an embargo is lifted: at its instant, late (missed while the daemon was not
/// running), or as history (too late to be news: recorded, no alert).
enum class LiftKind { on_time, late, history };

/// Delivery states.
enum class DeliveryStatus { pending, sent, dead };
/// "pending", "sent", "dead".
std::string_view to_key(DeliveryStatus s);
/// The status for a key, or nullopt.
std::optional<DeliveryStatus> delivery_status_from_key(std::string_view key);

/// One row of the outbox, with its event.
struct Delivery {
    std::int64_t id = 0;
    std::string notifier;
    Event event;  ///< id, type, occurred_at, body
    std::int64_t event_seq = 0;
    DeliveryStatus status = DeliveryStatus::pending;
    int attempts = 0;
    TimePoint created_at;
    TimePoint not_before;  ///< embargo lift, else created_at
    TimePoint next_attempt_at;
    bool held = false;                     ///< waiting for an embargo lift
    std::optional<TimePoint> finished_at;  ///< sent or dead
    std::string last_error;
    std::string summary;  ///< what the receiver answered
};

/// Outbox totals.
struct DeliveryCounts {
    std::int64_t pending = 0;  ///< includes held
    std::int64_t held = 0;
    std::int64_t sent = 0;
    std::int64_t dead = 0;
};

/// Conditional-request state of one URL.
struct FetchState {
    std::string url;
    std::string etag;
    std::string last_modified;
    std::string content_hash;
    int last_status = 0;
    int consecutive_failures = 0;
    std::optional<TimePoint> last_fetch;
};

/// Health of one source.
struct SourceHealth {
    std::string source;
    int consecutive_failures = 0;
    std::optional<TimePoint> last_attempt;
    std::optional<TimePoint> last_success;
    std::optional<TimePoint> next_poll;
    std::string last_error;
    bool failing = false;
    int last_item_count = -1;  ///< items the listing yielded last time; -1 never
    std::optional<TimePoint> baseline_at;  ///< when its first complete pass (the baseline) ended
};

/// What note_listing decided.
struct ListingResult {
    std::vector<Event> events;  ///< assessment.withdrawn / parser.suspect
    std::vector<std::string> withdrawn_urls;
    bool suspect = false;  ///< an empty listing that used to yield items
};

/// Filters for history(); every field optional.
struct HistoryQuery {
    std::optional<std::string> authority_code;  ///< ONS code (resolve names with Authorities first)
    std::optional<Rating> rating;
    std::optional<Date> since;  ///< published on or after
    std::optional<Date> until;  ///< published on or before
    bool indicative_only = false;
    std::size_t limit = 0;  ///< 0 = no limit
    bool first_recorded_first = false;  ///< order by id, oldest record first (export), not newest published
};

/// One council with everything known about it.
struct CouncilView {
    AuthorityRef authority;
    std::vector<StoredAssessment> assessments;  ///< newest first
    std::vector<AssessmentChange> changes;      ///< oldest first
    std::vector<StoredEmbargo> embargoes;
};

/// The store's side of `cqcwatch status`.
struct StatusView {
    std::string path;
    int schema_version = 0;
    std::int64_t assessments = 0;
    std::int64_t councils_assessed = 0;
    std::int64_t events = 0;
    std::int64_t pending_embargoes = 0;
    std::vector<SourceHealth> sources;
    DeliveryCounts deliveries;
    std::optional<std::chrono::seconds> oldest_pending_age;
};

/// The schema version this binary writes (PRAGMA user_version).
int store_schema_version();

/// The SQLite history database.
///
/// Errors: every operation that reads or writes the file returns
/// tl::expected<T, StoreError>, because each can fail for a passing cause (busy,
/// locked, disk full, I/O) that the caller handles: the loop logs it and retries
/// later (nothing throws into io_context::run()), a query command prints the
/// message and exits 1. Only open_or_throw throws, for callers that stop on a
/// store they cannot open. StoreError::message names the file and what to do.
class Store {
public:
    /// Opens (and in read_write mode creates and migrates) the database file.
    static tl::expected<Store, StoreError> open(const std::string& path, StoreMode mode);
    /// As open(), but throws std::runtime_error with the error's message.
    static Store open_or_throw(const std::string& path, StoreMode mode);
    /// Why record_document would store nothing of `doc` (no council, nothing to record), or nullopt.
    static std::optional<std::string> unrecordable_reason(const ParseResult& doc);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    /// The file this store reads and writes.
    const std::string& path() const { return m_path; }
    /// How long a write waits for another process's write lock before it fails as `locked`
    /// (5 s from open; the daemon waits less, so that a lock held for long never stalls its loop).
    void set_busy_timeout(std::chrono::milliseconds wait);
    /// True when no assessment has ever been recorded (the daemon's first run: baseline).
    tl::expected<bool, StoreError> empty() const;

    // --- writes: documents, listings, sources -----------------------------------

    /// Records one parsed document (report page, summary page, press release, email).
    tl::expected<RecordResult, StoreError> record_document(const ParseResult& doc, const RecordContext& ctx);
    /// Notes which item URLs a listing source yielded this poll: withdrawals after
    /// `miss_threshold` misses in a row, parser.suspect for a listing gone empty. A withdrawal's
    /// event carries `listing_url` (the listing polled, for the alert to link instead of the page gone).
    tl::expected<ListingResult, StoreError> note_listing(const std::vector<std::string>& urls_seen,
                                                         const RecordContext& ctx, int miss_threshold,
                                                         std::string_view listing_url = {});
    /// Notes item URLs seen on part of a listing (its page 1): seen again, nothing missed.
    tl::expected<void, StoreError> note_listed(const std::vector<std::string>& urls_seen, const RecordContext& ctx);
    /// Notes one poll of a source: source.failing once at `threshold` failures in a
    /// row, source.recovered at the next success. Returns the events created.
    tl::expected<std::vector<Event>, StoreError> note_source_result(bool ok, std::string_view error,
                                                                    const RecordContext& ctx, int threshold);
    /// note_source_result and set_next_poll in one go; a healthy source's success is one statement.
    tl::expected<std::vector<Event>, StoreError> note_poll(bool ok, std::string_view error, const RecordContext& ctx,
                                                           int threshold, TimePoint next_poll);
    /// Records when a source will be polled next (shown by `cqcwatch status`).
    tl::expected<void, StoreError> set_next_poll(std::string_view source, TimePoint when);
    /// SQLite's data_version: it changes when another connection (ingest, redeliver) commits.
    tl::expected<std::int64_t, StoreError> data_version() const;
    /// Records a free-standing event (parser.suspect, test, …) with its deliveries.
    /// `fields` are merged into the event body (schema, id, type, occurred_at are set here).
    tl::expected<Event, StoreError> record_event(std::string_view type, const nlohmann::json& fields,
                                                 const RecordContext& ctx);

    // --- fetch state --------------------------------------------------------------

    /// The stored conditional-request state of a URL, if any.
    tl::expected<std::optional<FetchState>, StoreError> fetch_state(std::string_view url) const;
    /// Replaces the stored state of `state.url`.
    tl::expected<void, StoreError> put_fetch_state(const FetchState& state);
    /// When the source's baseline (its first complete pass, everything stored) ended; nullopt: still to come.
    tl::expected<std::optional<TimePoint>, StoreError> baseline_of(std::string_view source) const;
    /// Records that the source's pass that ended at `at` stored everything it found: its baseline is done.
    tl::expected<void, StoreError> note_baseline(std::string_view source, TimePoint at);
    /// The health of one source, if it was ever polled.
    tl::expected<std::optional<SourceHealth>, StoreError> source_health(std::string_view source) const;

    // --- embargoes ----------------------------------------------------------------

    /// Resolved embargoes not yet lifted, soonest first (the daemon arms timers for these).
    tl::expected<std::vector<StoredEmbargo>, StoreError> pending_embargoes() const;
    /// Every embargo, pending first (soonest first), then lifted/unresolved newest first.
    tl::expected<std::vector<StoredEmbargo>, StoreError> list_embargoes() const;
    /// Lifts an embargo, which releases every delivery it held. Creates one embargo.lifted
    /// (the press release's figures, "conflicts" with the report page, "merged": the held
    /// published/updated events it stands for, "late", "late_by_seconds"); a notifier that
    /// gets it sends the merged events within it, not again. LiftKind::history records the
    /// lift without an event. nullopt if already lifted (or history).
    tl::expected<std::optional<Event>, StoreError> lift_embargo(std::int64_t embargo_id, const RecordContext& ctx,
                                                                LiftKind kind);
    /// The event lift_embargo(embargo_id, ctx, on_time) would create now, without creating it
    /// (same id and body while nothing else is stored meanwhile): for rendering ahead.
    tl::expected<std::optional<Event>, StoreError> preview_lift(std::int64_t embargo_id, const RecordContext& ctx);

    // --- outbox -------------------------------------------------------------------

    /// Deliveries due at `now`, at most `limit`, in event order per notifier
    /// (at most one per notifier: the next one is due only after it is sent or dead).
    tl::expected<std::vector<Delivery>, StoreError> due_deliveries(TimePoint now, std::size_t limit) const;
    /// When the next pending, released delivery becomes due (to arm one timer); nullopt if none.
    tl::expected<std::optional<TimePoint>, StoreError> next_due_time() const;
    /// A delivery was accepted by its receiver.
    tl::expected<void, StoreError> mark_sent(std::int64_t delivery_id, TimePoint now, std::string_view summary);
    /// A transient failure: attempts+1, retry at `next_attempt_at`.
    tl::expected<void, StoreError> mark_failed(std::int64_t delivery_id, TimePoint now, std::string_view error,
                                               TimePoint next_attempt_at);
    /// A permanent failure (or too old): never retried unless requeued.
    tl::expected<void, StoreError> mark_dead(std::int64_t delivery_id, TimePoint now, std::string_view error);
    /// Puts dead deliveries back in the queue (due at `now`); returns the ids requeued.
    tl::expected<std::vector<std::int64_t>, StoreError> requeue(const std::vector<std::int64_t>& delivery_ids,
                                                                TimePoint now);
    /// Delivery ids of an event ("evt_…"), for `redeliver evt_…`.
    tl::expected<std::vector<std::int64_t>, StoreError> deliveries_of_event(std::string_view event_id) const;
    /// Deliveries newest first, optionally of one status; `limit` 0 = all.
    tl::expected<std::vector<Delivery>, StoreError> list_deliveries(std::optional<DeliveryStatus> status,
                                                                    std::size_t limit = 0) const;
    /// Totals by status.
    tl::expected<DeliveryCounts, StoreError> delivery_counts() const;
    /// Age of the oldest released pending delivery at `now`, if any.
    tl::expected<std::optional<std::chrono::seconds>, StoreError> oldest_pending_age(TimePoint now) const;

    // --- read side (for the query commands) -----------------------------------------

    /// Assessments matching `q`, newest published first (then newest id).
    tl::expected<std::vector<StoredAssessment>, StoreError> history(const HistoryQuery& q) const;
    /// The same rows as history(q), in the same order, handed to `visit` one at a time as
    /// they are read (nothing kept); reading stops when `visit` returns false.
    tl::expected<void, StoreError> each_assessment(const HistoryQuery& q,
                                                   const std::function<bool(StoredAssessment&&)>& visit) const;
    /// One council by ONS code (resolve names with Authorities first).
    tl::expected<CouncilView, StoreError> council(const AuthorityRef& authority) const;
    /// Every change ever recorded, oldest first, handed to `visit` one at a time as read
    /// (nothing kept); reading stops when `visit` returns false.
    tl::expected<void, StoreError> each_change(const std::function<bool(AssessmentChange&&)>& visit) const;
    /// Changes recorded at or after `since`, oldest first.
    tl::expected<std::vector<AssessmentChange>, StoreError> changes_since(TimePoint since) const;
    /// Changes recorded in [since, until), oldest first, each marked `silent` when it was
    /// recorded without alerting, and the embargoes lifted with an alert in it (kind "lifted",
    /// current {"embargo_until", "late"}). The store marks silent what the baseline or history
    /// load created, and a later change whose own events were all silent.
    tl::expected<std::vector<AssessmentChange>, StoreError> changes_between(TimePoint since, TimePoint until) const;
    /// Events newest first; `limit` 0 = all.
    tl::expected<std::vector<Event>, StoreError> list_events(std::size_t limit = 0) const;
    /// What a public feed may show, newest first, at most `limit`: no baseline or test events,
    /// nothing held by a pending embargo (embargo.scheduled carries no figures and stays), and no
    /// published/updated event merged into an embargo.lifted (the lift stands for it).
    tl::expected<std::vector<Event>, StoreError> feed_events(std::size_t limit) const;
    /// Sources, outbox and counts for `cqcwatch status`.
    tl::expected<StatusView, StoreError> status(TimePoint now) const;

    /// The connection, for tests and migrations only.
    store_detail::Connection& handle() const { return *m_db; }

private:
    Store(std::unique_ptr<store_detail::Connection> db, std::string path, StoreMode mode);

    std::unique_ptr<store_detail::Connection> m_db;  ///< owns the SQLite handle and its statement cache
    std::string m_path;
    StoreMode m_mode = StoreMode::read_only;
};

/// The process that holds the write lock of the database at `db_path` now, if one does (a
/// probe: takes no lock). Only where this process has no connection to that database open:
/// closing the probe's descriptor would drop that connection's own locks (POSIX locks are per process).
std::optional<LockHolder> write_lock_holder(const std::string& db_path);

/// Milliseconds since the epoch (how instants are stored).
std::int64_t to_unix_ms(TimePoint t);
/// The instant of `ms` milliseconds since the epoch.
TimePoint from_unix_ms(std::int64_t ms);
/// RFC 3339 UTC with second precision ("2026-01-23T00:01:00Z").
std::string rfc3339(TimePoint t);

}  // namespace cqcwatch
