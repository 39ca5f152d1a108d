#pragma once
// One call to the whole parser, as the daemon makes it, for the parser tests.

#include <string>
#include <string_view>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"
#include "support/parser_fixtures.hpp"

namespace cqcwatch::test {

/// parse_document on BYTES served from URL (the CQC listing unless told), read as KIND.
inline tl::expected<ParseResult, ParseError> parse_page(std::string_view bytes, std::string url = k_listing_url,
                                                        DocKind kind = DocKind::unknown) {
    ParseOptions o;
    o.kind = kind;
    o.url = std::move(url);
    return parse_document(bytes, o, Authorities::builtin());
}

}  // namespace cqcwatch::test
