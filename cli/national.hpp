#pragma once
// The national picture over councils' latest assessments: how many councils
// hold each rating, and the mean and spread of each statement's scores.
// `compare` puts it beside the councils; `stats` prints it for England and
// per region; `report` draws it.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/query.hpp"
#include "events/means.hpp"

namespace cqcwatch {

/// Counts and means over a set of assessments (one per council).
struct Picture {
    std::size_t councils = 0;                            ///< assessments counted
    std::size_t embargoed = 0;                           ///< left out: an embargo still holds them
    std::array<std::size_t, 4> ratings{};                ///< by Rating (outstanding … inadequate)
    std::array<std::array<std::size_t, 4>, 9> scores{};  ///< per statement: how many scored 1, 2, 3, 4
    std::array<std::optional<double>, 9> mean;           ///< per statement; nullopt when no score is known
    std::optional<double> mean_percentage;
    Means means;  ///< the same means with their n (events/means: the one place means are computed)
    /// Share of councils with rating r (0–1), or nullopt when none are counted.
    std::optional<double> share(Rating r) const;
};

/// The picture of `rows` (use --latest rows: one per council); embargoed ones are counted apart, not in.
Picture picture_of(const std::vector<SelectedRow>& rows);
/// Embargo still ahead: the assessment is not public and counts in no mean or rank.
bool under_embargo(const StoredAssessment& a);
/// The rows that count towards means and ranks (not under embargo), as events/means takes them.
std::vector<CouncilAssessment> public_assessments(const std::vector<SelectedRow>& rows);
/// {"councils", "ratings": {key: {count, share}}, "statements": [{statement, theme, mean, n, scores: {"1": n …}}],
///  "mean_percentage", "percentage_n"}.
nlohmann::json picture_json(const Picture& p);
/// A mean for people: "2.4", or "-".
std::string mean_text(const std::optional<double>& m);
/// The four ratings in CQC's order.
inline constexpr std::array<Rating, 4> k_ratings{Rating::outstanding, Rating::good, Rating::requires_improvement,
                                                 Rating::inadequate};

}  // namespace cqcwatch
