#pragma once
// Report URLs: the one place that knows what a report's URL says.
//
//   https://user:pw@WWW.cqc.org.uk.:443/care-services/local-authority-assessment-reports/Kent-0525/summary?x#y
//   └ landing (for people):  https://www.cqc.org.uk/care-services/local-authority-assessment-reports/Kent-0525
//   └ key (identity):        /care-services/local-authority-assessment-reports/kent-0525
//   └ page:                  summary
//
// A report is the same report whatever name its site is reached by, so its key
// is the landing page's path alone (lower case): no scheme, host, port,
// userinfo, query or fragment. Pure string work: no network, no curl.

#include <optional>
#include <string>
#include <string_view>

namespace cqcwatch {

/// Which page of a report a URL or text is.
enum class ReportPage { landing, summary, theme };

/// The parts of a URL, as written (no decoding). `host` is lower case without a trailing dot or brackets.
struct UrlParts {
    std::string scheme;  ///< lower case; empty for a relative URL
    std::string userinfo;
    std::string host;
    std::string port;  ///< empty when absent or the scheme's default
    std::string path;
    std::string query;     ///< without '?'
    std::string fragment;  ///< without '#'
};

/// Splits a URL; a string without "scheme://" is all path (plus query and fragment).
UrlParts split_url(std::string_view url);

/// The URL without "user:password@" (everything else as written).
std::string strip_userinfo(std::string_view url);

/// The page of a CQC report a URL names (`<slug>`, `<slug>/summary`, `<slug>-summary`,
/// `<slug>/theme1/needs`, `<slug>-theme1-support`), or nullopt when it is no report page.
std::optional<ReportPage> report_url_page(std::string_view url);

/// True when the URL is a report's summary page (a CQC report's, or any URL ending "/summary" or "-summary").
bool is_summary_url(std::string_view url);

/// The landing page of the report any of its pages belong to, for people and for storage:
/// no userinfo, query, fragment or trailing slash; host in lower case without a trailing dot; no default port.
/// A URL that is no CQC report page only loses a "/summary" or "-summary" ending.
std::string report_landing(std::string_view url);

/// What identifies a report: its landing page's path in lower case (host, scheme and port do not count).
std::string report_key(std::string_view url);

/// True when `link` is the summary page of the report whose page is `report_url`.
bool is_summary_of(std::string_view link, std::string_view report_url);

}  // namespace cqcwatch
