// RSS/Atom → ParseResult. Entity references are left unexpanded and the DTD
// is never loaded, so a billion-laughs feed costs nothing.

#include "parsers/feed.hpp"

#include <memory>
#include <string>

#include <libxml/parser.h>

#include "parsers/document.hpp"
#include "parsers/listing.hpp"
#include "parsers/unicode.hpp"
#include "parsers/xml_repair.hpp"
#include "parsers/xml_quiet.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_feed_bytes = 32U * 1024U * 1024U;
constexpr int k_strict = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string_view name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

/// The first element child with this local name (any namespace unless one is given).
const xmlNode* child(const xmlNode* parent, std::string_view name) {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && name_of(c) == name) {
            return c;
        }
    }
    return nullptr;
}

std::string text_of(const xmlNode* n) { return n != nullptr ? normalise_text(detail::xml_text(n)) : std::string(); }

std::string attr(const xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    std::string out = v != nullptr ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
}

/// The first error libxml2 reports (it goes on past a fatal one, so its last error is the last found).
void keep_first_error(void* ctx, xmlErrorPtr error) {
    auto* first = static_cast<std::string*>(ctx);
    if (first->empty() && error != nullptr && error->message != nullptr) {
        *first = "line " + std::to_string(error->line) + ": " + normalise_text(error->message);
    }
}

DocPtr read_once(std::string_view xml, const std::string& base, int options, std::string& problem) {
    std::string first;
    detail::XmlQuiet quiet(&first, keep_first_error);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == nullptr) {
        problem = "out of memory";
        return nullptr;
    }
    DocPtr doc(xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), base.c_str(), nullptr, options));
    xmlFreeParserCtxt(ctxt);
    if (problem.empty()) {
        problem = std::move(first);
    }
    if (doc != nullptr && xmlDocGetRootElement(doc.get()) == nullptr) {
        doc.reset();
    }
    return doc;
}

/// Parses strictly; then, for the broken feeds real sites serve, with HTML entities and bare
/// ampersands repaired as feed readers do (a note); then with libxml2's recovery (a warning).
DocPtr read_xml(std::string_view xml, std::string_view url, std::string& problem, std::string& note) {
    const std::string base(url);
    if (DocPtr doc = read_once(xml, base, k_strict, problem)) {
        problem.clear();
        return doc;
    }
    const XmlRepair repair = repair_xml_entities(xml);
    if (repair.html_entities + repair.bare_ampersands > 0) {
        std::string ignored;
        if (DocPtr doc = read_once(repair.xml, base, k_strict, ignored)) {
            note = "feed is not well-formed XML (" + problem + "): read " + std::to_string(repair.html_entities) +
                   " HTML entities and " + std::to_string(repair.bare_ampersands) + " bare '&' as a feed reader would";
            problem.clear();
            return doc;
        }
    }
    const std::string_view recover_from = repair.html_entities + repair.bare_ampersands > 0 ? repair.xml : xml;
    std::string ignored;
    return read_once(recover_from, base, k_strict | XML_PARSE_RECOVER, ignored);
}

/// The text of the first of these children present (local names, any namespace: dc:date, dcterms:modified).
std::string first_text(const xmlNode* parent, std::initializer_list<std::string_view> names) {
    for (const auto name : names) {
        if (const xmlNode* c = child(parent, name)) {
            return text_of(c);
        }
    }
    return {};
}

struct ItemReader {
    std::string_view feed_url;
    ParseResult& result;

    void add(std::size_t n, std::string title, const std::string& link, const std::string& date) {
        if (link.empty()) {
            result.warnings.push_back("item " + std::to_string(n) + " (" + title + ") has no link; skipped");
            return;
        }
        ListingItem item{resolve_url(feed_url, link), std::move(title), std::nullopt, parse_feed_date(date)};
        if (!date.empty() && !item.published) {
            result.warnings.push_back("item " + std::to_string(n) + ": unreadable date '" + date + "'");
        }
        result.items.push_back(std::move(item));
    }
};

std::string rss_link(const xmlNode* item) {
    for (const xmlNode* c = item->children; c != nullptr; c = c->next) {
        const bool atom = c->ns != nullptr && c->ns->href != nullptr &&
                          std::string_view(reinterpret_cast<const char*>(c->ns->href)) == "http://www.w3.org/2005/Atom";
        if (c->type == XML_ELEMENT_NODE && name_of(c) == "link" && !atom) {
            if (auto text = text_of(c); !text.empty()) {
                return text;
            }
            if (auto href = attr(c, "href"); !href.empty()) {  // <link href="…"/>, as some generators write it
                return href;
            }
        }
    }
    const xmlNode* guid = child(item, "guid");
    if (guid != nullptr && attr(guid, "isPermaLink") != "false") {
        return text_of(guid);
    }
    const xmlNode* atom = child(item, "link");
    return atom != nullptr ? attr(atom, "href") : std::string();
}

/// RSS 2.0 (items in <channel>) and RSS 1.0 (items beside it).
void read_rss(const xmlNode* root, ItemReader& reader) {
    const xmlNode* channel = child(root, "channel");
    reader.result.title = text_of(channel != nullptr ? child(channel, "title") : nullptr);
    std::size_t n = 0;
    for (const xmlNode* parent : {channel, root}) {
        for (const xmlNode* c = parent != nullptr ? parent->children : nullptr; c != nullptr; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || name_of(c) != "item") {
                continue;
            }
            reader.add(++n, text_of(child(c, "title")), rss_link(c),
                       first_text(c, {"pubDate", "date", "issued", "created", "modified", "updated"}));
        }
    }
}

std::string atom_link(const xmlNode* entry) {
    std::string fallback;
    for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || name_of(c) != "link") {
            continue;
        }
        const std::string rel = attr(c, "rel");
        if (rel == "alternate") {
            return attr(c, "href");
        }
        if (rel.empty() && fallback.empty()) {
            fallback = attr(c, "href");
        }
    }
    if (fallback.empty()) {  // an entry whose only URL is its <id>
        const std::string id = text_of(child(entry, "id"));
        if (id.starts_with("http://") || id.starts_with("https://")) {
            return id;
        }
    }
    return fallback;
}

void read_atom(const xmlNode* root, ItemReader& reader) {
    reader.result.title = text_of(child(root, "title"));
    std::size_t n = 0;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || name_of(c) != "entry") {
            continue;
        }
        reader.add(++n, text_of(child(c, "title")), atom_link(c),
                   first_text(c, {"published", "issued", "created", "updated", "modified"}));
    }
}

}  // namespace

tl::expected<ParseResult, ParseError> parse_feed(std::string_view xml, std::string_view feed_url) {
    if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return tl::make_unexpected(ParseError{"empty document"});
    }
    if (xml.size() > k_max_feed_bytes) {
        return tl::make_unexpected(ParseError{"feed too large: " + std::to_string(xml.size()) + " bytes (limit " +
                                              std::to_string(k_max_feed_bytes) + ")"});
    }
    std::string converted;
    if (auto utf8 = utf8_from_wide_unicode(xml)) {
        converted = std::move(*utf8);
        xml = converted;
    }
    std::string problem;
    std::string note;
    const DocPtr doc = read_xml(xml, feed_url, problem, note);
    if (doc == nullptr) {
        return tl::make_unexpected(ParseError{"not XML: " + (problem.empty() ? "no root element" : problem)});
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    const std::string_view root_name = name_of(root);
    if (root_name != "rss" && root_name != "feed" && root_name != "RDF") {
        return tl::make_unexpected(ParseError{"expected <rss> or <feed> root, found <" + std::string(root_name) + ">"});
    }
    ParseResult result;
    result.kind = DocKind::feed;
    result.url = std::string(feed_url);
    if (!note.empty()) {
        result.warnings.push_back(note);
    }
    if (!problem.empty()) {
        result.warnings.push_back("feed is not well-formed XML (" + problem + "); read what could be recovered");
    }
    ItemReader reader{feed_url, result};
    if (root_name == "feed") {
        read_atom(root, reader);
    } else {
        read_rss(root, reader);
    }
    return result;
}

}  // namespace cqcwatch
