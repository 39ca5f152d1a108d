#include "notifiers/exec.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace cqcwatch {

namespace {

using std::chrono::milliseconds;
constexpr std::size_t k_stderr_keep = 4096;
constexpr milliseconds k_first_poll{2};
constexpr milliseconds k_max_poll{50};

DeliveryResult fail(DeliveryFailureKind kind, std::string message) {
    return tl::unexpected(DeliveryFailure{kind, std::move(message), std::nullopt});
}

std::string first_line(const std::string& s) {
    auto start = s.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    auto end = s.find_first_of("\r\n", start);
    return s.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// posix_spawn setup: own process group (so a timeout kills grandchildren too),
// default signal dispositions and an empty mask whatever the daemon uses.
struct SpawnAttr {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    SpawnAttr(int stdin_fd, int stderr_fd) {
        posix_spawnattr_init(&attr);
        posix_spawnattr_setpgroup(&attr, 0);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    }
    ~SpawnAttr() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
};

}  // namespace

struct ExecNotifier::Run : std::enable_shared_from_this<ExecNotifier::Run> {
    Run(asio::io_context& io, Done d, milliseconds t)
        : in(io), err(io), deadline(io), poll(io), done(std::move(d)), timeout(t) {}

    asio::posix::stream_descriptor in;
    asio::posix::stream_descriptor err;
    asio::steady_timer deadline;
    asio::steady_timer poll;
    Done done;
    milliseconds timeout;
    milliseconds poll_every = k_first_poll;
    pid_t pid = -1;
    std::string input;
    std::string stderr_text;
    std::array<char, 1024> buf{};
    bool exited = false;
    bool stderr_closed = false;
    int status = 0;
    std::function<void()> on_finish;

    void finish(DeliveryResult r) {
        if (!done) return;
        Done d = std::move(done);
        done = nullptr;
        boost::system::error_code ignored;
        deadline.cancel();
        poll.cancel();
        in.close(ignored);
        err.close(ignored);
        if (on_finish) on_finish();
        d(std::move(r));
    }

    void write_stdin() {
        auto self = shared_from_this();
        asio::async_write(in, asio::buffer(input), [self](const boost::system::error_code&, std::size_t) {
            boost::system::error_code ignored;  // EPIPE: the command did not want all of it
            self->in.close(ignored);
        });
    }

    void read_stderr() {
        auto self = shared_from_this();
        err.async_read_some(asio::buffer(buf), [self](const boost::system::error_code& ec, std::size_t n) {
            if (!self->done) return;
            if (self->stderr_text.size() < k_stderr_keep) self->stderr_text.append(self->buf.data(), n);
            if (ec) {
                self->stderr_closed = true;
                self->maybe_done();
                return;
            }
            self->read_stderr();
        });
    }

    // Reaps without blocking: a short timer, backing off to 50 ms, bounded by the deadline.
    void poll_exit() {
        auto self = shared_from_this();
        poll.expires_after(poll_every);
        poll_every = std::min(poll_every * 2, k_max_poll);
        poll.async_wait([self](const boost::system::error_code& ec) {
            if (ec || !self->done) return;
            if (waitpid(self->pid, &self->status, WNOHANG) == self->pid) {
                self->exited = true;
                self->maybe_done();
                return;
            }
            self->poll_exit();
        });
    }

    void arm_deadline() {
        auto self = shared_from_this();
        deadline.expires_after(timeout);
        deadline.async_wait([self](const boost::system::error_code& ec) {
            if (ec || !self->done) return;
            bool was_running = !self->exited;
            self->kill_group();
            if (was_running)
                self->finish(fail(DeliveryFailureKind::transient,
                                  "timed out after " + std::to_string(self->timeout.count()) + " ms; killed"));
            else
                self->finish(self->outcome());  // exited, but a grandchild held stderr open
        });
    }

    void kill_group() {
        ::kill(-pid, SIGKILL);
        if (!exited) {
            waitpid(pid, &status, 0);  // SIGKILL cannot be ignored: this returns at once
            exited = true;
        }
    }

    void maybe_done() {
        if (exited && stderr_closed) finish(outcome());
    }

    DeliveryResult outcome() const {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::string("exit 0");
        std::string why = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                            : "killed by signal " + std::to_string(WTERMSIG(status));
        auto line = first_line(stderr_text);
        return fail(DeliveryFailureKind::transient, "command " + why + (line.empty() ? "" : ": " + line));
    }
};

std::string exec_config_problem(const NotifierConfig& c) {
    if (c.command.empty()) return "exec needs 'command'";
    return {};
}

std::vector<TemplatePartSpec> exec_template_parts(const NotifierConfig&) {
    return {{"body", true, TemplateEscape::none}};
}

std::string ExecNotifier::rendered(const Event& event) const {
    return m_template ? m_template->render("body", event) : event.body.dump();
}

ExecNotifier::ExecNotifier(NotifierConfig config, asio::io_context& io) : m_config(std::move(config)), m_io(io) {
    if (auto t = notifier_template(m_config); t) m_template = std::move(*t);
    ::signal(SIGPIPE, SIG_IGN);
}

ExecNotifier::~ExecNotifier() {
    for (const auto& run : m_runs) {
        run->done = nullptr;
        run->on_finish = nullptr;
        run->kill_group();
        boost::system::error_code ignored;
        run->deadline.cancel();
        run->poll.cancel();
        run->in.close(ignored);
        run->err.close(ignored);
    }
}

void ExecNotifier::send(const Event& event, Done done) {
    auto run = std::make_shared<Run>(m_io, std::move(done), m_config.timeout);
    auto post_fail = [&](DeliveryFailureKind kind, std::string msg) {
        asio::post(m_io, [run, r = fail(kind, std::move(msg))] { run->finish(r); });
    };
    if (m_config.command.empty()) return post_fail(DeliveryFailureKind::permanent, "no command configured");
    int in_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0)
        return post_fail(DeliveryFailureKind::transient, "pipe: " + std::string(strerror(errno)));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        ::close(in_pipe[0]);
        ::close(in_pipe[1]);
        return post_fail(DeliveryFailureKind::transient, "pipe: " + std::string(strerror(errno)));
    }
    std::vector<char*> argv;
    for (const auto& a : m_config.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc;
    {
        SpawnAttr attr(in_pipe[0], err_pipe[1]);
        rc = posix_spawnp(&run->pid, argv[0], &attr.actions, &attr.attr, argv.data(), environ);
    }
    ::close(in_pipe[0]);
    ::close(err_pipe[1]);
    run->in.assign(in_pipe[1]);
    run->err.assign(err_pipe[0]);
    if (rc != 0) {
        auto kind = (rc == ENOENT || rc == EACCES || rc == ENOEXEC) ? DeliveryFailureKind::permanent
                                                                    : DeliveryFailureKind::transient;
        return post_fail(kind, "cannot run '" + m_config.command.front() + "': " + strerror(rc));
    }
    run->input = rendered(event);
    m_runs.insert(run);
    run->on_finish = [this, raw = run.get()] {
        // Handlers hold their own reference, so erasing here never frees a running Run.
        for (auto it = m_runs.begin(); it != m_runs.end(); ++it)
            if (it->get() == raw) return void(m_runs.erase(it));
    };
    run->write_stdin();
    run->read_stderr();
    run->poll_exit();
    run->arm_deadline();
}

}  // namespace cqcwatch
