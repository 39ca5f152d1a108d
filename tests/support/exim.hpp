#pragma once
// Debian's Exim for a test (tests/tools/exim_rig.sh): the stock configuration an
// administrator changes by the README's steps, run as root in a private mount
// namespace, listening on a free 127.0.0.1 port. Stopped (with every process it
// started) by the destructor, or by `timeout` when the test dies.

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "support/daemon_harness.hpp"

namespace cqcwatch::test {

/// Exim on 127.0.0.1:port(), configured by `steps` (a shell script of the administrator's steps).
class Exim {
public:
    /// Runs `steps` then Exim under `dir`; waits (at most 60 s) until Exim listens.
    Exim(const TempDir& dir, const std::string& steps) : m_dir(dir) {
        // Exim's users must reach the test's files (the pipe user runs our binary and reads our config).
        std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
        write_file(dir.file("exim-steps.sh"), steps);
        std::string last_error;
        for (int attempt = 1; attempt <= 5; ++attempt) {  // the port can be taken between the check and the bind
            m_root = dir.file("exim-" + std::to_string(attempt));
            std::filesystem::create_directory(m_root);
            std::filesystem::permissions(m_root, std::filesystem::perms(0755));
            m_port = free_loopback_port();
            // `timeout` passes the test's death (SIGTERM) on to Exim and its deliveries, and bounds its life.
            m_pid = detail::spawn(
                {"/usr/bin/timeout", "-k", "5", "900", "/bin/bash", std::string(CQCWATCH_TOOLS_DIR) + "/exim_rig.sh",
                 m_root, std::to_string(m_port), dir.file("exim-steps.sh")},
                m_root + "/rig.out", m_root + "/rig.out", {}, SIGTERM);
            wait_until(
                [&] {
                    if (detail::reap(m_pid, Ms(0))) m_pid = 0;  // exited: reaped, nothing to stop
                    return m_pid == 0 || mainlog().find("listening for SMTP on") != std::string::npos;
                },
                Ms(60000));
            if (m_pid != 0 && mainlog().find("listening for SMTP on") != std::string::npos) return;
            last_error = read_file(m_root + "/rig.out") + read_file(m_root + "/var/log/paniclog");
            stop();
            if (last_error.find("Address already in use") == std::string::npos) break;
        }
        throw std::runtime_error("Exim did not start: " + last_error);
    }
    ~Exim() { stop(); }
    Exim(const Exim&) = delete;
    Exim& operator=(const Exim&) = delete;

    int port() const { return m_port; }
    /// "smtp://127.0.0.1:<port>"
    std::string smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(m_port); }
    /// Exim's main log so far.
    std::string mainlog() const { return read_file(m_root + "/var/log/mainlog"); }
    /// Everything Exim logged, for a failing test's output.
    std::string logs() const {
        return "rig: " + read_file(m_root + "/rig.out") + "\nmainlog:\n" + mainlog() + "\npaniclog:\n" +
               read_file(m_root + "/var/log/paniclog");
    }
    /// The gid a group has inside the rig (the test's processes outside it use the number).
    gid_t gid_of(const std::string& group) const {
        std::ifstream in(m_root + "/etc/group");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind(group + ":", 0) == 0) {
                auto colon = line.find(':', group.size() + 1);
                return static_cast<gid_t>(std::stoul(line.substr(colon + 1)));
            }
        throw std::runtime_error("no group " + group + " in the rig");
    }
    /// `swaks` sends the message in `file` (headers and body, as it is) from `from` to `to`.
    CommandResult send(const std::string& from, const std::string& to, const std::string& file) const {
        return run_program({"/usr/bin/swaks", "--server", "127.0.0.1:" + std::to_string(m_port), "--from", from, "--to",
                            to, "--data", "@" + file},
                           m_dir, {}, Ms(60000));
    }
    /// Waits until the main log has `needle`.
    bool wait_log(const std::string& needle, std::chrono::milliseconds limit) const {
        return wait_until([&] { return mainlog().find(needle) != std::string::npos; }, limit);
    }

private:
    void stop() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGTERM);
        if (!detail::reap(m_pid, Ms(15000))) {
            ::kill(m_pid, SIGKILL);
            detail::reap(m_pid, Ms(5000));
        }
        m_pid = 0;
    }

    const TempDir& m_dir;
    std::string m_root;
    int m_port = 0;
    pid_t m_pid = 0;
};

/// The alerts' From and To in the Exim tests: display names outside ASCII, a local recipient.
inline const std::string k_alert_from = "CQC W\u00e4tch <cqcwatch@example.org>";
inline const std::string k_alert_to = "Newsdesk Zo\u00eb \u00d8rsted <newsdesk@localhost>";

/// Rig steps: newsdesk@localhost delivered into the Maildir `mailbox` (an alias to a directory,
/// Debian's address_directory transport). Ends with update-exim4.conf.
inline std::string newsdesk_mailbox_steps(const std::string& mailbox) {
    return "install -d -o Debian-exim -g Debian-exim " + mailbox +
           "\necho 'SYSTEM_ALIASES_DIRECTORY_TRANSPORT = address_directory' >> /etc/exim4/exim4.conf.localmacros\n"
           "echo 'newsdesk: " +
           mailbox + "/' >> /etc/aliases\nupdate-exim4.conf\n";
}

/// An email notifier from k_alert_from to k_alert_to via `smtp_url`; `tls` empty = the default.
inline std::string email_notifier(const std::string& name, const std::string& smtp_url, const std::string& tls,
                                  const std::string& extra = "") {
    return "[[notifier]]\nname = \"" + name + "\"\nkind = \"email\"\nsmtp_url = \"" + smtp_url + "\"\nfrom = \"" +
           k_alert_from + "\"\nto = [\"" + k_alert_to + "\"]\nmessage_id_domain = \"alerts.example.org\"\n" +
           (tls.empty() ? "" : "tls = \"" + tls + "\"\n") + extra;
}

/// The messages in a Maildir's new/.
inline std::vector<std::filesystem::path> maildir_messages(const std::filesystem::path& maildir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(maildir / "new", ec)) out.push_back(e.path());
    return out;
}

/// tests/tools/check_alert_mail.py on a delivered alert (its text part must contain `text`; with
/// `wire`, an SMTP transcript, also CRLF and line lengths as sent). Exit 0 and "ok: …" when all is well.
inline CommandResult check_alert_mail(const TempDir& dir, const std::filesystem::path& message, const std::string& text,
                                      const std::string& wire = "") {
    std::vector<std::string> argv{"/usr/bin/python3",
                                  std::string(CQCWATCH_TOOLS_DIR) + "/check_alert_mail.py",
                                  message.string(),
                                  "--from",
                                  k_alert_from,
                                  "--to",
                                  k_alert_to,
                                  "--message-id-domain",
                                  "alerts.example.org",
                                  "--text",
                                  text};
    if (!wire.empty()) {
        argv.push_back("--wire");
        argv.push_back(wire);
    }
    return run_program(argv, dir);
}

}  // namespace cqcwatch::test
