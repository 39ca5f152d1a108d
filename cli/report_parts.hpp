#pragma once
// What the HTML report and the one-council card share: CQC's colours for
// ratings and scores, the statements' short names, and number formatting.

#include <optional>
#include <string>
#include <string_view>

#include "parsers/model.hpp"

namespace cqcwatch {

/// The colour of a rating (grey when unknown): green for good and outstanding, amber, red.
const char* rating_colour(std::optional<Rating> r);
/// The colour of a 1–4 score on the same scale (grey when unknown).
const char* score_colour(std::optional<int> s);
/// A statement's short name for a column head ("Healthier lives" for "Supporting people to lead healthier lives").
std::string_view short_label(Statement s);
/// "QS2 Supporting people to lead healthier lives (Working with people)": what hovering a short name shows.
std::string statement_title(std::size_t i);
/// printf of one number ("%.1f").
std::string fmt(const char* format, double v);

}  // namespace cqcwatch
