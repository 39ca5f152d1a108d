#pragma once
// The HTML report: one self-contained page (inline CSS and SVG, no scripts,
// nothing fetched) with every council's latest rating and scores as coloured
// cells, the national spread per statement as small bar charts, and each
// council's assessments over time.

#include <string>
#include <vector>

#include "cli/query.hpp"

namespace cqcwatch {

/// What the report shows.
struct ReportInput {
    std::vector<SelectedRow> latest;        ///< one per council (history --latest)
    std::vector<StoredAssessment> history;  ///< every assessment, newest first
    TimePoint generated_at;
};

/// The whole page.
std::string report_html(const ReportInput& in);

}  // namespace cqcwatch
