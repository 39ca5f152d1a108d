// `cqcwatch ingest` as an MTA's pipe sees it: the exit code decides whether the
// release is kept (0, or 75 = retry later) or bounced to the sender (anything
// else), so only a message that can never be used exits 1.

#include <sys/stat.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/parser_fixtures.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;

namespace {

std::string release(const t::TempDir& dir) {
    std::string path = dir.file("release.eml");
    t::write_file(path, cqcwatch::test::parser_fixture("mail-mbox-from.eml"));
    return path;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    return out;
}

}  // namespace

TEST_CASE("ingest: a message that can never be used exits 1 and says why", "[integration][ingest]") {
    t::TempDir dir("ingest");
    t::write_file(dir.file("note.txt"), "Lunch at one?\n");
    auto r = t::run_cqcwatch({"ingest", "--database", dir.file("h.db"), dir.file("note.txt")}, dir);
    CHECK(r.code == 1);
    CHECK(r.err == "cqcwatch: " + dir.file("note.txt") + ": unusable: no council named in the document\n");
}

TEST_CASE("ingest: a database it cannot open exits 75 so the MTA keeps the release", "[integration][ingest]") {
    t::TempDir dir("ingest");
    const std::string db = dir.file("missing-dir/h.db");
    auto r = t::run_cqcwatch({"ingest", "--database", db, release(dir)}, dir);
    CHECK(r.code == 75);
    CHECK(r.err.find(": not stored, try again later: " + db + ": cannot open the database") != std::string::npos);
}

TEST_CASE("ingest: a broken config exits 75, not 2", "[integration][ingest]") {
    t::TempDir dir("ingest");
    t::write_file(dir.file("config.toml"), "[daemon]\ndatabse = \"x\"\n");
    auto r = t::run_cqcwatch({"ingest", "--config", dir.file("config.toml"), release(dir)}, dir);
    CHECK(r.code == 75);
    CHECK(r.err.find("unknown key 'databse'") != std::string::npos);
}

TEST_CASE("ingest --spool: what it cannot store goes to the daemon's Maildir, group-readable",
          "[integration][ingest]") {
    t::TempDir dir("ingest");
    const fs::path spool = dir.path() / "spool";
    for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(spool / sub);
    const std::string message = release(dir);
    const mode_t saved = ::umask(077);  // an MTA's pipe often runs with 077: the daemon's group must still read
    auto r = t::run_cqcwatch({"ingest", "--database", dir.file("missing-dir/h.db"), "--spool", spool.string(), message},
                             dir);
    ::umask(saved);
    CHECK(r.code == 0);
    const auto spooled = files_in(spool / "new");
    REQUIRE(spooled.size() == 1);
    CHECK(r.out.find(message + ": spooled to " + spooled[0].string()) == 0);
    CHECK(t::read_file(spooled[0].string()) == t::read_file(message));
    struct stat st {};
    REQUIRE(::stat(spooled[0].c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(files_in(spool / "tmp").empty());

    // A usable message with a database it can write is stored directly, spool untouched.
    auto direct = t::run_cqcwatch({"ingest", "--database", dir.file("h.db"), "--spool", spool.string(), message}, dir);
    CHECK(direct.code == 0);
    // Its embargo (January 2026) is long past: history, so no embargo.scheduled, and it says so.
    CHECK(direct.out ==
          message + ": created assessment 1 (Walsall); stored as history: published 2026-01-23, no alert\n");
    CHECK(files_in(spool / "new").size() == 1);
}
