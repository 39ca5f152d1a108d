// Delivery through the real daemon: a receiver that is down for a while gets
// every alert once it is up, once per event id, in event order, with growing
// gaps between the retries; a notifier's rating filter; e-mail through a
// loopback SMTP server with STARTTLS and AUTH.

#include <set>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

std::string header(const nlohmann::json& rec, const std::string& name) {
    for (auto& [k, v] : rec["headers"].items())
        if (k == name) return v.get<std::string>();
    return "";
}

void publish_four(const t::CqcSite& site) {
    site.publish(t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}));
    site.publish(t::report("kent-0226", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
    site.publish(t::report("leeds-0326", "Leeds City Council", "outstanding", {4, 3, 4, 4, 3, 3, 4, 3, 4}));
    site.publish(t::report("devon-0426", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
}

std::vector<std::string> event_ids_in_outbox_order(const t::TempDir& dir, const std::string& db,
                                                   const std::string& notifier) {
    auto rows = t::deliveries(dir, db);
    std::vector<std::pair<long, std::string>> by_id;
    for (const auto& r : rows)
        if (r["notifier"] == notifier) by_id.emplace_back(r["id"].get<long>(), r["event_id"].get<std::string>());
    std::sort(by_id.begin(), by_id.end());
    std::vector<std::string> out;
    for (auto& p : by_id) out.push_back(p.second);
    return out;
}

}  // namespace

TEST_CASE("daemon_delivery: a receiver down for a while gets every alert once - in order - after growing gaps",
          "[daemon][e2e]") {
    t::Rig rig;
    publish_four(rig.site);
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "5s"));
    rig.spec.blocks.push_back(
        t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file(), "events = [\"assessment.published\"]\n"));
    rig.receiver.mode("500");
    auto daemon = rig.start({}, {"--alert-existing"});

    // Three failed attempts (of the first event: one in flight per notifier), then up.
    REQUIRE(t::wait_until([&] { return rig.receiver.posts().size() >= 3; }, 60s));
    rig.receiver.mode("ok");
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() >= 4; }, 90s));
    REQUIRE(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "pending").empty(); }, 20s));

    auto posts = rig.receiver.posts();
    auto delivered = rig.receiver.delivered();
    INFO(posts.dump(1));
    std::vector<std::string> ids;
    for (const auto& rec : delivered) ids.push_back(header(rec, "X-Cqcwatch-Delivery"));
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());  // once per event id
    CHECK(ids == event_ids_in_outbox_order(rig.dir, rig.db(), "hook"));         // in event order
    for (const auto& rec : posts) CHECK(rec["signature_ok"] == true);

    // The first event's attempts: the same id on every retry, gaps growing.
    INFO(daemon->stderr_text());
    std::vector<double> arrivals;
    for (const auto& rec : posts)
        if (header(rec, "X-Cqcwatch-Delivery") == ids.front()) arrivals.push_back(rec["arrival"].get<double>());
    REQUIRE(arrivals.size() >= 4);
    // Back-off doubles with "equal jitter" ([2.5, 5] s, then [5, 10], then [10, 20]); a loaded
    // machine can stamp an arrival late, so neighbours get a little slack and the ends none.
    std::vector<double> gaps;
    for (std::size_t i = 1; i < arrivals.size(); ++i) gaps.push_back(arrivals[i] - arrivals[i - 1]);
    for (std::size_t i = 1; i < gaps.size(); ++i) {
        INFO("gap " << i << ": " << gaps[i - 1] << " s then " << gaps[i] << " s");
        CHECK(gaps[i] > gaps[i - 1] - 1.5);
    }
    CHECK(gaps.back() > gaps.front() + 3.0);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_delivery: a notifier following only poor ratings gets nothing for a good report", "[daemon][e2e]") {
    t::Rig rig;
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier(
        "poor-only", rig.receiver.url("/poor"), rig.secret_file(),
        "events = [\"assessment.published\"]\nratings = [\"requires_improvement\", \"inadequate\"]\n"));
    rig.spec.blocks.push_back(t::webhook_notifier("everything", rig.receiver.url("/all"), rig.secret_file(),
                                                  "events = [\"assessment.published\"]\n"));
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));  // the (empty) baseline pass is over

    rig.site.publish(t::report("kent-1126", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/all").size() == 1; }, 30s));
    rig.site.publish(t::report("devon-1126", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/all").size() == 2; }, 30s));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/poor").size() == 1; }, 30s));
    REQUIRE(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "pending").empty(); }, 20s));

    auto poor = rig.receiver.delivered("/poor");
    auto all = rig.receiver.delivered("/all");
    CHECK(t::body_of(poor[0])["authority"]["name"] == "Devon");
    CHECK(t::body_of(all[0])["authority"]["name"] == "Kent");
    CHECK(t::body_of(all[1])["authority"]["name"] == "Devon");
    CHECK(rig.receiver.posts().size() == 3);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_delivery: an e-mail alert goes through SMTP with STARTTLS and AUTH", "[daemon][e2e]") {
    t::Rig rig;
    std::string certs = rig.dir.file("certs");
    REQUIRE(std::system(("sh " + std::string(CQCWATCH_TOOLS_DIR) + "/make_certs.sh " + certs).c_str()) == 0);
    std::string maildir = rig.dir.file("mail");
    std::filesystem::create_directories(maildir);
    t::PythonServer smtp({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", maildir, "--cert",
                          certs + "/server.pem", "--key", certs + "/server.key", "--user", "alerts", "--password",
                          "pa55word"});
    t::write_file(rig.dir.file("smtp.password"), "pa55word\n");
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back("[[notifier]]\nname = \"editor\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" +
                              std::to_string(smtp.port()) + "\"\nusername = \"alerts\"\npassword_file = \"" +
                              rig.dir.file("smtp.password") + "\"\nfrom = \"cqcwatch@example.org\"\n" +
                              "to = [\"editor@example.org\", \"desk@example.org\"]\nca_file = \"" + certs +
                              "/ca.pem\"\nevents = [\"assessment.published\"]\n");
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    rig.site.publish(t::report("walsall-1126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}));

    bool arrived = t::wait_until([&] { return std::filesystem::exists(maildir + "/1.json"); }, 40s);
    INFO(daemon->stderr_text());
    REQUIRE(arrived);
    auto meta = nlohmann::json::parse(t::read_file(maildir + "/1.json"));
    CHECK(meta["tls"] == true);
    CHECK(meta["auth_login"] == "alerts");
    CHECK(meta["rcpt_tos"].size() == 2);
    std::string eml = t::read_file(maildir + "/1.eml");
    INFO(eml.substr(0, 1500));
    CHECK(eml.find("Subject: CQC: Walsall") != std::string::npos);  // ASCII subjects need no RFC 2047 words
    CHECK(eml.find("Message-ID: <") != std::string::npos);
    CHECK(eml.find("multipart/alternative") != std::string::npos);
    CHECK(eml.find("text/html") != std::string::npos);
    CHECK(eml.find("pa55word") == std::string::npos);
    CHECK(daemon->stderr_text().find("pa55word") == std::string::npos);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_delivery: a dead alert put back with cqcwatch redeliver is sent by the running daemon",
          "[daemon][e2e]") {
    // The daemon learns of another process's commit (redeliver) through SQLite's
    // data_version, without re-reading the outbox on every idle wake-up.
    t::Rig rig;
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(
        t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file(), "events = [\"assessment.published\"]\n"));
    rig.receiver.mode("400");  // a permanent refusal: the delivery is dead at once
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    rig.site.publish(t::report("kent-1126", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
    REQUIRE(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "dead").size() == 1; }, 30s));
    CHECK(rig.receiver.delivered().empty());

    rig.receiver.mode("ok");
    auto dead = t::deliveries(rig.dir, rig.db(), "dead");
    std::string event_id = dead[0]["event_id"].get<std::string>();
    auto put_back = t::run_cqcwatch({"redeliver", "--database", rig.db(), event_id}, rig.dir);
    INFO(put_back.err);
    REQUIRE(put_back.code == 0);
    bool sent = t::wait_until([&] { return rig.receiver.delivered().size() == 1; }, 20s);
    INFO(daemon->stderr_text());
    REQUIRE(sent);
    CHECK(header(rig.receiver.delivered()[0], "X-Cqcwatch-Delivery") == event_id);
    CHECK(t::wait_until([&] { return t::deliveries(rig.dir, rig.db(), "sent").size() == 1; }, 10s));
    CHECK(t::deliveries(rig.dir, rig.db(), "dead").empty());
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
