// Mail through Debian's own Exim (exim4-daemon-light), configured by the
// README's steps (tests/support/exim.hpp, tests/tools/exim_rig.sh), as root.
//
// Out: the email notifier's alert through Exim into a Maildir, read back by
// Python's `email` package (tests/tools/check_alert_mail.py): over STARTTLS
// with a self-signed certificate (Exim's own, or one made with openssl) and the
// default tls setting, and in plain text through
// a recording proxy for the bytes on the wire.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/exim.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string email_config(const t::TempDir& dir, const std::string& smtp_url, const std::string& tls) {
    return "[daemon]\ndatabase = \"" + dir.file("h.db") + "\"\nuser_agent_contact = \"tests@example.org\"\n\n" +
           t::email_notifier("newsdesk-mail", smtp_url, tls);
}

/// check_alert_mail.py on the test event as delivered.
t::CommandResult check_mail(const t::TempDir& dir, const fs::path& message, const std::string& wire = "") {
    return t::check_alert_mail(dir, message, "Test Council (not real)", wire);
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
    // Exim's own certificate (4.96 makes one when none is configured), or one an administrator made with
    // openssl and enabled the Debian way (MAIN_TLS_ENABLE, CONFDIR/exim.crt and exim.key).
    const bool own_certificate = GENERATE(true, false);
    INFO((own_certificate ? "Exim's own certificate" : "an openssl certificate"));
    t::TempDir dir("exim-out");
    const std::string mailbox = dir.file("mailbox");
    const std::string openssl_steps =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout /etc/exim4/exim.key "
        "-out /etc/exim4/exim.crt 2>/dev/null\n"
        "chown root:Debian-exim /etc/exim4/exim.key /etc/exim4/exim.crt && chmod 640 /etc/exim4/exim.key\n"
        "echo 'MAIN_TLS_ENABLE = yes' >> /etc/exim4/exim4.conf.localmacros\n";
    t::Exim exim(dir, (own_certificate ? "" : openssl_steps) + t::newsdesk_mailbox_steps(mailbox));
    CHECK((exim.mainlog().find("No server certificate defined") != std::string::npos) == own_certificate);
    t::write_file(dir.file("config.toml"), email_config(dir, exim.smtp_url(), ""));  // tls: the default
    auto sent = t::run_cqcwatch({"notify-test", "newsdesk-mail", "--config", dir.file("config.toml")}, dir);
    bool completed = exim.wait_log(" Completed", 30s);
    INFO(sent.err << exim.logs());
    REQUIRE(sent.code == 0);
    REQUIRE(completed);
    // Exim took it over TLS (X=cipher) from our notifier, with its certificate unverified on loopback.
    CHECK(arrival_line(exim).find(" X=TLS") != std::string::npos);
    auto delivered = t::maildir_messages(mailbox);
    REQUIRE(delivered.size() == 1);
    auto checked = check_mail(dir, delivered[0]);
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);
    CHECK(checked.out.rfind("ok: ", 0) == 0);

    // What the default spares the operator: tls = "required" verifies Exim's certificate, and it does not.
    t::write_file(dir.file("strict.toml"), email_config(dir, exim.smtp_url(), "required"));
    auto strict = t::run_cqcwatch({"notify-test", "newsdesk-mail", "--config", dir.file("strict.toml")}, dir);
    INFO(strict.err);
    CHECK(strict.code == 1);
    CHECK(strict.err.find("SSL certificate problem: self-signed certificate") != std::string::npos);
    CHECK(t::maildir_messages(mailbox).size() == 1);
}

TEST_CASE("exim: an email alert in plain text - CRLF and short lines on the wire, Exim delivers it intact",
          "[integration][exim][email]") {
    t::TempDir dir("exim-wire");
    const std::string mailbox = dir.file("mailbox");
    t::Exim exim(dir, t::newsdesk_mailbox_steps(mailbox));
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
    auto delivered = t::maildir_messages(mailbox);
    REQUIRE(delivered.size() == 1);
    auto checked = check_mail(dir, delivered[0], wire);
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);
    CHECK(checked.out.rfind("ok: ", 0) == 0);
}
