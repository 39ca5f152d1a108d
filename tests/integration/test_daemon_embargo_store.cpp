// An embargo lift against a store that refuses writes for a while, through the
// real daemon on the real clock: a real `sqlite3` process holding BEGIN
// EXCLUSIVE across the lift, across the pre-render before it, and while the lift
// alert is being delivered; and the database on a small tmpfs that fills up
// across the lift, then frees up. Nothing is dropped: in each case the lift
// alert arrives within 10 s of the store coming back, exactly once, marked late
// by the real delay when it came late, and the log says why. While it waits,
// `cqcwatch status`, the STATUS= line and /metrics say a lift is overdue and why,
// and /healthz answers.
//
// Embargo lines have minute precision: each case waits for the next whole minute
// at least 15 s away (about 90 s per case).

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"
#include "support/sqlite_lock.hpp"
#include "support/tmpfs.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

/// The next whole minute at least 15 s away: room to start, store the release and lock before the lift.
t::SysSeconds roomy_lift() {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return t::SysSeconds(std::chrono::ceil<std::chrono::minutes>(now + 15s));
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

struct StoreRig {
    t::Rig rig;
    std::string drop = rig.dir.file("maildrop");
    t::SysSeconds lift = roomy_lift();
    int port = t::free_loopback_port();
    std::string base = "http://127.0.0.1:" + std::to_string(port);
    t::NotifySocket sd{rig.dir.file("notify.sock")};
    std::unique_ptr<t::DaemonProcess> daemon;

    /// `database`: "" for the temp dir; `prepare`: [daemon] embargo_prepare.
    explicit StoreRig(const std::string& database = "", const std::string& prepare = "3s") {
        if (!database.empty()) rig.spec.database = database;
        rig.spec.daemon["fast_poll_interval"] = "\"1s\"";
        rig.spec.daemon["embargo_prepare"] = "\"" + prepare + "\"";
        rig.spec.daemon["metrics_listen"] = "\"127.0.0.1:" + std::to_string(port) + "\"";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "2s"));
        rig.spec.blocks.push_back("[[source]]\nname = \"press-mail\"\nkind = \"maildir\"\npath = \"" + drop +
                                  "\"\ndone_dir = \"" + rig.dir.file("done") + "\"\nfailed_dir = \"" +
                                  rig.dir.file("failed") + "\"\n");
        // A receiver may take its time to answer (the delivery case): a timeout past that.
        rig.spec.blocks.push_back("[[notifier]]\nname = \"newsdesk\"\nkind = \"webhook\"\nurl = \"" +
                                  rig.receiver.url() + "\"\nsecret_file = \"" + rig.secret_file() +
                                  "\"\ntimeout = \"15s\"\nevents = [\"embargo.lifted\", \"assessment.published\"]\n");
        std::filesystem::create_directories(drop);
    }
    double lift_unix() const { return static_cast<double>(lift.time_since_epoch().count()); }
    std::string lift_utc() const { return date::format("%Y-%m-%dT%H:%M:%SZ", lift); }

    /// Starts the daemon, drops the release in and waits until its embargo is pending.
    void start_with_pending_embargo() {
        daemon = rig.start({{"NOTIFY_SOCKET", sd.path()}});
        REQUIRE(daemon->wait_stderr("poll reports:", 20s));
        std::string staged = rig.dir.file("release.eml");
        t::write_file(staged, t::release_email(lift, rig.listing_url() + "/walsall-locked"));
        std::filesystem::rename(staged, drop + "/release.eml");
        bool pending = t::wait_until([&] { return status_of_embargo() == "pending"; }, 20s);
        INFO(daemon->stderr_text());
        REQUIRE(pending);
    }
    std::string status_of_embargo() const {
        auto rows = t::embargoes(rig.dir, rig.db());
        return rows.is_array() && !rows.empty() ? rows[0]["status"].get<std::string>() : "";
    }
    void wait_for_unix(double at) const {
        REQUIRE(t::wait_until([&] { return t::unix_now() >= at; }, 120s, 50ms));
    }
    nlohmann::json lift_posts() const { return t::of_type(rig.receiver.posts(), "embargo.lifted"); }
    /// The newest STATUS= line sent to the notify socket.
    std::string last_status() {
        std::string last;
        for (const auto& m : sd.messages())
            for (std::size_t at = m.find("STATUS="); at != std::string::npos; at = m.find("STATUS=", at + 1))
                last = m.substr(at + 7, m.find('\n', at) - at - 7);
        return last;
    }
    /// `cqcwatch status` (text).
    std::string status_text() const {
        auto r = t::run_cqcwatch({"status", "--database", rig.db()}, rig.dir);
        return r.out + r.err;
    }
    std::string metrics() const { return t::http_get(base + "/metrics").body; }

    /// What a user checks while a lift waits for the store: all four say it is overdue, and why.
    void check_overdue_while_held(const std::string& status_why, const std::string& daemon_why,
                                  const std::string& reason_key) {
        CHECK(lift_posts().empty());
        CHECK(status_of_embargo() == "pending");
        auto status = status_text();
        INFO(status);
        CHECK(status.find("Embargo: OVERDUE: Walsall was due at " + lift_utc()) != std::string::npos);
        CHECK(status.find(status_why) != std::string::npos);
        bool said = t::wait_until(
            [&] {
                return last_status().find("1 lift overdue (due " + lift_utc() + "): " + daemon_why + "; retrying") !=
                       std::string::npos;
            },
            10s);
        INFO("STATUS=" << last_status());
        CHECK(said);
        auto m = metrics();
        INFO(m);
        CHECK(m.find("\ncqcwatch_overdue_embargo_lifts 1\n") != std::string::npos);
        CHECK(m.find("\ncqcwatch_embargo_lift_retrying{reason=\"" + reason_key + "\"} 1\n") != std::string::npos);
        auto health = t::http_get(base + "/healthz");
        WARN("/healthz while the lift waits (503 once every source has failed to store its polls): "
             << health.status << " " << health.body << health.error);
        CHECK((health.status == 200 || health.status == 503));  // an answer, not a hang
    }

    /// After the store came back at `back`: one lift alert within 10 s, and no second one after.
    nlohmann::json one_lift_after(double back) {
        bool arrived = t::wait_until([&] { return !lift_posts().empty(); }, 10s, 50ms);
        INFO(daemon->stderr_text());
        REQUIRE(arrived);
        auto posts = lift_posts();
        WARN("store back to lift alert (wall clock, not asserted): "
             << (posts[0]["arrival"].get<double>() - back) * 1000 << " ms");
        std::this_thread::sleep_for(3s);  // room for a second one, if there were one
        posts = lift_posts();
        INFO(posts.dump(1));
        REQUIRE(posts.size() == 1);
        CHECK(posts[0]["status"] == 200);
        CHECK(t::wait_until([&] { return status_of_embargo() == "lifted"; }, 10s));
        return t::body_of(posts[0]);
    }
};

}  // namespace

TEST_CASE("daemon_embargo_store: a lift under a sqlite3 write lock goes out once the lock ends - marked late",
          "[daemon][e2e][embargo][store]") {
    StoreRig e;
    e.start_with_pending_embargo();
    // After the pre-render (3 s ahead), before the instant: the lift itself meets the lock.
    bool rendered = e.daemon->wait_stderr("rendered ahead for", 100s);
    INFO(e.daemon->stderr_text());
    REQUIRE(rendered);
    REQUIRE(t::unix_now() < e.lift_unix() - 0.5);
    auto lock = std::make_unique<t::SqliteLock>(e.rig.db());
    e.wait_for_unix(e.lift_unix() + 6);
    e.check_overdue_while_held(
        "the database is locked by another process (pid " + std::to_string(lock->pid()) + ", sqlite3)",
        "the database is locked by another process", "database_locked");
    e.wait_for_unix(e.lift_unix() + 15);
    lock->release();
    double back = t::unix_now();
    auto body = e.one_lift_after(back);
    CHECK(body["late"] == true);
    CHECK(body["late_by_seconds"].get<double>() >= 15);
    auto log = e.daemon->stderr_text();
    INFO(log);
    CHECK(log.find(": the database was locked by another process\n") != std::string::npos);
    CHECK(log.find("lifted late (Walsall): late by ") != std::string::npos);
    CHECK(log.find("the daemon was not running") == std::string::npos);
    CHECK(count_of(log, "until the store takes it") == 1);  // logged once, not per try
    CHECK(t::embargoes(e.rig.dir, e.rig.db())[0]["late"] == true);
    CHECK(e.last_status().find("overdue") == std::string::npos);
    CHECK(e.metrics().find("\ncqcwatch_overdue_embargo_lifts 0\n") != std::string::npos);
    e.daemon->signal(SIGTERM);
    CHECK(e.daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_embargo_store: a pre-render under a sqlite3 write lock is tried again - the lift is on time",
          "[daemon][e2e][embargo][store]") {
    StoreRig e("", "10s");
    e.start_with_pending_embargo();
    // The lock from before the pre-render (10 s ahead) to 5 s before the instant.
    REQUIRE(t::unix_now() < e.lift_unix() - 12);
    e.wait_for_unix(e.lift_unix() - 12);
    auto lock = std::make_unique<t::SqliteLock>(e.rig.db());
    REQUIRE(e.daemon->wait_stderr("cannot render its lift alert ahead", 10s));
    e.wait_for_unix(e.lift_unix() - 5);
    lock->release();
    double back = t::unix_now();
    auto body = e.one_lift_after(back);
    CHECK(body["late"] == false);
    auto posts = e.lift_posts();
    CHECK(posts[0]["arrival"].get<double>() >= e.lift_unix());
    auto log = e.daemon->stderr_text();
    INFO(log);
    CHECK(log.find("as rendered ahead") != std::string::npos);  // rendered again once the lock ended
    CHECK(log.find("lifted late") == std::string::npos);
    e.daemon->signal(SIGTERM);
    CHECK(e.daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE(
    "daemon_embargo_store: a lift delivered while sqlite3 holds the lock is recorded sent once it ends - not "
    "sent again",
    "[daemon][e2e][embargo][store]") {
    StoreRig e;
    // The receiver takes 4 s to answer the lift alert: the lock is taken in between.
    e.rig.receiver.mode("ok", 1, -1, 4.0);
    e.start_with_pending_embargo();
    REQUIRE(t::wait_until([&] { return !e.lift_posts().empty(); }, 100s, 20ms));
    auto lock = std::make_unique<t::SqliteLock>(e.rig.db());
    REQUIRE(e.daemon->wait_stderr("cannot store a delivery's outcome", 15s));
    e.wait_for_unix(t::unix_now() + 10);
    CHECK(e.lift_posts().size() == 1);
    lock->release();
    bool sent = t::wait_until(
        [&] {
            auto rows = t::deliveries(e.rig.dir, e.rig.db());
            return rows.size() == 1 && rows[0]["status"] == "sent";
        },
        10s, 100ms);
    INFO(e.daemon->stderr_text());
    CHECK(sent);
    std::this_thread::sleep_for(3s);  // room for a second send, if there were one
    auto posts = e.lift_posts();
    REQUIRE(posts.size() == 1);
    CHECK(t::body_of(posts[0])["late"] == false);
    CHECK(e.daemon->stderr_text().find("stored the outcome that could not be stored before") != std::string::npos);
    e.daemon->signal(SIGTERM);
    CHECK(e.daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_embargo_store: a lift on a full disk goes out once space is freed - marked late",
          "[daemon][e2e][embargo][store][disk_full]") {
    if (!t::Tmpfs::can_mount()) {
        WARN("skipped: mounting the small tmpfs this case fills needs root (CI runs it as root)");
        return;
    }
    t::Tmpfs fs("16m");
    StoreRig e(fs.file("history.db"));
    e.start_with_pending_embargo();
    bool rendered = e.daemon->wait_stderr("rendered ahead for", 100s);
    INFO(e.daemon->stderr_text());
    REQUIRE(rendered);
    REQUIRE(t::unix_now() < e.lift_unix() - 0.5);
    // Kept full: the daemon gives the volume its WAL's space back after each write that fails.
    fs.keep_full(std::chrono::milliseconds(static_cast<long>((e.lift_unix() + 6 - t::unix_now()) * 1000)));
    REQUIRE(e.daemon->wait_stderr("cannot record its lift", 5s));
    fs.fill(0);
    e.check_overdue_while_held("the database cannot be written (see Storage)", "the disk is full", "disk_full");
    fs.keep_full(std::chrono::milliseconds(static_cast<long>((e.lift_unix() + 15 - t::unix_now()) * 1000)));
    fs.unfill();
    double back = t::unix_now();
    auto body = e.one_lift_after(back);
    CHECK(body["late"] == true);
    CHECK(body["late_by_seconds"].get<double>() >= 15);
    auto log = e.daemon->stderr_text();
    INFO(log);
    CHECK(log.find(": the disk was full\n") != std::string::npos);
    e.daemon->signal(SIGTERM);
    CHECK(e.daemon->wait_exit(10s) == std::optional<int>(0));
}
