#include "daemon/maildir_watcher.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using cqcwatch::MaildirLayout;
using cqcwatch::MaildirOptions;
using cqcwatch::MaildirWatcher;
using cqcwatch::MessageResult;

namespace {

class TempDir {
public:
    TempDir() {
        char dir_template[] = "/tmp/cqcwatch-maildir-XXXXXX";
        REQUIRE(::mkdtemp(dir_template) != nullptr);
        m_path = dir_template;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Writes under a temporary name, then renames into place: what an MTA does.
void drop_atomically(const fs::path& staging, const fs::path& target, const std::string& text) {
    write_file(staging, text);
    fs::rename(staging, target);
}

// Records what the handler saw; rejects messages containing "BAD", as the store would.
struct Recorder {
    explicit Recorder(cqcwatch::asio::io_context&) {}
    std::vector<std::string> names;
    std::vector<std::string> bodies;

    cqcwatch::MessageHandler handler() {
        return [this](const std::string& path, const std::string& bytes) -> MessageResult {
            names.push_back(fs::path(path).filename().string());
            bodies.push_back(bytes);
            if (bytes.find("BAD") != std::string::npos) return tl::make_unexpected(std::string("no embargo line"));
            return {};
        };
    }
};

template <typename Pred>
void run_until(cqcwatch::asio::io_context& io, Pred done) {
    const auto stop = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < stop) {
        io.restart();
        io.run_for(20ms);
    }
    io.restart();
    io.run_for(20ms);  // let any last event arrive
}

}  // namespace

TEST_CASE("maildir_watcher: a drop directory takes renamed and written files in order", "[maildir_watcher]") {
    TempDir tmp;
    const fs::path drop = tmp.path() / "incoming" / "drop";
    cqcwatch::asio::io_context io;
    Recorder rec{io};
    MaildirWatcher watcher{io, MaildirOptions{drop, {}, {}}, rec.handler()};
    REQUIRE(watcher.start());
    CHECK(watcher.layout() == MaildirLayout::drop);
    struct stat st {};
    REQUIRE(::stat(drop.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(fs::is_directory(drop / "failed"));

    drop_atomically(drop / ".a.eml.tmp", drop / "a.eml", "first release");
    io.run_for(20ms);
    write_file(drop / "b.eml", "second release");
    write_file(drop / ".hidden", "not a message");
    write_file(drop / "c.eml.part", "still downloading");
    run_until(io, [&] { return rec.names.size() >= 2; });

    REQUIRE(rec.names == std::vector<std::string>{"a.eml", "b.eml"});
    CHECK(rec.bodies == std::vector<std::string>{"first release", "second release"});
    CHECK(read_file(drop / "done" / "a.eml") == "first release");
    CHECK(read_file(drop / "done" / "b.eml") == "second release");
    CHECK_FALSE(fs::exists(drop / "a.eml"));
    CHECK_FALSE(fs::exists(drop / "b.eml"));
    CHECK(fs::exists(drop / ".hidden"));
    CHECK(fs::exists(drop / "c.eml.part"));
}

TEST_CASE("maildir_watcher: a rejected message goes to failed/ with its reason, never deleted", "[maildir_watcher]") {
    TempDir tmp;
    cqcwatch::asio::io_context io;
    Recorder rec{io};
    MaildirWatcher watcher{io, MaildirOptions{tmp.path(), {}, tmp.path() / "rejects"}, rec.handler()};
    REQUIRE(watcher.start());
    drop_atomically(tmp.path() / ".x", tmp.path() / "bad.eml", "BAD message");
    run_until(io, [&] { return rec.names.size() >= 1; });

    REQUIRE(rec.names == std::vector<std::string>{"bad.eml"});
    CHECK(read_file(tmp.path() / "rejects" / "bad.eml") == "BAD message");
    CHECK(read_file(tmp.path() / "rejects" / "bad.eml.reason") == "no embargo line\n");
    CHECK_FALSE(fs::exists(tmp.path() / "bad.eml"));
    CHECK_FALSE(fs::exists(tmp.path() / "done" / "bad.eml"));
}

TEST_CASE("maildir_watcher: files present before start are handled oldest first", "[maildir_watcher]") {
    TempDir tmp;
    write_file(tmp.path() / "1.eml", "newer");
    write_file(tmp.path() / "2.eml", "older");
    write_file(tmp.path() / "3.eml", "BAD old");
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(tmp.path() / "1.eml", now - 1h);
    fs::last_write_time(tmp.path() / "2.eml", now - 2h);
    fs::last_write_time(tmp.path() / "3.eml", now - 3h);
    fs::create_directories(tmp.path() / "done");
    write_file(tmp.path() / "done" / "2.eml", "an earlier message of the same name");

    cqcwatch::asio::io_context io;
    Recorder rec{io};
    MaildirWatcher watcher{io, MaildirOptions{tmp.path(), {}, {}}, rec.handler()};
    REQUIRE(watcher.start());
    run_until(io, [&] { return rec.names.size() >= 3; });

    CHECK(rec.names == std::vector<std::string>{"3.eml", "2.eml", "1.eml"});
    CHECK(read_file(tmp.path() / "done" / "1.eml") == "newer");
    CHECK(read_file(tmp.path() / "done" / "2.eml") == "an earlier message of the same name");
    CHECK(read_file(tmp.path() / "done" / "2.eml.1") == "older");
    CHECK(read_file(tmp.path() / "failed" / "3.eml.reason") == "no embargo line\n");
}

TEST_CASE("maildir_watcher: a Maildir takes new/ messages and files them in cur/ with :2,", "[maildir_watcher]") {
    TempDir tmp;
    const fs::path md = tmp.path();
    fs::create_directories(md / "new");
    fs::create_directories(md / "cur");
    fs::create_directories(md / "tmp");
    write_file(md / "new" / "1700000000.M1P1.host", "waiting");

    cqcwatch::asio::io_context io;
    Recorder rec{io};
    MaildirWatcher watcher{io, MaildirOptions{md, {}, {}}, rec.handler()};
    REQUIRE(watcher.start());
    CHECK(watcher.layout() == MaildirLayout::maildir);
    CHECK(watcher.incoming_dir() == md / "new");
    drop_atomically(md / "tmp" / "1700000001.M2P1.host", md / "new" / "1700000001.M2P1.host", "delivered");
    drop_atomically(md / "tmp" / "1700000002.M3P1.host", md / "new" / "1700000002.M3P1.host", "BAD");
    run_until(io, [&] { return rec.names.size() >= 3; });

    CHECK(rec.names ==
          std::vector<std::string>{"1700000000.M1P1.host", "1700000001.M2P1.host", "1700000002.M3P1.host"});
    CHECK(read_file(md / "cur" / "1700000000.M1P1.host:2,") == "waiting");
    CHECK(read_file(md / "cur" / "1700000001.M2P1.host:2,") == "delivered");
    CHECK(read_file(md / "failed" / "1700000002.M3P1.host") == "BAD");
    CHECK(fs::exists(md / "failed" / "1700000002.M3P1.host.reason"));
    CHECK(fs::is_empty(md / "new"));
}

TEST_CASE("maildir_watcher: a handler that throws fails the message instead of the loop", "[maildir_watcher]") {
    TempDir tmp;
    cqcwatch::asio::io_context io;
    int calls = 0;
    MaildirWatcher watcher{io, MaildirOptions{tmp.path(), {}, {}},
                           [&calls](const std::string&, const std::string&) -> MessageResult {
                               ++calls;
                               throw std::runtime_error("database is locked");
                           }};
    REQUIRE(watcher.start());
    write_file(tmp.path() / "m.eml", "x");
    run_until(io, [&] { return fs::exists(tmp.path() / "failed" / "m.eml.reason"); });
    CHECK(calls == 1);
    CHECK(read_file(tmp.path() / "failed" / "m.eml.reason") == "handler failed: database is locked\n");
}

TEST_CASE("maildir_watcher: a path that is a file is refused with a clear message", "[maildir_watcher]") {
    TempDir tmp;
    write_file(tmp.path() / "plain", "x");
    cqcwatch::asio::io_context io;
    MaildirWatcher watcher{io, MaildirOptions{tmp.path() / "plain", {}, {}},
                           [](const std::string&, const std::string&) { return MessageResult{}; }};
    auto started = watcher.start();
    REQUIRE_FALSE(started);
    CHECK(started.error() == "maildir source " + (tmp.path() / "plain").string() + ": not a directory");
}

TEST_CASE("maildir_watcher: a drop directory where an MTA later makes new/ cur/ tmp/ is watched as a Maildir",
          "[maildir_watcher]") {
    TempDir tmp;
    const fs::path md = tmp.path() / "spool";
    cqcwatch::asio::io_context io;
    Recorder rec{io};
    MaildirWatcher watcher{io, MaildirOptions{md, {}, {}}, rec.handler()};
    REQUIRE(watcher.start());
    CHECK(watcher.layout() == MaildirLayout::drop);
    io.run_for(20ms);

    // Exim's first delivery: the three directories, then tmp/ -> new/.
    for (const char* sub : {"new", "cur", "tmp"}) fs::create_directory(md / sub);
    drop_atomically(md / "tmp" / "1700000003.M4P1.host", md / "new" / "1700000003.M4P1.host", "first delivery");
    run_until(io, [&] { return fs::exists(md / "cur" / "1700000003.M4P1.host:2,"); });

    CHECK(watcher.layout() == MaildirLayout::maildir);
    CHECK(watcher.incoming_dir() == md / "new");
    CHECK(rec.names == std::vector<std::string>{"1700000003.M4P1.host"});
    CHECK(read_file(md / "cur" / "1700000003.M4P1.host:2,") == "first delivery");
    CHECK_FALSE(fs::exists(md / "done"));

    drop_atomically(md / "tmp" / "1700000004.M5P1.host", md / "new" / "1700000004.M5P1.host", "second");
    run_until(io, [&] { return rec.names.size() >= 2; });
    CHECK(rec.names.back() == "1700000004.M5P1.host");
}

TEST_CASE("maildir_watcher: temp and hidden names are ignored", "[maildir_watcher]") {
    CHECK(cqcwatch::maildir_ignored_name(".lock"));
    CHECK(cqcwatch::maildir_ignored_name("x.tmp"));
    CHECK(cqcwatch::maildir_ignored_name("x~"));
    CHECK(cqcwatch::maildir_ignored_name("m.eml.reason"));
    CHECK_FALSE(cqcwatch::maildir_ignored_name("1700000000.M1P1.host"));
    CHECK_FALSE(cqcwatch::maildir_ignored_name("release.eml"));
}
