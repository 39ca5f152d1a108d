// RSS/Atom → ParseResult. Entity references are left unexpanded and the DTD
// is never loaded, so a billion-laughs feed costs nothing.

#include "parsers/feed.hpp"

#include <memory>
#include <string>

#include <libxml/parser.h>

#include "parsers/document.hpp"
#include "parsers/listing.hpp"
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

/// Parses strictly, then, for the broken feeds real sites serve, with recovery (and a warning).
DocPtr read_xml(std::string_view xml, std::string_view url, std::string& problem) {
    detail::XmlQuiet quiet;
    const std::string base(url);
    for (int options : {k_strict, k_strict | XML_PARSE_RECOVER}) {
        xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
        if (ctxt == nullptr) {
            problem = "out of memory";
            return nullptr;
        }
        DocPtr doc(xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), base.c_str(), nullptr, options));
        if (problem.empty()) {
            if (const xmlError* e = xmlCtxtGetLastError(ctxt); e != nullptr && e->message != nullptr) {
                problem = "line " + std::to_string(e->line) + ": " + normalise_text(e->message);
            }
        }
        xmlFreeParserCtxt(ctxt);
        if (doc != nullptr && (options & XML_PARSE_RECOVER) == 0) {
            problem.clear();
        }
        if (doc != nullptr && xmlDocGetRootElement(doc.get()) != nullptr) {
            return doc;
        }
    }
    return nullptr;
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
            return text_of(c);
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
            const xmlNode* date = child(c, "pubDate");
            reader.add(++n, text_of(child(c, "title")), rss_link(c),
                       text_of(date != nullptr ? date : child(c, "date")));
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
    return fallback;
}

void read_atom(const xmlNode* root, ItemReader& reader) {
    reader.result.title = text_of(child(root, "title"));
    std::size_t n = 0;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || name_of(c) != "entry") {
            continue;
        }
        const xmlNode* date = child(c, "published");
        reader.add(++n, text_of(child(c, "title")), atom_link(c),
                   text_of(date != nullptr ? date : child(c, "updated")));
    }
}

}  // namespace

std::optional<Date> parse_feed_date(std::string_view text) {
    if (text.size() >= 10) {
        if (auto iso = parse_iso_date(text.substr(0, 10))) {
            return iso;
        }
    }
    return find_published_date(text);
}

tl::expected<ParseResult, ParseError> parse_feed(std::string_view xml, std::string_view feed_url) {
    if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return tl::make_unexpected(ParseError{"empty document"});
    }
    if (xml.size() > k_max_feed_bytes) {
        return tl::make_unexpected(ParseError{"feed too large: " + std::to_string(xml.size()) + " bytes (limit " +
                                              std::to_string(k_max_feed_bytes) + ")"});
    }
    std::string problem;
    const DocPtr doc = read_xml(xml, feed_url, problem);
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
