// The real `cqcwatch run` against the loopback CQC site: the first run is a
// silent baseline, a report published later is stored with its nine scores and
// alerted once with a valid signature, SIGHUP with a broken config keeps the
// old one, SIGTERM exits 0, and systemd's notify socket hears READY, RELOADING
// and STOPPING in that order. Also `poll --once` with the source up and down.

#include <cctype>
#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

void publish_baseline(const t::CqcSite& site) {
    site.publish(t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3},
                           "14 January 2026"));
    site.publish(t::report("kent-0226", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}, "3 February 2026"));
    site.publish(
        t::report("leeds-0326", "Leeds City Council", "outstanding", {4, 3, 4, 4, 3, 3, 4, 3, 4}, "5 March 2026"));
}

t::Rig& add_source_and_hook(t::Rig& rig) {
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    return rig;
}

int count_polls(const t::DaemonProcess& d) {
    const std::string text = d.stderr_text();
    // "poll reports: 1 pages, …" at info, or at debug for an unchanged listing.
    const std::string key = " poll reports: ";
    int n = 0;
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + 1))
        if (at + key.size() < text.size() && std::isdigit(static_cast<unsigned char>(text[at + key.size()]))) ++n;
    return n;
}

bool polled_more(const t::DaemonProcess& d, int more, std::chrono::milliseconds limit) {
    int start = count_polls(d);
    return t::wait_until([&] { return count_polls(d) >= start + more; }, limit);
}

}  // namespace

TEST_CASE("daemon_poll: baseline is silent - a new report is stored and alerted once - signals behave",
          "[daemon][e2e]") {
    t::Rig rig;
    publish_baseline(rig.site);
    add_source_and_hook(rig);
    t::NotifySocket sd(rig.dir.file("notify.sock"));
    auto daemon = rig.start({{"NOTIFY_SOCKET", sd.path()}});

    // Baseline: all three stored with their scores, nothing sent.
    REQUIRE(t::wait_until([&] { return rig.hist().size() >= 3; }, 30s));
    auto hist = rig.hist();
    auto walsall = t::history_row(hist, "Walsall");
    REQUIRE(walsall.is_object());
    CHECK(walsall["rating"] == "requires_improvement");
    CHECK(t::scores_of(walsall) == std::vector<int>{2, 2, 3, 2, 2, 2, 2, 2, 3});
    CHECK(t::scores_of(t::history_row(hist, "Leeds")) == std::vector<int>{4, 3, 4, 4, 3, 3, 4, 3, 4});
    REQUIRE(t::wait_until([&] { return sd.index_of("READY=1") >= 0; }, 10s));
    REQUIRE(polled_more(*daemon, 2, 20s));
    CHECK(rig.receiver.posts().empty());

    // A new report: stored with its nine scores, one signed assessment.published.
    rig.site.publish(
        t::report("devon-1126", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
    REQUIRE(t::wait_until([&] { return t::history_row(rig.hist(), "Devon").is_object(); }, 30s));
    auto devon = t::history_row(rig.hist(), "Devon");
    CHECK(devon["rating"] == "inadequate");
    CHECK(t::scores_of(devon) == std::vector<int>{1, 2, 1, 2, 1, 1, 2, 1, 1});
    REQUIRE(t::wait_until([&] { return !rig.receiver.delivered().empty(); }, 30s));
    REQUIRE(polled_more(*daemon, 2, 20s));
    auto got = rig.receiver.delivered();
    INFO(got.dump(2));
    REQUIRE(got.size() == 1);
    CHECK(t::event_type_of(got[0]) == "assessment.published");
    CHECK(got[0]["signature_ok"] == true);
    auto body = t::body_of(got[0]);
    CHECK(body["schema"] == "cqcwatch.event.v1");
    CHECK(body["authority"]["name"] == "Devon");
    CHECK(t::scores_of(body["assessment"]) == std::vector<int>{1, 2, 1, 2, 1, 1, 2, 1, 1});

    // SIGHUP with a broken config: the error is named, the old config keeps polling.
    t::write_file(rig.config_path(), rig.spec.text() + "\n[daemon]\nevnets = 3\n");
    daemon->signal(SIGHUP);
    REQUIRE(daemon->wait_stderr("keeping the running config", 10s));
    CHECK(daemon->stderr_text().find("config.toml") != std::string::npos);
    REQUIRE(t::wait_until([&] { return sd.index_of("RELOADING=1") >= 0; }, 10s));
    REQUIRE(polled_more(*daemon, 2, 20s));
    CHECK(daemon->running());

    // SIGTERM: exit 0 within a few seconds, STOPPING=1 after READY=1.
    daemon->signal(SIGTERM);
    auto code = daemon->wait_exit(10s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    int ready = sd.index_of("READY=1");
    int reloading = sd.index_of("RELOADING=1");
    int stopping = sd.index_of("STOPPING=1");
    CHECK(ready >= 0);
    CHECK(reloading > ready);
    CHECK(stopping > reloading);
}

TEST_CASE("daemon_poll: a restart raises nothing again and SIGHUP with a good config reloads", "[daemon][e2e]") {
    t::Rig rig;
    publish_baseline(rig.site);
    add_source_and_hook(rig);
    {
        auto first = rig.start();
        REQUIRE(t::wait_until([&] { return rig.hist().size() >= 3; }, 30s));
        rig.site.publish(t::report("devon-1126", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
        REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() == 1; }, 30s));
        first->signal(SIGTERM);
        REQUIRE(first->wait_exit(10s) == std::optional<int>(0));
    }
    auto second = rig.start();
    REQUIRE(polled_more(*second, 3, 30s));
    CHECK(rig.receiver.delivered().size() == 1);

    // A good new config (a second notifier) is taken: the log says reloaded.
    rig.spec.blocks.push_back(t::webhook_notifier("second", rig.receiver.url("/second"), rig.secret_file()));
    rig.write_config();
    second->signal(SIGHUP);
    REQUIRE(second->wait_stderr("reloaded", 10s));
    rig.site.publish(t::report("essex-1126", "Essex County Council", "good", {3, 3, 3, 3, 3, 3, 3, 3, 3}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/second").size() == 1; }, 30s));
    CHECK(rig.receiver.delivered().size() == 2);
    second->signal(SIGINT);
    CHECK(second->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_poll: poll --once exits 0 when the site answers and 1 with the reason when it is down",
          "[daemon][e2e]") {
    t::Rig rig;
    publish_baseline(rig.site);
    add_source_and_hook(rig);
    rig.write_config();
    auto ok = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(rig.hist().size() == 3);

    rig.site.stop();
    auto down = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(down.err);
    CHECK(down.code == 1);
    CHECK(down.err.find("cqcwatch: poll: reports:") != std::string::npos);
}

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("daemon_poll: one warning per report about what its merged record lacks, in CQC's words, not one per page",
          "[daemon][e2e][warnings]") {
    t::Rig rig;
    // Landing pages that state the rating and no scores (as CQC's do); their summary pages give the scores,
    // except Leeds's, which leaves Safeguarding out.
    for (auto r : {t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}),
                   t::report("kent-0226", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2})}) {
        r["landing_rating"] = true;
        rig.site.publish(r);
    }
    auto leeds = t::report("leeds-0326", "Leeds City Council", "outstanding", {4, 3, 4, 4, 3, 3, 4, 3, 4});
    leeds["landing_rating"] = true;
    leeds["scores"][6] = nullptr;
    rig.site.publish(leeds);
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.write_config();

    auto r = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    REQUIRE(rig.hist().size() == 3);
    CHECK(occurrences(r.err, "none found") == 0);  // the landing pages' own notes: the summaries gave the scores
    CHECK(occurrences(r.err, "not read from") == 1);
    CHECK(occurrences(r.err, rig.site.url(t::k_listing_path + "/leeds-0326") +
                                 ": not read from the report (landing and summary pages): Safeguarding") == 1);
    CHECK(occurrences(r.err, "safeguarding") == 0);  // CQC's statement names, not JSON keys
}
