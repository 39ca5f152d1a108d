#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <stdlib.h>
#include <sys/stat.h>

#include "config/config.hpp"
#include "config/table.hpp"
#include "config/duration.hpp"
#include "parsers/parse.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> error_lines(const std::string& text) {
    const ConfigResult r = parse_config(text, "config.toml");
    REQUIRE_FALSE(r.has_value());
    std::vector<std::string> lines;
    for (const auto& d : r.error()) lines.push_back(d.text());
    return lines;
}

std::string only_error(const std::string& text) {
    const auto lines = error_lines(text);
    REQUIRE(lines.size() == 1);
    return lines.front();
}

std::string temp_dir() {
    std::string pattern = "/tmp/cqcwatch-config-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

const std::string k_source = R"(
[[source]]
name = "cqc"
kind = "listing"
url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports"
)";

}  // namespace

TEST_CASE("config: durations in every unit and in combination", "[config]") {
    CHECK(parse_duration("500ms").value() == 500ms);
    CHECK(parse_duration("30s").value() == 30s);
    CHECK(parse_duration("5m").value() == 5min);
    CHECK(parse_duration("1h").value() == 1h);
    CHECK(parse_duration("2d").value() == 48h);
    CHECK(parse_duration("1h30m").value() == 90min);
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("5").has_value());
    CHECK_FALSE(parse_duration("5x").has_value());
    CHECK_FALSE(parse_duration("1.5h").has_value());
    CHECK_FALSE(parse_duration("99999999999999999999d").has_value());
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(500ms) == "500ms");
    CHECK(parse_size("20MiB").value() == 20u << 20);
    CHECK(parse_size("10MB").value() == 10'000'000u);
    CHECK(parse_size("4096").value() == 4096u);
    CHECK_FALSE(parse_size("20 MiB").has_value());
}

TEST_CASE("config: an empty file gives the table's defaults, equal to the structs'", "[config]") {
    // The key table's defaults are what a loaded config gets; the structs' initialisers are
    // what code that builds a slice directly gets. Whole structs are compared, so a key added
    // to one place and not the other fails here.
    const ConfigResult r = parse_config(k_source + R"(
[[notifier]]
name = "hook"
kind = "webhook"
url = "https://hooks.example.org/cqc"
)", "config.toml");
    REQUIRE(r.has_value());
    DaemonConfig expected;
    expected.log_format = default_log_format();
    CHECK(r->daemon == expected);
    REQUIRE(r->notifiers.size() == 1);
    NotifierConfig notifier;
    notifier.name = "hook";
    notifier.kind = NotifierKind::webhook;
    notifier.url = "https://hooks.example.org/cqc";
    CHECK(r->notifiers.front() == notifier);
    REQUIRE(r->sources.size() == 1);
    const SourceConfig& s = r->sources.front();
    CHECK(s.kind == SourceKind::listing);
    CHECK(s.item == DocKind::report);
    CHECK(s.interval == 5min);
    CHECK(s.enabled);
    CHECK(s.link_pattern == k_default_report_link_pattern);
    CHECK(s.allowed_hosts == std::vector<std::string>{"www.cqc.org.uk", "cqc.org.uk"});
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings.front().text() ==
          "config.toml: warning: [daemon]: user_agent_contact is not set: CQC cannot tell who is polling "
          "(set an e-mail address or URL)");
}

TEST_CASE("config: unknown key with a suggestion names file, line and block", "[config]") {
    CHECK(only_error(k_source + R"(
[[notifier]]
name = "newsdesk"
kind = "webhook"
url = "https://hooks.example.org/cqc"
evnets = ["embargo.lifted"]
)") == "config.toml:11: [[notifier]] \"newsdesk\": unknown key 'evnets' (did you mean 'events'?)");
    CHECK(only_error("[deamon]\n") == "config.toml:1: unknown table 'deamon' (did you mean 'daemon'?)");
}

TEST_CASE("config: a bad duration, regex, event type and rating are each reported", "[config]") {
    const auto lines = error_lines(R"([daemon]
connect_timeout = "10 s"

[[source]]
name = "cqc"
kind = "listing"
url = "https://www.cqc.org.uk/x"
link_pattern = "/reports/(["

[[notifier]]
name = "desk"
kind = "webhook"
url = "http://127.0.0.1:1/x"
events = ["assessment.publish"]
ratings = ["requires improvement"]
)");
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] ==
          "config.toml:2: [daemon]: connect_timeout: bad duration '10 s' (expected a number and a unit: "
          "ms, s, m, h or d, e.g. \"30s\" or \"1h30m\")");
    CHECK(lines[1].rfind("config.toml:8: [[source]] \"cqc\": link_pattern: '/reports/([' is not a valid regular "
                         "expression: ",
                         0) == 0);
    CHECK(lines[2] ==
          "config.toml:14: [[notifier]] \"desk\": events: unknown event type 'assessment.publish' "
          "(did you mean 'assessment.published'?)");
    CHECK(lines[3] ==
          "config.toml:15: [[notifier]] \"desk\": ratings: unknown rating 'requires improvement' "
          "(did you mean 'requires_improvement'?)");
}

TEST_CASE("config: missing required keys, kind-only keys and wrong types", "[config]") {
    const auto lines = error_lines(R"([[source]]
name = "mail"
kind = "maildir"
url = "https://x.example/"

[[notifier]]
kind = "email"
to = "editor@example.org"
)");
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "config.toml:1: [[source]] \"mail\": missing key 'path' (required for kind = \"maildir\")");
    CHECK(lines[1] == "config.toml:4: [[source]] \"mail\": key 'url' does not apply to kind = \"maildir\"");
    CHECK(lines[2] == "config.toml:6: [[notifier]] #1: missing required key 'name'");
    CHECK(lines[3] == "config.toml:6: [[notifier]] #1: missing key 'smtp_url' (required for kind = \"email\")");
    CHECK(lines[4] == "config.toml:6: [[notifier]] #1: missing key 'from' (required for kind = \"email\")");
    CHECK(lines[5] == "config.toml:8: [[notifier]] #1: to: expected an array of strings, found a string");
}

TEST_CASE("config: duplicate source names are an error", "[config]") {
    CHECK(only_error(k_source + k_source) ==
          "config.toml:7: [[source]] \"cqc\": duplicate name (first used at line 2)");
}

TEST_CASE("config: a TOML syntax error gives line and column", "[config]") {
    CHECK(only_error("[daemon]\ndatabase = \"x\nlog_level = 1\n").rfind("config.toml:2:", 0) == 0);
}

TEST_CASE("config: secrets come from files and $CREDENTIALS_DIRECTORY and never print", "[config]") {
    const std::string dir = temp_dir();
    write_file(dir + "/hook.secret", "s3cr3t-from-file\n");
    const std::string creds = temp_dir();
    write_file(creds + "/smtp.password", "pw-from-credential\n");
    ::setenv("CREDENTIALS_DIRECTORY", creds.c_str(), 1);
    const std::string text = k_source + R"(
[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/x"
secret_file = "hook.secret"

[[notifier]]
name = "mail"
kind = "email"
smtp_url = "smtp://127.0.0.1:25"
from = "a@example.org"
to = ["b@example.org"]
password_file = "smtp.password"
)";
    const ConfigResult r = parse_config(text, dir + "/config.toml");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    REQUIRE(r.has_value());
    CHECK(r->notifiers[0].secret->reveal() == "s3cr3t-from-file");
    CHECK(r->notifiers[1].password->reveal() == "pw-from-credential");

    const ConfigResult missing = parse_config(text, "/nonexistent/config.toml");
    REQUIRE_FALSE(missing.has_value());
    REQUIRE(missing.error().size() == 2);
    CHECK(missing.error()[0].text() ==
          "/nonexistent/config.toml:11: [[notifier]] \"hook\": secret_file: cannot read 'hook.secret' (tried "
          "/nonexistent/hook.secret): No such file or directory");
    for (const auto& d : missing.error()) CHECK(d.text().find("s3cr3t") == std::string::npos);
    std::system(("rm -rf '" + dir + "' '" + creds + "'").c_str());
}

TEST_CASE("config: metrics_listen off loopback is refused as run refuses it", "[config]") {
    CHECK(only_error("[daemon]\nmetrics_listen = \"0.0.0.0:9464\"\n" + k_source) ==
          "config.toml:2: [daemon]: metrics_listen: '0.0.0.0:9464' is not a loopback address: /metrics and /healthz "
          "have no authentication or TLS; listen on 127.0.0.1 (or [::1]) and put a proxy in front for remote scrapes");
    for (const char* ok : {"127.0.0.1:9464", "127.0.0.2:0", "[::1]:9464"}) {
        INFO(ok);
        CHECK(parse_config("[daemon]\nmetrics_listen = \"" + std::string(ok) + "\"\n" + k_source, "config.toml"));
    }
}

TEST_CASE("config: a secret file is read up to a limit so /dev/zero is refused", "[config]") {
    const std::string text = k_source + R"(
[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/x"
secret_file = "/dev/zero"
)";
    CHECK(only_error(text) ==
          "config.toml:11: [[notifier]] \"hook\": secret_file: file '/dev/zero' is larger than 64 KiB; a secret "
          "file holds one key");
}

TEST_CASE("config: a secret file readable by every user gives a warning and one readable by its owner none",
          "[config]") {
    const std::string dir = temp_dir();
    write_file(dir + "/hook.secret", "s3cr3t\n");
    const std::string text = k_source + R"(
[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/x"
secret_file = "hook.secret"
)";
    auto secret_warnings = [](const ConfigResult& r) {
        std::vector<std::string> out;
        for (const auto& w : r->warnings)
            if (w.text().find("secret_file") != std::string::npos) out.push_back(w.text());
        return out;
    };
    ::chmod((dir + "/hook.secret").c_str(), 0644);
    const ConfigResult open = parse_config(text, dir + "/config.toml");
    REQUIRE(open.has_value());
    REQUIRE(secret_warnings(open).size() == 1);
    CHECK(secret_warnings(open)[0] ==
          dir + "/config.toml:11: warning: [[notifier]] \"hook\": secret_file: secret file '" + dir +
              "/hook.secret' is readable by every user (chmod 600 it, or use "
              "LoadCredential=)");
    ::chmod((dir + "/hook.secret").c_str(), 0600);
    const ConfigResult closed = parse_config(text, dir + "/config.toml");
    REQUIRE(closed.has_value());
    CHECK(secret_warnings(closed).empty());
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("config: config.example.toml passes and mentions every key of the table", "[config]") {
    const std::string path = std::string(CQCWATCH_SOURCE_DIR) + "/config.example.toml";
    const ConfigResult r = load_config(path);
    if (!r)
        for (const auto& d : r.error()) FAIL(d.text());
    REQUIRE(r.has_value());
    CHECK(r->sources.size() == 2);
    CHECK(r->notifiers.size() == 2);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& key : config_table::all_keys()) {
        INFO(key.section << "." << key.key);
        CHECK(text.str().find(std::string(key.key)) != std::string::npos);
        CHECK_FALSE(key.help.empty());
    }
}

TEST_CASE("config: CR, LF or NUL in an address, header, contact or URL is refused with file and line", "[config]") {
    CHECK(only_error(k_source + R"(
[[notifier]]
name = "desk"
kind = "email"
smtp_url = "smtp://127.0.0.1:25"
from = "cqcwatch@example.org\r\nRCPT TO:<x@evil.example>"
to = ["desk@example.org"]
)") == "config.toml:11: [[notifier]] \"desk\": from: contains a carriage return (CR) at character 21: refused, it "
       "would end a header or an SMTP command early");
    CHECK(only_error("[daemon]\nuser_agent_contact = \"ops@example.org\\nX-Evil: 1\"\n" + k_source) ==
          "config.toml:2: [daemon]: user_agent_contact: contains a line feed (LF) at character 16: refused, it would "
          "end a header or an SMTP command early");
    CHECK(only_error(k_source + R"(
[[notifier]]
name = "hook"
kind = "webhook"
url = "https://hooks.example.org/cqc\u0000x"
)") == "config.toml:10: [[notifier]] \"hook\": url: contains a NUL at character 30: refused, it would end a header or "
       "an SMTP command early");
}

TEST_CASE("config: addresses go through a real address parser, tls and message_id_domain are checked",
          "[config]") {
    const std::string email = k_source + R"(
[[notifier]]
name = "desk"
kind = "email"
smtp_url = "smtp://mail.example.org:587"
to = ["Desk <desk@example.org>"]
)";
    CHECK(only_error(email + "from = \"not an address\"\n") ==
          "config.toml:12: [[notifier]] \"desk\": from: 'not an address' is not an e-mail address (write "
          "\"name@example.org\" or \"Name <name@example.org>\")");
    CHECK(only_error(email + "from = \"a@example.org, b@example.org\"\n") ==
          "config.toml:12: [[notifier]] \"desk\": from: 'a@example.org, b@example.org' names 2 addresses, not one");
    CHECK(only_error(email + "from = \"CQC W\u00e4tch <w@example.org>\"\ntls = \"sometimes\"\n") ==
          "config.toml:13: [[notifier]] \"desk\": tls: unknown value 'sometimes' (expected 'auto', 'required', "
          "'opportunistic' or 'none')");
    CHECK(only_error(email + "from = \"w@example.org\"\nmessage_id_domain = \"no spaces.org x\"\n") ==
          "config.toml:13: [[notifier]] \"desk\": message_id_domain: 'no spaces.org x' is not a domain name (write "
          "\"newsroom.example.org\")");
}
