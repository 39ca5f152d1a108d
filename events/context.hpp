#pragma once
// What an assessment alert says beside the figures, so a reader can judge them:
// the council's previous assessment (or that this is its first), and the means
// of its region and of England over the latest assessment of each council.
//
// The store computes it when it commits an assessment event (built once, like
// the rest of the body); the alerts turn the JSON back into words:
//
//   "previous_assessment": {"rating", "percentage", "published"} | null
//   "first_assessment":    true | false
//   "context": {"region":  {"name", "code", "means": {statement: mean}, "percentage", "n"} | null,
//               "england": {"name": "England", "code": "E92000001", "means", "percentage", "n"}}

#include <array>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// The means of the nine scores and of the percentage over some assessments (one per council).
struct ScoreMeans {
    std::size_t n = 0;                                            ///< assessments counted
    std::array<std::optional<double>, k_statement_count> scores;  ///< per statement; nullopt when none is known
    std::optional<double> percentage;                             ///< of those with a percentage
};

/// The means over `assessments`, each value's unknowns left out (a score outside 1–4 too).
ScoreMeans score_means(std::span<const Assessment> assessments);

/// {"name", "code", "means": {statement key: mean or null}, "percentage", "n"}; means to 2 decimals.
nlohmann::json means_json(const ScoreMeans& m, std::string_view name, std::string_view code);
/// {"rating", "percentage", "published"} of an assessment, for "previous_assessment".
nlohmann::json previous_json(const Assessment& a, const std::optional<Date>& published);

/// "12 March 2024" (no leading zero on the day).
std::string date_text(const Date& d);
/// "2.6" (one decimal), or "" when unknown.
std::string mean_score_text(const std::optional<double>& mean);

/// "Requires improvement (52%, 12 March 2024)" from an event body's previous_assessment;
/// "none (first assessment)" when first_assessment; "" when the body says neither (older events).
std::string previous_assessment_text(const nlohmann::json& body);
/// "West Midlands 61.2% (14 councils), England 63% (150 councils)" from the body's context; "" when none.
std::string context_percentage_text(const nlohmann::json& body);
/// The mean of the statement at `index` in the body's context area ("region" or "england"), if known.
std::optional<double> context_score_mean(const nlohmann::json& body, const char* area, std::size_t index);
/// "West Midlands mean 2.6, England 2.5" for the statement at `index`; "" when neither mean is known.
std::string context_score_text(const nlohmann::json& body, std::size_t index);
/// The region's name in the context ("West Midlands"), or "".
std::string context_region_name(const nlohmann::json& body);

}  // namespace cqcwatch
