#pragma once
// What the benchmarks that run the real daemon share: which binary, starting it, waiting on it.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>

namespace cqcwatch::bench {

using Steady = std::chrono::steady_clock;

/// The binary measured: CQCWATCH_BENCH_BIN (a copy, so a rebuild cannot swap it mid-run) or the build's own.
inline const char* daemon_bin() {
    const char* bin = std::getenv("CQCWATCH_BENCH_BIN");
    return bin && *bin ? bin : CQCWATCH_BIN;
}

/// Why daemon_bin() cannot be run (empty: it can): said before a benchmark waits minutes on it.
inline std::string daemon_bin_problem() {
    const char* bin = daemon_bin();
    if (::access(bin, X_OK) == 0) return {};
    std::string why =
        std::string("the daemon binary ") + bin + (::access(bin, F_OK) == 0 ? " is not executable" : " does not exist");
    return why + (std::getenv("CQCWATCH_BENCH_BIN") ? " (CQCWATCH_BENCH_BIN)" : " (build the cqcwatch target first)");
}

/// True once the child PID has exited (it is reaped; its status goes to STATUS).
inline bool exited(pid_t pid, int* status = nullptr) {
    int s = 0;
    if (::waitpid(pid, &s, WNOHANG) != pid) return false;
    if (status) *status = s;
    return true;
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Polls DONE every STEP until it holds (true) or LIMIT has passed (false).
inline bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit,
                     std::chrono::milliseconds step = std::chrono::milliseconds(50)) {
    const auto deadline = Steady::now() + limit;
    while (!done()) {
        if (Steady::now() > deadline) return false;
        std::this_thread::sleep_for(step);
    }
    return true;
}

/// `cqcwatch run --config CONFIG` in a child, its stderr into ERR, outside systemd.
inline pid_t spawn_daemon(const std::string& config, const std::string& err) {
    const pid_t pid = fork();
    if (pid != 0) return pid;
    const int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    unsetenv("NOTIFY_SOCKET");
    execl(daemon_bin(), daemon_bin(), "run", "--config", config.c_str(), static_cast<char*>(nullptr));
    _exit(127);
}

}  // namespace cqcwatch::bench
