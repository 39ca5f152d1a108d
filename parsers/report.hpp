#pragma once
// Report pages: the landing page (`<slug>`), its summary (`<slug>/summary`,
// older `<slug>-summary`) and theme sub-pages (`<slug>/theme1/needs`,
// `<slug>-theme1-support`), whose heading names the one statement they score.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"
#include "parsers/report_url.hpp"

namespace cqcwatch {

class Authorities;

/// The page kind, from the URL, else from the text (a theme page's "Key findings for this quality statement").
ReportPage report_page_kind(const Document& doc, std::string_view url);

/// The landing page URL (report_landing) for any page of a report, or nullopt if the URL is not a report page.
std::optional<std::string> report_landing_url(std::string_view url);

/// Reads a report page: council, assessment, dates, links to summary, themes and PDF.
/// A summary page, or a landing page with no summary to defer to, should state a rating and
/// nine scores: what it does not is listed in `assessment.unread`, with a warning.
ParseResult extract_report(const Document& doc, std::string_view url, const Authorities& authorities);

/// The landing page and its summary as one report: the summary's values win, the landing page
/// fills what the summary lacks (percentage, rating, scores), `summary_url` is the summary's URL
/// and `unread` is what neither page stated.
ParseResult merge_report_pages(ParseResult landing, const ParseResult& summary);

/// "rating" and the statement keys of what `a` does not state, in CQC's order.
std::vector<std::string> unstated_keys(const Assessment& a);

}  // namespace cqcwatch
