// The database file: migrations from every earlier version, a newer schema,
// corrupt and read-only files, and a reader beside a writer.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <thread>
#include <tuple>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "store/store.hpp"
#include "store/sql.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::array<int, 9> k_ri = {2, 2, 2, 2, 2, 2, 2, 2, 3};

// A connection of our own to `path`, as an older cqcwatch would have opened it; closed when dropped.
std::unique_ptr<store_detail::Connection> open_raw(const std::string& path) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    return std::make_unique<store_detail::Connection>(raw);
}

// A file left at schema `version` by an older cqcwatch, with a row where that version can hold one.
void make_old_database(const std::string& path, int version) {
    auto db = open_raw(path);
    store_detail::migrate(*db, 0, version);
    if (version >= 1)
        store_detail::exec(*db,
                           "INSERT INTO assessments (council_id, report_key, report_url, rating, s1, published, "
                           "content_hash, first_seen_ms, last_changed_ms) SELECT id, 'https://cqc.org.uk/r/old', "
                           "'https://www.cqc.org.uk/r/old', 'good', 3, '2024-05-01', 'x', 1, 1 FROM councils "
                           "WHERE code = 'E08000030'");
    if (version >= 2)
        store_detail::exec(*db,
                           "INSERT INTO events (seq, id, type, occurred_ms, body) VALUES "
                           "(1, 'evt_old', 'assessment.published', 1, '{}')");
}

std::string sql_text(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

}  // namespace

TEST_CASE("store file: a new database and its WAL are the owner's alone under a permissive umask", "[store]") {
    TempDir dir;
    const mode_t old_umask = ::umask(0022);
    {
        Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
        store_detail::exec(store.handle(), "CREATE TABLE IF NOT EXISTS t (x)");
        struct stat db_st {
        }, wal_st{};
        REQUIRE(::stat(dir.file("h.db").c_str(), &db_st) == 0);
        CHECK((db_st.st_mode & 0777) == 0600);
        REQUIRE(::stat(dir.file("h.db-wal").c_str(), &wal_st) == 0);
        CHECK((wal_st.st_mode & 0777) == 0600);
    }
    ::umask(old_umask);
}

TEST_CASE("store file: a new file gets WAL, foreign keys and the latest schema", "[store]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    CHECK(store_detail::user_version(store.handle()) == store_schema_version());
    CHECK(sql_text(dir.file("h.db"), "PRAGMA journal_mode") == "wal");
    store_detail::Stmt fk(store.handle(), "PRAGMA foreign_keys");
    REQUIRE(fk.step());
    CHECK(fk.integer(0) == 1);
    CHECK(sql_text(dir.file("h.db"), "SELECT count(*) FROM councils") == "153");
}

TEST_CASE("store file: migrates from every earlier version and keeps what was stored", "[store]") {
    for (int version = 0; version < store_schema_version(); ++version) {
        DYNAMIC_SECTION("from version " << version) {
            TempDir dir;
            std::string path = dir.file("old.db");
            make_old_database(path, version);
            auto store = Store::open(path, StoreMode::read_write);
            REQUIRE(store);
            CHECK(store_detail::user_version(store->handle()) == store_schema_version());
            if (version >= 1) {
                auto rows = store->history({}).value();
                REQUIRE(rows.size() == 1);
                CHECK(rows[0].assessment.rating == Rating::good);
                CHECK(rows[0].authority.name == "Walsall");
            }
            if (version >= 2) CHECK(store->list_events().value().size() == 1);
            auto r = store->record_document(
                report(walsall(), "https://www.cqc.org.uk/r/new", k_ri, Rating::requires_improvement, "2026-01-23"),
                ctx_at(1000));
            REQUIRE(r);
            CHECK(r->events.size() == 1);
        }
    }
}

TEST_CASE("store file: a database newer than the binary is refused with a clear message", "[store]") {
    TempDir dir;
    std::string path = dir.file("new.db");
    { Store::open_or_throw(path, StoreMode::read_write); }
    auto db = open_raw(path);
    store_detail::exec(*db, "PRAGMA user_version = " + std::to_string(store_schema_version() + 1));
    db.reset();
    for (auto mode : {StoreMode::read_write, StoreMode::read_only}) {
        auto s = Store::open(path, mode);
        REQUIRE_FALSE(s);
        CHECK(s.error().kind == StoreError::Kind::newer_schema);
        CHECK(s.error().message == path + ": database schema version " + std::to_string(store_schema_version() + 1) +
                                       " is newer than this cqcwatch understands (" +
                                       std::to_string(store_schema_version()) +
                                       "); upgrade cqcwatch or use a copy made by this version");
    }
}

TEST_CASE("store file: a corrupt file names the file and what to do, and is left alone", "[store]") {
    TempDir dir;
    std::string path = dir.file("junk.db");
    std::string junk(8192, 'x');
    std::ofstream(path) << junk;
    for (auto mode : {StoreMode::read_write, StoreMode::read_only}) {
        auto s = Store::open(path, mode);
        REQUIRE_FALSE(s);
        CHECK(s.error().kind == StoreError::Kind::corrupt);
        CHECK(s.error().message.rfind(path + ": not a valid cqcwatch database", 0) == 0);
        CHECK(s.error().message.find("restore it from a backup") != std::string::npos);
    }
    std::ifstream in(path);
    std::string back((std::istreambuf_iterator<char>(in)), {});
    CHECK(back == junk);
}

TEST_CASE("store file: a missing file for a query is a clear error, not a new empty database", "[store]") {
    TempDir dir;
    auto s = Store::open(dir.file("none.db"), StoreMode::read_only);
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == StoreError::Kind::not_found);
    CHECK_FALSE(std::filesystem::exists(dir.file("none.db")));
}

TEST_CASE("store file: a read-only file gives the read-only error", "[store]") {
    TempDir dir;
    std::string path = dir.file("ro.db");
    { Store::open_or_throw(path, StoreMode::read_write); }
    std::filesystem::permissions(dir.path, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                           std::filesystem::perms::others_read);
    // root writes through any mode bits: check as an unprivileged user in a child process.
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (::geteuid() == 0 && ::setuid(65534) != 0) ::_exit(3);
        auto s = Store::open(path, StoreMode::read_write);
        bool clear = !s && s.error().kind == StoreError::Kind::read_only &&
                     s.error().message.rfind(path + ": database is read-only", 0) == 0;
        ::_exit(clear ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("store file: a reader on its own connection reads while a writer writes", "[store]") {
    TempDir dir;
    std::string path = dir.file("h.db");
    Store writer = Store::open_or_throw(path, StoreMode::read_write);
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::string reader_error;
    std::thread reader([&] {
        try {
            Store r = Store::open_or_throw(path, StoreMode::read_only);
            std::size_t last = 0;
            for (int i = 0; i < 100000 && !(done && reads > 0); ++i) {
                auto rows = r.history({});
                if (!rows) throw std::runtime_error(rows.error().message);
                if (rows->size() < last) throw std::runtime_error("history went backwards");
                last = rows->size();
                ++reads;
            }
        } catch (const std::exception& e) {
            reader_error = e.what();
        }
    });
    for (int i = 0; i < 200; ++i) {
        auto doc = report(walsall(), "https://www.cqc.org.uk/r/" + std::to_string(i), k_ri,
                          Rating::requires_improvement, "2026-01-23");
        REQUIRE(writer.record_document(doc, ctx_at(1000 + i)));
    }
    done = true;
    reader.join();
    CHECK(reader_error.empty());
    CHECK(reads > 0);
    CHECK(writer.history({}).value().size() == 200);
}

TEST_CASE("store file: version 6 folds one report stored under two host names into one, history and events kept",
          "[store]") {
    TempDir dir;
    std::string path = dir.file("v5.db");
    auto db = open_raw(path);
    store_detail::migrate(*db, 0, 5);
    const std::string slug = "/care-services/local-authority-assessment-reports/walsall-0126";
    for (const auto& [id, host, withdrawn] : std::vector<std::tuple<int, std::string, int>>{
             {1, "https://127.0.0.1:8080", 1}, {2, "http://localhost:8080", 0}}) {
        std::string key = (host.rfind("http://", 0) == 0 ? "https://" + host.substr(7) : host) + slug;
        store_detail::exec(*db,
                           "INSERT INTO assessments (id, council_id, report_key, report_url, rating, s1, "
                           "content_hash, first_seen_ms, last_changed_ms, withdrawn) SELECT " +
                               std::to_string(id) + ", id, '" + key + "', '" + host + slug +
                               "', 'good', 3, 'x', 1, 1, " + std::to_string(withdrawn) +
                               " FROM councils WHERE code = 'E08000030'");
        store_detail::exec(*db, "INSERT INTO events (seq, id, type, occurred_ms, assessment_id, body) VALUES (" +
                                   std::to_string(id) + ", 'evt_" + std::to_string(id) +
                                   "', 'assessment.published', 1, " + std::to_string(id) + ", '{}')");
        store_detail::exec(*db,
                           "INSERT INTO assessment_changes (assessment_id, changed_ms, source, kind, current) "
                           "VALUES (" +
                               std::to_string(id) + ", 1, 'reports', 'created', '{}')");
    }
    store_detail::exec(*db, "INSERT INTO sources (name, last_success_ms) VALUES ('reports', 5000), ('never', NULL)");
    db.reset();

    auto store = Store::open(path, StoreMode::read_write);
    REQUIRE(store);
    auto rows = store->history({}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == 1);
    CHECK(rows[0].assessment.report_url == "http://localhost:8080" + slug);  // the name in use now
    CHECK_FALSE(rows[0].withdrawn);                                          // one copy was still listed
    CHECK(store->council(rows[0].authority).value().changes.size() == 2);
    CHECK(store->list_events().value().size() == 2);
    CHECK(sql_text(path, "SELECT group_concat(assessment_id) FROM events") == "1,1");
    // A source that had polled successfully had its baseline; one that never had does not.
    auto done = store->baseline_of("reports");
    REQUIRE(done);
    CHECK(done->has_value());
    auto never = store->baseline_of("never");
    REQUIRE(never);
    CHECK_FALSE(never->has_value());
}

TEST_CASE("store file: a connection keeps each statement once, reuses it, and keeps at most 128", "[store]") {
    TempDir dir;
    auto db = open_raw(dir.file("cache.db"));
    auto statements = [&] {
        int n = 0;
        for (sqlite3_stmt* s = sqlite3_next_stmt(db->raw(), nullptr); s; s = sqlite3_next_stmt(db->raw(), s)) ++n;
        return n;
    };
    for (int round = 0; round < 3; ++round) {
        store_detail::Stmt s(*db, "SELECT 1");
        REQUIRE(s.step());
        CHECK(s.integer(0) == 1);
    }
    CHECK(statements() == 1);
    {
        store_detail::Stmt a(*db, "SELECT 1");
        store_detail::Stmt b(*db, "SELECT 1");  // the kept one is in use: a second is prepared
        CHECK(statements() == 2);
    }
    for (int i = 0; i < 200; ++i) store_detail::Stmt(*db, "SELECT " + std::to_string(i + 2)).run();
    CHECK(statements() == 128);  // the rest were finalised when their Stmt ended
}
