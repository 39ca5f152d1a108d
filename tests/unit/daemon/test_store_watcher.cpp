// The StoreWatcher: another process's commit to the database wakes the daemon
// (inotify on the folder, confirmed by data_version); the daemon's own commits
// and unrelated files in the folder do not.

#include <fstream>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "daemon/store_watcher.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;
using namespace std::chrono_literals;

namespace {

FetchState state(const std::string& url) { return FetchState{url, "\"e\"", "", "h", 200, 0, at(1)}; }

/// Runs the loop in short slices until `done` or `limit`.
template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = 3000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(20ms);
    }
    return done();
}

void settle(asio::io_context& io) {
    for (int i = 0; i < 10; ++i) {
        io.restart();
        io.run_for(20ms);
    }
}

}  // namespace

TEST_CASE("store watcher: another process's commit wakes it, its own commits and other files do not", "[store]") {
    TempDir dir;
    asio::io_context io;
    Store mine = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    int changes = 0;
    StoreWatcher watcher(
        io, mine, [&] { ++changes; }, std::chrono::hours(1));
    watcher.start();
    REQUIRE(watcher.notified());

    REQUIRE(mine.put_fetch_state(state("https://x/own")));  // the daemon's own write
    std::ofstream(dir.file("notes.txt")) << "unrelated";    // another file in the folder
    settle(io);
    CHECK(changes == 0);

    {
        Store other = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
        REQUIRE(other.put_fetch_state(state("https://x/other")));
    }
    CHECK(run_until(io, [&] { return changes >= 1; }));
    settle(io);
    CHECK(changes == 1);  // one commit, one call
    auto seen = mine.fetch_state("https://x/other");
    REQUIRE(seen);
    CHECK(seen->has_value());

    watcher.stop();
    {
        Store other = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
        REQUIRE(other.put_fetch_state(state("https://x/late")));
    }
    settle(io);
    CHECK(changes == 1);  // nothing after stop()
}

TEST_CASE("store watcher: a commit seen by both inotify and the slow look is reported once", "[store]") {
    TempDir dir;
    asio::io_context io;
    Store mine = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    int changes = 0;
    // A slow look every 100 ms races the inotify wake-up for the same commit.
    StoreWatcher watcher(
        io, mine, [&] { ++changes; }, 100ms, 100ms);
    watcher.start();
    {
        Store other = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
        REQUIRE(other.put_fetch_state(state("https://x/other")));
    }
    CHECK(run_until(io, [&] { return changes >= 1; }));
    settle(io);
    CHECK(changes == 1);
}
