#pragma once
// The region's and England's means of the nine scores and of the overall
// percentage, and a council's rank in its region: what `compare` puts beside
// a council and what an alert can carry. Pure: the caller hands over the
// assessments that count (each council's latest, not withdrawn, not under
// embargo), one per council.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// One council's assessment that counts towards the means.
struct CouncilAssessment {
    std::string code;               ///< the council's ONS code ("E08000030")
    const Assessment* assessment{};  ///< its latest assessment (not owned)
};

/// Means over a set of assessments, one per council; a null score or percentage is left out of its mean.
struct Means {
    std::size_t councils = 0;                                   ///< assessments counted
    std::array<std::optional<double>, k_statement_count> score;  ///< per statement; nullopt when no score is known
    std::array<std::size_t, k_statement_count> score_n{};       ///< per statement: the councils with a score
    std::optional<double> percentage;                           ///< mean of Assessment::percentage()
    std::size_t percentage_n = 0;                               ///< the councils with a percentage
};

/// The means of `assessments` (one per council).
Means means_of(const std::vector<const Assessment*>& assessments);

/// A council's region and England, side by side.
struct AreaMeans {
    std::string region;       ///< the council's region ("West Midlands"); "" when the data gives none
    std::string region_code;  ///< its ONS code ("E12000005"); ""
    Means in_region;          ///< over the councils of `latest` in that region
    Means england;            ///< over all of `latest`
};

/// The means of the region of `council_code` and of England over `latest`.
AreaMeans area_means(std::string_view council_code, const std::vector<CouncilAssessment>& latest);

/// Where a council stands in its region by overall percentage (higher is better).
struct RegionRank {
    std::size_t rank = 0;    ///< 1-based; councils with the same percentage share the lowest rank ("1224")
    std::size_t of = 0;      ///< the region's councils in `latest` with a percentage
    std::size_t tied = 0;    ///< how many hold this rank (1: no tie)
    std::string region;      ///< "West Midlands"
};

/// The rank of `council_code` among its region's councils in `latest`, by Assessment::percentage();
/// nullopt when the council is not in `latest`, has no percentage or no region.
std::optional<RegionRank> region_rank(std::string_view council_code, const std::vector<CouncilAssessment>& latest);
/// "4th of 14 in West Midlands", "=4th of 14 in West Midlands" when tied.
std::string rank_text(const RegionRank& r);
/// "1st", "2nd", "3rd", "4th", "11th", "22nd".
std::string ordinal(std::size_t n);

/// {"councils", "percentage": {"mean", "n"}, "statements": [{"statement", "theme", "mean", "n"}]}: score means
/// to two decimals, the percentage's to one; a mean with nothing to count is null.
nlohmann::json means_json(const Means& m);

}  // namespace cqcwatch
