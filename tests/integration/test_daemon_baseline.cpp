// Alerts nobody should get: the real binary against the loopback site, for the
// promises of issue 12 about the baseline (per source, surviving kill -9 and
// history ingested first, re-baselining by hand, capped passes), the identity of
// a report under another host name, links to other hosts or ports, and
// credentials in a source URL.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

nlohmann::json scores_for(std::size_t i) {
    std::vector<int> s;
    for (std::size_t k = 0; k < 9; ++k) s.push_back(1 + static_cast<int>((i + k) % 4));
    return s;
}

/// Publishes reports `from`…`to-1` of `names` on `site`, slugs "r<i>".
void publish_range(const t::CqcSite& site, const std::vector<std::string>& names, std::size_t from, std::size_t to) {
    nlohmann::json bulk = nlohmann::json::array();
    for (std::size_t i = from; i < to; ++i)
        bulk.push_back({{"slug", "r" + std::to_string(i)},
                        {"council", names.at(i)},
                        {"rating", "requires_improvement"},
                        {"scores", scores_for(i)},
                        {"published", t::today_text()}});
    site.publish(bulk);
}

t::CommandResult poll_once(const t::Rig& rig, const std::vector<std::string>& extra = {}) {
    rig.write_config();
    std::vector<std::string> args{"poll", "--once", "--config", rig.config_path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return t::run_cqcwatch(args, rig.dir);
}

void add_hook(t::Rig& rig) {
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
}

}  // namespace

TEST_CASE("daemon_baseline: a first pass killed halfway resumes as the baseline after restart - no old report alerts",
          "[daemon][e2e][baseline]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    rig.spec.daemon["per_host_gap"] = "\"150ms\"";  // a pass of 20 reports takes about 6 s: time to kill it
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);
    auto names = t::council_names(21);
    publish_range(rig.site, names, 0, 20);

    auto first = rig.start();
    REQUIRE(t::wait_until([&] { return rig.hist().size() >= 3; }, 30s, 50ms));
    first->kill9();
    auto stored = rig.hist().size();
    INFO("stored before the kill: " << stored);
    REQUIRE(stored < 20);  // killed inside the pass

    auto second = rig.start();
    INFO(second->stderr_text().substr(0, 3000));
    CHECK(second->wait_stderr("baseline done", 30s));
    REQUIRE(t::wait_until([&] { return rig.hist().size() == 20; }, 30s, 200ms));
    CHECK(t::deliveries(rig.dir, rig.db()).empty());

    // The baseline is over: the next report is news.
    publish_range(rig.site, names, 20, 21);
    REQUIRE(t::wait_until([&] { return !rig.receiver.delivered().empty(); }, 30s, 200ms));
    auto got = t::of_type(rig.receiver.delivered(), "assessment.published");
    REQUIRE(got.size() == 1);
    CHECK(t::deliveries(rig.dir, rig.db()).size() == 1);
}

TEST_CASE("daemon_baseline: history ingested before the first poll does not make the first poll alert",
          "[daemon][e2e][baseline]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);
    auto names = t::council_names(6);
    publish_range(rig.site, names, 0, 6);
    rig.write_config();
    // A desk forwards one of the press releases before the daemon ever polls.
    auto release = t::http_get(rig.site.url("/press-release/cqc-rates-r0"));
    REQUIRE(release.status == 200);
    t::write_file(rig.dir.file("release.html"), release.body);
    auto ingest = t::run_cqcwatch({"ingest", "--config", rig.config_path(), rig.dir.file("release.html")}, rig.dir);
    INFO(ingest.err);
    REQUIRE(ingest.code == 0);
    auto after_ingest = t::deliveries(rig.dir, rig.db()).size();

    auto r = poll_once(rig);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(rig.hist().size() == 6);
    CHECK(t::deliveries(rig.dir, rig.db()).size() == after_ingest);  // the poll added none
}

TEST_CASE("daemon_baseline: a source added to the config later gets a silent baseline of its own",
          "[daemon][e2e][baseline]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    t::CqcSite other({"--empty", "--page-size", "50"});
    auto names = t::council_names(8);
    publish_range(rig.site, names, 0, 2);
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);
    REQUIRE(poll_once(rig).code == 0);
    REQUIRE(rig.hist().size() == 2);

    publish_range(other, names, 2, 6);
    rig.spec.blocks.push_back(t::listing_source("other", other.url(t::k_listing_path)));
    auto r = poll_once(rig);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(rig.hist().size() == 6);
    CHECK(t::deliveries(rig.dir, rig.db()).empty());

    publish_range(other, names, 6, 7);
    REQUIRE(poll_once(rig).code == 0);
    auto rows = t::deliveries(rig.dir, rig.db());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["event_type"] == "assessment.published");
}

TEST_CASE("daemon_baseline: poll --once --baseline re-baselines by hand, and a capped pass stays the baseline",
          "[daemon][e2e][baseline]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    rig.spec.daemon["max_items"] = "3";
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);
    auto names = t::council_names(12);
    publish_range(rig.site, names, 0, 7);

    auto r = poll_once(rig);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(rig.hist().size() == 3);
    CHECK(r.err.find("7 new items; following 3 this poll (max_items), the other 4 next poll") != std::string::npos);
    REQUIRE(poll_once(rig).code == 0);
    REQUIRE(poll_once(rig).code == 0);
    CHECK(rig.hist().size() == 7);
    CHECK(t::deliveries(rig.dir, rig.db()).empty());  // three passes, one baseline

    publish_range(rig.site, names, 7, 9);
    r = poll_once(rig, {"--baseline"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(rig.hist().size() == 9);
    CHECK(t::deliveries(rig.dir, rig.db()).empty());

    publish_range(rig.site, names, 9, 10);
    REQUIRE(poll_once(rig).code == 0);
    CHECK(t::deliveries(rig.dir, rig.db()).size() == 1);
}

TEST_CASE("daemon_baseline: a source moved to another name of the same site re-alerts nothing and stores no copy",
          "[daemon][e2e][identity]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    rig.spec.daemon["withdraw_after_misses"] = "1";
    auto names = t::council_names(6);
    publish_range(rig.site, names, 0, 5);
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);
    REQUIRE(poll_once(rig).code == 0);
    REQUIRE(rig.hist().size() == 5);

    const std::string port = std::to_string(rig.site.port());
    for (const std::string& base : {"http://LOCALHOST:" + port, "http://localhost:" + port}) {
        rig.spec.blocks[0] = t::listing_source("reports", base + t::k_listing_path);
        auto r = poll_once(rig);
        INFO(base << "\n" << r.err);
        CHECK(r.code == 0);
        CHECK(rig.hist().size() == 5);
        CHECK(t::deliveries(rig.dir, rig.db()).empty());  // nothing new, nothing withdrawn
    }
    // Still the same five, and a new one is news.
    publish_range(rig.site, names, 5, 6);
    REQUIRE(poll_once(rig).code == 0);
    auto rows = t::deliveries(rig.dir, rig.db());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["event_type"] == "assessment.published");
}

TEST_CASE("daemon_baseline: listing links to other hosts or ports are not followed", "[daemon][e2e][hosts]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    t::CqcSite elsewhere({"--empty"});
    auto names = t::council_names(6);
    publish_range(rig.site, names, 0, 1);  // the one report this source may follow
    publish_range(elsewhere, names, 1, 3);
    const std::string reports = t::k_listing_path + "/";
    const std::string other_port = std::to_string(elsewhere.port());
    const std::string port = std::to_string(rig.site.port());
    nlohmann::json foreign = nlohmann::json::array();
    auto link = [&](const std::string& slug, std::size_t name, const std::string& href) {
        foreign.push_back({{"slug", slug},
                           {"council", names[name]},
                           {"rating", "good"},
                           {"scores", scores_for(name)},
                           {"href", href}});
    };
    link("f1", 1, "http://127.0.0.1:" + other_port + reports + "r1");   // same host, another port
    link("f2", 2, "http://2130706433:" + other_port + reports + "r2");  // an integer IP
    link("r3", 3, "http://localhost:" + port + reports + "r3");         // this site, by another name
    link("r4", 4, "//127.0.0.2:" + port + reports + "r4");              // another host, scheme-relative
    rig.site.publish(foreign);
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    add_hook(rig);

    auto r = poll_once(rig, {"--alert-existing"});
    INFO(r.err);
    CHECK(r.code == 0);
    auto hist = rig.hist();
    CHECK(hist.size() == 1);
    CHECK(t::history_has(hist, names[0]));
    for (const auto& e : elsewhere.log()) CHECK(e["path"].get<std::string>().find(reports) == std::string::npos);
    for (const auto& e : rig.site.log()) CHECK(e["path"] != reports + "r3");
    CHECK(r.err.find("4 listed links go to hosts or ports this source does not allow") != std::string::npos);
    CHECK(t::deliveries(rig.dir, rig.db()).size() == 1);
}

TEST_CASE("daemon_baseline: credentials in a source URL are used but never stored, logged or sent",
          "[daemon][e2e][hosts]") {
    t::Rig rig({"--empty", "--page-size", "50"});
    const std::string password = "pw-LEAK-42";
    auto names = t::council_names(3);
    publish_range(rig.site, names, 0, 3);
    std::string url = rig.listing_url();
    url.insert(url.find("://") + 3, "desk:" + password + "@");
    rig.spec.blocks.push_back(t::listing_source("reports", url));
    add_hook(rig);

    auto r = poll_once(rig, {"--alert-existing"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    REQUIRE(rig.hist().size() == 3);
    CHECK(r.err.find(password) == std::string::npos);
    CHECK(rig.hist().dump().find(password) == std::string::npos);
    auto posts = rig.receiver.delivered();
    CHECK(posts.size() == 3);
    CHECK(posts.dump().find(password) == std::string::npos);
    // Not in the database file either (nor its write-ahead log).
    CHECK(t::read_file(rig.db()).find(password) == std::string::npos);
    CHECK(t::read_file(rig.db() + "-wal").find(password) == std::string::npos);
    auto exported = t::run_cqcwatch({"export", "--format", "json", "--database", rig.db()}, rig.dir);
    CHECK(exported.out.find(password) == std::string::npos);
}
