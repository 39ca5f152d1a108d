// Mail through Debian's own Exim (exim4-daemon-light), configured by the
// README's steps (tests/support/exim.hpp, tests/tools/exim_rig.sh), as root.
//
// Out: the email notifier's alert through Exim into a Maildir, read back by
// Python's `email` package (tests/tools/check_alert_mail.py): with Exim's own
// self-signed STARTTLS and the default tls setting, and in plain text through
// a recording proxy for the bytes on the wire.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/exim.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string k_from = "CQC W\u00e4tch <cqcwatch@example.org>";
const std::string k_to = "Newsdesk Zo\u00eb \u00d8rsted <newsdesk@localhost>";

/// An alias that delivers newsdesk@localhost into a Maildir under `dir` (Debian's address_directory).
std::string newsdesk_mailbox_steps(const std::string& mailbox) {
    return "install -d -o Debian-exim -g Debian-exim " + mailbox +
           "\n"
           "echo 'SYSTEM_ALIASES_DIRECTORY_TRANSPORT = address_directory' >> /etc/exim4/exim4.conf.localmacros\n"
           "echo 'newsdesk: " +
           mailbox + "/' >> /etc/aliases\nupdate-exim4.conf\n";
}

std::string email_config(const t::TempDir& dir, const std::string& smtp_url, const std::string& tls) {
    return "[daemon]\ndatabase = \"" + dir.file("h.db") +
           "\"\nuser_agent_contact = \"tests@example.org\"\n\n"
           "[[notifier]]\nname = \"newsdesk-mail\"\nkind = \"email\"\nsmtp_url = \"" +
           smtp_url + "\"\nfrom = \"" + k_from + "\"\nto = [\"" + k_to +
           "\"]\nmessage_id_domain = \"alerts.example.org\"\n" + (tls.empty() ? "" : "tls = \"" + tls + "\"\n");
}

std::vector<fs::path> messages_in(const fs::path& maildir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(maildir / "new", ec)) out.push_back(e.path());
    return out;
}

/// check_alert_mail.py on a delivered message; its report.
t::CommandResult check_mail(const t::TempDir& dir, const fs::path& message, const std::string& wire = "") {
    std::vector<std::string> argv{"/usr/bin/python3",
                                  std::string(CQCWATCH_TOOLS_DIR) + "/check_alert_mail.py",
                                  message.string(),
                                  "--from",
                                  k_from,
                                  "--to",
                                  k_to,
                                  "--message-id-domain",
                                  "alerts.example.org",
                                  "--text",
                                  "Test Council (not real)"};
    if (!wire.empty()) {
        argv.push_back("--wire");
        argv.push_back(wire);
    }
    return t::run_program(argv, dir);
}

/// The Exim main log's arrival ("<=") line for the message from cqcwatch.
std::string arrival_line(const t::Exim& exim) {
    std::istringstream in(exim.mainlog());
    std::string line;
    while (std::getline(in, line))
        if (line.find(" <= cqcwatch@example.org ") != std::string::npos) return line;
    return "";
}

}  // namespace

TEST_CASE("exim: an email alert through Debian's Exim over its self-signed STARTTLS, read back by Python's email",
          "[integration][exim][email]") {
    t::TempDir dir("exim-out");
    const std::string mailbox = dir.file("mailbox");
    t::Exim exim(dir, newsdesk_mailbox_steps(mailbox));
    t::write_file(dir.file("config.toml"), email_config(dir, exim.smtp_url(), ""));  // tls: the default
    auto sent = t::run_cqcwatch({"notify-test", "newsdesk-mail", "--config", dir.file("config.toml")}, dir);
    bool completed = exim.wait_log(" Completed", 30s);
    INFO(sent.err << exim.logs());
    REQUIRE(sent.code == 0);
    REQUIRE(completed);
    // Exim took it over TLS (X=cipher) from our notifier, with its certificate unverified on loopback.
    CHECK(arrival_line(exim).find(" X=TLS") != std::string::npos);
    auto delivered = messages_in(mailbox);
    REQUIRE(delivered.size() == 1);
    auto checked = check_mail(dir, delivered[0]);
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);
    CHECK(checked.out.rfind("ok: ", 0) == 0);
}

TEST_CASE("exim: an email alert in plain text - CRLF and short lines on the wire, Exim delivers it intact",
          "[integration][exim][email]") {
    t::TempDir dir("exim-wire");
    const std::string mailbox = dir.file("mailbox");
    t::Exim exim(dir, newsdesk_mailbox_steps(mailbox));
    const std::string wire = dir.file("wire.log");
    t::PythonServer tap({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_tap.py", "--upstream", std::to_string(exim.port()),
                         "--record", wire});
    t::write_file(dir.file("config.toml"), email_config(dir, tap.base_url("smtp"), "none"));
    auto sent = t::run_cqcwatch({"notify-test", "newsdesk-mail", "--config", dir.file("config.toml")}, dir);
    bool completed = exim.wait_log(" Completed", 30s);
    INFO(sent.err << exim.logs());
    REQUIRE(sent.code == 0);
    REQUIRE(completed);
    CHECK(arrival_line(exim).find(" X=") == std::string::npos);  // tls = "none": no STARTTLS
    auto delivered = messages_in(mailbox);
    REQUIRE(delivered.size() == 1);
    auto checked = check_mail(dir, delivered[0], wire);
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);
    CHECK(checked.out.rfind("ok: ", 0) == 0);
}
