#pragma once
// The assessment a report or press release states: rating, indicative flag,
// stated percentage and the nine scores, checked against each other.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// What the assessment reader found.
struct AssessmentReading {
    std::optional<Assessment> assessment;  ///< nullopt when the text states none of it
    std::string rated_name;                ///< the council named in "has rated <X> as"
    std::vector<std::string> warnings;
};

/// "Overall rating for Croydon: 64%" (2025), "Overall score: 62" (2024).
std::optional<double> find_stated_percentage(const Document& doc);

/// Reads rating, scores and percentage; `whole_page_scores` false for theme sub-pages
/// (one statement each, so missing ones are not worth a warning).
AssessmentReading read_assessment(const Document& doc, bool whole_page_scores);

}  // namespace cqcwatch
