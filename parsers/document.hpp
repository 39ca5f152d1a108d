#pragma once
// Stage one of parsing: any document (HTML, plain text, MIME email) becomes a
// list of normalised text blocks, so the extractors read every copy alike.

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// What a block was in the source document.
enum class BlockKind { heading, paragraph, list_item, cell, line };

/// One run of normalised text (odd spaces, curly quotes and dashes folded).
struct Block {
    BlockKind kind = BlockKind::line;
    std::string text;
    std::vector<Link> links;  ///< links inside this block, URLs resolved
};

/// A document reduced to blocks.
struct Document {
    std::string title;         ///< <title>/<h1>, the Subject of an email, or the first line
    std::vector<Block> blocks;
    std::vector<Link> links;   ///< every link, in order, resolved against the base URL
};

/// Folds U+00A0 and other odd spaces to ' ', curly quotes to straight ones,
/// en/em dashes to '-', and runs of white space to one space; trims the ends.
std::string normalise_text(std::string_view s);

/// HTML through libxml2's tolerant parser; scripts, styles, nav and footers dropped.
tl::expected<Document, ParseError> html_to_document(std::string_view html, std::string_view base_url);

/// Plain text: one block per non-empty line.
Document text_to_document(std::string_view text);

/// A MIME message through GMime: the HTML part preferred, else the text part.
tl::expected<Document, ParseError> email_to_document(std::string_view message, std::string_view base_url);

/// Resolves a possibly relative URL against a base (RFC 3986).
std::string resolve_url(std::string_view base, std::string_view ref);

}  // namespace cqcwatch
