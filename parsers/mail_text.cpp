#include "parsers/mail_text.hpp"

#include <algorithm>
#include <map>
#include <cctype>
#include <string>
#include <vector>

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

/// "|---|:---:|": a Markdown table's rule under its header.
bool is_table_rule(std::string_view line) {
    return line.find('-') != std::string_view::npos &&
           line.find_first_not_of("|-:+= \t") == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// A table row as a mail client flattens one: cells between bars ("| a | b |", "a | b"), tabs,
/// a run of three or more spaces, or dot leaders ("Safeguarding ....... 3"). Fewer than two cells: not a row.
std::vector<std::string> row_cells(std::string_view line) {
    std::vector<std::string> cells;
    auto split_on = [&](auto at_separator) {
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size();) {
            std::size_t sep_len = i < line.size() ? at_separator(i) : 1;
            if (i == line.size() || sep_len > 0) {
                const auto cell = trim(line.substr(start, i - start));
                if (!cell.empty()) cells.emplace_back(cell);
                i += sep_len;
                start = i;
            } else {
                ++i;
            }
        }
    };
    if (line.find('|') != std::string_view::npos) {
        split_on([&](std::size_t i) -> std::size_t { return line[i] == '|' ? 1 : 0; });
    } else if (line.find('\t') != std::string_view::npos) {
        split_on([&](std::size_t i) -> std::size_t { return line[i] == '\t' ? 1 : 0; });
    } else {
        split_on([&](std::size_t i) -> std::size_t {
            std::size_t n = 0;
            if (line[i] == '.' || (line[i] == ' ' && i + 1 < line.size() && line[i + 1] == '.')) {
                std::size_t dots = 0;
                while (i + n < line.size() && (line[i + n] == '.' || line[i + n] == ' ')) dots += line[i + n] == '.', ++n;
                return dots >= 4 ? n : 0;
            }
            while (i + n < line.size() && line[i + n] == ' ') ++n;
            return n >= 3 ? n : 0;
        });
    }
    if (cells.size() < 2) cells.clear();
    return cells;
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

namespace {

/// A text hard-wrapped by a client (not format=flowed) rejoined: where most long lines end near
/// one width (64-80 columns), a line that ends near it and is followed by a line starting in lower
/// case (or a short fragment: "4)"), which would not have fitted after it, is one line broken in two.
std::string unwrapped(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos <= text.size();) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        pos = end + 1;
    }
    std::size_t width = 0;
    for (const auto l : lines) {
        // A long line with spaces in it: the text was not wrapped (or was unflowed already).
        if (l.size() > 80 && l.find(' ') != std::string_view::npos) return std::string(text);
        width = std::max(width, l.size());
    }
    const auto near = std::count_if(lines.begin(), lines.end(), [&](auto l) { return l.size() + 12 >= width && l.size() <= width; });
    if (width < 64 || near < 3) return std::string(text);
    // The cells a table's whole rows have (the most that two or more lines have): a row wrapped in two
    // has fewer, and so has its tail.
    std::map<std::size_t, std::size_t> widths;
    for (const auto l : lines)
        if (const auto n = row_cells(l).size(); n >= 2) ++widths[n];
    std::size_t table_width = 0;
    for (const auto& [n, count] : widths)
        if (count >= 2) table_width = n;
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += lines[i];
        const bool last = i + 1 == lines.size();
        if (!last) {
            const auto next = lines[i + 1];
            const auto first_word = next.substr(0, std::min(next.find(' '), next.size()));
            const bool continues = lines[i].size() + 20 >= width && !next.empty() &&
                                   (std::islower(static_cast<unsigned char>(next[0])) != 0 || next.size() <= 12) &&
                                   lines[i].size() + 1 + first_word.size() > width && lines[i].back() != '.' &&
                                   !is_table_rule(next);
            const auto here = row_cells(lines[i]).size(), there = row_cells(next).size();
            const bool row_tail = there == 0 || (here >= 1 && here < table_width && here + there - 1 == table_width);
            out += continues && row_tail ? " " : "\n";
        }
    }
    return out;
}

}  // namespace

Document plain_mail_to_document(std::string_view original) {
    const std::string text_copy = unwrapped(original);
    const std::string_view text = text_copy;
    Document doc;
    bool forward_headers = false;  // the From:/Date:/Subject: lines under a forward's banner
    bool in_table = false;         // the lines since a table's header row are its rows
    std::vector<std::string> headers;
    std::size_t groups = 0;
    for (std::size_t pos = 0; pos <= text.size();) {
        const std::string_view line = unquoted(line_at(text, pos));
        if (forward_headers) forward_headers = is_header_line(line) || line.starts_with(' ');
        if (forward_headers || is_forward_banner(line)) {
            forward_headers = true;  // the forwarded message's own Date would read as the release's dateline
        } else if (is_table_rule(line) && !normalise_text(line).empty()) {
            // the rule under a Markdown table's header: not text
        } else if (auto cells = row_cells(line); !cells.empty()) {
            // One row of a table a client flattened: its cells share a group, under the header row's names.
            bool header = false;
            for (const auto& c : cells) header = header || ascii_lower(c) == "score" || ascii_lower(c).starts_with("score ");
            if (header && !in_table) headers = cells;
            const std::size_t group = ++groups;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                std::string t = normalise_text(cells[i]);
                if (t.empty()) continue;
                if (doc.title.empty()) doc.title = t;
                Block b{BlockKind::cell, std::move(t), {}};
                b.group = group;
                b.column = i + 1;
                if (!header && i < headers.size()) b.header = normalise_text(headers[i]);
                doc.blocks.push_back(std::move(b));
            }
            in_table = true;
        } else {
            if (!normalise_text(line).empty()) {
                in_table = false;
                headers.clear();
            }
            add_block(doc, BlockKind::line, line);
        }
        const auto end = text.find('\n', pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return doc;
}

}  // namespace cqcwatch
