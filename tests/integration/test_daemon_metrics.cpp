// The health and metrics listener of a real `cqcwatch run`: /healthz answers,
// /metrics is Prometheus text whose figures move as the daemon polls and alerts.

#include <catch2/catch.hpp>

#include <regex>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

// The value of one sample line ("name{labels} value"), or -1 when absent.
double sample(const std::string& text, const std::string& series) {
    auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("daemon_metrics: /healthz answers and /metrics figures move with polls, events and deliveries",
          "[daemon][e2e][metrics]") {
    t::Rig rig;
    rig.site.publish(t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3},
                               "14 January 2026"));
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file()));
    int port = t::free_loopback_port();
    std::string base = "http://127.0.0.1:" + std::to_string(port);
    rig.spec.daemon["metrics_listen"] = "\"127.0.0.1:" + std::to_string(port) + "\"";
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("metrics on", 20s));
    REQUIRE(t::wait_until([&] { return rig.hist().size() >= 1; }, 30s));

    auto health = t::http_get(base + "/healthz");
    CHECK(health.status == 200);
    auto first = t::http_get(base + "/metrics");
    REQUIRE(first.status == 200);
    INFO(first.body);
    CHECK(first.body.find("# TYPE cqcwatch_polls_total counter") != std::string::npos);
    double polls = sample(first.body, "cqcwatch_polls_total{source=\"reports\"}");
    CHECK(polls >= 1);
    CHECK(sample(first.body, "cqcwatch_deliveries_total{notifier=\"hook\",status=\"sent\"}") <= 0);
    // The baseline is counted apart, so that a rate() alert does not fire on the first start.
    CHECK(sample(first.body, "cqcwatch_baseline_records_total{type=\"assessment.published\"}") == 1);
    double published = sample(first.body, "cqcwatch_events_total{type=\"assessment.published\"}");
    CHECK(published == 0);
    // Series exist at 0 before anything happens, and the version is a label.
    CHECK(sample(first.body, "cqcwatch_events_total{type=\"embargo.lifted\"}") == 0);
    CHECK(sample(first.body, "cqcwatch_fetch_failures_total{source=\"reports\"}") == 0);
    CHECK(sample(first.body, "cqcwatch_deliveries_total{notifier=\"hook\",status=\"dead\"}") == 0);
    CHECK(std::regex_search(first.body, std::regex("\ncqcwatch_build_info\\{version=\"[0-9][^\"]*\"\\} 1\n")));

    // An unchanged listing is answered 304 and counted as such.
    CHECK(t::wait_until(
        [&] {
            return sample(t::http_get(base + "/metrics").body, "cqcwatch_not_modified_total{source=\"reports\"}") >= 1;
        },
        20s));

    rig.site.publish(
        t::report("devon-1126", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
    REQUIRE(t::wait_until([&] { return !rig.receiver.delivered().empty(); }, 30s));
    std::string later;
    REQUIRE(t::wait_until(
        [&] {
            later = t::http_get(base + "/metrics").body;
            return sample(later, "cqcwatch_deliveries_total{notifier=\"hook\",status=\"sent\"}") == 1;
        },
        15s));
    INFO(later);
    INFO(daemon->stderr_text());
    CHECK(sample(later, "cqcwatch_polls_total{source=\"reports\"}") > polls);
    CHECK(sample(later, "cqcwatch_events_total{type=\"assessment.published\"}") == published + 1);
    CHECK(sample(later, "cqcwatch_last_success_timestamp_seconds{source=\"reports\"}") > 1.7e9);
    CHECK(t::http_get(base + "/nope").status == 404);

    daemon->signal(SIGTERM);
    auto code = daemon->wait_exit(10s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);
}

TEST_CASE("daemon_metrics: with port 0 the log names the port really bound and it answers", "[daemon][e2e][metrics]") {
    t::Rig rig;
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.daemon["metrics_listen"] = "\"127.0.0.1:0\"";
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("/metrics", 20s));
    std::smatch m;
    const std::string log = daemon->stderr_text();
    REQUIRE(std::regex_search(log, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics")));
    const int port = std::stoi(m[1].str());
    CHECK(port != 0);
    CHECK(t::http_get("http://127.0.0.1:" + std::to_string(port) + "/healthz").status == 200);
}
