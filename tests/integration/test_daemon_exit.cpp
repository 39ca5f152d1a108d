// The exit status of the real `cqcwatch run`, as the contract says (DESIGN.md, README "Contracts"):
// 0 after SIGTERM, 1 for a runtime failure (a database it cannot open at start, or its database
// file moved, replaced or deleted while it runs: what it wrote then would be lost), 2 for a
// config error. systemd's Restart=on-failure starts it again after a 1.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

t::Rig& with_source(t::Rig& rig) {
    rig.site.publish(t::report("kent-0226", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    return rig;
}

}  // namespace

TEST_CASE("daemon_exit: run exits 2 on a config error and 1 on a database it cannot open, saying why",
          "[daemon][e2e][exit]") {
    t::Rig rig;
    with_source(rig);
    rig.spec.daemon["evnets"] = "3";
    rig.write_config();
    auto bad_config = t::run_cqcwatch({"run", "--config", rig.config_path()}, rig.dir, {}, 30s);
    INFO(bad_config.err);
    CHECK(bad_config.code == 2);
    CHECK(bad_config.err.find("config.toml") != std::string::npos);
    CHECK(bad_config.err.find("evnets") != std::string::npos);

    rig.spec.daemon.erase("evnets");
    rig.spec.database = rig.dir.file("no-such-dir/history.db");
    rig.write_config();
    auto no_db = t::run_cqcwatch({"run", "--config", rig.config_path()}, rig.dir, {}, 30s);
    INFO(no_db.err);
    CHECK(no_db.code == 1);
    CHECK(no_db.err.find(rig.db() + ": cannot open the database") != std::string::npos);
}

TEST_CASE("daemon_exit: run exits 1 when its database file is moved away or replaced while it runs",
          "[daemon][e2e][exit]") {
    t::Rig rig;
    with_source(rig);
    const std::string aside = rig.db() + ".aside";
    {
        auto daemon = rig.start();
        REQUIRE(daemon->wait_stderr("baseline done", 30s));
        std::filesystem::rename(rig.db(), aside);
        auto code = daemon->wait_exit(30s);
        INFO(daemon->stderr_text());
        REQUIRE(code.has_value());
        CHECK(*code == 1);
        CHECK(daemon->stderr_text().find("stopping: " + rig.db() + ": the database file was moved or deleted") !=
              std::string::npos);
    }
    // Put back, it is the daemon's again; a copy renamed over it is another file.
    std::filesystem::rename(aside, rig.db());
    std::filesystem::remove(aside + "-wal");
    std::filesystem::remove(aside + "-shm");
    {
        auto daemon = rig.start();
        REQUIRE(daemon->wait_stderr("running:", 30s));
        CHECK(rig.hist().size() == 1);
        std::filesystem::copy_file(rig.db(), aside);
        std::filesystem::rename(aside, rig.db());
        auto code = daemon->wait_exit(30s);
        INFO(daemon->stderr_text());
        REQUIRE(code.has_value());
        CHECK(*code == 1);
        CHECK(daemon->stderr_text().find("stopping: " + rig.db() + ": the database file was replaced") !=
              std::string::npos);
    }
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("running:", 30s));
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
    CHECK(rig.hist().size() == 1);  // nothing was lost, nothing doubled
}
