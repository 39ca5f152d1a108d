// The dispatcher: sniff the format (MIME message, feed, HTML, plain text),
// reduce it to a Document, decide what kind of page it is (by URL, then by
// content), run that extractor, and resolve listing items to councils.

#include "parsers/parse.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"
#include "parsers/feed.hpp"
#include "parsers/listing.hpp"
#include "parsers/mail_text.hpp"
#include "parsers/press_release.hpp"
#include "parsers/report.hpp"
#include "parsers/subject.hpp"
#include "parsers/unicode.hpp"

namespace cqcwatch {

namespace {

enum class Format { email, feed, html, text };

std::string lower_head(std::string_view bytes, std::size_t n) {
    std::string out(bytes.substr(0, std::min(n, bytes.size())));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Like a browser's sniffer: a stray NUL or control byte does not make a page binary, a head
// full of them does (wide Unicode has been turned into UTF-8 before this looks).
bool looks_binary(std::string_view bytes) {
    const auto first = bytes.find_first_not_of(" \t\r\n\f");
    if (first != std::string_view::npos && bytes[first] == '<') return false;  // markup, whatever bytes follow
    const auto head = bytes.substr(0, std::min<std::size_t>(bytes.size(), 8192));
    std::size_t control = 0;
    for (const char c : head) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
    }
    return control * 20 > head.size();
}

/// A run of "Name: value" header lines (after any mbox "From " line) with one a message must have.
bool looks_like_email(std::string_view bytes) {
    bytes = without_mbox_from(bytes);
    static const std::regex header(R"(^[A-Za-z][A-Za-z0-9-]*:[^\n]*$)");
    std::size_t pos = 0, headers = 0;
    bool essential = false;
    while (pos < bytes.size() && headers < 200) {
        auto end = bytes.find('\n', pos);
        if (end == std::string_view::npos) end = bytes.size();
        std::string line(bytes.substr(pos, end - pos));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > 2000) return false;
        if (line.empty()) return headers >= 2 && essential;
        const bool continuation = line[0] == ' ' || line[0] == '\t';
        // Some senders leave out the blank line after the headers: the first non-header line ends them.
        if (!continuation && !std::regex_match(line, header)) return headers >= 2 && essential;
        const std::string l = lower_head(line, 40);
        essential = essential || l.starts_with("from:") || l.starts_with("mime-version:") ||
                    l.starts_with("received:") || l.starts_with("message-id:") || l.starts_with("return-path:");
        headers += continuation ? 0 : 1;
        pos = end + 1;
    }
    return false;
}

Format detect_format(std::string_view bytes) {
    const std::string head = lower_head(bytes, 2048);
    if (looks_like_email(bytes)) return Format::email;
    const auto first_tag = head.find('<');
    if (head.find("<rss") != std::string::npos || head.find("<feed") != std::string::npos ||
        head.find("<rdf:rdf") != std::string::npos)
        return Format::feed;
    if (first_tag != std::string::npos) {
        static const std::regex tag(
            R"(<(?:!doctype html|html|head|body|p|div|h[1-6]|table|ul|a\s|br|span|article|main|section)\b)");
        if (std::regex_search(head, tag)) return Format::html;
    }
    return Format::text;
}

DocKind kind_from_url(std::string_view url) {
    static const std::regex listing(R"(/local-authority-assessment-reports/?(?:[?#].*)?$)", std::regex::icase);
    static const std::regex press(R"(/press-release/|/news/releases?/|prgloo\.com/news/)", std::regex::icase);
    if (url.empty() || url.size() > 2048) return DocKind::unknown;
    if (std::regex_search(url.begin(), url.end(), listing)) return DocKind::listing;
    if (report_landing_url(url)) return DocKind::report;
    if (std::regex_search(url.begin(), url.end(), press)) return DocKind::press_release;
    return DocKind::unknown;
}

DocKind kind_from_content(const Document& doc) {
    static const std::regex report_title(R"(:\s*local authority assessment$|^.{2,100} assessment$)", std::regex::icase);
    static const std::regex report_text(
        R"(^(?:Quality statement scores|Key findings for this quality statement|Assessment published:|Local authority rating and score))",
        std::regex::icase);
    static const std::regex press_text(R"(\bembargo|\bhas rated\b|^CQC (?:rates|publishes report)\b|Press release)",
                                       std::regex::icase);
    static const std::regex report_link{std::string(k_default_report_link_pattern)};
    std::set<std::string> report_links;
    for (const auto& l : doc.links)
        if (l.url.size() <= 2048 && std::regex_search(l.url, report_link)) report_links.insert(l.url);
    // Many report links first: a listing's navigation may well say "Press release".
    if (report_links.size() >= 3) return DocKind::listing;
    const std::string title = doc.title.substr(0, 400);
    for (const auto& b : doc.blocks)
        if (b.text.size() < 400 && std::regex_search(b.text, press_text)) return DocKind::press_release;
    if (std::regex_search(title, press_text)) return DocKind::press_release;
    if (std::regex_search(title, report_title)) return DocKind::report;
    for (const auto& b : doc.blocks)
        if (b.text.size() < 400 && std::regex_search(b.text, report_text)) return DocKind::report;
    if (report_links.size() >= 2) return DocKind::listing;
    return DocKind::press_release;
}

void resolve_items(ParseResult& r, const Authorities& authorities) {
    for (auto& item : r.items) {
        if (item.authority || item.title.empty()) continue;
        const auto name = clean_council_name(listing_title(item.title));
        if (auto a = authorities.resolve(name)) {
            a->name_in_text = name;
            item.authority = a;
        } else {
            r.warnings.push_back("listing: \"" + name + "\" is not a known council");
        }
    }
}

struct Reduced {
    Document doc;
    std::optional<Date> message_date;
};

tl::expected<Reduced, ParseError> reduce(std::string_view bytes, Format format, const std::string& url) {
    if (format == Format::email) {
        auto parsed = email_to_document_with_meta(bytes, url);
        if (!parsed) return tl::make_unexpected(parsed.error());
        return Reduced{std::move(parsed->first), parsed->second.date_parsed};
    }
    if (format == Format::html) {
        auto parsed = html_to_document(bytes, url);
        if (!parsed) return tl::make_unexpected(parsed.error());
        return Reduced{std::move(*parsed), std::nullopt};
    }
    return Reduced{text_to_document(bytes), std::nullopt};
}

}  // namespace

tl::expected<ParseResult, ParseError> parse_document(std::string_view bytes, const ParseOptions& options,
                                                     const Authorities& authorities) {
    if (normalise_text(bytes.substr(0, std::min<std::size_t>(bytes.size(), 65536))).empty() &&
        normalise_text(bytes).empty())
        return tl::make_unexpected(ParseError{"empty input: expected a page, feed or message"});
    std::string converted;
    if (auto utf8 = utf8_from_wide_unicode(bytes)) {
        converted = std::move(*utf8);
        bytes = converted;
    }
    if (looks_binary(bytes))
        return tl::make_unexpected(ParseError{"binary data: expected a page, feed or message as text"});
    Format format = detect_format(bytes);
    if (options.kind == DocKind::email) format = Format::email;
    if (options.kind == DocKind::feed || (options.kind == DocKind::unknown && format == Format::feed)) {
        auto feed = parse_feed(bytes, options.url);
        if (feed) resolve_items(*feed, authorities);
        return feed;
    }
    auto reduced = reduce(bytes, format, options.url);
    if (!reduced) return tl::make_unexpected(reduced.error());
    std::optional<Date> reference = parse_iso_date(options.reference_date);
    if (!reference) reference = reduced->message_date;
    DocKind kind = options.kind;
    if (kind == DocKind::unknown || kind == DocKind::email) kind = kind_from_url(options.url);
    if (kind == DocKind::unknown) kind = kind_from_content(reduced->doc);
    ParseResult r;
    if (kind == DocKind::listing) {
        try {
            r = extract_listing(reduced->doc, options.url,
                                options.link_pattern.empty() ? k_default_report_link_pattern : options.link_pattern);
        } catch (const std::regex_error& e) {
            return tl::make_unexpected(
                ParseError{"link pattern '" + options.link_pattern + "' is not a valid regex: " + e.what()});
        }
        resolve_items(r, authorities);
    } else if (kind == DocKind::report) {
        r = extract_report(reduced->doc, options.url, authorities);
    } else {
        r = extract_press_release(reduced->doc, options.url, reference, authorities);
    }
    r.url = options.url;
    return r;
}

}  // namespace cqcwatch
