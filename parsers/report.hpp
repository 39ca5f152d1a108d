#pragma once
// Report pages: the landing page (`<slug>`), its summary (`<slug>/summary`,
// older `<slug>-summary`) and theme sub-pages (`<slug>/theme1/needs`,
// `<slug>-theme1-support`), whose heading names the one statement they score.

#include <optional>
#include <string>
#include <string_view>

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
ParseResult extract_report(const Document& doc, std::string_view url, const Authorities& authorities);

}  // namespace cqcwatch
