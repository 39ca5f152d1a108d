// The real binary with its database on a small tmpfs that fills up: during the
// baseline (a pass that cannot store is a failed pass and stays the baseline)
// and during delivery (a POST that succeeded but could not be recorded is not
// sent again at once, and the log says so once). Needs root for the mount;
// the tmpfs is unmounted by its destructor, also when a check fails.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/tmpfs.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

void publish_range(const t::CqcSite& site, const std::vector<std::string>& names, std::size_t from, std::size_t to) {
    nlohmann::json bulk = nlohmann::json::array();
    for (std::size_t i = from; i < to; ++i)
        bulk.push_back({{"slug", "r" + std::to_string(i)},
                        {"council", names.at(i)},
                        {"rating", "good"},
                        {"scores", {3, 3, 3, 3, 3, 3, 3, 3, 3}},
                        {"published", t::today_text()}});
    site.publish(bulk);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("daemon_disk_full: a baseline that cannot store fails, says so, and resumes as the baseline",
          "[daemon][e2e][disk_full]") {
    t::Tmpfs fs("8m");
    t::Rig rig({"--empty", "--page-size", "100"});
    rig.spec.database = fs.file("history.db");
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    auto names = t::council_names(41);
    publish_range(rig.site, names, 0, 40);
    // Create the database (a config with no source yet), then leave room for a few reports only.
    rig.write_config();
    t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    REQUIRE(std::filesystem::exists(rig.db()));
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.write_config();
    fs.fill(160 * 1024);

    auto full = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(full.err);
    CHECK(full.code == 1);  // a pass that could not store what it fetched failed
    CHECK(full.err.find("cqcwatch: poll: reports: " + rig.db() + ": disk full") != std::string::npos);
    auto stored = rig.hist().size();
    CHECK(stored < 40);
    auto status = t::run_cqcwatch({"status", "--database", rig.db()}, rig.dir);
    INFO(status.out << status.err);
    // An error, not "ok", with what to do (the free-space line shows too when the disk is still full).
    CHECK(status.out.find("reports  error  1") != std::string::npos);
    CHECK(status.out.find("disk full while writing; free space and retry") != std::string::npos);

    fs.unfill();
    auto again = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(again.err);
    CHECK(again.code == 0);
    CHECK(rig.hist().size() == 40);
    CHECK(t::deliveries(rig.dir, rig.db()).empty());  // all 40 were published before: none is news
    status = t::run_cqcwatch({"status", "--database", rig.db()}, rig.dir);
    CHECK(status.out.find("Storage: ERROR") == std::string::npos);
    CHECK(status.out.find("reports  ok") != std::string::npos);

    publish_range(rig.site, names, 40, 41);
    REQUIRE(t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir).code == 0);
    CHECK(t::deliveries(rig.dir, rig.db()).size() == 1);
}

TEST_CASE("daemon_disk_full: a sent alert that cannot be recorded backs off and is logged once, not resent at once",
          "[daemon][e2e][disk_full]") {
    t::Tmpfs fs("16m");
    t::Rig rig({"--empty", "--page-size", "100"});
    rig.spec.database = fs.file("history.db");
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "60s"));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    auto names = t::council_names(2);
    publish_range(rig.site, names, 0, 1);
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("baseline done", 30s));

    // The first POST of the next alert fails (500), so it waits for a retry: the disk fills meanwhile.
    rig.receiver.mode("500", 1);
    publish_range(rig.site, names, 1, 2);
    daemon->signal(SIGHUP);  // reload: polls at once
    REQUIRE(t::wait_until([&] { return rig.receiver.posts().size() >= 1; }, 30s, 100ms));
    fs.fill(0);
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() >= 1; }, 30s, 100ms));
    REQUIRE(daemon->wait_stderr("cannot store a delivery's outcome", 10s));
    // Let the back-off run a few rounds: each round may send once more, never thousands.
    fs.keep_full(4s);
    auto while_full = rig.receiver.delivered().size();
    INFO(daemon->stderr_text().substr(0, 4000));
    CHECK(while_full <= 3);
    CHECK(count_of(daemon->stderr_text(), "cannot store a delivery's outcome") == 1);
    auto status = t::run_cqcwatch({"status", "--database", rig.db()}, rig.dir);
    INFO(status.out << status.err);
    CHECK(status.out.find("Storage: ERROR: " + std::filesystem::path(rig.db()).parent_path().string() + " is full") !=
          std::string::npos);

    fs.unfill();
    REQUIRE(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "pending").empty(); }, 60s, 250ms));
    CHECK(rig.receiver.delivered().size() <= while_full + 1);
    auto rows = t::deliveries(rig.dir, rig.db());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["status"] == "sent");
}

TEST_CASE("daemon_disk_full: a first pass on a nearly full volume stores every report once space is freed",
          "[daemon][e2e][disk_full]") {
    // The operator's case: a 3 MiB volume left with 400 KiB free while the baseline runs. The WAL
    // must not keep the volume full: once space is freed the daemon stores the rest by itself.
    t::Tmpfs fs("3m");
    t::Rig rig({"--empty", "--page-size", "100"});
    rig.spec.database = fs.file("history.db");
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    const std::size_t total = 100;
    auto names = t::council_names(total + 1);
    REQUIRE(names.size() == total + 1);
    publish_range(rig.site, names, 0, total);
    // Create the database (a config with no source yet), then leave 400 KiB for the first pass.
    rig.write_config();
    t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    REQUIRE(std::filesystem::exists(rig.db()));
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    fs.fill(400 * 1024);
    auto daemon = rig.start();

    REQUIRE(daemon->wait_stderr("disk full", 60s));
    const std::string wal = rig.db() + "-wal";
    INFO(daemon->stderr_text().substr(0, 4000));
    CHECK(rig.hist().size() < total);

    fs.unfill();
    REQUIRE(t::wait_until([&] { return rig.hist().size() == total; }, 60s, 500ms));
    REQUIRE(daemon->wait_stderr("baseline done", 30s));
    auto hist = rig.hist();
    for (const auto& name : std::vector<std::string>(names.begin(), names.begin() + total))
        CHECK(t::history_row(hist, name)["rating"] == "good");
    CHECK(rig.receiver.posts().empty());  // all were published before the first pass ended: none is news
    CHECK(t::deliveries(rig.dir, rig.db()).empty());
    // The WAL is truncated when the baseline ends: the volume has its space back.
    CHECK(std::filesystem::file_size(wal) <= 1024 * 1024);

    publish_range(rig.site, names, total, total + 1);
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() == 1; }, 30s, 250ms));
    CHECK(t::event_type_of(rig.receiver.delivered()[0]) == "assessment.published");
}
