// The real `cqcwatch run` against the loopback CQC site watching N reports:
// once the baseline is stored, every poll (1 s interval) is unchanged. Reports
// the daemon's CPU per unchanged poll cycle (/proc/<pid>/schedstat, ns of CPU),
// the site requests per cycle, and its resident set (/proc/<pid>/status VmRSS,
// VmHWM) early and after the measured polls, so growth would show.
//
// A forked process that only repeats the same conditional GET each second is
// measured the same way first: the daemon's figure minus it is the work
// beyond the transfer.
//
// Usage: bench_daemon [POLLS [N...]]   (default 30 polls; 10 100 1000 reports)
//        CQCWATCH_BENCH_BIN=/path/to/cqcwatch bench_daemon 3600 100   (an hour of 1 s polls)

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "bench/daemon_process.hpp"
#include "parsers/authorities.hpp"
#include "tests/support/cqc_site.hpp"

namespace {

using namespace cqcwatch::bench;

/// A "Key:   N kB" field of /proc/<pid>/<file> in KiB (0 when absent).
long proc_kib(pid_t pid, const std::string& file, const std::string& key) {
    std::istringstream in(slurp("/proc/" + std::to_string(pid) + "/" + file));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
    return 0;
}

long status_kib(pid_t pid, const std::string& key) { return proc_kib(pid, "status", key); }

/// A field of smaps_rollup: Pss and Private_Dirty tell the daemon's own memory
/// from the shared library pages VmRSS also counts.
long rollup_kib(pid_t pid, const std::string& key) { return proc_kib(pid, "smaps_rollup", key); }

/// Peak RSS of a command that only loads the same libraries and exits.
long version_maxrss_kib() {
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        execl(daemon_bin(), daemon_bin(), "--version", static_cast<char*>(nullptr));
        _exit(127);
    }
    struct rusage usage {};
    int status = 0;
    wait4(pid, &status, 0, &usage);
    return usage.ru_maxrss;
}

/// CPU time the process has used, in ns (first field of schedstat).
double cpu_ns(pid_t pid) { return std::atof(slurp("/proc/" + std::to_string(pid) + "/schedstat").c_str()); }

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

size_t keep_etag(char* line, size_t size, size_t n, void* out) {
    std::string h(line, size * n);
    if (h.size() > 5 && (h.rfind("ETag:", 0) == 0 || h.rfind("etag:", 0) == 0)) {
        auto v = h.substr(5);
        v.erase(0, v.find_first_not_of(' '));
        v.erase(v.find_last_not_of("\r\n ") + 1);
        *static_cast<std::string*>(out) = v;
    }
    return size * n;
}

/// The transfer alone, for comparison: a process that only sends the same
/// conditional GET every second on one reused libcurl handle (no loop, no
/// store, no parsing), until killed.
pid_t spawn_transfer_only(const std::string& url) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* h = curl_easy_init();
    std::string etag;
    curl_slist* headers = nullptr;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, keep_etag);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &etag);
    for (int i = 0; i < 100000; ++i) {
        curl_easy_perform(h);
        if (!headers && !etag.empty()) {
            headers = curl_slist_append(headers, ("If-None-Match: " + etag).c_str());
            curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    _exit(0);
}

void publish(const cqcwatch::test::CqcSite& site, int n) {
    const auto& all = cqcwatch::Authorities::builtin().all();
    auto batch = nlohmann::json::array();
    for (int i = 0; i < n; ++i) {
        std::vector<int> scores(9, 1 + i % 4);
        batch.push_back({{"slug", "bench-" + std::to_string(i)},
                         {"council", all[i % all.size()].name},
                         {"rating", "good"},
                         {"scores", scores},
                         {"published", "20 November 2026"}});
        if (batch.size() == 1000 || i + 1 == n) {
            site.publish(batch);
            batch = nlohmann::json::array();
        }
    }
}

/// Unchanged polls so far (the listing answered 304) and bytes the site sent in all.
struct SiteCounts {
    int unchanged = 0;
    std::size_t requests = 0;
    double bytes = 0;
};

SiteCounts site_counts(const cqcwatch::test::CqcSite& site) {
    SiteCounts c;
    auto log = site.log();
    c.requests = log.size();
    for (const auto& e : log) {
        if (auto st = e.find("status"); st != e.end() && st->is_number() && st->get<int>() == 304) ++c.unchanged;
        if (auto b = e.find("bytes_sent"); b != e.end() && b->is_number()) c.bytes += b->get<double>();
    }
    return c;
}

/// CPU per cycle of spawn_transfer_only against the same listing, in µs.
double transfer_only(const cqcwatch::test::CqcSite& site, int polls) {
    SiteCounts start = site_counts(site);
    pid_t pid = spawn_transfer_only(site.url(cqcwatch::test::k_listing_path));
    wait_for([&] { return site_counts(site).unchanged >= start.unchanged + 2; }, std::chrono::seconds(30),
             std::chrono::milliseconds(200));
    SiteCounts before = site_counts(site);
    double c0 = cpu_ns(pid);
    wait_for([&] { return site_counts(site).unchanged >= before.unchanged + polls; },
             std::chrono::seconds(polls * 3 + 30), std::chrono::milliseconds(200));
    double c1 = cpu_ns(pid);
    int cycles = site_counts(site).unchanged - before.unchanged;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return cycles > 0 ? (c1 - c0) / 1000.0 / cycles : 0.0;
}

void measure(int n, int polls, const std::string& dir) {
    cqcwatch::test::CqcSite site({"--empty", "--page-size", "100"});
    publish(site, n);
    std::string config = dir + "/config-" + std::to_string(n) + ".toml";
    std::ofstream(config)
        << "[daemon]\ndatabase = \"" << dir << "/h" << n << ".db\"\nuser_agent_contact = \"b@example.org\"\n"
        << "log_format = \"text\"\nlog_level = \"info\"\nper_host_gap = \"0s\"\njitter = 0.0\nmax_pages = 200\n\n"
        << "[[source]]\nname = \"reports\"\nkind = \"listing\"\nurl = \"" << site.url(cqcwatch::test::k_listing_path)
        << "\"\ninterval = \"1s\"\n";
    double transfer_us = transfer_only(site, std::min(polls, 30));
    std::string err = dir + "/daemon-" + std::to_string(n) + ".err";
    auto started = Steady::now();
    int unchanged_before = site_counts(site).unchanged;
    pid_t pid = spawn_daemon(config, err);
    // The baseline is stored once the listing is answered 304 (unchanged) twice.
    if (!wait_for([&] { return site_counts(site).unchanged >= unchanged_before + 2; }, std::chrono::seconds(1800),
                  std::chrono::milliseconds(500))) {
        std::printf("N=%d: the daemon did not finish its baseline\n%s", n, slurp(err).c_str());
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        return;
    }
    double baseline_s = std::chrono::duration<double>(Steady::now() - started).count();
    long rss_early = status_kib(pid, "VmRSS");
    SiteCounts before = site_counts(site);
    double c0 = cpu_ns(pid);
    // Long runs (an hour of polling) print a line every 10 % so growth would show.
    int step = std::max(polls / 10, 1);
    for (int done = 0; done < polls; done += step) {
        int target = before.unchanged + std::min(done + step, polls);
        wait_for([&] { return site_counts(site).unchanged >= target; }, std::chrono::seconds(step * 3 + 30),
                 std::chrono::milliseconds(polls > 100 ? 1000 : 200));
        if (polls > 100)
            std::printf("  N=%d after %d polls (%.0f min): VmRSS %ld KiB  Private_Dirty %ld KiB  CPU so far %.1f ms\n",
                        n, std::min(done + step, polls),
                        std::chrono::duration<double>(Steady::now() - started).count() / 60.0, status_kib(pid, "VmRSS"),
                        rollup_kib(pid, "Private_Dirty"), (cpu_ns(pid) - c0) / 1e6);
        std::fflush(stdout);
    }
    double c1 = cpu_ns(pid);
    SiteCounts after = site_counts(site);
    long pss = rollup_kib(pid, "Pss"), private_dirty = rollup_kib(pid, "Private_Dirty");
    long rss = status_kib(pid, "VmRSS"), hwm = status_kib(pid, "VmHWM");
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    int cycles = after.unchanged - before.unchanged;
    std::printf(
        "N=%5d  baseline %6.1f s  cycles %3d  CPU/cycle %7.1f us (transfer alone %6.1f us)  requests/cycle %4.1f  "
        "bytes/cycle %6.0f  VmRSS %ld KiB (after baseline %ld)  VmHWM %ld KiB  Pss %ld KiB  Private_Dirty %ld KiB\n",
        n, baseline_s, cycles, (c1 - c0) / 1000.0 / cycles, transfer_us,
        static_cast<double>(after.requests - before.requests) / cycles, (after.bytes - before.bytes) / cycles, rss,
        rss_early, hwm, pss, private_dirty);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    int polls = argc > 1 ? std::atoi(argv[1]) : 30;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) sizes = {10, 100, 1000};
    if (auto problem = cqcwatch::bench::daemon_bin_problem(); !problem.empty()) {
        std::fprintf(stderr, "bench_daemon: %s\n", problem.c_str());
        return 2;
    }
    std::printf("`cqcwatch --version` (the same libraries loaded, nothing done): peak RSS %ld KiB\n",
                version_maxrss_kib());
    std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-bench-daemon-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    for (int n : sizes) measure(n, polls, tmpl);
    std::error_code ec;
    std::filesystem::remove_all(tmpl, ec);
    return 0;
}
