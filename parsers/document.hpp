#pragma once
// Stage one of parsing: any document (HTML, plain text, MIME email) becomes a
// list of normalised text blocks, so the extractors read every copy alike.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// What a block was in the source document.
enum class BlockKind { heading, paragraph, list_item, cell, line, term, definition };

/// One run of normalised text (odd spaces, curly quotes and dashes folded), with the
/// structure it came from, so extractors pair labels and values without knowing markup.
struct Block {
    BlockKind kind = BlockKind::line;
    std::string text;
    std::vector<Link> links;  ///< links inside this block, URLs resolved
    std::size_t group = 0;    ///< >0: the blocks of one table row, or of one term and its definitions, share it
    std::size_t column = 0;   ///< table cells: 1-based column (colspan and rowspan counted); else 0
    std::string header{};     ///< table cells: their column's header; definitions: the term they define
    std::string row_header{}; ///< table cells: the row's header (a <th> in the row, or a cell spanning down to it)
    /// HTML: the block-level elements the block sits in, outermost first, each by a number unique in the
    /// document, so extractors can tell which blocks share an item, a card or a row. Empty for plain text.
    std::vector<std::uint32_t> path{};
};

/// A document reduced to blocks.
struct Document {
    std::string title;  ///< <title>/<h1>, the Subject of an email, or the first line
    std::string page_title;  ///< an HTML page's <title> whole, site name and all ("… | Slough Borough Council")
    std::vector<Block> blocks;
    std::vector<Link> links;            ///< every link, in order, resolved against the base URL
    std::vector<std::string> warnings;  ///< what the reader noticed but could read past
};

/// Folds U+00A0 and other odd spaces to ' ', curly quotes to straight ones,
/// en/em dashes to '-', and runs of white space to one space; trims the ends.
std::string normalise_text(std::string_view s);

/// HTML through libxml2's tolerant parser; scripts, styles, nav and footers dropped.
tl::expected<Document, ParseError> html_to_document(std::string_view html, std::string_view base_url);

/// ASCII letters to lower case; other bytes (UTF-8 included) unchanged.
std::string ascii_lower(std::string_view s);

/// Plain text: one block per non-empty line.
Document text_to_document(std::string_view text);

/// A MIME message through GMime (the mail module): the HTML part preferred, else the text part.
/// Without the module the error has `retry` set (the message is fine: keep it, read it later).
tl::expected<Document, ParseError> email_to_document(std::string_view message, std::string_view base_url);

/// The headers of a message that the extractors may need.
struct EmailMeta {
    std::string subject;              ///< decoded (RFC 2047), UTF-8
    std::string date;                 ///< the raw Date header ("Thu, 22 Jan 2026 09:30:00 +0000")
    std::optional<Date> date_parsed;  ///< the Date header's calendar date as written, if readable
    std::string message_id;           ///< without angle brackets
    std::string from;                 ///< "Name <addr>" as GMime formats it
};

/// Like email_to_document, plus the headers (the Date header dates embargo lines with no dateline).
tl::expected<std::pair<Document, EmailMeta>, ParseError> email_to_document_with_meta(std::string_view message,
                                                                                     std::string_view base_url);

/// Resolves a possibly relative URL against a base (RFC 3986).
std::string resolve_url(std::string_view base, std::string_view ref);

}  // namespace cqcwatch
