#pragma once
// Drives the real `cqcwatch` binary for the daemon's end-to-end tests: a temp
// dir with a config pointing at loopback servers, `cqcwatch run` spawned with
// fork/exec (stderr to a file), signals, bounded waits, and the query commands
// (history, deliveries, embargoes) read back as JSON.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cqc_site.hpp"
#include "support/test_server.hpp"

namespace cqcwatch::test {

using Ms = std::chrono::milliseconds;

/// A unique temporary directory, removed with everything in it.
class TempDir {
public:
    explicit TempDir(const std::string& tag = "daemon") {
        std::string tmpl = (std::filesystem::temp_directory_path() / ("cqcwatch-" + tag + "-XXXXXX")).string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::filesystem::path& path() const { return m_path; }
    /// A path inside it.
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

/// Writes `text` to `path` (temp name + rename, so a watcher never sees half a file).
inline void write_file(const std::string& path, const std::string& text) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
    }
    std::filesystem::rename(tmp, path);
}

/// The whole file, or "" when it does not exist.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Polls `ready` every `step` until it is true or `limit` passes; returns the last answer.
inline bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit,
                       std::chrono::milliseconds step = Ms(100)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (ready()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

/// Seconds since the epoch, as a double (the receivers' arrival stamps are the same).
inline double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// A port on 127.0.0.1 that was free a moment ago (the caller retries if it is taken meanwhile).
inline int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("no free loopback port");
    ::close(fd);
    return ntohs(addr.sin_port);
}

/// A finished command.
struct CommandResult {
    int code = -1;  ///< exit status; -1 when killed by a signal or timed out
    std::string out;
    std::string err;
};

namespace detail {

inline std::vector<char*> c_argv(std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return argv;
}

/// fork + exec `args` with stdout/stderr to files and extra environment; returns the pid. The child gets
/// `death_signal` when the test dies (SIGTERM for a child that must pass it on, e.g. `timeout`).
inline pid_t spawn(std::vector<std::string> args, const std::string& out_file, const std::string& err_file,
                   const std::map<std::string, std::string>& env, int death_signal = SIGKILL) {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid > 0) return pid;
    ::prctl(PR_SET_PDEATHSIG, death_signal);
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null_in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null_in < 0) ::_exit(126);
    ::dup2(null_in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::unsetenv("CQCWATCH_CONFIG");
    ::unsetenv("CQCWATCH_DATABASE");
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("JOURNAL_STREAM");
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    auto argv = c_argv(args);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

/// Waits for `pid` at most `limit`; the exit status, -1 for a signal, nullopt when still running.
inline std::optional<int> reap(pid_t pid, std::chrono::milliseconds limit) {
    std::optional<int> result;
    wait_until(
        [&] {
            int status = 0;
            pid_t r = ::waitpid(pid, &status, WNOHANG);
            if (r == pid)
                result = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            else if (r < 0)
                result = -1;
            return result.has_value();
        },
        limit, Ms(10));
    return result;
}

}  // namespace detail

/// Runs `argv` (argv[0] a path) to completion (at most `limit`, then SIGKILL); output kept in `dir`.
inline CommandResult run_program(const std::vector<std::string>& argv, const TempDir& dir,
                                 const std::map<std::string, std::string>& env = {},
                                 std::chrono::milliseconds limit = Ms(60000)) {
    static int counter = 0;
    std::string base = dir.file("cmd-" + std::to_string(++counter));
    pid_t pid = detail::spawn(argv, base + ".out", base + ".err", env);
    CommandResult r;
    auto code = detail::reap(pid, limit);
    if (!code) {
        ::kill(pid, SIGKILL);
        detail::reap(pid, Ms(5000));
    }
    r.code = code.value_or(-1);
    r.out = read_file(base + ".out");
    r.err = read_file(base + ".err");
    return r;
}

/// Runs `cqcwatch args…` to completion (at most `limit`, then SIGKILL).
inline CommandResult run_cqcwatch(const std::vector<std::string>& args, const TempDir& dir,
                                  const std::map<std::string, std::string>& env = {},
                                  std::chrono::milliseconds limit = Ms(60000)) {
    std::vector<std::string> argv{CQCWATCH_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, dir, env, limit);
}

/// A `cqcwatch run` child process; killed and reaped by the destructor.
class DaemonProcess {
public:
    /// Starts `cqcwatch run --config <config> extra…`, stderr appended to `stderr_file`. `command`, when
    /// given, stands for `cqcwatch` (e.g. setpriv with another uid, as systemd's DynamicUser= runs it).
    DaemonProcess(const std::string& config, const std::string& stderr_file,
                  const std::map<std::string, std::string>& env = {}, const std::vector<std::string>& extra = {},
                  const std::vector<std::string>& command = {})
        : m_stderr(stderr_file), m_offset(read_file(stderr_file).size()) {
        std::vector<std::string> argv = command.empty() ? std::vector<std::string>{CQCWATCH_BIN} : command;
        argv.emplace_back("run");
        argv.emplace_back("--config");
        argv.push_back(config);
        argv.insert(argv.end(), extra.begin(), extra.end());
        m_pid = detail::spawn(argv, stderr_file + ".stdout", stderr_file, env);
    }
    ~DaemonProcess() { kill9(); }
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    /// The child's pid (0 once reaped).
    pid_t pid() const { return m_pid; }
    /// Sends `sig` to the child if it is still ours.
    void signal(int sig) const {
        if (m_pid > 0) ::kill(m_pid, sig);
    }
    /// SIGKILL and reap.
    void kill9() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGKILL);
        detail::reap(m_pid, Ms(10000));
        m_pid = 0;
    }
    /// Waits for the exit; the status, -1 for a signal, nullopt if still running after `limit`.
    std::optional<int> wait_exit(std::chrono::milliseconds limit) {
        if (m_pid <= 0) return m_exit;
        auto code = detail::reap(m_pid, limit);
        if (code) {
            m_exit = code;
            m_pid = 0;
        }
        return code;
    }
    /// True while the process has not exited.
    bool running() { return m_pid > 0 && !wait_exit(Ms(0)); }
    /// Everything this process wrote to stderr so far.
    std::string stderr_text() const { return read_file(m_stderr).substr(m_offset); }
    /// Waits until stderr contains `needle`.
    bool wait_stderr(const std::string& needle, std::chrono::milliseconds limit) const {
        return wait_until([&] { return stderr_text().find(needle) != std::string::npos; }, limit);
    }
    /// VmRSS of the process in KiB from /proc (0 when gone).
    long rss_kib() const { return status_kib("VmRSS"); }
    /// VmHWM (peak resident set) of the process in KiB from /proc (0 when gone).
    long hwm_kib() const { return status_kib("VmHWM"); }
    /// A "Key:   N kB" field of /proc/<pid>/status (0 when gone or absent).
    long status_kib(const std::string& key) const {
        std::ifstream in("/proc/" + std::to_string(m_pid) + "/status");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
        return 0;
    }

private:
    pid_t m_pid = 0;
    std::optional<int> m_exit;
    std::string m_stderr;
    std::size_t m_offset = 0;  ///< where this process's part of the shared stderr file begins
};

/// A unix datagram socket standing in for systemd's NOTIFY_SOCKET.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : m_path(path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.size() >= sizeof(addr.sun_path)) throw std::runtime_error("notify socket path too long");
        std::memcpy(addr.sun_path, path.c_str(), path.size());
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
            throw std::runtime_error("cannot bind " + path);
    }
    ~NotifySocket() {
        if (m_fd >= 0) ::close(m_fd);
        ::unlink(m_path.c_str());
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    /// The socket's path (the value for NOTIFY_SOCKET).
    const std::string& path() const { return m_path; }
    /// Every datagram received so far, oldest first (reads what is waiting).
    const std::vector<std::string>& messages() {
        char buf[4096];
        while (true) {
            ssize_t n = ::recv(m_fd, buf, sizeof(buf), 0);
            if (n < 0) break;
            m_messages.emplace_back(buf, static_cast<std::size_t>(n));
        }
        return m_messages;
    }
    /// The index of the first message containing `line` (a "KEY=value" line), or -1.
    int index_of(const std::string& line) {
        const auto& all = messages();
        for (std::size_t i = 0; i < all.size(); ++i) {
            std::istringstream in(all[i]);
            std::string l;
            while (std::getline(in, l))
                if (l == line) return static_cast<int>(i);
        }
        return -1;
    }

private:
    std::string m_path;
    int m_fd = -1;
    std::vector<std::string> m_messages;
};

/// webhook_receiver.py with a secret: records deliveries and checks their HMAC.
class Receiver {
public:
    explicit Receiver(const std::string& secret = "s3cret-for-tests")
        : m_secret(secret),
          m_server(
              {std::string(CQCWATCH_TOOLS_DIR) + "/webhook_receiver.py", "--secret", secret, "--hang-seconds", "20"}) {}
    /// The secret its signatures are checked with.
    const std::string& secret() const { return m_secret; }
    /// A delivery URL on it.
    std::string url(const std::string& path = "/hook") const { return m_server.base_url() + path; }
    /// Every POST received (any mode), oldest first.
    nlohmann::json posts() const {
        HttpReply r = http_get(m_server.base_url() + "/_log");
        if (r.status != 200) throw std::runtime_error("receiver log: " + r.error);
        nlohmann::json out = nlohmann::json::array();
        for (auto& rec : nlohmann::json::parse(r.body))
            if (rec["method"] == "POST") out.push_back(rec);
        return out;
    }
    /// POSTs answered 200 on `path`, oldest first.
    nlohmann::json delivered(const std::string& path = "/hook") const {
        nlohmann::json out = nlohmann::json::array();
        for (auto& rec : posts())
            if (rec["status"] == 200 && rec["path"] == path) out.push_back(rec);
        return out;
    }
    /// Sets the answer mode ("ok", "500", "429", "400", "hang"); `count` requests, or all when 0;
    /// each recorded on arrival and answered `delay_s` seconds later.
    void mode(const std::string& mode, int count = 0, int retry_after = -1, double delay_s = 0) const {
        nlohmann::json ctl{{"mode", mode}};
        if (count > 0) ctl["count"] = count;
        if (retry_after >= 0) ctl["retry_after"] = retry_after;
        if (delay_s > 0) ctl["delay"] = delay_s;
        HttpReply r = http_post(m_server.base_url() + "/_control", ctl.dump());
        if (r.status != 200) throw std::runtime_error("receiver control: " + r.error);
    }
    /// Stops it (connections refused from now on).
    void stop() { m_server.stop(); }

private:
    std::string m_secret;
    PythonServer m_server;
};

/// The parsed body of a recorded delivery.
inline nlohmann::json body_of(const nlohmann::json& rec) {
    return nlohmann::json::parse(rec["body"].get<std::string>());
}

/// The X-Cqcwatch-Event header of a recorded delivery.
inline std::string event_type_of(const nlohmann::json& rec) {
    for (auto& [k, v] : rec["headers"].items())
        if (k == "X-Cqcwatch-Event" || k == "x-cqcwatch-event") return v.get<std::string>();
    return "";
}

/// Recorded deliveries of one event type.
inline nlohmann::json of_type(const nlohmann::json& recs, const std::string& type) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& rec : recs)
        if (event_type_of(rec) == type) out.push_back(rec);
    return out;
}

/// The pieces of a test config; `text()` renders the TOML.
struct ConfigSpec {
    std::string database;
    std::map<std::string, std::string> daemon;  ///< extra [daemon] keys: key → TOML value (quoted already)
    std::vector<std::string> blocks;            ///< [[source]] / [[notifier]] blocks, verbatim
    /// The TOML text.
    std::string text() const {
        std::ostringstream t;
        t << "[daemon]\ndatabase = \"" << database << "\"\nuser_agent_contact = \"tests@example.org\"\n"
          << "log_format = \"text\"\nlog_level = \"debug\"\n";
        std::map<std::string, std::string> keys{{"per_host_gap", "\"0s\""},    {"backoff_base", "\"1s\""},
                                                {"backoff_cap", "\"2s\""},     {"jitter", "0.0"},
                                                {"request_timeout", "\"5s\""}, {"connect_timeout", "\"2s\""}};
        for (const auto& [k, v] : daemon) keys[k] = v;
        for (const auto& [k, v] : keys) t << k << " = " << v << "\n";
        for (const auto& b : blocks) t << "\n" << b << "\n";
        return t.str();
    }
};

/// A listing source on the test site.
inline std::string listing_source(const std::string& name, const std::string& url, const std::string& interval = "1s",
                                  const std::string& extra = "") {
    return "[[source]]\nname = \"" + name + "\"\nkind = \"listing\"\nurl = \"" + url +
           "\"\nlink_pattern = \"/care-services/local-authority-assessment-reports/[^/?#]+$\"\nitem = \"report\"\n"
           "interval = \"" +
           interval + "\"\n" + extra;
}

/// A webhook notifier with a secret file (written beside the config by the caller).
inline std::string webhook_notifier(const std::string& name, const std::string& url, const std::string& secret_file,
                                    const std::string& extra = "") {
    return "[[notifier]]\nname = \"" + name + "\"\nkind = \"webhook\"\nurl = \"" + url + "\"\nsecret_file = \"" +
           secret_file + "\"\ntimeout = \"3s\"\n" + extra;
}

/// Today as CQC's pages write a date ("7 December 2026"), local time like the test site's default.
/// Pages published today are news; a fixed date soon becomes history (older than max_age: no alert).
inline std::string today_text() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char buf[40];
    std::strftime(buf, sizeof buf, "%d %B %Y", &local);
    return buf[0] == '0' ? std::string(buf + 1) : std::string(buf);
}

/// A report for the site's /_control/publish, published today unless told.
inline nlohmann::json report(const std::string& slug, const std::string& council, const std::string& rating,
                             std::vector<int> scores, const std::string& published = today_text()) {
    return {{"slug", slug}, {"council", council}, {"rating", rating}, {"scores", scores}, {"published", published}};
}

/// `cqcwatch history --format json` on a database.
inline nlohmann::json history(const TempDir& dir, const std::string& db) {
    auto r = run_cqcwatch({"history", "--format", "json", "--database", db}, dir);
    if (r.code != 0) return nlohmann::json::array();
    return nlohmann::json::parse(r.out, nullptr, false);
}

/// `cqcwatch deliveries --format json --limit 0` on a database.
inline nlohmann::json deliveries(const TempDir& dir, const std::string& db, const std::string& status = "") {
    std::vector<std::string> args{"deliveries", "--format", "json", "--limit", "0", "--database", db};
    if (!status.empty()) {
        args.push_back("--status");
        args.push_back(status);
    }
    auto r = run_cqcwatch(args, dir);
    if (r.code != 0) return nlohmann::json::array();
    return nlohmann::json::parse(r.out, nullptr, false);
}

/// `cqcwatch embargoes --format json` on a database.
inline nlohmann::json embargoes(const TempDir& dir, const std::string& db) {
    auto r = run_cqcwatch({"embargoes", "--format", "json", "--database", db}, dir);
    if (r.code != 0) return nlohmann::json::array();
    return nlohmann::json::parse(r.out, nullptr, false);
}

/// True when the history lists an assessment for a council whose name contains `council`.
inline bool history_has(const nlohmann::json& hist, const std::string& council) {
    if (!hist.is_array()) return false;
    for (const auto& row : hist)
        if (row.dump().find(council) != std::string::npos) return true;
    return false;
}

/// Scores as the history and events list them: the nine `score` values in CQC's order.
inline std::vector<int> scores_of(const nlohmann::json& assessment) {
    std::vector<int> out;
    for (const auto& s : assessment["scores"]) out.push_back(s["score"].is_number() ? s["score"].get<int>() : -1);
    return out;
}

/// The history row of the council whose canonical name is `name`, or null.
inline nlohmann::json history_row(const nlohmann::json& hist, const std::string& name) {
    if (hist.is_array())
        for (const auto& row : hist)
            if (row["authority"].is_object() && row["authority"]["name"] == name) return row;
    return nullptr;
}

/// The first `n` council names of the project's authorities table (real names resolve to ONS codes).
inline std::vector<std::string> council_names(std::size_t n) {
    std::ifstream in(std::string(CQCWATCH_SOURCE_DIR) + "/data/authorities.tsv");
    std::vector<std::string> out;
    std::string line;
    while (out.size() < n && std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto tab = line.find('\t');
        if (tab == std::string::npos || line.substr(tab + 1, 1) != "E") continue;
        out.push_back(line.substr(0, tab));
    }
    return out;
}

/// Everything one daemon test needs: a temp dir, the test site, a receiver, a config file.
struct Rig {
    explicit Rig(std::vector<std::string> site_args = {"--empty"}, std::string ca_file = "")
        : site(std::move(site_args), std::move(ca_file)) {
        write_file(secret_file(), receiver.secret());
        spec.database = dir.file("history.db");
    }
    /// Where the webhook secret is.
    std::string secret_file() const { return dir.file("hook.secret"); }
    /// The config file's path.
    std::string config_path() const { return dir.file("config.toml"); }
    /// The listing URL on the site.
    std::string listing_url() const { return site.url(k_listing_path); }
    /// Writes spec to config_path().
    void write_config() const { write_file(config_path(), spec.text()); }
    /// The database path.
    const std::string& db() const { return spec.database; }
    /// Starts `cqcwatch run` on the current config.
    std::unique_ptr<DaemonProcess> start(const std::map<std::string, std::string>& env = {},
                                         const std::vector<std::string>& extra = {}) const {
        write_config();
        return std::make_unique<DaemonProcess>(config_path(), dir.file("daemon.stderr"), env, extra);
    }
    /// The history as JSON.
    nlohmann::json hist() const { return history(dir, db()); }

    TempDir dir;
    CqcSite site;
    Receiver receiver;
    ConfigSpec spec;
};

}  // namespace cqcwatch::test
