#pragma once
// The work libxml2 will do on a page, bounded before it starts. libxml2's HTML
// parser is linear in most input but not all: every attribute is compared with
// the element's others (300 000 attributes took over 10 s), an end tag that
// closes nothing searches every open element, and each element costs ~50x its
// bytes in the tree. A daemon parses on its loop, so one linear pass over the
// tags refuses, with an error that says what and where, a page past any bound.

#include <cstddef>
#include <optional>
#include <string_view>

#include "parsers/document.hpp"

namespace cqcwatch {

struct MarkupBounds {
    std::size_t attributes = 256;              ///< on one element (real pages: a dozen)
    std::size_t attribute_pairs = 50'000'000;  ///< attribute comparisons, summed over the page
    std::size_t depth = 10'000;                ///< open elements at once (real pages: under 100)
    std::size_t end_tag_steps = 100'000'000;   ///< open elements end tags search, summed over the page
    std::size_t elements = 500'000;            ///< start tags in the page (a 200 KB report page has ~3 000)
};

/// Counts the page's tags as libxml2 will nest them (an upper bound: implied end tags are only
/// partly applied) and says which bound a page passes first, or nullopt.
std::optional<ParseError> check_markup_bounds(std::string_view html, const MarkupBounds& bounds = {});

}  // namespace cqcwatch
