#include "notifiers/mime_message.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>

#include <date/date.h>

#include "events/display.hpp"
#include "notifiers/mail_address.hpp"
#include "notifiers/render.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_fold_width = 78;
constexpr std::size_t k_qp_width = 76;
constexpr std::size_t k_word_payload = 63;  // 75 minus "=?UTF-8?Q?" and "?="

bool is_plain_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f;
    });
}

// One UTF-8 character (or stray byte) in RFC 2047 "Q" form.
std::string q_char(std::string_view ch) {
    if (ch == " ") return "_";
    auto c = static_cast<unsigned char>(ch[0]);
    if (ch.size() == 1 && (std::isalnum(c) || std::strchr("!*+-/", c))) return std::string(ch);
    std::string out;
    char buf[4];
    for (char b : ch) {
        std::snprintf(buf, sizeof buf, "=%02X", static_cast<unsigned char>(b));
        out += buf;
    }
    return out;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return n;
}

// Q-encoded words, each whole characters and at most 75 long. Q rather than B:
// GMime joins adjacent B words before decoding and stops at a word's "=" padding.
std::vector<std::string> q_words(std::string_view utf8) {
    std::vector<std::string> words;
    std::string payload;
    auto flush = [&] {
        if (!payload.empty()) words.push_back("=?UTF-8?Q?" + payload + "?=");
        payload.clear();
    };
    while (!utf8.empty()) {
        std::size_t n = utf8_length(utf8);
        std::string piece = q_char(utf8.substr(0, n));
        if (payload.size() + piece.size() > k_word_payload) flush();
        payload += piece;
        utf8.remove_prefix(n);
    }
    flush();
    return words;
}

// Joins words with spaces, starting a new CRLF-SP line before a word that would pass the width.
std::string fold_words(std::vector<std::string> words, std::size_t first_used) {
    std::string out;
    std::size_t used = first_used;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) {
            if (used + 1 + words[i].size() > k_fold_width) {
                out += "\r\n";
                used = 0;
            }
            out += ' ';
            ++used;
        }
        out += words[i];
        used += words[i].size();
    }
    return out;
}

std::vector<std::string> split_spaces(std::string_view s) {
    std::vector<std::string> words;
    std::istringstream in{std::string(s)};
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

std::string hex_byte(unsigned char c) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "=%02X", c);
    return buf;
}

// One input line (no line end) as quoted-printable with soft breaks.
std::string qp_line(std::string_view line) {
    std::string out;
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        auto c = static_cast<unsigned char>(line[i]);
        bool last = i + 1 == line.size();
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
        std::string piece = literal ? std::string(1, static_cast<char>(c)) : hex_byte(c);
        if (col + piece.size() > k_qp_width - 1) {  // leave room for the soft-break "="
            out += "=\r\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    }
    return out;
}

// A stable boundary: "=_" never occurs in quoted-printable text, so no body can contain it.
std::string boundary_for(std::string_view message_id) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "=_cqcwatch_%016zx", std::hash<std::string_view>{}(message_id));
    return buf;
}

void add_part(std::string& out, const std::string& boundary, const char* type, const std::string& body) {
    out += "--" + boundary + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += quoted_printable(body) + "\r\n";
}

}  // namespace

std::string encode_header_value(std::string_view name, std::string_view utf8) {
    std::size_t used = name.size() + 2;
    if (is_plain_ascii(utf8)) return fold_words(split_spaces(utf8), used);
    return fold_words(q_words(utf8), used);
}

std::string quoted_printable(std::string_view utf8) {
    std::string out;
    std::size_t start = 0;
    while (start <= utf8.size()) {
        std::size_t end = utf8.find('\n', start);
        std::string_view line =
            utf8.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out += qp_line(line);
        if (end == std::string_view::npos) break;
        out += "\r\n";
        start = end + 1;
    }
    return out;
}

std::string rfc5322_date(std::string_view rfc3339_utc) {
    auto tp = parse_rfc3339(rfc3339_utc);
    if (!tp) return {};
    return date::format("%a, %d %b %Y %H:%M:%S +0000", std::chrono::floor<std::chrono::seconds>(*tp));
}

std::string rfc5322_date(std::int64_t unix_seconds) {
    return date::format("%a, %d %b %Y %H:%M:%S +0000", date::sys_seconds{std::chrono::seconds{unix_seconds}});
}

std::string message_id_for(std::string_view event_id, std::string_view domain) {
    auto dot_atom = [](std::string_view s, std::string_view extra) {
        std::string out;
        for (char c : s)
            if (std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos) out += c;
        return out;
    };
    std::string local = dot_atom(event_id, "_-.");
    std::string host = dot_atom(domain, "-.");
    return "<" + (local.empty() ? std::string("evt") : local) + "@" + (host.empty() ? "cqcwatch.invalid" : host) + ">";
}

std::string bare_address(std::string_view mailbox) {
    auto parsed = parse_mailboxes(mailbox);
    return parsed && !parsed->empty() ? parsed->front().address : std::string();
}

std::string address_domain(std::string_view mailbox) {
    const std::string address = bare_address(mailbox);
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string() : address.substr(at + 1);
}

std::string build_mime_message(const MailMessage& m) {
    std::string boundary = boundary_for(m.message_id);
    std::string out;
    out += "Date: " + m.date + "\r\n";
    out += "From: " + encode_address_header("From", {m.from}) + "\r\n";
    out += "To: " + encode_address_header("To", m.to) + "\r\n";
    out += "Subject: " + encode_header_value("Subject", m.subject) + "\r\n";
    out += "Message-ID: " + m.message_id + "\r\n";
    for (const auto& h : m.extra_headers) out += h + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "This is a multipart message in MIME format.\r\n\r\n";
    add_part(out, boundary, "text/plain", m.text);
    if (!m.html.empty()) add_part(out, boundary, "text/html", m.html);
    out += "--" + boundary + "--\r\n";
    return out;
}

MailMessage mail_for_event(const Event& event, const std::string& from, const std::vector<std::string>& to) {
    MailMessage m;
    m.from = from;
    m.to = to;
    m.subject = render_summary(event);
    m.date = rfc5322_date(event.occurred_at);
    m.message_id = message_id_for(event.id, address_domain(from));
    // RFC 3834: an alert is machine-made, so no vacation responder or list answers it.
    m.extra_headers = {"Auto-Submitted: auto-generated", "X-Cqcwatch-Event: " + event.type,
                       "X-Cqcwatch-Delivery: " + event.id};
    m.text = render_text(event);
    m.html = render_html(event);
    return m;
}

}  // namespace cqcwatch
