#include <catch2/catch.hpp>

#include <algorithm>

#include <string>
#include <vector>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"
#include "parsers/parse.hpp"
#include "support/parser_fixtures.hpp"

using namespace cqcwatch;
using cqcwatch::test::parser_fixture;

namespace {

std::vector<std::string> texts(const Document& doc) {
    std::vector<std::string> out;
    for (const auto& b : doc.blocks) {
        out.push_back(b.text);
    }
    return out;
}

const std::string k_title =
    "Embargoed: CQC rates Kent County Council's adult social care provision as requires improvement";

}  // namespace

TEST_CASE("email: multipart/alternative prefers the HTML part - Subject decoded from RFC 2047", "[parsers][email]") {
    const auto r = email_to_document_with_meta(parser_fixture("email-kent-alternative.eml"), "");
    REQUIRE(r);
    const auto& [doc, meta] = *r;
    CHECK(doc.title == k_title);
    CHECK(meta.subject == k_title);
    CHECK(meta.date == "Thu, 22 May 2025 10:15:00 +0100");
    REQUIRE(meta.date_parsed);
    CHECK(meta.date_parsed->iso() == "2025-05-22");
    CHECK(meta.message_id == "kent-0525-release@cqc.example.org");
    CHECK(meta.from == "CQC Press Office <press@cqc.example.org>");
    const auto t = texts(doc);
    REQUIRE(t.size() == 32);
    CHECK(t[0] == "22 May 2025");
    CHECK(t[1] == "Press release embargoed until 00.01hrs on Friday 23 May");
    CHECK(t[2] == "View this release in the newsroom");
    CHECK(t[3] == "CQC rates Kent County Council's adult social care provision as requires improvement");
    CHECK(t[6] == "Theme");
    CHECK(t[9] == "How the local authority works with people");
    CHECK(t[10] == "1. assessing people's needs");
    CHECK(t[11] == "2");
    CHECK(doc.blocks[9].kind == BlockKind::cell);
    CHECK(t.back() == "The assessment will be published on CQC's website on Friday 23 May.");
    REQUIRE(doc.links.size() == 1);
    CHECK(doc.links[0].url == "https://cqc-newsroom.prgloo.com/news/embargoed-cqc-rates-kent");
}

TEST_CASE("email: base64 text-only message decodes to lines", "[parsers][email]") {
    const auto doc = email_to_document(parser_fixture("email-kent-base64.eml"), "");
    REQUIRE(doc);
    CHECK(doc->title == k_title);
    const std::vector<std::string> expected = {
        "22 May 2025",
        "Press release embargoed until 00.01hrs on Friday 23 May",
        "CQC rates Kent County Council's adult social care provision as requires improvement",
        "The Care Quality Commission (CQC) has rated Kent County Council as requires improvement, in how well they are "
        "meeting their responsibilities to ensure people have access to adult social care and support under the Care "
        "Act (2014).",
        "CQC scored nine quality statements across four themes, each out of four, where one means the evidence shows "
        "significant shortfalls and four an exceptional standard.",
        "1. assessing people's needs - 2",
        "2. supporting people to lead healthier lives - 2",
        "3. equity in experience and outcomes - 3",
        "4. care provision, integration and continuity of care - 2",
        "5. partnership and communities - 2",
        "6. safe pathways, systems and transitions - 2",
        "7. safeguarding - 2",
        "8. governance, management and sustainability - 2",
        "9. learning, improvement and innovation - 3",
        "The assessment will be published on CQC's website on Friday 23 May.",
    };
    CHECK(texts(*doc) == expected);
    CHECK(doc->blocks[0].kind == BlockKind::line);
}

TEST_CASE("email: charsets, forwarded messages and attachments", "[parsers][email]") {
    const std::string latin1 =
        "Subject: =?ISO-8859-1?Q?Caf=E9?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nCouncil=92s caf=E9\r\n";
    const auto l = email_to_document(latin1, "");
    REQUIRE(l);
    CHECK(l->title == "Caf\xC3\xA9");
    CHECK(texts(*l) == std::vector<std::string>{"Council's caf\xC3\xA9"});

    const std::string forwarded =
        "Subject: Fwd: release\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
        "--outer\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
        "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
        "Subject: Embargoed: release\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Press release embargoed until 00.01hrs on Friday 23 January</p>\r\n"
        "--outer\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Disposition: attachment; "
        "filename=\"notes.txt\"\r\n\r\n"
        "attached notes\r\n--outer--\r\n";
    const auto f = email_to_document(forwarded, "");
    REQUIRE(f);
    CHECK(f->title == "Fwd: release");
    CHECK(texts(*f) ==
          std::vector<std::string>{"See below.", "Press release embargoed until 00.01hrs on Friday 23 January"});

    const std::string only_attachment =
        "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
        "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=r.txt\r\n\r\nthe "
        "release\r\n--b--\r\n";
    const auto a = email_to_document(only_attachment, "");
    REQUIRE(a);
    CHECK(texts(*a) == std::vector<std::string>{"the release"});

    const auto none = email_to_document("Subject: pic\r\nContent-Type: image/png\r\n\r\nxxxx\r\n", "");
    REQUIRE(none);
    CHECK(none->blocks.empty());
    CHECK(none->warnings == std::vector<std::string>{"no text/plain or text/html part in the message"});
}

TEST_CASE("email: bad input is an error or an empty document, never a crash", "[parsers][email]") {
    CHECK(email_to_document("", "").error().message == "empty document");
    CHECK(email_to_document("hello world\nno headers here", "").error().message ==
          "not a MIME message: expected RFC 5322 headers, found none");
    std::string noise;
    for (int i = 0; i < 8192; ++i) {
        noise += static_cast<char>((i * 7919 + 13) % 256);
    }
    (void)email_to_document(noise, "");
    const auto truncated = email_to_document(
        "Subject: t\r\nContent-Type: multipart/alternative; boundary=z\r\n\r\n--z\r\nContent-Type: "
        "text/html\r\n\r\n<p>cut",
        "");
    REQUIRE(truncated);
    CHECK(texts(*truncated) == std::vector<std::string>{"cut"});

    std::string nested = "Subject: deep\r\nMIME-Version: 1.0\r\n";
    for (int i = 0; i < 5000; ++i) {
        nested += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) +
                  "\r\n";
    }
    CHECK(email_to_document(nested, "").error().message ==
          "not a usable MIME message: more than 200 multipart/message parts");
}

namespace {

/// What every real-client copy of the Walsall-shaped release in the mail-*.eml fixtures must yield.
void check_walsall_release(const std::string& fixture) {
    INFO(fixture);
    ParseOptions options;
    const auto r = parse_document(parser_fixture(fixture), options, Authorities::builtin());
    REQUIRE(r);
    CHECK(r->kind == DocKind::press_release);
    CHECK(r->warnings.empty());
    for (const auto& w : r->warnings) UNSCOPED_INFO(w);
    REQUIRE(r->authority);
    CHECK(r->authority->name == "Walsall");
    REQUIRE(r->assessment);
    REQUIRE(r->assessment->rating);
    CHECK(to_key(*r->assessment->rating) == "requires_improvement");
    std::vector<int> scores;
    for (const auto& s : r->assessment->scores) scores.push_back(s ? *s : 0);
    CHECK(scores == std::vector<int>{2, 2, 3, 2, 2, 2, 2, 2, 3});
    REQUIRE(r->embargo);
    CHECK(r->embargo->resolved);
    CHECK(r->embargo->until_utc == "2026-01-23T00:01:00Z");
    REQUIRE(r->published);
    CHECK(r->published->iso() == "2026-01-22");
}

}  // namespace

TEST_CASE("email: real clients' shapes of one release all yield its council, rating, scores and embargo",
          "[parsers][email]") {
    for (const char* fixture :
         {"mail-outlook.eml", "mail-latin1-b64.eml", "mail-nbsp-plain.eml", "mail-reply.eml", "mail-fwd-rfc822.eml",
          "mail-fwd-inline.eml", "mail-tabs.eml", "mail-ct-text.eml", "mail-noblank.eml", "mail-mbox-from.eml"})
        check_walsall_release(fixture);
}

TEST_CASE("email: an Outlook HTML part is not decoded twice by its <meta charset>", "[parsers][email]") {
    const auto doc = email_to_document(parser_fixture("mail-outlook.eml"), "");
    REQUIRE(doc);
    const auto t = texts(*doc);
    CHECK(std::find(t.begin(), t.end(), "Press release embargoed until 00.01hrs on Friday 23 January") != t.end());
    CHECK(std::find(t.begin(), t.end(), "1. assessing people's needs") != t.end());
    for (const auto& line : t) CHECK(line.find("\xC3\xA2\xE2\x82\xAC") == std::string::npos);  // "â€"
}
