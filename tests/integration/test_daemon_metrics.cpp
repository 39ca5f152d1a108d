// The health and metrics listener of a real `cqcwatch run`: /healthz answers,
// /metrics is Prometheus text whose figures move as the daemon polls and alerts;
// Debian's promtool accepts it and a real Prometheus scrapes it.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <regex>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

// The value of one sample line ("name{labels} value"), or -1 when absent.
double sample(const std::string& text, const std::string& series) {
    auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

std::string percent_encoded(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

/// A real Prometheus (Debian's) scraping one target every second, its TSDB in `dir`; stopped by the destructor.
class Prometheus {
public:
    Prometheus(const t::TempDir& dir, const std::string& target) : m_port(t::free_loopback_port()) {
        const std::string config = dir.file("prometheus.yml");
        t::write_file(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                              "  - job_name: cqcwatch\n    static_configs:\n      - targets: ['" +
                                  target + "']\n");
        m_pid = t::detail::spawn({"/usr/bin/prometheus", "--config.file=" + config,
                                  "--storage.tsdb.path=" + dir.file("prometheus-data"),
                                  "--web.listen-address=127.0.0.1:" + std::to_string(m_port)},
                                 dir.file("prometheus.out"), dir.file("prometheus.err"), {});
    }
    ~Prometheus() {
        ::kill(m_pid, SIGTERM);
        if (!t::detail::reap(m_pid, 10s)) {
            ::kill(m_pid, SIGKILL);
            t::detail::reap(m_pid, 5s);
        }
    }
    Prometheus(const Prometheus&) = delete;
    Prometheus& operator=(const Prometheus&) = delete;
    /// The instant query's first sample value, -1 when it has none (yet).
    double query(const std::string& promql) const {
        auto r = t::http_get("http://127.0.0.1:" + std::to_string(m_port) + "/api/v1/query?query=" +
                             percent_encoded(promql));
        if (r.status != 200) return -1;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (j.is_discarded() || j["data"]["result"].empty()) return -1;
        return std::stod(j["data"]["result"][0]["value"][1].get<std::string>());
    }
    /// The target's health as Prometheus saw it at the last scrape ("up", "down", "unknown"; "" before any).
    std::string target_health() const {
        auto r = t::http_get("http://127.0.0.1:" + std::to_string(m_port) + "/api/v1/targets");
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (j.is_discarded() || j["data"]["activeTargets"].empty()) return "";
        return j["data"]["activeTargets"][0].value("health", "") + " " +
               j["data"]["activeTargets"][0].value("lastError", "");
    }

private:
    int m_port;
    pid_t m_pid;
};

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

TEST_CASE("daemon_metrics: a lift counts in events_total and a mail drop has its series, as Prometheus scrapes them",
          "[daemon][e2e][metrics][embargo]") {
    REQUIRE(std::filesystem::exists("/usr/bin/prometheus"));  // scripts/deps.sh installs Debian's prometheus
    REQUIRE(std::filesystem::exists("/usr/bin/promtool"));
    t::Rig rig;
    const std::string drop = rig.dir.file("maildrop");
    std::filesystem::create_directories(drop);
    const auto lift = t::next_lift();
    rig.spec.daemon["embargo_prepare"] = "\"3s\"";
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url(), "2s"));
    rig.spec.blocks.push_back("[[source]]\nname = \"press-mail\"\nkind = \"maildir\"\npath = \"" + drop +
                              "\"\ndone_dir = \"" + rig.dir.file("done") + "\"\nfailed_dir = \"" +
                              rig.dir.file("failed") + "\"\n");
    rig.spec.blocks.push_back(t::webhook_notifier("newsdesk", rig.receiver.url(), rig.secret_file(),
                                                  "events = [\"embargo.lifted\"]\n"));
    const int port = t::free_loopback_port();
    const std::string target = "127.0.0.1:" + std::to_string(port);
    const std::string base = "http://" + target;
    rig.spec.daemon["metrics_listen"] = "\"" + target + "\"";
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("metrics on", 20s));
    Prometheus prometheus(rig.dir, target);

    // Before any mail: the mail drop's series exist at 0 (a maildir is not polled, so it counts messages).
    auto first = t::http_get(base + "/metrics").body;
    INFO(first);
    CHECK(first.find("# TYPE cqcwatch_messages_total counter") != std::string::npos);
    CHECK(sample(first, "cqcwatch_messages_total{source=\"press-mail\",outcome=\"stored\"}") == 0);
    CHECK(sample(first, "cqcwatch_messages_total{source=\"press-mail\",outcome=\"failed\"}") == 0);
    CHECK(sample(first, "cqcwatch_polls_total{source=\"press-mail\"}") == -1);  // it is never polled

    const std::string staged = rig.dir.file("release.eml");
    t::write_file(staged, t::release_email(lift, rig.listing_url() + "/walsall-metrics"));
    std::filesystem::rename(staged, drop + "/release.eml");
    t::write_file(staged, "not a press release\r\n");
    std::filesystem::rename(staged, drop + "/junk.eml");
    std::string before_lift;
    REQUIRE(t::wait_until(
        [&] {
            before_lift = t::http_get(base + "/metrics").body;
            return sample(before_lift, "cqcwatch_messages_total{source=\"press-mail\",outcome=\"failed\"}") == 1 &&
                   sample(before_lift, "cqcwatch_messages_total{source=\"press-mail\",outcome=\"stored\"}") == 1;
        },
        20s));
    INFO(before_lift);
    CHECK(sample(before_lift, "cqcwatch_events_total{type=\"embargo.scheduled\"}") == 1);
    CHECK(sample(before_lift, "cqcwatch_events_total{type=\"embargo.lifted\"}") == 0);
    CHECK(sample(before_lift, "cqcwatch_pending_embargoes") == 1);
    CHECK(sample(before_lift, "cqcwatch_last_success_timestamp_seconds{source=\"press-mail\"}") > 1.7e9);

    // The lift: delivered, and counted.
    REQUIRE(t::wait_until([&] { return !rig.receiver.delivered().empty(); }, 100s));
    std::string after;
    bool counted = t::wait_until(
        [&] {
            after = t::http_get(base + "/metrics").body;
            return sample(after, "cqcwatch_events_total{type=\"embargo.lifted\"}") == 1;
        },
        10s);
    INFO(after);
    INFO(daemon->stderr_text());
    CHECK(counted);
    CHECK(sample(after, "cqcwatch_pending_embargoes") == 0);

    // Debian's promtool lints the exposition as the daemon serves it.
    const std::string exposition = rig.dir.file("metrics.txt");
    t::write_file(exposition, after);
    auto lint = t::run_program({"/bin/sh", "-c", "/usr/bin/promtool check metrics < '" + exposition + "'"}, rig.dir);
    INFO("promtool: " << lint.out << lint.err);
    CHECK(lint.code == 0);

    // A real Prometheus scrape sees the same figures.
    double lifted = -1;
    double stored = -1;
    bool scraped = t::wait_until(
        [&] {
            lifted = prometheus.query("cqcwatch_events_total{type=\"embargo.lifted\"}");
            stored = prometheus.query("cqcwatch_messages_total{source=\"press-mail\",outcome=\"stored\"}");
            return lifted == 1 && stored == 1;
        },
        60s, std::chrono::milliseconds(500));
    INFO("prometheus target: " << prometheus.target_health() << "\n" << t::read_file(rig.dir.file("prometheus.err")));
    CHECK(scraped);
    CHECK(lifted == 1);
    CHECK(stored == 1);
    CHECK(prometheus.query("up{job=\"cqcwatch\"}") == 1);

    daemon->signal(SIGTERM);
    REQUIRE(daemon->wait_exit(10s) == std::optional<int>(0));
}
