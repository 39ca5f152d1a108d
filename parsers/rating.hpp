#pragma once
// The overall rating as a text states it. The "has rated <Council> as <rating>"
// sentence wins; the pilots' "indicative <rating> rating" and a summary page's
// rating block come next; the title last. A pilot's "access to a good standard"
// is never a rating, and the first rating word met is never taken as such.

#include <optional>
#include <string>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// The rating for "requires improvement", "Good", "INADEQUATE"; nullopt otherwise.
std::optional<Rating> rating_from_words(std::string_view words);

/// What the rating reader found.
struct RatingReading {
    std::optional<Rating> rating;
    bool indicative = false;            ///< "indicative … rating/score", or the text says it was a pilot
    std::string rated_name;             ///< the council named in "rated <X> as", as written
    std::vector<std::string> warnings;  ///< two different ratings named
};

/// Reads the rating from the title and blocks.
RatingReading read_rating(const Document& doc);

}  // namespace cqcwatch
