// The Atom feed a running `cqcwatch run` serves at /feed.atom on its metrics
// listener, read with python3-feedparser, rss2email and newsboat: an alert's entry with its report
// link, an embargo to come announced without a figure until the real lift, the
// lift's entry after it, the same entries as `cqcwatch feed`; /healthz answers
// beside it.
//
// Embargo lines have minute precision: the lift is the next whole minute at
// least 8 s away (about 70 s at most).

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "support/atom_check.hpp"
#include "support/embargo_release.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::vector<std::string> entry_ids(const json& view) {
    std::vector<std::string> out;
    for (const auto& e : view["entries"]) out.push_back(e["id"]);
    return out;
}

// The text of every entry about `council`: title, link and content.
std::string about(const json& view, const std::string& council) {
    std::string out;
    for (const auto& e : view["entries"]) {
        std::string text = e["title"].get<std::string>() + "\n" + e["link"].get<std::string>() + "\n" +
                           e["content"].get<std::string>() + "\n";
        if (text.find(council) != std::string::npos) out += text;
    }
    return out;
}

std::vector<std::string> types_of(const json& view) {
    std::vector<std::string> out;
    for (const auto& e : view["entries"]) out.push_back(e["tags"].empty() ? "" : e["tags"][0].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("daemon_feed: /feed.atom is valid Atom, shows nothing embargoed before the lift and the lift after it",
          "[daemon][e2e][feed]") {
    t::Rig rig;
    rig.spec.daemon["fast_poll_interval"] = "\"1s\"";
    rig.spec.daemon["embargo_prepare"] = "\"3s\"";
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "1s"));
    rig.spec.blocks.push_back(t::webhook_notifier("newsdesk", rig.receiver.url(), rig.secret_file()));
    int port = t::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    rig.spec.daemon["metrics_listen"] = "\"127.0.0.1:" + std::to_string(port) + "\"";
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));  // the empty baseline

    // Dudley is published; Walsall's release comes under embargo, its report is up before the lift.
    rig.site.publish(t::report("dudley-0126", "Dudley Council", "good", {3, 3, 3, 3, 3, 2, 3, 3, 3}));  // today: news
    REQUIRE(t::wait_until([&] { return t::history_has(rig.hist(), "Dudley"); }, 30s));
    const t::SysSeconds lift = t::next_lift();
    const std::string walsall_url = rig.listing_url() + "/walsall-feed";
    t::write_file(rig.dir.file("release.eml"), t::release_email(lift, walsall_url));
    auto ingested = t::run_cqcwatch({"ingest", "--config", rig.config_path(), rig.dir.file("release.eml")}, rig.dir);
    INFO(ingested.err);
    REQUIRE(ingested.code == 0);
    rig.site.publish(t::report("walsall-feed", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}));
    REQUIRE(t::wait_until([&] { return t::history_has(rig.hist(), "Walsall"); }, 30s));

    auto before = t::http_get(base + "/feed.atom");
    const double lift_unix = static_cast<double>(lift.time_since_epoch().count());
    REQUIRE(t::unix_now() < lift_unix);  // otherwise this is not "before the lift"
    REQUIRE(before.status == 200);
    CHECK(before.content_type == "application/atom+xml; charset=utf-8");
    json view = t::feedparser_view(rig.dir, before.body);
    INFO(view.dump(1));
    CHECK(view["bozo"] == 0);
    CHECK(view["version"] == "atom10");
    CHECK(view["feed"]["self"] == base + "/feed.atom");
    CHECK(types_of(view) == std::vector<std::string>{"embargo.scheduled", "assessment.published"});
    CHECK(view["entries"][1]["title"].get<std::string>().rfind("CQC: Dudley rated Good", 0) == 0);
    CHECK(view["entries"][1]["link"] == rig.listing_url() + "/dudley-0126");
    CHECK(view["entries"][1]["id"].get<std::string>().rfind("urn:cqcwatch:event:evt_", 0) == 0);
    const std::string walsall = about(view, "Walsall");
    CHECK(walsall.find("CQC: embargoed result for Walsall due") != std::string::npos);
    CHECK(walsall.find("Requires improvement") == std::string::npos);
    CHECK(walsall.find("Safeguarding") == std::string::npos);
    CHECK(walsall.find("walsall-feed") == std::string::npos);
    // The emailed release has no address of its own before the lift: its entry links the listing its
    // report will appear on (a reader needs an http link to open; the urn: id is not one).
    CHECK(view["entries"][0]["link"] == rig.listing_url());
    CHECK(t::http_get(base + "/healthz").status == 200);

    // A feed reader's tag for the feed before the lift (its other polls are checked after it).
    const std::string early_tag = t::feed_poll(rig.dir, base + "/feed.atom")["first"]["headers"].value("ETag", "");
    CHECK(early_tag.size() == 18);  // a strong tag: 16 hex digits in quotes

    // The command reads the same entries from the same file.
    auto cli = t::run_cqcwatch({"feed", "--database", rig.db()}, rig.dir);
    INFO(cli.err);
    REQUIRE(cli.code == 0);
    CHECK(entry_ids(t::feedparser_view(rig.dir, cli.out)) == entry_ids(view));

    // At the lift: one entry with the figures and the report link; the held published event is within it.
    REQUIRE(t::wait_until([&] { return !t::of_type(rig.receiver.delivered(), "embargo.lifted").empty(); }, 100s));
    json after = t::feedparser_view(rig.dir, t::http_get(base + "/feed.atom").body);
    INFO(after.dump(1));
    CHECK(after["bozo"] == 0);
    CHECK(types_of(after) == std::vector<std::string>{"embargo.lifted", "embargo.scheduled", "assessment.published"});
    CHECK(after["entries"][0]["title"].get<std::string>().rfind("CQC: Walsall rated Requires improvement", 0) == 0);
    CHECK(after["entries"][0]["link"] == walsall_url);
    CHECK(after["entries"][0]["content"].get<std::string>().find("Safeguarding") != std::string::npos);
    // A reader polling it: the lift is a new entry, so the tag from before gets the whole feed; then
    // HEAD, and "changed?" by ETag or by date gets 304 and no body.
    json poll = t::feed_poll(rig.dir, base + "/feed.atom", early_tag);
    INFO(poll.dump(1));
    REQUIRE(poll["first"]["status"] == 200);
    CHECK(poll["old_tag"]["status"] == 200);
    CHECK(poll["old_tag"]["body_length"] == poll["first"]["body_length"]);
    CHECK(poll["first"]["headers"].value("ETag", "") != early_tag);
    CHECK_FALSE(poll["first"]["headers"].value("Last-Modified", "").empty());
    CHECK(poll["head"]["status"] == 200);
    CHECK(poll["head"]["body_length"] == 0);
    CHECK(poll["head"]["headers"].value("Content-Length", "") ==
          std::to_string(poll["first"]["body_length"].get<int>()));
    CHECK(poll["if_none_match"]["status"] == 304);
    CHECK(poll["if_none_match"]["body_length"] == 0);
    // RFC 9110 §8.6: no Content-Length on the 304 (a "0" reads as an empty page to rss2email), as sent.
    CHECK(poll["raw_if_none_match"]["status_line"] == "HTTP/1.1 304 Not Modified");
    CHECK(poll["raw_if_none_match"]["body_length"] == 0);
    const auto raw_names = poll["raw_if_none_match"]["header_names"].get<std::vector<std::string>>();
    CHECK(std::find(raw_names.begin(), raw_names.end(), "etag") != raw_names.end());
    CHECK(std::find(raw_names.begin(), raw_names.end(), "content-length") == raw_names.end());
    CHECK(std::find(raw_names.begin(), raw_names.end(), "transfer-encoding") == raw_names.end());
    CHECK(poll["if_none_match"]["headers"].count("Content-Length") == 0);
    CHECK(poll["if_modified_since"]["status"] == 304);
    CHECK(poll["if_modified_since"]["body_length"] == 0);
    CHECK(poll["feedparser"]["status"] == 304);
    CHECK(poll["feedparser"]["entries"] == 0);

    // Debian's rss2email, twice: the second poll is a 304, and it does not log "empty page" (it does
    // when a 304 says Content-Length: 0). --no-send: it only marks the entries seen.
    const std::map<std::string, std::string> home{{"HOME", rig.dir.path().string()}};
    auto r2e = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"/usr/bin/r2e", "-c", rig.dir.file("r2e.cfg"), "-d", rig.dir.file("r2e.json")});
        auto r = t::run_program(args, rig.dir, home, 60s);
        r.err = r.out + r.err;  // its log goes to stderr; both, to be sure
        return r;
    };
    REQUIRE(r2e({"new", "desk@example.org"}).code == 0);
    REQUIRE(r2e({"add", "cqc", base + "/feed.atom"}).code == 0);
    auto r2e_first = r2e({"-VVV", "run", "--no-send"});
    auto r2e_again = r2e({"-VVV", "run", "--no-send"});
    INFO("rss2email, first:\n" << r2e_first.err << "again:\n" << r2e_again.err);
    CHECK(r2e_first.code == 0);
    CHECK(r2e_first.err.find("HTTP status 200") != std::string::npos);
    CHECK(r2e_again.code == 0);
    CHECK(r2e_again.err.find("HTTP status 304") != std::string::npos);
    CHECK(r2e_again.err.find("empty page") == std::string::npos);
    CHECK(r2e_again.err.find("WARNING") == std::string::npos);

    // Debian's newsboat, headless: every entry it stored has a link to open, the emailed release's included.
    t::write_file(rig.dir.file("newsboat.urls"), base + "/feed.atom\n");
    auto nb = t::run_program({"/usr/bin/newsboat", "-u", rig.dir.file("newsboat.urls"), "-c",
                              rig.dir.file("newsboat.db"), "-C", "/dev/null", "-x", "reload"},
                             rig.dir, home, 60s);
    INFO("newsboat: " << nb.out << nb.err);
    CHECK(nb.code == 0);
    auto links = t::run_program({"/usr/bin/sqlite3", rig.dir.file("newsboat.db"),
                                 "SELECT guid || ' ' || url FROM rss_item ORDER BY guid"},
                                rig.dir, {}, 30s);
    INFO("newsboat's items: " << links.out << links.err);
    CHECK(links.code == 0);
    std::size_t items = 0;
    std::istringstream rows(links.out);
    for (std::string row; std::getline(rows, row); ++items) {
        CHECK(row.find(" http") != std::string::npos);  // "urn:cqcwatch:event:evt_… https://…"
    }
    CHECK(items == 3);
    CHECK(links.out.find(" " + rig.listing_url() + "\n") != std::string::npos);  // the emailed release's notice
    CHECK(t::http_get(base + "/healthz").status == 200);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
