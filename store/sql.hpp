#pragma once
// Inside the store: a thin RAII layer over SQLite statements and
// transactions, and the helpers the store_*.cpp files share. Nothing outside
// store/ (and its tests) includes this.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include "store/store.hpp"

namespace cqcwatch::store_detail {

/// A failed SQLite call inside a store operation; turned into StoreError at the API edge.
struct SqlError : std::runtime_error {
    SqlError(int code_, const std::string& what) : std::runtime_error(what), code(code_) {}
    int code;
};

/// One open database and the prepared statements it keeps. Compiling SQL costs
/// several times more than running the small indexed queries a poll makes
/// (callgrind: 70% of an unchanged poll was sqlite3_prepare_v2), so a statement
/// is reset and kept when its Stmt ends, and handed to the next Stmt with the
/// same text. Bounded, so generated SQL (history filters) cannot grow it.
/// Like the connection itself (SQLITE_OPEN_NOMUTEX), used by one thread at a time.
class Connection {
public:
    /// Takes ownership of `db` (may be null after a failed open).
    explicit Connection(sqlite3* db) : m_db(db) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    /// Finalises the kept statements, then closes the database.
    ~Connection();

    /// The raw handle, for SQLite calls outside Stmt (changes, last insert rowid).
    sqlite3* raw() const { return m_db; }
    /// A write failed for want of space: the WAL is to be truncated once no transaction is open.
    void note_full() { m_full = true; }
    /// Outside a transaction after a write failed with SQLITE_FULL: checkpoints the WAL into the
    /// database and truncates it to 0 bytes, giving the volume back what the WAL held. Kept asked
    /// until a checkpoint succeeds (one may fail while the disk is still full).
    void relieve();
    /// Copies the WAL into the database and truncates it; false when it could not (busy, full).
    bool truncate_wal();

private:
    friend class Stmt;
    static constexpr std::size_t k_cached_statements = 128;
    /// A kept statement with this text, or null.
    sqlite3_stmt* take(std::string_view sql);
    /// Keeps a reset statement; false when full (the caller finalises it).
    bool give_back(sqlite3_stmt* stmt);

    sqlite3* m_db;
    std::unordered_multimap<std::string, sqlite3_stmt*> m_idle;
    bool m_full = false;  ///< a write failed with SQLITE_FULL since the WAL was last truncated
};

/// One prepared statement; bind with 1-based indexes, step, read columns.
class Stmt {
public:
    /// Prepares `sql` on `db`, or reuses one it keeps; throws SqlError.
    Stmt(Connection& db, std::string_view sql);
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt();

    /// Binds a value (nullopt binds NULL); returns *this for chaining.
    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind_null(int i);
    template <class T>
    Stmt& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    /// Steps once; true when a row is available.
    bool step();
    /// Steps to completion (for writes).
    void run();
    /// Resets for reuse with new bindings.
    void reset();

    bool is_null(int col) const;
    std::int64_t integer(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::optional<std::int64_t> opt_integer(int col) const;
    std::optional<double> opt_real(int col) const;
    std::optional<std::string> opt_text(int col) const;

private:
    Connection* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// Runs SQL without results; throws SqlError.
void exec(Connection& db, std::string_view sql);

/// BEGIN IMMEDIATE … COMMIT, rolled back when not committed.
class Transaction {
public:
    explicit Transaction(Connection& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    /// Commits; throws SqlError.
    void commit();

private:
    Connection& m_db;
    bool m_done = false;
};

/// Maps an SQLite failure on `path` to the store's error, with what to do.
StoreError to_store_error(int sqlite_code, const std::string& path, std::string_view detail);

/// Runs `f`, turning an SqlError into a StoreError about `path`.
template <class F>
auto guarded(const std::string& path, F&& f) -> tl::expected<decltype(f()), StoreError> {
    try {
        if constexpr (std::is_void_v<decltype(f())>) {
            f();
            return {};
        } else {
            return f();
        }
    } catch (const SqlError& e) {
        return tl::unexpected(to_store_error(e.code, path, e.what()));
    }
}

/// Applies migrations after `from` up to `to` (inclusive), each in its own transaction.
void migrate(Connection& db, int from, int to);
/// The version recorded in PRAGMA user_version.
int user_version(Connection& db);

/// 16 lower-case hex digits of FNV-1a 64 over `s`.
std::string hash_hex(std::string_view s);

/// The council row for an authority, created when missing; 0 if the ref has no code.
std::int64_t upsert_council(Connection& db, const AuthorityRef& a);

/// Creates an event (and its deliveries unless ctx.baseline); `assessment_id` 0 = none.
/// `fields` are merged into the body. An event about an assessment is held while the
/// assessment's embargo is pending (see k_held_by_embargo).
Event insert_event(Connection& db, std::string_view type, const nlohmann::json& fields, const RecordContext& ctx,
                   std::int64_t assessment_id);

/// The body fields of an assessment alert about `assessment_id`: previous_assessment, first_assessment,
/// context (events/context.hpp), over what counts now (nothing another pending embargo holds).
nlohmann::json alert_context(Connection& db, std::int64_t assessment_id);
/// The council's name as CQC's texts write it (the fullest seen), else its canonical name; "" for an unknown code.
std::string council_full_name(Connection& db, std::string_view code);
/// Keeps the name a document gave the council (`a.name_in_text`) when it is fuller than the one kept.
void note_full_name(Connection& db, std::int64_t council_id, const AuthorityRef& a);
/// What insert_event adds to a body: authority.full_name, and for assessment.published/updated and
/// embargo.lifted about an assessment (not a baseline one: it alerts nobody), alert_context.
void add_alert_fields(Connection& db, std::string_view type, std::int64_t assessment_id, bool baseline,
                      nlohmann::json& body);

/// "a,b" → {"a", "b"} (how the unread keys are stored).
std::vector<std::string> split_keys(std::string_view joined);
/// {"a", "b"} → "a,b".
std::string join_keys(const std::vector<std::string>& keys);

/// The JSON in a text column, or null when NULL or unreadable.
nlohmann::json json_or_null(const std::optional<std::string>& text);
/// Reads one assessment row by id.
std::optional<StoredAssessment> load_assessment(Connection& db, std::int64_t id);
/// The columns load_assessment and history read, in the order read_assessment expects.
extern const char* const k_assessment_columns;
/// Builds a StoredAssessment from a statement positioned on a k_assessment_columns row.
StoredAssessment read_assessment(const Stmt& s);
/// The "values" JSON kept in history and in "previous": assessment_json + updated.
nlohmann::json values_json(const StoredAssessment& a);

/// Stores the embargo of a release about `a` (once per council and instant) with the
/// release's figures; adds embargo.scheduled or, for a line with no instant,
/// parser.suspect, neither carrying a figure. An instant already past is stored lifted,
/// without an event. Returns the embargo's id.
std::optional<std::int64_t> note_embargo(Connection& db, const Embargo& e, const StoredAssessment& a,
                                         std::int64_t council_id, const std::vector<std::string>& warnings,
                                         const RecordContext& ctx, std::vector<Event>& events);
/// The pending embargo that holds an assessment, if any.
std::optional<std::int64_t> pending_embargo_of(Connection& db, std::int64_t assessment_id);
/// Where two assessment JSON objects disagree: [{"field", "press_release", "report_page"}].
nlohmann::json embargo_conflicts(const nlohmann::json& release, const nlohmann::json& report);
/// Keeps what the report page says for a pending embargo; the conflicts with the release
/// when they are new (empty when none, or the same as last time).
nlohmann::json note_report_values(Connection& db, std::int64_t embargo_id, const nlohmann::json& report);

/// The condition (over deliveries `d` joined to events `ev`) of a delivery held by an
/// embargo: its event is about an assessment whose embargo is pending. This is the one
/// rule, applied where deliveries are released, for events of every type.
extern const char* const k_held_by_embargo;

/// Reads one embargo row from a statement over k_embargo_columns.
StoredEmbargo read_embargo(const Stmt& s);
/// The columns read_embargo expects.
extern const char* const k_embargo_columns;

}  // namespace cqcwatch::store_detail
