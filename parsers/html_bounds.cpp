#include "parsers/html_bounds.hpp"

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <vector>

namespace cqcwatch {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool name_char(char c) { return letter(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' || c == '.'; }

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    for (const auto n : names)
        if (n == name) return true;
    return false;
}

bool void_element(std::string_view name) {
    return one_of(name, {"area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex",
                         "link", "meta", "param", "source", "track", "wbr"});
}

/// Start tags that end the open element before them, as libxml2 applies HTML's implied end tags
/// (<p>a<div>, <li>a<li>, <td>a<td>, <td>a<tr>); the rest of those rules only lower the depth.
bool ends(std::string_view open, std::string_view name) {
    if (open == "p")
        return one_of(name, {"p",     "div",    "ul",     "ol",         "dl",   "table",   "li",       "dt",
                             "dd",    "tr",     "td",     "th",         "h1",   "h2",      "h3",       "h4",
                             "h5",    "h6",     "pre",    "blockquote", "form", "hr",      "section",  "article",
                             "aside", "header", "footer", "nav",        "main", "address", "fieldset", "figure"});
    if (one_of(open, {"td", "th"})) return one_of(name, {"td", "th", "tr"});
    if (one_of(open, {"dt", "dd"})) return one_of(name, {"dt", "dd"});
    if (one_of(open, {"option"})) return one_of(name, {"option", "optgroup"});
    return open == name && one_of(name, {"li", "tr"});
}

/// Where "</name" (any case) starts at or after `from`, else the end.
std::size_t find_end_tag(std::string_view html, std::size_t from, std::string_view name) {
    for (std::size_t i = html.find("</", from); i != std::string_view::npos; i = html.find("</", i + 2)) {
        bool same = i + 2 + name.size() <= html.size();
        for (std::size_t k = 0; same && k < name.size(); ++k) same = lower(html[i + 2 + k]) == name[k];
        if (same) return i;
    }
    return html.size();
}

/// One tag's end ('>' or the end of the page) and its attribute count, quoted values skipped.
struct Tag {
    std::size_t end = 0;
    std::size_t attributes = 0;
    bool self_closed = false;  ///< "/>", which libxml2 honours in HTML too
};

Tag scan_tag(std::string_view html, std::size_t i) {
    Tag tag;
    bool in_token = false;
    bool after_equals = false;
    char quote = 0;
    for (; i < html.size(); ++i) {
        const char c = html[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
            after_equals = false;  // the quoted text was the value
        } else if (c == '>') {
            tag.end = i;
            tag.self_closed = i > 0 && html[i - 1] == '/';
            return tag;
        } else if (c == '=') {
            after_equals = true;
            in_token = false;
        } else if (space(c) || c == '/') {
            in_token = false;
        } else if (!in_token) {
            in_token = true;
            tag.attributes += after_equals ? 0 : 1;
            after_equals = false;
        }
    }
    tag.end = html.size();
    return tag;
}

class TagCounter {
public:
    TagCounter(std::string_view html, const MarkupBounds& bounds) : m_html(html), m_bounds(bounds) {}
    std::optional<ParseError> run();

private:
    std::optional<ParseError> start_tag(std::size_t at, std::size_t& i);
    std::optional<ParseError> end_tag(std::size_t at, std::size_t& i);
    std::string name_at(std::size_t& i) const;
    void push(std::string name);
    void pop();
    ParseError error(std::string what) const { return ParseError{std::move(what) + ": page not read"}; }

    std::string_view m_html;
    const MarkupBounds& m_bounds;
    std::vector<std::string> m_open;
    std::unordered_map<std::string, std::size_t> m_open_count;
    std::size_t m_pairs = 0;
    std::size_t m_steps = 0;
    std::size_t m_elements = 0;
};

std::string TagCounter::name_at(std::size_t& i) const {
    std::string name;
    for (; i < m_html.size() && name_char(m_html[i]); ++i) name += lower(m_html[i]);
    return name;
}

void TagCounter::push(std::string name) {
    ++m_open_count[name];
    m_open.push_back(std::move(name));
}

void TagCounter::pop() {
    --m_open_count[m_open.back()];
    m_open.pop_back();
}

std::optional<ParseError> TagCounter::start_tag(std::size_t at, std::size_t& i) {
    std::string name = name_at(i);
    const Tag tag = scan_tag(m_html, i);
    i = tag.end;
    if (tag.attributes > m_bounds.attributes)
        return error("element <" + name + "> at byte " + std::to_string(at) + " has " + std::to_string(tag.attributes) +
                     " attributes (limit " + std::to_string(m_bounds.attributes) + ")");
    m_pairs += tag.attributes * (tag.attributes - (tag.attributes > 0 ? 1 : 0)) / 2;
    if (m_pairs > m_bounds.attribute_pairs)
        return error("elements up to byte " + std::to_string(at) + " have attributes needing over " +
                     std::to_string(m_bounds.attribute_pairs) + " comparisons in all (too many attributes)");
    if (++m_elements > m_bounds.elements)
        return error("more than " + std::to_string(m_bounds.elements) + " elements (at byte " + std::to_string(at) +
                     ")");
    if (name == "script" || name == "style") {  // their text is not markup
        i = find_end_tag(m_html, i, name);
        return std::nullopt;
    }
    if (tag.self_closed || void_element(name)) return std::nullopt;
    while (!m_open.empty() && ends(m_open.back(), name)) pop();
    push(std::move(name));
    if (m_open.size() > m_bounds.depth)
        return error("elements nested more than " + std::to_string(m_bounds.depth) + " deep (<" + m_open.back() +
                     "> at byte " + std::to_string(at) + ")");
    return std::nullopt;
}

// libxml2 looks for an end tag's element among all open ones: one that closes nothing searches them all.
std::optional<ParseError> TagCounter::end_tag(std::size_t at, std::size_t& i) {
    const std::string name = name_at(i);
    i = scan_tag(m_html, i).end;
    const auto open = m_open_count.find(name);
    if (open == m_open_count.end() || open->second == 0) {
        m_steps += m_open.size();
    } else {
        while (m_open.back() != name) {
            pop();
            ++m_steps;
        }
        pop();
    }
    if (m_steps > m_bounds.end_tag_steps)
        return error("end tags up to byte " + std::to_string(at) + " search over " +
                     std::to_string(m_bounds.end_tag_steps) + " open elements in all (end tags that close nothing, " +
                     std::to_string(m_open.size()) + " elements deep)");
    return std::nullopt;
}

std::optional<ParseError> TagCounter::run() {
    std::size_t i = 0;
    while ((i = m_html.find('<', i)) != std::string_view::npos) {
        const std::size_t at = i;
        std::optional<ParseError> bad;
        if (m_html.compare(i, 4, "<!--") == 0) {
            const auto end = m_html.find("-->", i + 4);
            i = end == std::string_view::npos ? m_html.size() : end + 3;
            continue;
        }
        if (i + 1 < m_html.size() && (m_html[i + 1] == '!' || m_html[i + 1] == '?')) {
            const auto end = m_html.find('>', i);
            i = end == std::string_view::npos ? m_html.size() : end + 1;
            continue;
        }
        if (i + 2 < m_html.size() && m_html[i + 1] == '/' && letter(m_html[i + 2])) {
            i += 2;
            bad = end_tag(at, i);
        } else if (i + 1 < m_html.size() && letter(m_html[i + 1])) {
            i += 1;
            bad = start_tag(at, i);
        } else {
            ++i;
        }
        if (bad) return bad;
    }
    return std::nullopt;
}

}  // namespace

std::optional<ParseError> check_markup_bounds(std::string_view html, const MarkupBounds& bounds) {
    return TagCounter(html, bounds).run();
}

}  // namespace cqcwatch
