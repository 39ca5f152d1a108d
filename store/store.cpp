// Opening the database: pragmas, migrations, and one clear error per way a
// file can be unusable. Also the small shared pieces (the connection and its
// statements, hashing, time formats).

#include "store/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "store/sql.hpp"

namespace cqcwatch {

namespace store_detail {

Connection::~Connection() {
    for (auto& [sql, stmt] : m_idle) sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
}

sqlite3_stmt* Connection::take(std::string_view sql) {
    auto it = m_idle.find(std::string(sql));
    if (it == m_idle.end()) return nullptr;
    sqlite3_stmt* stmt = it->second;
    m_idle.erase(it);
    return stmt;
}

bool Connection::give_back(sqlite3_stmt* stmt) {
    if (m_idle.size() >= k_cached_statements) return false;
    m_idle.emplace(sqlite3_sql(stmt), stmt);
    return true;
}

void Connection::relieve() {
    if (m_full && sqlite3_get_autocommit(m_db) != 0 && truncate_wal()) m_full = false;
}

bool Connection::truncate_wal() {
    return sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) == SQLITE_OK;
}

Stmt::Stmt(Connection& db, std::string_view sql) : m_db(&db), m_stmt(db.take(sql)) {
    if (m_stmt) return;
    int rc = sqlite3_prepare_v3(db.raw(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                                nullptr);
    if (rc != SQLITE_OK)
        throw SqlError(rc, std::string(sqlite3_errmsg(db.raw())) + " in: " + std::string(sql.substr(0, 80)));
}

Stmt::~Stmt() {
    if (!m_stmt) return;
    sqlite3_reset(m_stmt);  // ends its read or write; an error here was already thrown by step()
    sqlite3_clear_bindings(m_stmt);
    if (!m_db->give_back(m_stmt)) sqlite3_finalize(m_stmt);
    m_db->relieve();  // a write on its own (no transaction) that failed for want of space
}

Stmt& Stmt::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const int code = sqlite3_extended_errcode(m_db->raw()) & 0xff;
    if (code == SQLITE_FULL) m_db->note_full();
    throw SqlError(code, sqlite3_errmsg(m_db->raw()));
}

void Stmt::run() {
    while (step()) {}
}

void Stmt::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Stmt::real(int col) const { return sqlite3_column_double(m_stmt, col); }
std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::string();
}
std::optional<std::int64_t> Stmt::opt_integer(int col) const {
    return is_null(col) ? std::nullopt : std::optional(integer(col));
}
std::optional<double> Stmt::opt_real(int col) const { return is_null(col) ? std::nullopt : std::optional(real(col)); }
std::optional<std::string> Stmt::opt_text(int col) const {
    return is_null(col) ? std::nullopt : std::optional(text(col));
}

void exec(Connection& db, std::string_view sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db.raw(), std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        const int code = sqlite3_extended_errcode(db.raw()) & 0xff;
        if (code == SQLITE_FULL) db.note_full();
        throw SqlError(code, msg);
    }
}

Transaction::Transaction(Connection& db) : m_db(db) { Stmt(db, "BEGIN IMMEDIATE").run(); }

Transaction::~Transaction() {
    if (m_done) return;
    sqlite3_exec(m_db.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
    // A write that failed for want of space leaves the WAL as large as the space it found: give
    // that back now, or the retry finds the volume as full as before.
    m_db.relieve();
}

void Transaction::commit() {
    Stmt(m_db, "COMMIT").run();
    m_done = true;
}

StoreError to_store_error(int code, const std::string& path, std::string_view detail) {
    using K = StoreError::Kind;
    std::string d(detail);
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return {K::locked, path +
                                   ": database is locked by another process (is another `cqcwatch run` or ingest "
                                   "writing it?); stop it or try again"};
        case SQLITE_READONLY:
            return {K::read_only, path +
                                      ": database is read-only; give the cqcwatch user write access to the file and "
                                      "its directory (SQLite writes -wal and -shm files beside it)"};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return {K::corrupt, path + ": not a valid cqcwatch database (" + d +
                                    "); restore it from a backup or move it aside to start a new history"};
        case SQLITE_FULL:
            return {K::full,
                    path + ": disk full while writing; free space and retry (nothing already stored was lost)"};
        case SQLITE_CANTOPEN:
            return {K::not_found, path + ": cannot open the database (" + d +
                                      "); check that the directory exists and is accessible, or set [daemon] database"};
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return {K::read_only, path + ": permission denied (" + d + "); check the file's owner and mode"};
        default:
            return {K::other, path + ": database error: " + d};
    }
}

std::string hash_hex(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static const char* k_hex = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = k_hex[h & 0xf];
    return out;
}

}  // namespace store_detail

using namespace store_detail;

std::int64_t to_unix_ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_ms(std::int64_t ms) {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

// What date::format("%FT%TZ") prints, without its stream (the listings call this per row).
std::string rfc3339(TimePoint t) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string_view to_key(DeliveryStatus s) {
    switch (s) {
        case DeliveryStatus::pending:
            return "pending";
        case DeliveryStatus::sent:
            return "sent";
        case DeliveryStatus::dead:
            return "dead";
    }
    return "pending";
}

std::optional<DeliveryStatus> delivery_status_from_key(std::string_view key) {
    for (auto s : {DeliveryStatus::pending, DeliveryStatus::sent, DeliveryStatus::dead})
        if (to_key(s) == key) return s;
    return std::nullopt;
}

Store::Store(std::unique_ptr<Connection> db, std::string path, StoreMode mode)
    : m_db(std::move(db)), m_path(std::move(path)), m_mode(mode) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// The history is the owner's alone, whatever the umask (systemd's UMask=0077
// does this for the service; `cqcwatch ingest` or a source-tree run need it
// too). SQLite gives the -wal and -shm files the database file's mode.
void create_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
}

// WAL lets the query commands read while the daemon writes. synchronous=NORMAL
// in WAL mode never corrupts the file; a power cut can lose at most the last
// transactions not yet checkpointed, which the next poll records again (writes
// are idempotent), and it saves an fsync per commit. busy_timeout covers the
// short moments a checkpoint or another writer holds a lock.
//
// The WAL is bounded: SQLite's default checkpoints only at 1000 pages (4 MiB), so on a small
// volume the WAL filled it before ever being checkpointed, and stayed as large once space was
// freed. Checkpointing at k_wal_limit_bytes and truncating to that keeps it to about that plus
// one transaction; a write that fails for want of space truncates it to nothing
// (Connection::relieve), and so does the end of a baseline (Store::note_baseline).
constexpr int k_wal_limit_bytes = 1024 * 1024;

void apply_pragmas(Connection& db, StoreMode mode) {
    exec(db, "PRAGMA foreign_keys = ON");
    if (mode == StoreMode::read_write) {
        Stmt wal(db, "PRAGMA journal_mode = WAL");
        wal.step();
        exec(db, "PRAGMA synchronous = NORMAL");
        exec(db, "PRAGMA journal_size_limit = " + std::to_string(k_wal_limit_bytes));
        Stmt page(db, "PRAGMA page_size");
        page.step();
        const auto page_size = std::max<std::int64_t>(page.integer(0), 512);
        sqlite3_wal_autocheckpoint(db.raw(), static_cast<int>(k_wal_limit_bytes / page_size));
    }
}

tl::expected<void, StoreError> check_version(Connection& db, const std::string& path, StoreMode mode) {
    int have = user_version(db);
    int want = store_schema_version();
    if (have > want)
        return tl::unexpected(StoreError{StoreError::Kind::newer_schema,
                                         path + ": database schema version " + std::to_string(have) +
                                             " is newer than this cqcwatch understands (" + std::to_string(want) +
                                             "); upgrade cqcwatch or use a copy made by this version"});
    if (have < want && mode == StoreMode::read_only)
        return tl::unexpected(
            StoreError{StoreError::Kind::other, path + ": database schema version " + std::to_string(have) +
                                                    " is older than " + std::to_string(want) +
                                                    "; run `cqcwatch run` or `cqcwatch ingest` once to "
                                                    "upgrade it"});
    if (have < want) migrate(db, have, want);
    return {};
}

}  // namespace

tl::expected<Store, StoreError> Store::open(const std::string& path, StoreMode mode) {
    if (mode == StoreMode::read_only && !file_exists(path))
        return tl::unexpected(StoreError{StoreError::Kind::not_found,
                                         path + ": no database yet; run `cqcwatch run` or `cqcwatch ingest` first, or "
                                                "point [daemon] database (or --database) at the right file"});
    if (mode == StoreMode::read_write && !path.empty() && path != ":memory:" && !file_exists(path))
        create_private(path);
    int flags = mode == StoreMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    auto db = std::make_unique<Connection>(raw);
    if (rc != SQLITE_OK)
        return tl::unexpected(to_store_error(rc, path, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(raw, 1);
    // Before the first read: after a crash the first connection replays the WAL
    // under an exclusive lock, and a reader without a busy handler would fail at
    // once with "database is locked" instead of waiting those few milliseconds.
    sqlite3_busy_timeout(raw, 5000);
    if (mode == StoreMode::read_write && sqlite3_db_readonly(raw, "main") == 1)
        return tl::unexpected(to_store_error(SQLITE_READONLY, path, "opened read-only"));
    try {
        exec(*db, "SELECT count(*) FROM sqlite_master");  // reads page 1: a non-database fails here
        apply_pragmas(*db, mode);
        if (auto ok = check_version(*db, path, mode); !ok) return tl::unexpected(ok.error());
    } catch (const SqlError& e) {
        return tl::unexpected(to_store_error(e.code, path, e.what()));
    }
    return Store(std::move(db), path, mode);
}

Store Store::open_or_throw(const std::string& path, StoreMode mode) {
    auto s = open(path, mode);
    if (!s) throw std::runtime_error(s.error().message);
    return std::move(*s);
}

void Store::set_busy_timeout(std::chrono::milliseconds wait) {
    sqlite3_busy_timeout(m_db->raw(), static_cast<int>(wait.count()));
}

std::optional<LockHolder> write_lock_holder(const std::string& db_path) {
    // In WAL mode the write lock is a POSIX lock on byte 120 of the -shm file
    // (WAL_WRITE_LOCK, https://www.sqlite.org/walformat.html#locks); F_GETLK names
    // the process holding it without taking it. Our own locks never conflict.
    const int fd = ::open((db_path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 120;
    probe.l_len = 1;
    const int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    if (rc != 0 || probe.l_type == F_UNLCK || probe.l_pid <= 0) return std::nullopt;
    LockHolder holder;
    holder.pid = probe.l_pid;
    if (FILE* comm = std::fopen(("/proc/" + std::to_string(probe.l_pid) + "/comm").c_str(), "r")) {
        char name[64] = {};
        if (std::fgets(name, sizeof name, comm)) holder.program = name;
        std::fclose(comm);
        while (!holder.program.empty() && holder.program.back() == '\n') holder.program.pop_back();
    }
    return holder;
}

tl::expected<bool, StoreError> Store::empty() const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, "SELECT NOT EXISTS (SELECT 1 FROM assessments)");
        s.step();
        return s.integer(0) != 0;
    });
}

}  // namespace cqcwatch
