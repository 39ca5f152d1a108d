#include "parsers/mail_text.hpp"

#include <cctype>

namespace cqcwatch {

namespace {

std::string_view line_at(std::string_view s, std::size_t pos) {
    const auto end = s.find('\n', pos);
    std::string_view line = s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

/// "Name: value": a field name of printable ASCII other than ':' and space, then a colon (RFC 5322 2.2).
bool is_header_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] > ' ' && line[i] < 0x7f && line[i] != ':') ++i;
    return i > 0 && i < line.size() && line[i] == ':';
}

/// The line without its leading quote markers (">", "> >", ">>").
std::string_view unquoted(std::string_view line) {
    std::size_t start = 0;
    for (std::size_t i = 0;;) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i >= line.size() || line[i] != '>') break;
        start = ++i;
    }
    if (start > 0 && start < line.size() && line[start] == ' ') ++start;
    return line.substr(start);
}

/// "---------- Forwarded message ---------", "-----Original Message-----", "Begin forwarded message:".
bool is_forward_banner(std::string_view line) {
    const std::string l = ascii_lower(normalise_text(line));
    return (l.starts_with("-") &&
            (l.find("forwarded message") != std::string::npos || l.find("original message") != std::string::npos)) ||
           l.starts_with("begin forwarded message");
}

void add_block(Document& doc, BlockKind kind, std::string_view raw) {
    std::string text = normalise_text(raw);
    if (text.empty()) return;
    if (doc.title.empty()) doc.title = text;
    doc.blocks.push_back(Block{kind, std::move(text), {}});
}

}  // namespace

std::string_view without_mbox_from(std::string_view message) {
    if (!message.starts_with("From ")) return message;
    const auto end = message.find('\n');
    return end == std::string_view::npos ? std::string_view() : message.substr(end + 1);
}

std::string with_header_end(std::string_view message) {
    std::size_t pos = 0;
    bool any_header = false;
    while (pos < message.size()) {
        const std::string_view line = line_at(message, pos);
        if (line.empty()) break;  // the blank line is there
        const bool continuation = line[0] == ' ' || line[0] == '\t';
        if (!(is_header_line(line) || (continuation && any_header))) {
            if (!any_header) break;  // no headers at all: not ours to repair
            const bool crlf = pos >= 2 && message[pos - 2] == '\r';
            std::string out(message.substr(0, pos));
            out += crlf ? "\r\n" : "\n";
            out.append(message.substr(pos));
            return out;
        }
        any_header = true;
        const auto end = message.find('\n', pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return std::string(message);
}

std::string html_declared_utf8(std::string_view html) {
    const std::string lower = ascii_lower(html);
    std::string out;
    out.reserve(html.size());
    std::size_t copied = 0;
    for (std::size_t meta = lower.find("<meta"); meta != std::string::npos; meta = lower.find("<meta", meta + 5)) {
        const auto close = lower.find('>', meta);
        const auto charset = lower.find("charset=", meta);
        if (close == std::string::npos || charset == std::string::npos || charset > close) continue;
        std::size_t value = charset + 8;
        while (value < close && (lower[value] == '"' || lower[value] == '\'' || lower[value] == ' ')) ++value;
        std::size_t value_end = value;
        while (value_end < close && (std::isalnum(static_cast<unsigned char>(lower[value_end])) ||
                                     lower[value_end] == '-' || lower[value_end] == '_' || lower[value_end] == ':'))
            ++value_end;
        out.append(html.substr(copied, value - copied));
        out += "utf-8";
        copied = value_end;
    }
    out.append(html.substr(copied));
    return out;
}

Document plain_mail_to_document(std::string_view text) {
    Document doc;
    bool forward_headers = false;  // the From:/Date:/Subject: lines under a forward's banner
    for (std::size_t pos = 0; pos <= text.size();) {
        const std::string_view line = unquoted(line_at(text, pos));
        if (forward_headers) forward_headers = is_header_line(line) || line.starts_with(' ');
        if (forward_headers || is_forward_banner(line)) {
            forward_headers = true;  // the forwarded message's own Date would read as the release's dateline
        } else if (line.find('\t') == std::string_view::npos) {
            add_block(doc, BlockKind::line, line);
        } else {
            // A table pasted from a word processor: one cell per tab-separated field.
            for (std::size_t start = 0; start <= line.size();) {
                const auto tab = line.find('\t', start);
                const auto end = tab == std::string_view::npos ? line.size() : tab;
                add_block(doc, BlockKind::cell, line.substr(start, end - start));
                start = end + 1;
            }
        }
        const auto end = text.find('\n', pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return doc;
}

}  // namespace cqcwatch
