#pragma once
// Press releases (CQC's web page, the newsroom's embargoed copy, an email):
// title, dateline or "Published:" date, council, assessment and embargo.

#include <optional>
#include <string_view>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

class Authorities;

/// Reads a press release; `reference_date` dates an embargo line when there is no dateline.
ParseResult extract_press_release(const Document& doc, std::string_view url, const std::optional<Date>& reference_date,
                                  const Authorities& authorities);

}  // namespace cqcwatch
