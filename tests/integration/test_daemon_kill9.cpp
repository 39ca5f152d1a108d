// kill -9 of `cqcwatch run` at random moments (seeded, bounded delays) while
// reports are being found and alerts delivered, 50 times, restarting each time.
// At the end every event the store created has reached the receiver at least
// once; duplicates (allowed only after a crash, always with the same event id)
// are counted and printed for the report.

#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

constexpr int k_kills = 50;
constexpr unsigned k_seed = 20261123;

std::string delivery_id(const nlohmann::json& rec) {
    for (auto& [k, v] : rec["headers"].items())
        if (k == "X-Cqcwatch-Delivery") return v.get<std::string>();
    return "";
}

nlohmann::json scores_for(std::size_t i) {
    std::vector<int> s;
    for (std::size_t k = 0; k < 9; ++k) s.push_back(1 + static_cast<int>((i + k) % 4));
    return s;
}

}  // namespace

TEST_CASE("daemon_kill9: 50 kill -9s while delivering lose no alert", "[daemon][e2e][kill9]") {
    t::Rig rig({"--empty", "--page-size", "200"});
    rig.spec.daemon["max_pages"] = "2";
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(
        t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file(), "events = [\"assessment.published\"]\n"));
    auto names = t::council_names(2 * k_kills + 10);
    REQUIRE(names.size() >= 2 * k_kills + 10);
    std::size_t published = 0;
    auto publish_next = [&] {
        const std::string& name = names[published];
        std::string slug = "e2e-" + std::to_string(published);
        rig.site.publish({{"slug", slug},
                          {"council", name},
                          {"rating", "requires_improvement"},
                          {"scores", scores_for(published)},
                          {"published", t::today_text()}});
        ++published;
    };
    for (int i = 0; i < 10; ++i) publish_next();

    std::mt19937 rng(k_seed);
    std::uniform_int_distribution<int> delay_ms(20, 700);
    int kills_done = 0;
    for (; kills_done < k_kills; ++kills_done) {
        publish_next();
        publish_next();
        auto daemon = rig.start({}, {"--alert-existing"});
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        REQUIRE(daemon->running());  // it must not have died by itself
        daemon->kill9();
    }

    // A last, clean run: let it finish everything.
    auto daemon = rig.start({}, {"--alert-existing"});
    bool all_in = t::wait_until([&] { return rig.hist().size() == published; }, 60s, 250ms);
    INFO(daemon->stderr_text().substr(0, 4000));
    REQUIRE(all_in);
    REQUIRE(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "pending").empty(); }, 60s, 250ms));
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));

    auto rows = t::deliveries(rig.dir, rig.db());
    std::set<std::string> created;
    for (const auto& r : rows) {
        created.insert(r["event_id"].get<std::string>());
        CHECK(r["status"] == "sent");
    }
    CHECK(created.size() == published);  // one assessment.published per report

    std::map<std::string, int> arrivals;
    std::set<std::string> councils_seen;
    for (const auto& rec : rig.receiver.delivered()) {
        ++arrivals[delivery_id(rec)];
        councils_seen.insert(t::body_of(rec)["authority"]["name"].get<std::string>());
        CHECK(rec["signature_ok"] == true);
    }
    int duplicates = 0;
    for (const auto& id : created) {
        INFO("event " << id);
        CHECK(arrivals.count(id) == 1);
        if (arrivals.count(id) && arrivals[id] > 1) duplicates += arrivals[id] - 1;
    }
    CHECK(councils_seen.size() == published);
    std::cout << "daemon_kill9: " << kills_done << " kills, " << published << " events, " << created.size()
              << " created, " << duplicates << " duplicate deliveries (same event id)\n";
    WARN(kills_done << " kill -9s, " << published << " events, " << duplicates << " duplicate deliveries");
}
