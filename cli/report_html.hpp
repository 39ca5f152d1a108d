#pragma once
// The HTML report: one self-contained page (inline CSS and SVG, no scripts,
// nothing fetched) with every council's latest rating and scores as coloured
// cells under the statements' short names (the full name on hover, and a key),
// the spread per statement as small bar charts, and each council's
// assessments over time. A report on part of England (a region, a type) names
// it and puts England's figures beside its own. It fits a 1280 px window.

#include <string>
#include <vector>

#include "cli/query.hpp"

namespace cqcwatch {

/// What the report shows.
struct ReportInput {
    std::vector<SelectedRow> latest;        ///< one per council (history --latest) in the selection
    std::vector<StoredAssessment> history;  ///< every assessment in the selection, newest first
    std::vector<SelectedRow> england;       ///< one per council in England (for a selection's comparison)
    std::string area = "England";           ///< what the selection is: "England", "West Midlands", …
    std::size_t area_councils = 153;        ///< councils in the area, assessed or not
    TimePoint generated_at;
};

/// The whole page.
std::string report_html(const ReportInput& in);

}  // namespace cqcwatch
