#pragma once
// The one-council card (`report --authority NAME`): the council's latest
// rating with the one before it, its nine scores against its region's and
// England's means, every rating it has had, and links to CQC's pages. Two
// renderings of the same facts: a self-contained HTML fragment page to paste
// into a briefing, and a standalone SVG image (no scripts, nothing fetched).

#include <optional>
#include <string>
#include <vector>

#include "cli/national.hpp"
#include "cli/query.hpp"

namespace cqcwatch {

/// What the card shows.
struct CardInput {
    AuthorityRef authority;
    std::string region;                     ///< the council's region ("West Midlands")
    std::string type;                       ///< "Metropolitan borough"
    std::optional<SelectedRow> latest;      ///< nullopt: never assessed, or every assessment withdrawn
    std::vector<StoredAssessment> history;  ///< the council's assessments, newest first
    Picture region_means;                   ///< over the latest assessment of each council in the region
    Picture england_means;                  ///< over the latest assessment of each council in England
    TimePoint generated_at;
};

/// The card as one self-contained HTML page.
std::string card_html(const CardInput& in);
/// The card as a standalone SVG document.
std::string card_svg(const CardInput& in);

/// Where CQC lists every council's report.
inline constexpr const char* k_cqc_listing_url =
    "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";

// What both renderings say in the same words.
namespace card_text {
/// The latest rating as a badge says it ("Requires improvement", "Embargoed", "Not assessed", "Withdrawn").
std::string badge(const CardInput& in);
/// The badge's colour (the rating's; grey otherwise).
const char* badge_colour(const CardInput& in);
/// Beside the badge: "52.8%, published 2026-01-23", "until Fri 23 Jan 2026 00:01 GMT: no figures before
/// then", "CQC has not assessed this council yet", "the last assessment was withdrawn from CQC's site".
std::string detail(const CardInput& in);
/// True when the latest assessment's figures may be shown (assessed, not withdrawn, no embargo holding it).
bool shows_figures(const CardInput& in);
/// "Previous: Good, 75%, published 2024-02-01" or "First assessment" ("" when never assessed).
std::string previous(const CardInput& in);
/// "2026-01-23  Requires improvement  52.8%" with "(withdrawn)" or "(embargoed until …)".
std::string history_line(const StoredAssessment& a, TimePoint now);
/// "Means over the latest assessment of each council: 2 in West Midlands, 6 in England; unknown scores left out."
std::string means_note(const CardInput& in);
/// `s` with its first letter upper case ("metropolitan borough" → "Metropolitan borough").
std::string capitalised(std::string s);
/// The report's address (the latest assessment's report, else its summary page), or "".
std::string report_url(const CardInput& in);
}  // namespace card_text

}  // namespace cqcwatch
