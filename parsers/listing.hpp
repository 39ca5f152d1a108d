#pragma once
// Listings: a page of links to reports. The items are the links whose resolved
// URL matches a pattern, each with the date printed beside it; pagination is
// followed through the next page's link.

#include <optional>
#include <string_view>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// Items (links matching the ECMAScript `link_pattern`), their dates and the next page of a listing.
ParseResult extract_listing(const Document& doc, std::string_view page_url, std::string_view link_pattern);

/// The first "3 October 2025" / "17 May 2024" / "3 Oct 2025" in a text, preferring one after "published".
std::optional<Date> find_published_date(std::string_view text);

/// The title a listing gives a report, without ": local authority assessment" or " assessment".
std::string listing_title(std::string_view link_text);

}  // namespace cqcwatch
