#pragma once
// The one entry point: bytes in, a ParseResult or a ParseError out.

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

class Authorities;

/// What the caller knows about the bytes.
struct ParseOptions {
    DocKind kind = DocKind::unknown;  ///< unknown = detect
    std::string url;                  ///< the page URL, for resolving links
    std::string link_pattern;         ///< listings: ECMAScript regex on resolved URLs; empty = default
    std::string reference_date;       ///< YYYY-MM-DD, for embargo lines with no dateline; may be empty
};

/// Default listing link pattern: CQC local authority assessment report pages.
inline constexpr std::string_view k_default_report_link_pattern =
    "/care-services/local-authority-assessment-reports/[^/?#]+$";

/// Parses one document. Never throws on bad input; never does I/O.
tl::expected<ParseResult, ParseError> parse_document(std::string_view bytes, const ParseOptions& options,
                                                     const Authorities& authorities);

}  // namespace cqcwatch
