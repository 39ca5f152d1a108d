#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "events/samples.hpp"
#include "fakes/fake_http_client.hpp"
#include "notifiers/exec.hpp"
#include "notifiers/factory.hpp"
#include "notifiers/email.hpp"
#include "notifiers/message_template.hpp"
#include "notifiers/mime_message.hpp"
#include "notifiers/render.hpp"
#include "notifiers/template_data.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

namespace {

const std::vector<TemplatePartSpec> k_email{{"subject", true, TemplateEscape::none},
                                            {"text", true, TemplateEscape::none},
                                            {"html", false, TemplateEscape::html}};
const std::vector<TemplatePartSpec> k_body{{"body", true, TemplateEscape::json}};

std::vector<std::string> errors_of(const std::string& text, const std::vector<TemplatePartSpec>& parts = k_body) {
    auto t = MessageTemplate::compile(text, parts);
    std::vector<std::string> out;
    if (!t)
        for (const auto& e : t.error()) out.push_back(e.text("t.mustache"));
    return out;
}

std::string shipped(const std::string& name) {
    std::ifstream in(std::string(CQCWATCH_SOURCE_DIR) + "/notifiers/templates/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("notifiers template: the words of cqcwatch's alerts beside the event's own fields", "[notifiers][template]") {
    auto t = MessageTemplate::compile(
        "CQC: {{council}} {{rating_short}}{{#previous_rating_label}} - was {{.}}{{/previous_rating_label}} - "
        "embargo {{embargo_clock}}, do not publish before|{{authority.code}}|{{assessment.rating}}|"
        "{{#statements}}{{name}} {{score_text}};{{/statements}}|{{embargo_uk}}",
        {{"body", true, TemplateEscape::none}});
    REQUIRE(t);
    Event e = test::walsall_event(event_type::embargo_scheduled);
    e.body["previous"] = {{"rating", "good"}};
    CHECK(t->render("body", e) ==
          "CQC: Walsall RI - was Good - embargo 00:01 GMT, do not publish before|E08000030|requires_improvement|"
          "Assessing needs 2/4;Supporting people to lead healthier lives 2/4;Equity in experience and outcomes 2/4;"
          "Care provision, integration and continuity 2/4;Partnerships and communities 2/4;"
          "Safe pathways, systems and transitions 2/4;Safeguarding 2/4;Governance, management and sustainability 2/4;"
          "Learning, improvement and innovation 3/4;|Friday 23 January 2026 00:01 GMT");
}

TEST_CASE("notifiers template: values are escaped for the target, and not in triple braces", "[notifiers][template]") {
    Event e = test::walsall_event();
    e.body["authority"]["name"] = "A & B <\"Council\">";
    const std::string text = "{{council}}|{{{council}}}";
    auto html = MessageTemplate::compile(text, {{"body", true, TemplateEscape::html}});
    auto json = MessageTemplate::compile(text, {{"body", true, TemplateEscape::json}});
    auto slack = MessageTemplate::compile(text, {{"body", true, TemplateEscape::slack}});
    auto none = MessageTemplate::compile(text, {{"body", true, TemplateEscape::none}});
    REQUIRE((html && json && slack && none));
    CHECK(html->render("body", e) == "A &amp; B &lt;&quot;Council&quot;&gt;|A & B <\"Council\">");
    CHECK(json->render("body", e) == "A & B <\\\"Council\\\">|A & B <\"Council\">");
    CHECK(slack->render("body", e) == "A &amp; B &lt;\"Council\"&gt;|A & B <\"Council\">");
    CHECK(none->render("body", e) == "A & B <\"Council\">|A & B <\"Council\">");
    auto body = MessageTemplate::compile("{\"text\": \"{{summary}} {{council}}\"}\n", k_body);
    REQUIRE(body);
    const auto parsed = nlohmann::json::parse(body->render("body", e));
    CHECK(parsed["text"] == render_summary(e) + " A & B <\"Council\">");
}

TEST_CASE("notifiers template: an unknown variable is named with its line and a suggestion", "[notifiers][template]") {
    CHECK(errors_of("{\n  \"text\": \"{{councl}}\",\n  \"x\": \"{{#authority}}{{nmae}}{{/authority}}\"\n}\n") ==
          std::vector<std::string>{"t.mustache:2: unknown variable 'councl' (did you mean 'council'?)",
                                   "t.mustache:3: unknown variable 'nmae' (did you mean 'name'?)"});
    CHECK(errors_of("{{#statements}}{{score_text}}{{/statements}}{{#scores}}{{/scores}}") ==
          std::vector<std::string>{"t.mustache:1: unknown section 'scores'"});
    CHECK(errors_of("{{authority.nmae}}") ==
          std::vector<std::string>{"t.mustache:1: unknown variable 'authority.nmae'"});
    CHECK(errors_of("{{> other}}") ==
          std::vector<std::string>{"t.mustache:1: partials ({{> other}}) are not supported: write the text in place"});
}

TEST_CASE("notifiers template: syntax errors and parts are reported at their line", "[notifiers][template]") {
    CHECK(errors_of("one\ntwo {{#council}}\nthree\n") ==
          std::vector<std::string>{"t.mustache:2: unclosed section \"council\""});
    CHECK(errors_of("{{! part: subject }}\n{{summary}}\n{{! part: text }}\nok\n{{council\n", k_email) ==
          std::vector<std::string>{"t.mustache:5: unclosed tag"});
    CHECK(errors_of("{{summary}}\n", k_email) ==
          std::vector<std::string>{"t.mustache:1: this notifier takes parts subject, text or html: begin each with a "
                                   "line {{! part: NAME }}"});
    CHECK(errors_of("{{! part: subject }}\nx\n{{! part: body }}\ny\n", k_email) ==
          std::vector<std::string>{"t.mustache:3: unknown part 'body' (this notifier takes subject, text or html)"});
    CHECK(errors_of("{{! part: subject }}\nx\n", k_email) ==
          std::vector<std::string>{"t.mustache: missing part 'text' (a line {{! part: text }} and its text)"});
}

TEST_CASE("notifiers template: every name the shipped templates use compiles against every event type",
          "[notifiers][template]") {
    CHECK(MessageTemplate::compile(shipped("email.mustache"), k_email));
    CHECK(MessageTemplate::compile(shipped("slack.mustache"), {{"text", true, TemplateEscape::slack}}));
    CHECK(MessageTemplate::compile(shipped("teams.mustache"), {{"text", true, TemplateEscape::none}}));
    auto newsdesk = MessageTemplate::compile(shipped("newsdesk.json.mustache"), k_body);
    REQUIRE(newsdesk);
    for (std::string_view type : sample_event_types()) {
        INFO(type);
        const Event e = *sample_event(type, std::chrono::system_clock::now());
        const auto body = nlohmann::json::parse(newsdesk->render("body", e));
        CHECK(body["text"].get<std::string>().rfind("[TEST] ", 0) == 0);
    }
    const auto lifted = nlohmann::json::parse(newsdesk->render("body", test::walsall_event()));
    CHECK(lifted["text"] ==
          "CQC: Walsall RI - embargo lifted 00:01 GMT "
          "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall");
}

TEST_CASE("notifiers template: the shipped email template is the built-in email, byte for byte",
          "[notifiers][template]") {
    auto email = MessageTemplate::compile(shipped("email.mustache"), k_email);
    REQUIRE(email);
    std::vector<Event> events{test::walsall_event()};
    for (std::string_view type : sample_event_types())
        events.push_back(*sample_event(type, std::chrono::system_clock::now()));
    Event unread = test::walsall_event(event_type::assessment_published);
    unread.body["assessment"]["unread"] = {"safeguarding"};
    unread.body["assessment"]["scores"][6]["score"] = nullptr;
    events.push_back(unread);
    for (const Event& e : events) {
        INFO(e.type);
        CHECK(email->render("subject", e) == render_summary(e) + "\n");
        CHECK(email->render("text", e) == render_text(e));
        CHECK(email->render("html", e) == render_html(e));
    }
}

TEST_CASE("notifiers template: an email notifier's message uses the template's subject, text and html",
          "[notifiers][template]") {
    NotifierConfig c;
    c.name = "desk";
    c.kind = NotifierKind::email;
    c.smtp_url = "smtp://127.0.0.1:25";
    c.from = "cqcwatch@example.org";
    c.to = {"desk@example.org"};
    c.template_file = "desk.mustache";
    c.template_text =
        "{{! part: subject }}\nCQC: {{council}}\n  {{rating_short}}\n{{! part: text }}\nHello {{council}}\n";
    asio::io_context io;
    CurlMulti multi{io};
    EmailNotifier n(c, multi, [] { return std::int64_t{0}; });
    const std::string m = n.message_for(test::walsall_event());
    CHECK(m.find("\r\nSubject: CQC: Walsall RI\r\n") != std::string::npos);
    CHECK(m.find("Hello Walsall") != std::string::npos);
    CHECK(m.find("text/html") == std::string::npos);
}

TEST_CASE("notifiers template: an exec notifier's stdin, and what the kind table says of a template",
          "[notifiers][template]") {
    asio::io_context io;
    NotifierConfig c;
    c.name = "run";
    c.kind = NotifierKind::exec;
    c.command = {"/bin/cat"};
    c.template_file = "run.mustache";
    c.template_text = "{{council}} {{rating_short}}\n";
    CHECK(ExecNotifier(c, io).rendered(test::walsall_event()) == "Walsall RI\n");

    CurlMulti multi{io};
    test::FakeHttpClient http;
    NotifierDeps deps{io, multi, http, [] { return std::int64_t{0}; }};
    NotifierConfig w;
    w.name = "chat";
    w.kind = NotifierKind::webhook;
    w.url = "https://chat.example.org/hook";
    w.format = WebhookFormat::template_body;
    CHECK(make_notifier(w, deps).error() == "notifier \"chat\": format = \"template\" needs 'template_file'");
    w.format = WebhookFormat::json;
    w.template_file = "t.mustache";
    w.template_text = "x";
    CHECK(make_notifier(w, deps).error() ==
          "notifier \"chat\": template_file does not apply to format = \"json\" (the event itself); use format = "
          "\"template\"");
    w.format = WebhookFormat::slack;
    w.template_text = "{{councl}}";
    CHECK(make_notifier(w, deps).error() ==
          "notifier \"chat\": template_file: t.mustache:1: unknown variable 'councl' (did you mean 'council'?)");
    w.template_text = "{{council}}";
    CHECK(make_notifier(w, deps).has_value());
}
