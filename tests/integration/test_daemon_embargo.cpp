// Embargoes through the real daemon on the real clock: an embargoed press
// release dropped into the mail drop, the report already on the test site
// before the lift. Nothing reaches the receiver before the lift instant;
// embargo.lifted comes at or after it, then assessment.published with the
// report URL. A restart before the lift re-arms it; a lift missed while the
// daemon was stopped fires once at start-up, marked late.
//
// Embargo lines have minute precision, so the lift is the next whole minute at
// least 8 s away (each case runs at most about 70 s plus its timeouts).

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

using t::embargo_line;
using t::release_email;
using t::SysSeconds;

const std::vector<int> k_scores{2, 2, 3, 2, 2, 2, 2, 2, 3};

struct EmbargoRig {
    t::Rig rig;
    std::string drop = rig.dir.file("maildrop");
    SysSeconds lift = t::next_lift();
    std::string slug = "walsall-e2e";

    EmbargoRig() {
        rig.spec.daemon["fast_poll_interval"] = "\"1s\"";
        rig.spec.daemon["embargo_prepare"] = "\"3s\"";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "2s"));
        rig.spec.blocks.push_back("[[source]]\nname = \"press-mail\"\nkind = \"maildir\"\npath = \"" + drop +
                                  "\"\ndone_dir = \"" + rig.dir.file("done") + "\"\nfailed_dir = \"" +
                                  rig.dir.file("failed") + "\"\n");
        rig.spec.blocks.push_back(t::webhook_notifier("newsdesk", rig.receiver.url(), rig.secret_file(),
                                                      "events = [\"embargo.lifted\", \"assessment.published\"]\n"));
        std::filesystem::create_directories(drop);
    }
    std::string report_url() const { return rig.listing_url() + "/" + slug; }
    /// Writes the release beside the drop, then renames it in (one inotify event, a whole file).
    void drop_release() const {
        std::string staged = rig.dir.file("release.eml");
        t::write_file(staged, release_email(lift, report_url()));
        std::filesystem::rename(staged, drop + "/release.eml");
    }
    nlohmann::json embargo_rows() const { return t::embargoes(rig.dir, rig.db()); }
    bool has_status(const std::string& status) const {
        auto rows = embargo_rows();
        return rows.is_array() && !rows.empty() && rows[0]["status"] == status;
    }
    double lift_unix() const { return static_cast<double>(lift.time_since_epoch().count()); }
};

}  // namespace

TEST_CASE("daemon_embargo: nothing before the lift - embargo.lifted at it then the report - a restart re-arms",
          "[daemon][e2e][embargo]") {
    EmbargoRig e;
    INFO("lift " << e.lift_unix() << " line: " << embargo_line(e.lift));
    auto daemon = e.rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));  // the empty baseline
    e.drop_release();
    bool pending = t::wait_until([&] { return e.has_status("pending"); }, 20s);
    INFO(daemon->stderr_text());
    REQUIRE(pending);
    CHECK(e.embargo_rows()[0]["authority"]["name"] == "Walsall");

    // The report is up on the site before the lift; the daemon finds it and holds it.
    e.rig.site.publish(t::report(e.slug, "Walsall Council", "requires_improvement", k_scores));
    REQUIRE(t::wait_until([&] { return e.rig.site.log().dump().find(e.slug + "/summary") != std::string::npos; }, 20s));

    // Restart before the lift: re-armed from the store.
    daemon->signal(SIGTERM);
    REQUIRE(daemon->wait_exit(10s) == std::optional<int>(0));
    daemon = e.rig.start();
    REQUIRE(t::unix_now() < e.lift_unix());  // otherwise the test is not testing a re-arm

    REQUIRE(t::wait_until([&] { return !e.rig.receiver.delivered().empty(); }, 100s));
    CHECK(t::wait_until([&] { return e.has_status("lifted"); }, 10s));
    REQUIRE(daemon->wait_stderr("embargo lifted:", 10s));
    std::this_thread::sleep_for(2s);  // room for a second message at the lift, if there were one
    auto posts = e.rig.receiver.posts();
    INFO(posts.dump(1));
    for (const auto& rec : posts) CHECK(rec["arrival"].get<double>() >= e.lift_unix());

    // One message at the lift: the held assessment.published is within it, with the report's link.
    auto lifted = t::of_type(posts, "embargo.lifted");
    REQUIRE(posts.size() == 1);
    REQUIRE(lifted.size() == 1);
    auto lb = t::body_of(lifted[0]);
    CHECK(lb["authority"]["name"] == "Walsall");
    CHECK(lb["assessment"]["rating"] == "requires_improvement");
    CHECK(t::scores_of(lb["assessment"]) == k_scores);
    CHECK(lb.value("late", false) == false);
    CHECK(lifted[0]["signature_ok"] == true);
    CHECK(lb["assessment"]["report_url"].is_string());
    CHECK(lb["assessment"]["report_url"].dump().find(e.slug) != std::string::npos);
    REQUIRE(lb["merged"].size() == 1);
    CHECK(lb["merged"][0]["type"] == "assessment.published");
    CHECK(lb["conflicts"].empty());
    // The lift alert carries its context, computed at the lift: Walsall's first assessment, and the means.
    CHECK(lb["first_assessment"] == true);
    CHECK(lb["previous_assessment"].is_null());
    CHECK(lb["context"]["region"]["name"] == "West Midlands");
    CHECK(lb["context"]["region"]["n"] == 1);
    CHECK(lb["context"]["england"]["means"]["assessing_needs"] == k_scores[0]);
    CHECK(lb["authority"]["full_name"].is_string());
    // Rendered ahead of the lift (the real alert, not a stand-in), and that is what went.
    CHECK(daemon->stderr_text().find("as rendered ahead") != std::string::npos);
    WARN("lift-to-arrival on loopback (wall clock, not asserted): "
         << (lifted[0]["arrival"].get<double>() - e.lift_unix()) * 1000 << " ms");
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_embargo: a lift missed while stopped fires once at start-up - marked late",
          "[daemon][e2e][embargo]") {
    EmbargoRig e;
    auto daemon = e.rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    e.drop_release();
    REQUIRE(t::wait_until([&] { return e.has_status("pending"); }, 20s));
    daemon->signal(SIGTERM);
    REQUIRE(daemon->wait_exit(10s) == std::optional<int>(0));

    // "late" means more than the schedule's 2 s tolerance past the instant.
    REQUIRE(t::wait_until([&] { return t::unix_now() > e.lift_unix() + 4.0; }, 85s, 250ms));
    CHECK(e.rig.receiver.posts().empty());
    daemon = e.rig.start();
    REQUIRE(t::wait_until([&] { return !e.rig.receiver.delivered().empty(); }, 30s));
    REQUIRE(t::wait_until([&] { return e.has_status("lifted"); }, 10s));
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    std::this_thread::sleep_for(2s);  // room for a duplicate to show up, if there were one
    auto lifted = t::of_type(e.rig.receiver.delivered(), "embargo.lifted");
    REQUIRE(lifted.size() == 1);
    auto body = t::body_of(lifted[0]);
    CHECK(body["late"] == true);
    CHECK(e.embargo_rows()[0]["late"] == true);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));

    // And never again on a later start.
    auto again = e.rig.start();
    REQUIRE(again->wait_stderr("running", 10s));
    std::this_thread::sleep_for(2s);
    CHECK(t::of_type(e.rig.receiver.delivered(), "embargo.lifted").size() == 1);
}

TEST_CASE(
    "daemon_embargo: ingest beside the running daemon - a release to come is armed and lifts, one long "
    "past is history",
    "[daemon][e2e][embargo]") {
    EmbargoRig e;
    auto daemon = e.rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    // The Walsall seed: embargoed until January 2026, ingested now. History, not news.
    auto old = t::run_cqcwatch({"ingest", "--config", e.rig.config_path(),
                                std::string(CQCWATCH_SHARED_DIR) + "/seeds/walsall-2026-embargoed-press-release.txt"},
                               e.rig.dir);
    INFO(old.err);
    REQUIRE(old.code == 0);
    REQUIRE(e.has_status("lifted"));
    // What an MTA alias does: the message on stdin of another process, not the maildir.
    std::string staged = e.rig.dir.file("piped.eml");
    t::write_file(staged, release_email(e.lift, e.report_url()));
    auto ingested = t::run_cqcwatch({"ingest", "--config", e.rig.config_path(), staged}, e.rig.dir);
    INFO(ingested.err);
    REQUIRE(ingested.code == 0);
    REQUIRE(t::wait_until([&] { return !t::of_type(e.rig.receiver.delivered(), "embargo.lifted").empty(); }, 100s));
    std::this_thread::sleep_for(2s);  // room for the old one to show up, if it were going to
    auto posts = e.rig.receiver.posts();
    INFO(posts.dump(1));
    REQUIRE(posts.size() == 1);
    auto body = t::body_of(posts[0]);
    CHECK(body["type"] == "embargo.lifted");
    CHECK(body["embargo"]["until"] == date::format("%Y-%m-%dT%H:%M:%SZ", e.lift));
    CHECK(body["late"] == false);
    CHECK(posts[0]["arrival"].get<double>() >= e.lift_unix());
    auto rows = e.embargo_rows();
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) CHECK(row["status"] == "lifted");
    CHECK(daemon->stderr_text().find("late_by") == std::string::npos);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
