// From a new report on the site to its webhook: the real `cqcwatch run` against the
// loopback CQC site (tests/tools/cqc_site.py) with a newest-first listing of 5 pages
// (100 reports, 20 a page, stored silently as the baseline) and one webhook notifier
// (tests/tools/webhook_receiver.py). Each round waits a random part of the interval,
// publishes one new report, and waits for its alert. Per round, from the site's and
// the receiver's logs (one host, one clock):
//
//   detection  publish → webhook arrival
//   own work   page 1's 200 (the response that shows the report) → webhook arrival,
//              minus the report's own two fetches (report page and summary: the site's
//              request-to-response time of each, and the politeness gap before each)
//   poll start → alert   the changed poll's page-1 request → webhook arrival (what detection
//              adds to the wait for the next poll: the expected median detection for a
//              random publish moment is the period/2 plus this)
//   period after   the changed poll's page-1 request → the next poll's (the schedule: a
//              fixed-delay schedule adds the changed pass's time to the interval)
//   requests, bytes   what the changed poll asked of the site (bytes: response bodies)
//   daemon CPU  /proc/<pid>/schedstat from the publish to the end of the changed poll
//               (the changed poll, and any unchanged poll before it)
//
// The daemon runs with jitter = 0, so that the period is the schedule's and not the dice's.
//
// Usage: bench_latency [ROUNDS [INTERVAL_S [GAP_MS]]]   (default 10 rounds, 60 s, 1000 ms)
//        CQCWATCH_BENCH_BIN=/path/to/cqcwatch bench_latency ...   (another binary, e.g. before a change)

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/daemon_process.hpp"
#include "parsers/authorities.hpp"
#include "tests/support/cqc_site.hpp"

namespace {

namespace t = cqcwatch::test;
using namespace cqcwatch::bench;

constexpr int k_reports = 100;
constexpr int k_page_size = 20;

double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

nlohmann::json report(int i, const std::string& slug, const std::string& published) {
    const auto& all = cqcwatch::Authorities::builtin().all();
    // A rating that agrees with the scores (25, 50, 75, 100 %): no parser.suspect alert beside each report.
    static const char* const ratings[] = {"inadequate", "requires_improvement", "good", "outstanding"};
    return {{"slug", slug},
            {"council", all[static_cast<std::size_t>(i) % all.size()].name},
            {"rating", ratings[i % 4]},
            {"scores", std::vector<int>(9, 1 + i % 4)},
            {"published", published}};
}

/// The receiver's POSTs, oldest first.
nlohmann::json posts(const t::PythonServer& receiver) {
    t::HttpReply r = t::http_get(receiver.base_url() + "/_log");
    nlohmann::json out = nlohmann::json::array();
    if (r.status != 200) return out;
    for (auto& rec : nlohmann::json::parse(r.body))
        if (rec["method"] == "POST") out.push_back(rec);
    return out;
}

struct Round {
    double detection_s = 0;
    double own_ms = 0;
    double page1_to_alert_ms = 0;
    double start_to_alert_ms = 0;  ///< the changed poll's page-1 request -> webhook arrival
    double period_after_s = 0;     ///< the changed poll's page-1 request -> the next poll's
    int requests = 0;
    double bytes = 0;
    double cpu_ms = 0;  ///< the daemon's CPU from the publish to the end of the changed poll
};

bool is_page1(const nlohmann::json& e) { return e["path"] == t::k_listing_path; }

/// The changed poll in the site's log: page 1's first 200 after `published`, up to the next poll's page 1.
std::vector<nlohmann::json> changed_poll(const nlohmann::json& log, double published) {
    std::vector<nlohmann::json> out;
    for (const auto& e : log) {
        if (out.empty()) {
            if (is_page1(e) && e["status"] == 200 && e["time"].get<double>() >= published) out.push_back(e);
        } else if (is_page1(e)) {
            break;
        } else {
            out.push_back(e);
        }
    }
    return out;
}

double span_ms(const nlohmann::json& e) { return (e["done"].get<double>() - e["time"].get<double>()) * 1000.0; }

/// CPU time the process has used, in ms (first field of schedstat, ns).
double cpu_ms(pid_t pid) { return std::atof(slurp("/proc/" + std::to_string(pid) + "/schedstat").c_str()) / 1e6; }

Round measure_round(const t::CqcSite& site, const t::PythonServer& receiver, pid_t daemon, int i, double gap_ms,
                    std::chrono::seconds limit) {
    double cpu_before = cpu_ms(daemon);
    std::size_t before = posts(receiver).size();
    std::string slug = "latency-" + std::to_string(i);
    double published = unix_now();
    site.publish(report(k_reports + i, slug, "1 December 2026"));
    nlohmann::json alert;
    if (!wait_for(
            [&] {
                auto p = posts(receiver);
                if (p.size() <= before) return false;
                alert = p[before];
                return true;
            },
            limit))
        throw std::runtime_error("no alert for " + slug);
    // The changed poll is over once the next poll's page 1 shows up in the log.
    std::vector<nlohmann::json> poll;
    double next_poll = 0;
    wait_for(
        [&] {
            auto log = site.log();
            poll = changed_poll(log, published);
            if (poll.empty() || !poll.front()["done"].is_number()) return false;
            auto next = std::find_if(log.begin(), log.end(), [&](const nlohmann::json& e) {
                return is_page1(e) && e["time"].get<double>() > poll.front()["done"].get<double>();
            });
            if (next == log.end()) return false;
            next_poll = (*next)["time"].get<double>();
            return true;
        },
        limit);
    Round r;
    r.cpu_ms = cpu_ms(daemon) - cpu_before;
    double arrival = alert["arrival"].get<double>();
    r.detection_s = arrival - published;
    r.page1_to_alert_ms = (arrival - poll.front()["done"].get<double>()) * 1000.0;
    r.start_to_alert_ms = (arrival - poll.front()["time"].get<double>()) * 1000.0;
    r.period_after_s = next_poll > 0 ? next_poll - poll.front()["time"].get<double>() : 0;
    r.own_ms = r.page1_to_alert_ms;
    for (const auto& e : poll) {
        std::string path = e["path"];
        if (path.find(slug) != std::string::npos && e["time"].get<double>() < arrival)
            r.own_ms -= span_ms(e) + gap_ms;  // the report's own fetch, and the politeness gap before it
        r.bytes += e["bytes_sent"].get<double>();
    }
    r.requests = static_cast<int>(poll.size());
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return 0;
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double max_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

int run(int rounds, int interval_s, int gap_ms, const std::string& dir) {
    t::CqcSite site({"--empty", "--page-size", std::to_string(k_page_size)});
    nlohmann::json batch = nlohmann::json::array();
    for (int i = 0; i < k_reports; ++i) batch.push_back(report(i, "base-" + std::to_string(i), "20 November 2026"));
    site.publish(batch);
    const std::string secret = "bench-secret";
    t::PythonServer receiver({std::string(CQCWATCH_TOOLS_DIR) + "/webhook_receiver.py", "--secret", secret});
    std::ofstream(dir + "/secret") << secret;
    std::string config = dir + "/config.toml";
    std::ofstream(config) << "[daemon]\ndatabase = \"" << dir << "/h.db\"\nuser_agent_contact = \"b@example.org\"\n"
                          << "log_format = \"text\"\nlog_level = \"info\"\njitter = 0\nper_host_gap = \"" << gap_ms
                          << "ms\"\n\n"
                          << "[[source]]\nname = \"reports\"\nkind = \"listing\"\nurl = \""
                          << site.url(t::k_listing_path) << "\"\ninterval = \"" << interval_s << "s\"\n\n"
                          << "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"" << receiver.base_url()
                          << "/hook\"\nsecret_file = \"" << dir << "/secret\"\n";
    std::string err = dir + "/daemon.err";
    pid_t pid = spawn_daemon(config, err);
    auto stop = [&] {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    };
    bool gone = false;
    int status = 0;
    if (!wait_for(
            [&] {
                gone = exited(pid, &status);
                return gone || slurp(err).find("baseline done") != std::string::npos;
            },
            std::chrono::seconds(300)) ||
        gone) {
        std::string what = "did not finish its baseline in 300 s";
        if (gone)
            what = "exited before its baseline was done (" +
                   (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status))) +
                   (WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ": could not be executed" : "") + ")";
        std::printf("the daemon %s %s\n%s", daemon_bin(), what.c_str(), slurp(err).c_str());
        if (!gone) stop();
        return 1;
    }
    std::printf("binary %s, interval %d s, per_host_gap %d ms, %d reports on %d pages\n", daemon_bin(), interval_s,
                gap_ms, k_reports, k_reports / k_page_size);
    std::mt19937 rng(16);
    std::uniform_real_distribution<double> phase(0.0, interval_s);
    std::vector<double> detection, own, page1, start, period, requests, bytes, cpu;
    auto limit = std::chrono::seconds(2 * interval_s + 60);
    for (int i = 0; i < rounds; ++i) {
        std::this_thread::sleep_for(std::chrono::duration<double>(phase(rng)));
        Round r;
        try {
            r = measure_round(site, receiver, pid, i, gap_ms, limit);
        } catch (const std::exception& e) {
            std::printf("round %d: %s\n%s", i, e.what(), slurp(err).c_str());
            stop();
            return 1;
        }
        std::printf(
            "  round %2d: detection %6.2f s  poll start -> alert %8.1f ms  page 1 -> alert %8.1f ms  own work beyond "
            "the two fetches %6.2f ms  period after %6.2f s  requests %d  bytes %.0f  daemon CPU %.2f ms\n",
            i, r.detection_s, r.start_to_alert_ms, r.page1_to_alert_ms, r.own_ms, r.period_after_s, r.requests, r.bytes,
            r.cpu_ms);
        std::fflush(stdout);
        detection.push_back(r.detection_s);
        own.push_back(r.own_ms);
        page1.push_back(r.page1_to_alert_ms);
        start.push_back(r.start_to_alert_ms);
        period.push_back(r.period_after_s);
        requests.push_back(r.requests);
        bytes.push_back(r.bytes);
        cpu.push_back(r.cpu_ms);
    }
    stop();
    std::printf(
        "median (max) of %d rounds: detection %.2f s (%.2f)  poll start -> alert %.1f ms (%.1f)  page 1 -> alert "
        "%.1f ms (%.1f)  own work %.2f ms (%.2f)  period after a changed poll %.2f s (%.2f)  requests %.0f  bytes %.0f "
        " "
        "daemon CPU %.2f ms\n",
        rounds, median(detection), max_of(detection), median(start), max_of(start), median(page1), max_of(page1),
        median(own), max_of(own), median(period), max_of(period), median(requests), median(bytes), median(cpu));
    // A publish moment uniform over the period waits period/2 for the poll, then the poll's own time.
    std::printf(
        "expected median detection for a random publish moment: %.2f s (median period / 2 + poll start -> "
        "alert; target interval / 2 + the report's two fetches)\n",
        median(period) / 2 + median(start) / 1000.0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = argc > 1 ? std::atoi(argv[1]) : 10;
    int interval_s = argc > 2 ? std::atoi(argv[2]) : 60;
    int gap_ms = argc > 3 ? std::atoi(argv[3]) : 1000;
    if (auto problem = cqcwatch::bench::daemon_bin_problem(); !problem.empty()) {
        std::fprintf(stderr, "bench_latency: %s\n", problem.c_str());
        return 2;
    }
    std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-bench-latency-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    int rc = run(rounds, interval_s, gap_ms, tmpl);
    std::error_code ec;
    std::filesystem::remove_all(tmpl, ec);
    return rc;
}
