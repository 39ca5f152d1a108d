#pragma once
// A real `sqlite3` process holding a database's write lock, as an operator's
// session, a backup script or a reporting job would: `BEGIN EXCLUSIVE` typed
// into the shell, held until release() types `COMMIT`. Whether the lock is held
// is read from the lock itself (store's write_lock_holder), not from the shell's
// output.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "store/store.hpp"
#include "support/daemon_harness.hpp"

namespace cqcwatch::test {

class SqliteLock {
public:
    /// Starts `sqlite3 <db>` and has it take the write lock; throws when it does not hold it within 15 s.
    /// Call only where this process has no connection to `db` open (see write_lock_holder).
    explicit SqliteLock(const std::string& db) : m_db(db) {
        int in[2];
        if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        m_pid = ::fork();
        if (m_pid < 0) throw std::runtime_error("fork failed");
        if (m_pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            int null_out = ::open("/dev/null", O_WRONLY);
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(null_out, STDOUT_FILENO);
            ::execl("/usr/bin/sqlite3", "sqlite3", db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(in[0]);
        m_in = in[1];
        // .timeout: wait out a write of the daemon in progress instead of failing at once.
        type(".bail on\n.timeout 10000\nBEGIN EXCLUSIVE;\n");
        if (!wait_until([this] { return holder() == m_pid; }, Ms(15000)))
            throw std::runtime_error("sqlite3 (pid " + std::to_string(m_pid) + ") did not take the lock of " + db);
    }
    ~SqliteLock() { release(); }
    SqliteLock(const SqliteLock&) = delete;
    SqliteLock& operator=(const SqliteLock&) = delete;

    /// The sqlite3 process.
    pid_t pid() const { return m_pid; }
    /// Ends the transaction and the shell; returns once the lock is free (at most 15 s).
    void release() {
        if (m_pid <= 0) return;
        type("COMMIT;\n.quit\n");
        ::close(m_in);
        wait_until([this] { return holder() != m_pid; }, Ms(15000), Ms(10));
        if (!detail::reap(m_pid, Ms(5000))) {
            ::kill(m_pid, SIGKILL);
            detail::reap(m_pid, Ms(5000));
        }
        m_pid = 0;
    }

private:
    long holder() const {
        auto h = write_lock_holder(m_db);
        return h ? h->pid : 0;
    }
    void type(const std::string& text) const {
        if (::write(m_in, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
            throw std::runtime_error("cannot write to sqlite3");
    }

    std::string m_db;
    pid_t m_pid = 0;
    int m_in = -1;
};

}  // namespace cqcwatch::test
