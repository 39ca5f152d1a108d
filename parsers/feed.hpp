#pragma once
// Feeds: RSS 2.0, RSS 1.0 (RDF) and Atom, read with libxml2 without entity
// expansion or network access. Each entry becomes a listing item.

#include <string_view>

#include <tl/expected.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// A feed's entries as listing items (links resolved against feed_url); kind = feed.
tl::expected<ParseResult, ParseError> parse_feed(std::string_view xml, std::string_view feed_url);

/// The calendar date of an RFC 822 ("Fri, 23 Jan 2026 00:01:00 GMT", two-digit years too), RFC 3339,
/// asctime or "23 January 2026" date, as written; nullopt when unreadable or the time cannot be (25:14).
std::optional<Date> parse_feed_date(std::string_view text);

}  // namespace cqcwatch
