// An embargo against an early report page that disagrees, through the real
// daemon on the real clock, to a webhook and a real SMTP server (aiosmtpd),
// both taking every event type they take by default. Nothing goes out before
// the lift, not even the parser's doubt about the conflict.
// At the lift each notifier gets one message: the press release's figures,
// the report page's where they differ, the held report within it. Then the
// parser.suspect.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"
#include "support/mail_parse.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

const std::vector<int> k_release_scores{2, 2, 3, 2, 2, 2, 2, 2, 3};
const std::vector<int> k_page_scores{3, 3, 3, 3, 3, 3, 3, 3, 3};

/// A message the SMTP server saved: when it landed, and its decoded parts.
struct Mail {
    double arrival = 0;
    t::ParsedMail parsed;
};

std::vector<Mail> mails_in(const std::string& dir) {
    std::vector<Mail> out;
    for (int n = 1; n < 100; ++n) {
        std::string eml = dir + "/" + std::to_string(n) + ".eml";
        struct stat st {};
        if (::stat(eml.c_str(), &st) != 0) break;
        Mail m;
        m.arrival = static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
        m.parsed = t::parse_mail(t::read_file(eml));
        out.push_back(std::move(m));
    }
    return out;
}

struct HoldRig {
    t::Rig rig;
    std::string drop = rig.dir.file("maildrop");
    std::string mail = rig.dir.file("mail");
    t::SysSeconds lift = t::next_lift();
    std::string slug = "walsall-hold";
    std::unique_ptr<t::PythonServer> smtp;

    HoldRig() {
        std::filesystem::create_directories(drop);
        std::filesystem::create_directories(mail);
        smtp = std::make_unique<t::PythonServer>(
            std::vector<std::string>{std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", mail});
        rig.spec.daemon["fast_poll_interval"] = "\"1s\"";
        rig.spec.daemon["embargo_prepare"] = "\"3s\"";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "1s"));
        rig.spec.blocks.push_back("[[source]]\nname = \"press-mail\"\nkind = \"maildir\"\npath = \"" + drop +
                                  "\"\ndone_dir = \"" + rig.dir.file("done") + "\"\nfailed_dir = \"" +
                                  rig.dir.file("failed") + "\"\n");
        rig.spec.blocks.push_back(t::webhook_notifier("newsdesk", rig.receiver.url(), rig.secret_file()));
        rig.spec.blocks.push_back("[[notifier]]\nname = \"editor\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" +
                                  std::to_string(smtp->port()) +
                                  "\"\nfrom = \"cqcwatch@example.org\"\nto = [\"editor@example.org\"]\n");
    }
    std::string report_url() const { return rig.listing_url() + "/" + slug; }
    void drop_release() const {
        std::string staged = rig.dir.file("release.eml");
        t::write_file(staged, t::release_email(lift, report_url(), "requires improvement", k_release_scores));
        std::filesystem::rename(staged, drop + "/release.eml");
    }
    double lift_unix() const { return static_cast<double>(lift.time_since_epoch().count()); }
    bool pending() const {
        auto rows = t::embargoes(rig.dir, rig.db());
        return rows.is_array() && !rows.empty() && rows[0]["status"] == "pending";
    }
};

}  // namespace

TEST_CASE(
    "daemon_embargo hold: an early report page that disagrees - nothing before the lift, one message per "
    "notifier at it with the release's figures and the conflict, parser.suspect after",
    "[daemon][e2e][embargo]") {
    HoldRig h;
    INFO("lift " << h.lift_unix());
    auto daemon = h.rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    h.drop_release();
    REQUIRE(t::wait_until([&] { return h.pending(); }, 20s));

    // The council's report page goes up early, and says Good with 3s throughout.
    h.rig.site.publish(t::report(h.slug, "Walsall Council", "good", k_page_scores));
    bool seen = t::wait_until(
        [&] {
            auto held = t::deliveries(h.rig.dir, h.rig.db());
            int n = 0;
            for (const auto& d : held) n += d.value("held", false) ? 1 : 0;
            return n >= 6;  // published, updated, parser.suspect, for two notifiers
        },
        30s);
    INFO(daemon->stderr_text());
    REQUIRE(seen);
    REQUIRE(t::unix_now() < h.lift_unix());  // otherwise the test is not testing a hold

    // Wait for the lift and what follows it: one message at it and the parser's doubt, per notifier.
    bool came = t::wait_until([&] { return h.rig.receiver.delivered().size() >= 2; }, 100s);
    INFO(daemon->stderr_text());
    REQUIRE(came);
    REQUIRE(t::wait_until([&] { return mails_in(h.mail).size() >= 2; }, 30s));
    std::this_thread::sleep_for(2s);  // room for anything more, if there were more
    auto posts = h.rig.receiver.posts();
    INFO(posts.dump(1));

    // Nothing before the lift; after it one message, then the parser's doubt.
    std::vector<std::string> after;
    for (const auto& rec : posts) {
        CHECK(rec["arrival"].get<double>() >= h.lift_unix());
        after.push_back(t::event_type_of(rec));
    }
    CHECK(after == std::vector<std::string>{"embargo.lifted", "parser.suspect"});

    auto lifted = t::of_type(posts, "embargo.lifted");
    REQUIRE(lifted.size() == 1);
    auto lb = t::body_of(lifted[0]);
    CHECK(lb["assessment"]["rating"] == "requires_improvement");  // the press release's
    CHECK(t::scores_of(lb["assessment"]) == k_release_scores);
    CHECK(lb["assessment"]["report_url"].dump().find(h.slug) != std::string::npos);
    REQUIRE(lb["conflicts"].is_array());
    REQUIRE(!lb["conflicts"].empty());
    CHECK(lb["conflicts"][0] ==
          nlohmann::json{{"field", "rating"}, {"press_release", "requires_improvement"}, {"report_page", "good"}});
    CHECK(lb["conflicts"].size() == 8);  // the rating and the seven scores that differ
    std::vector<std::string> merged;
    for (const auto& m : lb["merged"]) merged.push_back(m["type"]);
    std::sort(merged.begin(), merged.end());
    CHECK(merged == std::vector<std::string>{"assessment.published", "assessment.updated"});
    auto suspect = t::of_type(posts, "parser.suspect");
    REQUIRE(suspect.size() == 1);
    CHECK(suspect[0]["arrival"].get<double>() >= lifted[0]["arrival"].get<double>());
    CHECK(t::body_of(suspect[0])["reason"].get<std::string>().find("report page disagrees") != std::string::npos);

    // The same by e-mail.
    auto mails = mails_in(h.mail);
    std::vector<std::string> subjects;
    for (const auto& m : mails) {
        CHECK(m.arrival >= h.lift_unix());
        subjects.push_back(m.parsed.subject);
    }
    REQUIRE(subjects.size() == 2);
    CHECK(subjects[0].find("CQC: Walsall rated Requires improvement (") == 0);
    CHECK(subjects[0].find("(embargo lifted " + t::uk(h.lift, "%H:%M %Z") + ") - the report page differs") !=
          std::string::npos);
    CHECK(subjects[1].find("cqcwatch: needs a look: Walsall: the report page disagrees") == 0);
    const auto& lift_mail = mails[0].parsed;
    CHECK(lift_mail.text.find("Rating: Requires improvement in the press release, Good on the report page") !=
          std::string::npos);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
