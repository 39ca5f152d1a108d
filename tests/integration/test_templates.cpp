// Message templates (template_file) through the real binary: an e-mail through
// the loopback SMTP server, Slack, Teams and a body of the user's own shape at
// the loopback webhook receiver, the shipped templates, check-config naming a
// template's file, line and unknown variable, and SIGHUP with a broken template
// keeping the running one.

#include <filesystem>
#include <regex>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/mail_parse.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const char* k_email_template = R"({{! part: subject }}
CQC: {{council}} {{rating_short}}{{#previous_rating_label}} - was {{.}}{{/previous_rating_label}}{{#embargo_clock}} - embargo {{.}}{{/embargo_clock}}
{{! part: text }}
{{council}}: {{rating_label}} ({{percentage_label}})
{{#statements}}
{{name}}: {{score_text}}
{{/statements}}
{{! part: html }}
<p>{{council}} &mdash; <b>{{rating_label}}</b></p>
)";

std::string daemon_header(const t::TempDir& dir) {
    return "[daemon]\ndatabase = \"" + dir.file("h.db") + "\"\nuser_agent_contact = \"tests@example.org\"\n";
}

std::string hook(const std::string& name, const std::string& url, const std::string& format,
                 const std::string& template_file) {
    return "[[notifier]]\nname = \"" + name + "\"\nkind = \"webhook\"\nurl = \"" + url + "\"\nformat = \"" + format +
           "\"\ntimeout = \"5s\"\n" + (template_file.empty() ? "" : "template_file = \"" + template_file + "\"\n");
}

nlohmann::json last_post(const t::Receiver& receiver, const std::string& path) {
    auto got = receiver.delivered(path);
    REQUIRE(!got.empty());
    return t::body_of(got.back());
}

std::string shipped(const std::string& name) {
    return std::string(CQCWATCH_SOURCE_DIR) + "/notifiers/templates/" + name;
}

}  // namespace

TEST_CASE("templates: an e-mail alert in the desk's own words, through SMTP", "[integration][templates]") {
    t::TempDir dir("tmpl-mail");
    const std::string mailbox = dir.file("smtp");
    fs::create_directories(mailbox);
    t::PythonServer smtp({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", mailbox});
    t::write_file(dir.file("desk.mustache"), k_email_template);
    t::write_file(dir.file("config.toml"), daemon_header(dir) +
                                               "[[notifier]]\nname = \"desk\"\nkind = \"email\"\nsmtp_url = "
                                               "\"smtp://127.0.0.1:" +
                                               std::to_string(smtp.port()) +
                                               "\"\nfrom = \"cqcwatch@example.org\"\nto = [\"desk@example.org\"]\n"
                                               "template_file = \"desk.mustache\"\n");
    auto r = t::run_cqcwatch(
        {"notify-test", "desk", "--event", "assessment.updated", "--config", dir.file("config.toml")}, dir);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    REQUIRE(t::wait_until([&] { return fs::exists(mailbox + "/1.eml"); }, 20s));
    const t::ParsedMail mail = t::parse_mail(t::read_file(mailbox + "/1.eml"));
    REQUIRE(mail.ok);
    CHECK(mail.subject == "CQC: Test Council (not real) RI - was Good");
    CHECK(mail.text ==
          "Test Council (not real): Requires improvement (53%)\nAssessing needs: 2/4\n"
          "Supporting people to lead healthier lives: 2/4\nEquity in experience and outcomes: 2/4\n"
          "Care provision, integration and continuity: 2/4\nPartnerships and communities: 3/4\n"
          "Safe pathways, systems and transitions: 2/4\nSafeguarding: 2/4\n"
          "Governance, management and sustainability: 2/4\nLearning, improvement and innovation: 2/4\n");
    // HTML-escaped in the html part: the council's parentheses pass, the template's own markup stays.
    CHECK(mail.html == "<p>Test Council (not real) &mdash; <b>Requires improvement</b></p>\n");
}

TEST_CASE("templates: the shipped email template sends the built-in message", "[integration][templates]") {
    t::TempDir dir("tmpl-shipped");
    const std::string mailbox = dir.file("smtp");
    fs::create_directories(mailbox);
    t::PythonServer smtp({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", mailbox});
    auto email = [&](const std::string& name, const std::string& extra) {
        return "[[notifier]]\nname = \"" + name +
               "\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" + std::to_string(smtp.port()) +
               "\"\nfrom = \"cqcwatch@example.org\"\nto = [\"desk@example.org\"]\n" + extra;
    };
    t::write_file(dir.file("config.toml"),
                  daemon_header(dir) + email("builtin", "") +
                      email("shipped", "template_file = \"" + shipped("email.mustache") + "\"\n"));
    for (const char* name : {"builtin", "shipped"}) {
        auto r = t::run_cqcwatch(
            {"notify-test", name, "--event", "embargo.lifted", "--config", dir.file("config.toml")}, dir);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
    }
    REQUIRE(t::wait_until([&] { return fs::exists(mailbox + "/2.eml"); }, 20s));
    const t::ParsedMail a = t::parse_mail(t::read_file(mailbox + "/1.eml"));
    const t::ParsedMail b = t::parse_mail(t::read_file(mailbox + "/2.eml"));
    REQUIRE((a.ok && b.ok));
    // The two samples differ only in their id and time: compare with those taken out.
    auto masked = [](std::string s) {
        static const std::regex volatile_bits(
            R"(evt_test_[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z|[0-9]{2}:[0-9]{2} GMT|[0-9]{2}:[0-9]{2} BST|[A-Z][a-z]+day [0-9]+ [A-Z][a-z]+ [0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})");
        return std::regex_replace(s, volatile_bits, "#");
    };
    CHECK(masked(b.subject) == masked(a.subject));
    CHECK(masked(b.text) == masked(a.text));
    CHECK(masked(b.html) == masked(a.html));
    CHECK(b.part_types == a.part_types);
}

TEST_CASE("templates: Slack, Teams and a body of the user's own shape at the receiver", "[integration][templates]") {
    t::TempDir dir("tmpl-hooks");
    t::Receiver receiver;
    t::write_file(dir.file("slack.mustache"), "*{{council}}*: {{rating_label}} <{{link}}|report> & more\n");
    t::write_file(dir.file("teams.mustache"),
                  "CQC: {{council}} {{rating_short}}\n\nEmbargo {{embargo_clock}}: do not publish before\n");
    t::write_file(dir.file("chat.json.mustache"),
                  "{\"msg\": \"{{summary}}\", \"council\": \"{{council}}\", \"scores\": "
                  "[{{#statements}}{\"name\": \"{{name}}\", \"score\": {{score}}},{{/statements}}"
                  "null], \"quote\": \"say \\\"{{rating_label}}\\\"\"}\n");
    t::write_file(dir.file("config.toml"), daemon_header(dir) +
                                               hook("slack", receiver.url("/slack"), "slack", "slack.mustache") +
                                               hook("teams", receiver.url("/teams"), "teams", "teams.mustache") +
                                               hook("chat", receiver.url("/chat"), "template", "chat.json.mustache"));
    for (const char* name : {"slack", "teams", "chat"}) {
        auto r = t::run_cqcwatch(
            {"notify-test", name, "--event", "embargo.scheduled", "--config", dir.file("config.toml")}, dir);
        INFO(name << ": " << r.out << r.err);
        REQUIRE(r.code == 0);
    }
    const auto slack = last_post(receiver, "/slack");
    CHECK(slack["text"] ==
          "*Test Council (not real)*: Requires improvement "
          "<https://www.cqc.org.uk/press-releases|report> & more");
    std::size_t score_fields = 0;  // the scores stay, under their themes
    for (const auto& block : slack["blocks"])
        if (block.contains("fields")) score_fields += block["fields"].size();
    CHECK(score_fields == 9);
    const auto card = last_post(receiver, "/teams")["attachments"][0]["content"];
    CHECK(card["body"][0]["text"] == "CQC: Test Council (not real) RI");
    // The sample lifts 24 h from now: its clock is the hour the test runs at, not always 00:xx.
    INFO(card["body"][1]["text"].get<std::string>());
    CHECK(std::regex_search(card["body"][1]["text"].get<std::string>(),
                            std::regex("^Embargo [0-2][0-9]:[0-5][0-9] (GMT|BST): do not publish before")));
    const auto chat = last_post(receiver, "/chat");
    CHECK(chat["council"] == "Test Council (not real)");
    CHECK(chat["msg"].get<std::string>().rfind("[TEST] CQC: embargoed result for Test Council (not real) due ", 0) ==
          0);
    CHECK(chat["scores"].size() == 10);
    CHECK(chat["scores"][4] == nlohmann::json{{"name", "Partnerships and communities"}, {"score", 3}});
    CHECK(chat["quote"] == "say \"Requires improvement\"");
}

TEST_CASE("templates: notify-test --print renders each event type through the template without sending",
          "[integration][templates]") {
    t::TempDir dir("tmpl-print");
    t::write_file(dir.file("config.toml"), daemon_header(dir) + hook("chat", "http://127.0.0.1:9/never", "template",
                                                                     shipped("newsdesk.json.mustache")));
    for (const char* type :
         {"assessment.published", "assessment.updated", "assessment.withdrawn", "embargo.scheduled", "embargo.lifted",
          "source.failing", "source.recovered", "parser.suspect", "parser.recovered", "test"}) {
        auto r = t::run_cqcwatch(
            {"notify-test", "chat", "--event", type, "--print", "--config", dir.file("config.toml")}, dir);
        INFO(type << ": " << r.out << r.err);
        REQUIRE(r.code == 0);
        const auto body = nlohmann::json::parse(r.out);
        CHECK(body["text"].get<std::string>().rfind("[TEST] ", 0) == 0);
    }
    auto bad =
        t::run_cqcwatch({"notify-test", "chat", "--event", "embargo.lifed", "--config", dir.file("config.toml")}, dir);
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--event: no event type 'embargo.lifed'") != std::string::npos);
}

TEST_CASE("templates: check-config names the template's file, line and unknown variable", "[integration][templates]") {
    t::TempDir dir("tmpl-check");
    t::write_file(dir.file("desk.mustache"),
                  "{{! part: subject }}\nCQC: {{council}}\n{{! part: text }}\n"
                  "{{council}} {{ratting_label}}\n");
    t::write_file(dir.file("config.toml"), daemon_header(dir) +
                                               "[[notifier]]\nname = \"desk\"\nkind = \"email\"\nsmtp_url = "
                                               "\"smtp://127.0.0.1:25\"\nfrom = \"cqcwatch@example.org\"\n"
                                               "to = [\"desk@example.org\"]\ntemplate_file = \"desk.mustache\"\n" +
                                               hook("chat", "http://127.0.0.1:9/x", "template", ""));
    auto r = t::run_cqcwatch({"check-config", "--config", dir.file("config.toml")}, dir);
    CHECK(r.code == 2);
    CHECK(r.err == dir.file("config.toml") + ":10: [[notifier]] \"desk\": template_file: " + dir.file("desk.mustache") +
                       ":4: unknown variable 'ratting_label' (did you mean 'rating_label'?)\n" +
                       dir.file("config.toml") +
                       ":15: [[notifier]] \"chat\": format = \"template\" needs 'template_file'\n");
}

TEST_CASE("templates: check-config warns when a JSON body template renders something that is not JSON",
          "[integration][templates]") {
    t::TempDir dir("tmpl-json");
    t::write_file(dir.file("chat.json.mustache"), "{\"text\": \"{{summary}}\",}\n");
    t::write_file(dir.file("config.toml"),
                  daemon_header(dir) + hook("chat", "http://127.0.0.1:9/x", "template", "chat.json.mustache"));
    auto r = t::run_cqcwatch({"check-config", "--config", dir.file("config.toml")}, dir);
    CHECK(r.code == 0);
    INFO(r.err);
    CHECK(r.err.find(dir.file("config.toml") + ":10: warning: [[notifier]] \"chat\": template_file: " +
                     dir.file("chat.json.mustache") + ": the body for assessment.published is not JSON (") !=
          std::string::npos);
}

TEST_CASE("templates: SIGHUP with a broken template keeps the running config and its template",
          "[daemon][e2e][templates]") {
    t::Rig rig;
    const std::string tmpl = rig.dir.file("chat.json.mustache");
    t::write_file(tmpl, "{\"text\": \"v1 {{council}} {{rating_label}}\"}\n");
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("hook", rig.receiver.url(), rig.secret_file(),
                                                  "format = \"template\"\ntemplate_file = \"" + tmpl + "\"\n"));
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    rig.site.publish(t::report("devon-1126", "Devon County Council", "inadequate", {1, 2, 1, 2, 1, 1, 2, 1, 1}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() == 1; }, 30s));
    CHECK(t::body_of(rig.receiver.delivered()[0])["text"] == "v1 Devon Inadequate");

    t::write_file(tmpl, "{\"text\": \"v2 {{councill}}\"}\n");
    daemon->signal(SIGHUP);
    REQUIRE(daemon->wait_stderr("keeping the running config", 10s));
    CHECK(daemon->stderr_text().find(tmpl + ":1: unknown variable 'councill' (did you mean 'council'?)") !=
          std::string::npos);
    rig.site.publish(t::report("kent-1126", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() == 2; }, 30s));
    CHECK(t::body_of(rig.receiver.delivered()[1])["text"] == "v1 Kent Good");
    CHECK(daemon->running());
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
