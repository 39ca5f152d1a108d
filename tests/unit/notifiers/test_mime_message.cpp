#include <catch2/catch.hpp>

#include "notifiers/mime_message.hpp"
#include "notifiers/render.hpp"
#include "support/mail_parse.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

namespace {

std::string walsall_message(const Event& e) {
    return build_mime_message(
        mail_for_event(e, "CQC watch <cqcwatch@example.org>", {"editor@example.org", "Desk <desk@example.org>"}));
}

}  // namespace

TEST_CASE("notifiers mime: message parses back with headers and both parts", "[notifiers][mime]") {
    auto raw = walsall_message(test::walsall_event(event_type::assessment_published));
    CHECK(test::crlf_and_short_lines(raw));
    auto m = test::parse_mail(raw);
    REQUIRE(m.ok);
    CHECK(m.subject == "CQC: Walsall rated Requires improvement (53%)");
    CHECK(m.message_id == "evt_walsall_1@example.org");
    CHECK(m.date == "Fri, 23 Jan 2026 00:01:00 +0000");
    CHECK(m.to == std::vector<std::string>{"editor@example.org", "desk@example.org"});
    CHECK(m.top_type == "multipart/alternative");
    CHECK(m.part_types == std::vector<std::string>{"text/plain", "text/html"});
    CHECK(m.text.find("Safeguarding: 2/4\n") != std::string::npos);
    CHECK(m.text.find("Learning, improvement and innovation: 3") != std::string::npos);
    CHECK(m.html.find("<td>Safeguarding</td><td>2/4</td>") != std::string::npos);
    CHECK(raw.find("MIME-Version: 1.0\r\n") != std::string::npos);
    CHECK(raw.find("X-Cqcwatch-Delivery: evt_walsall_1\r\n") != std::string::npos);
    CHECK(raw.find("\r\nAuto-Submitted: auto-generated\r\n") != std::string::npos);
}

TEST_CASE("notifiers mime: a display name outside ASCII is encoded, the address never is", "[notifiers][mime]") {
    auto m = mail_for_event(test::walsall_event(event_type::assessment_published), "CQC W\u00e4tch <cqcwatch@example.org>",
                            {"\u00c9dith Desk <desk@example.org>", "plain@example.org", "\"Smith, J\" <js@example.org>"});
    auto raw = build_mime_message(m);
    const auto from = raw.substr(raw.find("\r\nFrom: ") + 2);
    CHECK(from.substr(0, from.find("\r\n")).find(" <cqcwatch@example.org>") != std::string::npos);
    CHECK(from.substr(0, from.find("\r\n")).find("=?") != std::string::npos);
    CHECK(test::crlf_and_short_lines(raw));
    for (unsigned char c : raw.substr(0, raw.find("\r\n\r\n"))) CHECK(c < 0x80);
    auto parsed = test::parse_mail(raw);
    REQUIRE(parsed.ok);
    CHECK(parsed.to == std::vector<std::string>{"desk@example.org", "plain@example.org", "js@example.org"});
}

TEST_CASE("notifiers mime: a UTF-8 subject is RFC 2047 encoded and decodes to the original", "[notifiers][mime]") {
    auto e = test::walsall_event(event_type::assessment_updated);
    e.body["previous"] = e.body["assessment"];
    e.body["previous"]["scores"][6]["score"] = 3;
    std::string expected = "CQC: Walsall rated Requires improvement (53%) changed: Safeguarding 3/4→2/4";
    REQUIRE(render_summary(e) == expected);
    auto raw = walsall_message(e);
    CHECK(raw.find("Subject: =?UTF-8?Q?") != std::string::npos);
    CHECK(test::crlf_and_short_lines(raw));
    CHECK(test::parse_mail(raw).subject == expected);
}

TEST_CASE("notifiers mime: long subjects fold and stay intact", "[notifiers][mime]") {
    std::string ascii(30, 'x');
    std::string subject = "CQC: " + ascii + " " + ascii + " " + ascii + " " + ascii;
    MailMessage m{
        "a@example.org", {"b@example.org"}, subject, rfc5322_date(std::int64_t{0}), "<x@cqcwatch>", {}, "t", "h"};
    auto raw = build_mime_message(m);
    auto header_end = raw.find("\r\n\r\n");
    for (std::size_t s = 0, nl; (nl = raw.find("\r\n", s)) <= header_end; s = nl + 2) CHECK(nl - s <= 78);
    CHECK(test::parse_mail(raw).subject == subject);
    std::string utf8;
    for (int i = 0; i < 40; ++i) utf8 += "é→ ";
    m.subject = utf8;
    CHECK(test::parse_mail(build_mime_message(m)).subject == utf8);
}

TEST_CASE("notifiers mime: quoted-printable keeps long lines, = and trailing spaces safe", "[notifiers][mime]") {
    std::string line(200, 'a');
    auto qp = quoted_printable(line + "\nx = y \nnaïve");
    CHECK(qp.find("=\r\n") != std::string::npos);
    CHECK(qp.find("x =3D y=20\r\n") != std::string::npos);
    CHECK(qp.find("na=C3=AFve") != std::string::npos);
    for (std::size_t s = 0, nl; (nl = qp.find("\r\n", s)) != std::string::npos; s = nl + 2) CHECK(nl - s <= 76);
}

TEST_CASE("notifiers mime: ids, dates and addresses", "[notifiers][mime]") {
    CHECK(message_id_for("evt_01J<bad>", "news.example.org") == "<evt_01Jbad@news.example.org>");
    CHECK(message_id_for("evt_1", "") == "<evt_1@cqcwatch.invalid>");
    CHECK(address_domain("Desk <desk@news.example.org>") == "news.example.org");
    CHECK(rfc5322_date("2026-06-04T23:01:00Z") == "Thu, 04 Jun 2026 23:01:00 +0000");
    CHECK(rfc5322_date("junk").empty());
    CHECK(bare_address("Desk <desk@example.org>") == "desk@example.org");
    CHECK(bare_address(" ed@example.org ") == "ed@example.org");
}
