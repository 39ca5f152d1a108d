#include <catch2/catch.hpp>

#include "notifiers/email.hpp"
#include "notifiers/render.hpp"
#include "support/test_server.hpp"
#include "support/mail_parse.hpp"
#include "support/notify_test_util.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;

namespace {

struct LiveSmtp {
    test::TempDir dir;
    std::filesystem::path mail = dir.path() / "mail";
    std::filesystem::path certs = dir.path() / "certs";
    std::unique_ptr<test::PythonServer> server;
    asio::io_context io;
    CurlMulti multi{io};

    explicit LiveSmtp(bool tls_and_auth = true) {
        std::filesystem::create_directories(mail);
        std::vector<std::string> args{CQCWATCH_TOOLS_DIR "/smtp_server.py", "--dir", mail.string(), "--reject",
                                      "nobody@example.org"};
        if (tls_and_auth) {
            std::string cmd = "sh " CQCWATCH_TOOLS_DIR "/make_certs.sh '" + certs.string() + "'";
            REQUIRE(std::system(cmd.c_str()) == 0);
            std::vector<std::string> extra{"--cert",     (certs / "server.pem").string(),
                                           "--key",      (certs / "server.key").string(),
                                           "--user",     "alerts",
                                           "--password", "pa55word"};
            args.insert(args.end(), extra.begin(), extra.end());
        }
        server = std::make_unique<test::PythonServer>(args);
    }

    NotifierConfig config() const {
        NotifierConfig c;
        c.name = "editor";
        c.kind = NotifierKind::email;
        c.smtp_url = "smtp://127.0.0.1:" + std::to_string(server->port());
        c.from = "CQC watch <cqcwatch@example.org>";
        c.to = {"editor@example.org", "Desk <desk@example.org>"};
        c.username = "alerts";
        c.password = Secret("pa55word");
        c.ca_file = (certs / "ca.pem").string();
        c.timeout = 20s;
        return c;
    }

    DeliveryResult deliver(const NotifierConfig& c, const Event& e) {
        EmailNotifier n(c, multi, [] { return std::int64_t{1769126460}; });
        std::optional<DeliveryResult> got;
        n.send(e, [&](DeliveryResult r) { got = std::move(r); });
        REQUIRE(test::run_until(io, [&] { return got.has_value(); }));
        return *got;
    }
};

Event updated_walsall() {
    auto e = test::walsall_event(event_type::assessment_updated, "evt_walsall_2");
    e.body["previous"] = e.body["assessment"];
    e.body["previous"]["scores"][6]["score"] = 3;
    return e;
}

}  // namespace

TEST_CASE("notifiers email: delivered over STARTTLS with AUTH, parsed back whole", "[notifiers][email][live]") {
    LiveSmtp smtp;
    auto e = updated_walsall();
    auto r = smtp.deliver(smtp.config(), e);
    REQUIRE(r.has_value());
    CHECK(*r == "250");
    auto meta = nlohmann::json::parse(test::read_file(smtp.mail / "1.json"));
    CHECK(meta["tls"] == true);
    CHECK(meta["auth_login"] == "alerts");
    CHECK(meta["mail_from"] == "cqcwatch@example.org");
    CHECK(meta["rcpt_tos"] == nlohmann::json{"editor@example.org", "desk@example.org"});
    auto raw = test::read_file(smtp.mail / "1.eml");
    CHECK(raw.find("Subject: =?UTF-8?Q?") != std::string::npos);
    auto m = test::parse_mail(raw);
    REQUIRE(m.ok);
    CHECK(m.subject == "CQC: Walsall rated Requires improvement (53%) changed: Safeguarding 3/4→2/4");
    CHECK(m.message_id == "evt_walsall_2@example.org");
    CHECK(m.date == "Fri, 23 Jan 2026 00:01:00 +0000");
    CHECK(m.to == std::vector<std::string>{"editor@example.org", "desk@example.org"});
    CHECK(m.part_types == std::vector<std::string>{"text/plain", "text/html"});
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        std::string label(to_label(statement_at(i)));
        std::string score = i == 8 ? "3/4" : "2/4";
        CHECK(m.text.find("  " + label + ": " + score + "\n") != std::string::npos);
        CHECK(m.html.find("<td>" + html_escape(label) + "</td><td>" + score + "</td>") != std::string::npos);
    }
    CHECK(m.text.find("Walsall (E08000030)") != std::string::npos);
    CHECK(m.html.find("Embargo lifted</dt><dd>Friday 23 January 2026 00:01 GMT") != std::string::npos);
}

TEST_CASE("notifiers email: lines starting with a dot arrive intact (libcurl dot-stuffs)", "[notifiers][email][live]") {
    LiveSmtp smtp(false);
    auto c = smtp.config();
    c.username.clear();
    c.password.reset();
    auto e = test::walsall_event();
    e.body["detail"] = "before\n.\n.hidden\nafter";
    REQUIRE(smtp.deliver(c, e).has_value());
    auto m = test::parse_mail(test::read_file(smtp.mail / "1.eml"));
    CHECK(m.text.find("Detail: before\n.\n.hidden\nafter\n") != std::string::npos);
    CHECK(m.part_types.size() == 2);
}

TEST_CASE("notifiers email: a rejected recipient is permanent", "[notifiers][email][live]") {
    LiveSmtp smtp;
    auto c = smtp.config();
    c.to = {"nobody@example.org"};
    auto r = smtp.deliver(c, test::walsall_event());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::permanent);
    // The server's reason, not curl's summary of it.
    CHECK(r.error().message ==
          "SMTP " + c.smtp_url + ": RCPT failed: 550 5.1.1 <nobody@example.org>: mailbox unavailable");
    CHECK_FALSE(std::filesystem::exists(smtp.mail / "1.eml"));
}

TEST_CASE("notifiers email: a wrong password is permanent and never shown", "[notifiers][email][live]") {
    LiveSmtp smtp;
    auto c = smtp.config();
    c.password = Secret("wrong-pa55");
    auto r = smtp.deliver(c, test::walsall_event());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::permanent);
    CHECK(r.error().message.find("wrong-pa55") == std::string::npos);
}

TEST_CASE("notifiers email: with tls = required a certificate that does not verify is permanent",
          "[notifiers][email][live]") {
    LiveSmtp smtp;
    auto c = smtp.config();
    c.ca_file = (smtp.certs / "other.pem").string();
    c.tls = "required";
    auto r = smtp.deliver(c, test::walsall_event());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::permanent);
}

TEST_CASE("notifiers email: on loopback STARTTLS is used unverified, as with a local MTA's self-signed certificate",
          "[notifiers][email][live]") {
    LiveSmtp smtp;
    auto c = smtp.config();
    c.ca_file = (smtp.certs / "other.pem").string();  // nothing it could verify against
    REQUIRE(effective_tls(c) == "opportunistic");
    auto r = smtp.deliver(c, test::walsall_event());
    REQUIRE(r.has_value());
    CHECK(nlohmann::json::parse(test::read_file(smtp.mail / "1.json"))["tls"] == true);

    LiveSmtp fresh;  // a new server: no connection of the first delivery to reuse
    auto plain = fresh.config();
    plain.tls = "none";
    plain.username.clear();
    plain.password.reset();
    auto refused = fresh.deliver(plain, test::walsall_event());  // this server takes mail only after STARTTLS
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message ==
          "SMTP " + plain.smtp_url + ": MAIL failed: 530 Must issue a STARTTLS command first");
}

TEST_CASE("notifiers email: plain SMTP is allowed on loopback without STARTTLS", "[notifiers][email][live]") {
    LiveSmtp smtp(false);
    auto c = smtp.config();
    c.username.clear();
    c.password.reset();
    auto r = smtp.deliver(c, test::walsall_event());
    REQUIRE(r.has_value());
    CHECK(nlohmann::json::parse(test::read_file(smtp.mail / "1.json"))["tls"] == false);
}

TEST_CASE("notifiers email: nobody listening is transient", "[notifiers][email][live]") {
    asio::io_context io;
    CurlMulti multi{io};
    int port = 0;
    {
        test::TempDir d;
        test::PythonServer gone{{CQCWATCH_TOOLS_DIR "/smtp_server.py", "--dir", d.path().string()}};
        port = gone.port();
    }
    NotifierConfig c;
    c.name = "editor";
    c.kind = NotifierKind::email;
    c.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
    c.from = "a@example.org";
    c.to = {"b@example.org"};
    EmailNotifier n(c, multi, [] { return std::int64_t{0}; });
    std::optional<DeliveryResult> got;
    n.send(test::walsall_event(), [&](DeliveryResult r) { got = std::move(r); });
    REQUIRE(test::run_until(io, [&] { return got.has_value(); }));
    REQUIRE_FALSE(got->has_value());
    CHECK(got->error().kind == DeliveryFailureKind::transient);
}

TEST_CASE("notifiers email: loopback hosts and SMTP outcome classes", "[notifiers][email]") {
    CHECK(smtp_host_is_loopback("smtp://127.0.0.1:2525"));
    CHECK(smtp_host_is_loopback("smtp://127.8.9.10"));
    CHECK(smtp_host_is_loopback("smtp://localhost:25"));
    CHECK(smtp_host_is_loopback("smtp://[::1]:25"));
    CHECK_FALSE(smtp_host_is_loopback("smtp://mail.example.org:587"));
    CHECK_FALSE(smtp_host_is_loopback("smtp://127.0.0.1.example.org"));
    using K = DeliveryFailureKind;
    CHECK(classify_smtp_result(CURLE_OK, 250, "").value() == "250");
    CHECK(classify_smtp_result(CURLE_SEND_ERROR, 550, "x").error().kind == K::permanent);
    CHECK(classify_smtp_result(CURLE_SEND_ERROR, 451, "x").error().kind == K::transient);
    CHECK(classify_smtp_result(CURLE_LOGIN_DENIED, 535, "x").error().kind == K::permanent);
    CHECK(classify_smtp_result(CURLE_COULDNT_CONNECT, 0, "x").error().kind == K::transient);
    CHECK(classify_smtp_result(CURLE_OPERATION_TIMEDOUT, 0, "x").error().kind == K::transient);
    CHECK(classify_smtp_result(CURLE_USE_SSL_FAILED, 0, "x").error().kind == K::permanent);
    // The reply code is shown when it is a refusal the text does not already carry, never a 220 "go ahead".
    CHECK(classify_smtp_result(CURLE_SEND_ERROR, 550, "x").error().message == "x (SMTP 550)");
    CHECK(classify_smtp_result(CURLE_SEND_ERROR, 550, "MAIL failed: 550 no such user").error().message ==
          "MAIL failed: 550 no such user");
    CHECK(classify_smtp_result(CURLE_PEER_FAILED_VERIFICATION, 220, "SSL certificate problem: self-signed certificate")
              .error()
              .message == "SSL certificate problem: self-signed certificate");
}
