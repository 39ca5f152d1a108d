// The real `cqcwatch run` against the loopback CQC site watching N reports:
// once the baseline is stored, every poll (1 s interval) is unchanged. Reports
// the daemon's CPU per unchanged poll cycle (/proc/<pid>/schedstat, ns of CPU),
// the site requests per cycle, and its resident set (/proc/<pid>/status VmRSS,
// VmHWM) early and after the measured polls, so growth would show.
//
// Usage: bench_daemon [POLLS [N...]]   (default 30 polls; 10 100 1000 reports)

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

#include "parsers/authorities.hpp"
#include "tests/support/cqc_site.hpp"

namespace {

using Steady = std::chrono::steady_clock;

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

long status_kib(pid_t pid, const std::string& key) {
    std::istringstream in(slurp("/proc/" + std::to_string(pid) + "/status"));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
    return 0;
}

/// CPU time the process has used, in ns (first field of schedstat).
double cpu_ns(pid_t pid) { return std::atof(slurp("/proc/" + std::to_string(pid) + "/schedstat").c_str()); }

int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit) {
    auto deadline = Steady::now() + limit;
    while (!done()) {
        if (Steady::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

pid_t spawn_daemon(const std::string& config, const std::string& err) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    unsetenv("NOTIFY_SOCKET");
    execl(CQCWATCH_BIN, CQCWATCH_BIN, "run", "--config", config.c_str(), static_cast<char*>(nullptr));
    _exit(127);
}

void publish(const cqcwatch::test::CqcSite& site, int n) {
    const auto& all = cqcwatch::Authorities::builtin().all();
    for (int i = 0; i < n; ++i) {
        std::vector<int> scores(9, 1 + i % 4);
        site.publish({{"slug", "bench-" + std::to_string(i)}, {"council", all[i % all.size()].name},
                      {"rating", "good"}, {"scores", scores}, {"published", "20 November 2026"}});
    }
}

void measure(int n, int polls, const std::string& dir) {
    cqcwatch::test::CqcSite site({"--empty", "--page-size", "100"});
    publish(site, n);
    std::string config = dir + "/config-" + std::to_string(n) + ".toml";
    std::ofstream(config) << "[daemon]\ndatabase = \"" << dir << "/h" << n << ".db\"\nuser_agent_contact = \"b@example.org\"\n"
                          << "log_format = \"text\"\nlog_level = \"info\"\nper_host_gap = \"0s\"\njitter = 0.0\nmax_pages = 50\n\n"
                          << "[[source]]\nname = \"reports\"\nkind = \"listing\"\nurl = \"" << site.url(cqcwatch::test::k_listing_path)
                          << "\"\ninterval = \"1s\"\n";
    std::string err = dir + "/daemon-" + std::to_string(n) + ".err";
    pid_t pid = spawn_daemon(config, err);
    auto polls_done = [&] { return count(slurp(err), "poll reports:"); };
    if (!wait_for([&] { return polls_done() >= 4; }, std::chrono::seconds(300))) {
        std::printf("N=%d: the daemon did not finish its baseline\n%s", n, slurp(err).c_str());
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        return;
    }
    long rss_early = status_kib(pid, "VmRSS");
    int p0 = polls_done();
    double c0 = cpu_ns(pid);
    std::size_t r0 = site.log().size();
    wait_for([&] { return polls_done() >= p0 + polls; }, std::chrono::seconds(polls * 3 + 30));
    int p1 = polls_done();
    double c1 = cpu_ns(pid);
    std::size_t r1 = site.log().size();
    long rss = status_kib(pid, "VmRSS"), hwm = status_kib(pid, "VmHWM");
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    int cycles = p1 - p0;
    std::printf("N=%5d  cycles %3d  CPU/cycle %8.1f us  requests/cycle %5.1f  VmRSS %ld KiB (after 4 polls %ld)  VmHWM %ld KiB\n",
                n, cycles, (c1 - c0) / 1000.0 / cycles, static_cast<double>(r1 - r0) / cycles, rss, rss_early, hwm);
}

}  // namespace

int main(int argc, char** argv) {
    int polls = argc > 1 ? std::atoi(argv[1]) : 30;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) sizes = {10, 100, 1000};
    std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-bench-daemon-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    for (int n : sizes) measure(n, polls, tmpl);
    std::error_code ec;
    std::filesystem::remove_all(tmpl, ec);
    return 0;
}
