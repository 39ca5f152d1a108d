// HTML → Document: libxml2's tolerant parser builds the tree, then one
// iterative walk (no recursion: hostile nesting cannot exhaust the stack)
// turns it into normalised text blocks and resolved links.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <libxml/HTMLparser.h>

#include "parsers/document.hpp"
#include "parsers/html_bounds.hpp"
#include "parsers/html_structure.hpp"
#include "parsers/unicode.hpp"
#include "parsers/xml_quiet.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_html_bytes = 64U * 1024U * 1024U;
// libxml2 halts at nesting depth 256 unless told otherwise, which cut a 400-item listing with one
// unclosed <div> per item to 250 links: lift its limit (html_bounds.hpp applies ours first).
constexpr int k_parse_huge = XML_PARSE_HUGE;  // libxml2 2.9 reads it in HTML contexts too

/// What the parser reported while building the tree.
struct ParseNotes {
    bool halted = false;    ///< libxml2 stopped early (nesting too deep, or a hard error)
    bool encoding = false;  ///< bytes that were not valid in the declared encoding
    int line = 0;           ///< where it stopped
    std::string message;    ///< why
};

void note_error(void* user, xmlErrorPtr error) {
    auto* notes = static_cast<ParseNotes*>(user);
    if (notes == nullptr || error == nullptr) {
        return;
    }
    if (error->code == XML_ERR_INTERNAL_ERROR || error->code == XML_ERR_NO_MEMORY) {
        notes->halted = true;
        notes->line = error->line;
        notes->message = error->message != nullptr ? normalise_text(error->message) : "internal error";
    } else if (error->domain == XML_FROM_I18N || error->code == XML_ERR_INVALID_CHAR ||
               error->code == XML_ERR_INVALID_ENCODING) {
        notes->encoding = true;
    }
}

std::string_view name_of(const xmlNode* node) {
    return node->name != nullptr ? std::string_view(reinterpret_cast<const char*>(node->name)) : "";
}

std::optional<std::string> attr(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

std::optional<std::string> svg_name(const xmlNode* node);

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_heading(std::string_view n) { return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6'; }

/// Elements that end the current block where they open and where they close.
bool is_block(std::string_view n) {
    return is_heading(n) ||
           one_of(n, {"address", "article", "aside",  "blockquote", "body", "br",     "caption",  "center",
                      "dd",      "details", "dialog", "div",        "dl",   "dt",     "fieldset", "figcaption",
                      "figure",  "footer",  "header", "hr",         "html", "legend", "li",       "main",
                      "menu",    "nav",     "ol",     "option",     "p",    "pre",    "section",  "summary",
                      "table",   "tbody",   "td",     "tfoot",      "th",   "thead",  "tr",       "ul"});
}

bool is_sectioning(std::string_view n) { return one_of(n, {"main", "article", "section", "aside"}); }

/// Navigation we keep: pagination, where the next page's link lives.
bool is_pagination(const xmlNode* node) {
    for (const char* a : {"aria-label", "class", "id"}) {
        const auto v = attr(node, a);
        if (v && (ascii_lower(*v).find("pagin") != std::string::npos ||
                  ascii_lower(*v).find("pager") != std::string::npos)) {
            return true;
        }
    }
    return false;
}

/// " - Care Quality Commission", " | CQC": the site's name after the page's.
std::string strip_site_suffix(std::string title) {
    for (std::string_view sep : {" | ", " - "}) {
        const auto pos = title.rfind(sep);
        if (pos == std::string::npos || pos == 0) {
            continue;
        }
        const std::string tail = ascii_lower(std::string_view(title).substr(pos + sep.size()));
        if (sep == " | " || tail.find("care quality commission") != std::string::npos || tail == "cqc") {
            title.resize(pos);
        }
    }
    return title;
}

/// What one open element changed, undone when it closes.
struct Effects {
    bool block = false;
    bool kind = false;
    bool banner = false;
    bool h1 = false;
    bool pre = false;
    bool sectioning = false;
    bool anchor = false;
    bool element = false;  ///< pushed an element number onto the path
    std::string_view structural;  ///< a table part, dt or dd (the node's name outlives the walk)
};

/// An <a href> being read.
struct Anchor {
    std::string url;
    std::string text;
    std::string fallback;  ///< aria-label or title, for links with no text
    std::string rel;
    std::size_t first_block = 0;
};

class Walker {
public:
    explicit Walker(std::string base) : m_base(std::move(base)) {}

    Document walk(xmlNode* root);

private:
    std::optional<Effects> enter(xmlNode* node);
    std::optional<std::string> spoken_instead(const xmlNode* node, std::string_view name) const;
    void leave(const Effects& e);
    void read_head(const xmlNode* head);
    void text_of_empty(const xmlNode* node, std::string_view name);
    bool dropped(const xmlNode* node, std::string_view name) const;
    void text(std::string_view s);
    void append(std::string_view s);
    void flush();
    void open_anchor(const xmlNode* node);
    void close_anchor();

    Document m_doc;
    std::string m_base;
    std::string m_page_title;
    std::string m_first_h1;
    std::vector<BlockKind> m_kinds{BlockKind::paragraph};
    std::vector<Effects> m_open;
    std::vector<Anchor> m_anchors;
    std::string m_text;
    std::vector<Link> m_block_links;
    int m_banner = 0;
    int m_h1 = 0;
    int m_pre = 0;
    int m_sectioning = 0;
    std::vector<std::uint32_t> m_path;
    bool m_boundary = false;  ///< an element opened or closed since the last text
    std::uint32_t m_elements = 0;
    detail::StructureTracker m_structure;
};

Document Walker::walk(xmlNode* root) {
    // Threaded traversal over parent/next pointers: memory is bounded by depth, never the call stack.
    xmlNode* node = root;
    while (node != nullptr) {
        if (node->type == XML_ELEMENT_NODE) {
            if (auto e = enter(node)) {
                if (node->children != nullptr) {
                    m_open.push_back(*e);
                    node = node->children;
                    continue;
                }
                leave(*e);
            }
        } else if (node->type == XML_TEXT_NODE && node->content != nullptr) {
            text(reinterpret_cast<const char*>(node->content));
        }
        while (node != root && node->next == nullptr) {
            node = node->parent;
            leave(m_open.back());
            m_open.pop_back();
        }
        node = node == root ? nullptr : node->next;
    }
    flush();
    m_doc.title = !m_first_h1.empty() ? m_first_h1 : strip_site_suffix(m_page_title);
    m_doc.page_title = normalise_text(m_page_title);
    return std::move(m_doc);
}

bool Walker::dropped(const xmlNode* node, std::string_view name) const {
    if (one_of(name, {"script", "style", "noscript", "template", "svg", "math", "form", "iframe", "object", "embed",
                      "canvas", "select", "textarea", "button", "title", "meta", "link"})) {
        return true;
    }
    if (attr(node, "hidden") || ascii_lower(attr(node, "aria-hidden").value_or("")) == "true") {
        return true;  // what a screen reader skips: decoration drawn beside the words that say it
    }
    const std::string role = ascii_lower(attr(node, "role").value_or(""));
    if (name == "nav" || role == "navigation") {
        return !is_pagination(node);
    }
    // Page footers are chrome; a footer inside an article is part of it.
    return (name == "footer" && m_sectioning == 0) || role == "contentinfo";
}

std::optional<Effects> Walker::enter(xmlNode* node) {
    const std::string_view name = name_of(node);
    if (name == "head") {
        read_head(node);
        return std::nullopt;
    }
    if (name == "svg" && ascii_lower(attr(node, "aria-hidden").value_or("")) != "true") {
        // A drawing is dropped, but not what it says to a screen reader: its aria-label, else its <title>.
        if (auto spoken = svg_name(node)) {
            text(" " + *spoken + " ");
        }
        return std::nullopt;
    }
    if (dropped(node, name)) {
        return std::nullopt;
    }
    if (auto spoken = spoken_instead(node, name)) {
        // An element drawn in symbols ("●●●○") with the words a screen reader says instead.
        text(" " + *spoken + " ");
        return std::nullopt;
    }
    m_boundary = true;
    Effects e;
    e.block = is_block(name);
    if (e.block) {
        flush();
        e.element = true;
        m_path.push_back(++m_elements);
    }
    if (is_heading(name) || name == "li" || name == "td" || name == "th") {
        e.kind = true;
        m_kinds.push_back(is_heading(name) ? BlockKind::heading
                          : name == "li"   ? BlockKind::list_item
                                           : BlockKind::cell);
    }
    if (detail::is_structural(name)) {
        e.structural = name;
        m_structure.enter(name, m_doc.blocks.size(), attr(node, "colspan").value_or(""),
                          attr(node, "rowspan").value_or(""));
    }
    const std::string role = ascii_lower(attr(node, "role").value_or(""));
    e.banner = (name == "header" && m_sectioning == 0) || role == "banner";
    e.h1 = name == "h1";
    e.pre = name == "pre";
    e.sectioning = is_sectioning(name);
    m_banner += e.banner ? 1 : 0;
    m_h1 += e.h1 ? 1 : 0;
    m_pre += e.pre ? 1 : 0;
    m_sectioning += e.sectioning ? 1 : 0;
    if (node->children == nullptr) {
        text_of_empty(node, name);
    }
    if (name == "a" && (m_banner == 0 || m_h1 > 0)) {
        if (const auto href = attr(node, "href");
            href && !href->empty() && (*href)[0] != '#' && ascii_lower(*href).rfind("javascript:", 0) != 0) {
            e.anchor = true;
            open_anchor(node);
        }
    }
    return e;
}

void Walker::leave(const Effects& e) {
    m_boundary = true;
    if (e.anchor) {
        close_anchor();
    }
    if (e.block) {
        flush();
    }
    if (e.element) {
        m_path.pop_back();
    }
    if (!e.structural.empty()) {
        m_structure.leave(e.structural, m_doc.blocks);
    }
    if (e.kind) {
        m_kinds.pop_back();
    }
    m_banner -= e.banner ? 1 : 0;
    m_h1 -= e.h1 ? 1 : 0;
    m_pre -= e.pre ? 1 : 0;
    m_sectioning -= e.sectioning ? 1 : 0;
}

/// True when a text has no letter or digit: symbols a sighted reader counts, or nothing.
bool no_words(std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

/// A small subtree (at most 64 nodes, iteratively) whose text has no letter or digit.
bool wordless_subtree(const xmlNode* root) {
    std::vector<const xmlNode*> todo{root->children};
    std::size_t seen = 0;
    while (!todo.empty()) {
        const xmlNode* n = todo.back();
        todo.pop_back();
        for (; n != nullptr; n = n->next) {
            if (++seen > 64) {
                return false;
            }
            if (n->type == XML_TEXT_NODE && n->content != nullptr &&
                !no_words(reinterpret_cast<const char*>(n->content))) {
                return false;
            }
            if (n->type == XML_ELEMENT_NODE && n->children != nullptr) {
                todo.push_back(n->children);
            }
        }
    }
    return true;
}

// An element whose content has no words (symbols, an icon) but which names itself, by an
// aria-label (what a screen reader announces) or a title (what a pointer shows): its name.
std::optional<std::string> Walker::spoken_instead(const xmlNode* node, std::string_view name) const {
    if (node->children == nullptr || name == "a" || name == "html" || name == "body") {
        return std::nullopt;
    }
    auto label = attr(node, "aria-label");
    if (!label || no_words(*label)) {
        label = attr(node, "title");
    }
    if (!label || no_words(*label) || label->size() > 200) {
        return std::nullopt;
    }
    if (!wordless_subtree(node)) {
        return std::nullopt;
    }
    return normalise_text(*label);
}

/// An inline SVG's accessible name: aria-label, else the text of its first <title> child.
std::optional<std::string> svg_name(const xmlNode* node) {
    if (auto label = attr(node, "aria-label"); label && !no_words(*label) && label->size() <= 200) {
        return normalise_text(*label);
    }
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && name_of(c) == "title") {
            std::string t = normalise_text(detail::xml_text(c));
            if (!t.empty() && !no_words(t) && t.size() <= 200) {
                return t;
            }
            break;
        }
    }
    return std::nullopt;
}

// What a reader hears for an element with no text: an image's alt text, a meter's
// value, an aria-label. A redesign may well draw a score as any of these.
void Walker::text_of_empty(const xmlNode* node, std::string_view name) {
    std::string t;
    if (name == "img") {
        t = attr(node, "alt").value_or("");
        if (t.empty()) {
            t = attr(node, "title").value_or("");  // no alt: what a pointer shows
        }
    } else if (name == "meter" || name == "progress") {
        if (const auto value = attr(node, "value")) {
            const auto max = attr(node, "max");
            t = *value + (max ? " out of " + *max : "");
        }
    }
    if (t.empty()) {
        t = attr(node, "aria-label").value_or("");
    }
    if (!t.empty()) {
        text(" " + t + " ");
    }
}

void Walker::read_head(const xmlNode* head) {
    for (const xmlNode* c = head->children; c != nullptr; c = c->next) {
        const std::string_view name = name_of(c);
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (name == "title" && m_page_title.empty()) {
            m_page_title = normalise_text(detail::xml_text(c));
        } else if (name == "base") {
            if (const auto href = attr(c, "href"); href && !href->empty()) {
                m_base = resolve_url(m_base, *href);
            }
        } else if (name == "link" && ascii_lower(attr(c, "rel").value_or("")) == "next") {
            if (const auto href = attr(c, "href"); href && !href->empty()) {
                m_doc.links.push_back(Link{resolve_url(m_base, *href), "", "next"});
            }
        }
    }
}

void Walker::text(std::string_view s) {
    if (m_banner > 0 && m_h1 == 0) {
        return;
    }
    if (m_pre == 0) {
        append(s);
        return;
    }
    // Preformatted text keeps its lines apart, as a plain-text email wrapped in <pre> would.
    std::size_t start = 0;
    for (std::size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', start)) {
        append(s.substr(start, nl - start));
        flush();
        start = nl + 1;
    }
    append(s.substr(start));
}

/// A letter, digit or non-ASCII byte (a symbol such as "●").
bool wordish(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80; }
bool ascii_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

void Walker::append(std::string_view s) {
    // Two elements side by side are two things to a reader ("<span>Safeguarding</span><span>●●●○</span><span>3
    // out of 4</span>"): a space between them, except inside a word ("<b>Sco</b>re").
    if (m_boundary && !s.empty() && !m_text.empty() && wordish(m_text.back()) && wordish(s.front()) &&
        !(ascii_letter(m_text.back()) && ascii_letter(s.front()))) {
        m_text += ' ';
    }
    m_boundary = false;
    m_text += s;
    // Only the innermost link collects text: nested links stay linear in the input.
    if (!m_anchors.empty()) {
        m_anchors.back().text += s;
    }
}

void Walker::flush() {
    std::string t = normalise_text(m_text);
    m_text.clear();
    if (t.empty()) {
        return;
    }
    if (m_h1 > 0 && m_first_h1.empty()) {
        m_first_h1 = t;
    }
    Block b{m_kinds.back(), std::move(t), std::move(m_block_links)};
    b.path = m_path;
    m_doc.blocks.push_back(std::move(b));
    m_block_links.clear();
}

void Walker::open_anchor(const xmlNode* node) {
    Anchor a;
    a.url = resolve_url(m_base, *attr(node, "href"));
    a.fallback = attr(node, "aria-label").value_or(attr(node, "title").value_or(""));
    a.rel = ascii_lower(attr(node, "rel").value_or(""));
    a.first_block = m_doc.blocks.size();
    m_anchors.push_back(std::move(a));
}

void Walker::close_anchor() {
    Anchor a = std::move(m_anchors.back());
    m_anchors.pop_back();
    std::string text = normalise_text(a.text);
    if (text.empty()) {
        text = normalise_text(a.fallback);
    }
    Link link{std::move(a.url), std::move(text), std::move(a.rel)};
    m_doc.links.push_back(link);
    // A link that spans blocks (a "card") belongs with the first block it produced.
    if (a.first_block < m_doc.blocks.size()) {
        m_doc.blocks[a.first_block].links.push_back(std::move(link));
    } else {
        m_block_links.push_back(std::move(link));
    }
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

/// libxml2 reads a declared charset itself but assumes Latin-1 without one: we assume UTF-8, and
/// undeclared bytes that are not UTF-8 are, in practice, Windows-1252 (as browsers assume). A page
/// that says UTF-16 or UTF-32 but is plainly one-byte text (already converted, or mislabelled) is UTF-8.
const char* undeclared_encoding(std::string_view html) {
    const std::string head = ascii_lower(html.substr(0, 4096));
    const auto charset = head.find("charset=");
    if (charset != std::string::npos) {
        const std::string_view declared = std::string_view(head).substr(charset + 8, 10);
        const bool wide = declared.find("utf-16") != std::string_view::npos ||
                          declared.find("utf-32") != std::string_view::npos ||
                          declared.find("utf16") != std::string_view::npos;
        return wide && valid_utf8(html) ? "UTF-8" : nullptr;
    }
    return valid_utf8(html) ? "UTF-8" : "windows-1252";
}

/// Browsers read a NUL byte as U+FFFD; libxml2 would stop or drop the page.
std::string without_nul(std::string_view html) {
    std::string out;
    out.reserve(html.size() + 16);
    for (const char c : html) {
        if (c == '\0') {
            out += "\xEF\xBF\xBD";
        } else {
            out += c;
        }
    }
    return out;
}

/// A stray NUL is a page's slip; bytes that do not start with markup and are full of control bytes are not text.
std::optional<ParseError> check_binary(std::string_view html) {
    const auto nul = html.find('\0');
    const auto first = html.find_first_not_of(" \t\r\n\f");
    if (nul == std::string_view::npos || (first != std::string_view::npos && html[first] == '<')) {
        return std::nullopt;  // markup with NULs in it is a page (html5lib's "<p>\0" cases)
    }
    const auto head = html.substr(0, 8192);
    const auto control = std::count_if(head.begin(), head.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
    });
    if (static_cast<std::size_t>(control) * 20 <= head.size()) {
        return std::nullopt;
    }
    return ParseError{"not HTML: " + std::to_string(control) + " control bytes in the first " +
                      std::to_string(head.size()) + " (NUL at offset " + std::to_string(nul) + "): binary data?"};
}

std::optional<ParseError> check_input(std::string_view html) {
    if (html.find_first_not_of(" \t\r\n\f") == std::string_view::npos) {
        return ParseError{"empty document"};
    }
    if (html.size() > k_max_html_bytes) {
        return ParseError{"document too large: " + std::to_string(html.size()) + " bytes (limit " +
                          std::to_string(k_max_html_bytes) + ")"};
    }
    if (auto binary = check_binary(html)) {
        return binary;
    }
    return check_markup_bounds(html);
}

}  // namespace

tl::expected<Document, ParseError> html_to_document(std::string_view html_in, std::string_view base_url) {
    // UTF-16 and UTF-32 become UTF-8 first, so the bounds below count the tags libxml2 will see.
    std::string converted;
    if (auto utf8 = utf8_from_wide_unicode(html_in)) {
        converted = std::move(*utf8);
        html_in = converted;
    }
    if (auto bad = check_input(html_in)) {
        return tl::make_unexpected(std::move(*bad));
    }
    const bool has_nul = html_in.find('\0') != std::string_view::npos;
    std::string cleaned;
    if (has_nul) {
        cleaned = without_nul(html_in);
    }
    const std::string_view html = has_nul ? std::string_view(cleaned) : html_in;
    ParseNotes notes;
    detail::XmlQuiet quiet(&notes, note_error);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt == nullptr) {
        return tl::make_unexpected(ParseError{"out of memory creating the HTML parser"});
    }
    const std::string url(base_url);
    const char* encoding = !converted.empty() ? "UTF-8" : undeclared_encoding(html);
    htmlDocPtr tree =
        htmlCtxtReadMemory(ctxt, html.data(), static_cast<int>(html.size()), url.c_str(), encoding,
                           HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                               HTML_PARSE_NOBLANKS | k_parse_huge | (converted.empty() ? 0 : HTML_PARSE_IGNORE_ENC));
    htmlFreeParserCtxt(ctxt);
    if (tree == nullptr || xmlDocGetRootElement(tree) == nullptr) {
        if (tree != nullptr) {
            xmlFreeDoc(tree);
        }
        return tl::make_unexpected(ParseError{"not HTML: the parser found no elements"});
    }
    if (notes.halted) {
        // Half a page read as a whole one could look like withdrawn reports: fail, withdraw nothing.
        xmlFreeDoc(tree);
        return tl::make_unexpected(ParseError{"HTML parsing stopped early at line " + std::to_string(notes.line) +
                                              " (" + notes.message + "): page not read"});
    }
    Document doc = Walker(url).walk(xmlDocGetRootElement(tree));
    xmlFreeDoc(tree);
    if (has_nul) {
        doc.warnings.push_back("NUL bytes in the page were read as U+FFFD, as browsers do");
    }
    if (encoding != nullptr && std::strcmp(encoding, "windows-1252") == 0) {
        doc.warnings.push_back("not UTF-8 and no charset declared: read as windows-1252");
    }
    if (notes.encoding) {
        doc.warnings.push_back("bytes not valid in the page's character encoding were replaced");
    }
    return doc;
}

}  // namespace cqcwatch
