// Alerts with context through the real `cqcwatch run` against the loopback CQC
// site: a council's second assessment alerts with its first (rating, percentage,
// date), the region's and England's means over each council's latest assessment
// and the council's name as CQC's page writes it, in the JSON body and in the
// Slack message; a withdrawal's alert says the page is gone and links the
// listing, never the page.

#include <cmath>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

const std::vector<int> k_walsall_2024{2, 2, 2, 2, 2, 2, 2, 2, 3};  // 19/36
const std::vector<int> k_walsall_now{3, 3, 3, 3, 3, 2, 3, 3, 3};   // 26/36
const std::vector<int> k_birmingham{3, 2, 2, 3, 3, 2, 2, 3, 3};    // 23/36, West Midlands too
const std::vector<int> k_kent{4, 3, 3, 3, 3, 3, 4, 3, 3};          // 29/36, South East

double percent(const std::vector<int>& scores) {
    int sum = 0;
    for (int s : scores) sum += s;
    return sum * 100.0 / 36.0;
}

std::string text_of(const nlohmann::json& slack) { return slack.dump(); }

struct ContextRig {
    t::Rig rig;
    ContextRig() {
        rig.spec.daemon["withdraw_after_misses"] = "1";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
        rig.spec.blocks.push_back(t::webhook_notifier("json", rig.receiver.url("/json"), rig.secret_file()));
        rig.spec.blocks.push_back(
            t::webhook_notifier("slack", rig.receiver.url("/slack"), rig.secret_file(), "format = \"slack\"\n"));
        // The baseline: Walsall's first assessment, and two other councils.
        rig.site.publish(
            t::report("walsall-0324", "Walsall Council", "requires_improvement", k_walsall_2024, "12 March 2024"));
        rig.site.publish(t::report("birmingham-0625", "Birmingham City Council", "good", k_birmingham, "4 June 2025"));
        rig.site.publish(t::report("kent-0925", "Kent County Council", "good", k_kent, "9 September 2025"));
    }
    nlohmann::json delivered(const std::string& path, const std::string& type) const {
        return t::of_type(rig.receiver.delivered(path), type);
    }
};

}  // namespace

TEST_CASE(
    "daemon_context: a second assessment alerts with the first, the means and the full name, and a withdrawal "
    "links the listing, not the page gone",
    "[daemon][e2e][context]") {
    ContextRig c;
    auto daemon = c.rig.start();
    REQUIRE(t::wait_until([&] { return c.rig.hist().size() >= 3; }, 30s));
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));

    // Walsall's new assessment, its page naming the council in full.
    c.rig.site.publish(t::report("walsall-1226", "Walsall Metropolitan Borough Council", "good", k_walsall_now));
    REQUIRE(t::wait_until([&] { return c.delivered("/json", "assessment.published").size() == 1; }, 30s));
    REQUIRE(t::wait_until([&] { return c.delivered("/slack", "assessment.published").size() == 1; }, 30s));
    const auto body = t::body_of(c.delivered("/json", "assessment.published")[0]);
    INFO(body.dump(2));
    CHECK(body["authority"]["name"] == "Walsall");
    CHECK(body["authority"]["full_name"] == "Walsall Metropolitan Borough Council");
    CHECK(body["first_assessment"] == false);
    CHECK(body["previous_assessment"]["rating"] == "requires_improvement");
    CHECK(body["previous_assessment"]["published"] == "2024-03-12");
    CHECK(body["previous_assessment"]["percentage"].get<double>() == Approx(percent(k_walsall_2024)).margin(0.5));
    const auto& region = body["context"]["region"];
    CHECK(region["name"] == "West Midlands");
    CHECK(region["n"] == 2);  // Walsall's latest and Birmingham: not Walsall's 2024 one
    CHECK(region["means"]["assessing_needs"].get<double>() == Approx((k_walsall_now[0] + k_birmingham[0]) / 2.0));
    CHECK(region["percentage"].get<double>() ==
          Approx((percent(k_walsall_now) + percent(k_birmingham)) / 2).margin(0.5));
    const auto& england = body["context"]["england"];
    CHECK(england["n"] == 3);
    CHECK(england["means"]["safeguarding"].get<double>() ==
          Approx((k_walsall_now[6] + k_birmingham[6] + k_kent[6]) / 3.0).margin(0.005));

    // Slack, in words: the full name, what came before, the means beside each score, each theme once.
    const auto slack = t::body_of(c.delivered("/slack", "assessment.published")[0]);
    INFO(slack.dump(2));
    const std::string words = text_of(slack);
    CHECK(words.find("Walsall Metropolitan Borough Council") != std::string::npos);
    // The page states its percentage whole (CQC's do): 19/36 is "53%".
    const std::string was = std::to_string(std::lround(percent(k_walsall_2024))) + "%";
    CHECK(words.find("*Previously*: Requires improvement (" + was + ", 12 March 2024)") != std::string::npos);
    CHECK(words.find("West Midlands mean 3.0, England 3.3") != std::string::npos);  // assessing needs
    CHECK(words.find("(Working with people)") == std::string::npos);

    // Kent's report is taken down: the alert says so and links the listing.
    const std::string kent_page = c.rig.listing_url() + "/kent-0925";
    c.rig.site.withdraw("kent-0925");
    REQUIRE(t::wait_until([&] { return c.delivered("/slack", "assessment.withdrawn").size() == 1; }, 60s));
    REQUIRE(t::wait_until([&] { return c.delivered("/json", "assessment.withdrawn").size() == 1; }, 30s));
    const auto gone = t::body_of(c.delivered("/json", "assessment.withdrawn")[0]);
    INFO(gone.dump(2));
    CHECK(gone["listing_url"] == c.rig.listing_url());
    CHECK(gone["last_seen"].is_string());
    const std::string notice = text_of(t::body_of(c.delivered("/slack", "assessment.withdrawn")[0]));
    INFO(notice);
    CHECK(notice.find("withdrawn from CQC's site") != std::string::npos);
    CHECK(notice.find("taken down from CQC's site") != std::string::npos);
    CHECK(notice.find("<" + c.rig.listing_url() + "|") != std::string::npos);
    CHECK(notice.find(kent_page) == std::string::npos);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
