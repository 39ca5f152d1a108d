#include "parsers/report.hpp"

#include <regex>

#include "parsers/assessment.hpp"
#include "parsers/dates.hpp"
#include "parsers/subject.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_url_chars = 2048;  // std::regex recurses per character

const std::regex& report_url_re() {
    static const std::regex re(
        R"(^(.*/local-authority-assessment-reports/[^/?#]+?)(-summary|-theme\d[^/?#]*|/summary|/theme\d[^?#]*)?/?(?:[?#].*)?$)",
        std::regex::icase);
    return re;
}

bool is_pdf(const Link& l) {
    static const std::regex pdf(R"(\.pdf(?:[?#].*)?$)", std::regex::icase);
    return std::regex_search(l.url, pdf);
}

/// Summary, theme pages and PDF, each once, in that order.
std::vector<Link> report_links(const Document& doc) {
    static const std::regex summary(R"((?:/|-)summary/?(?:[?#].*)?$)", std::regex::icase);
    static const std::regex theme(R"((?:/|-)theme\d)", std::regex::icase);
    std::vector<Link> out;
    auto add = [&](const Link& l) {
        for (const auto& o : out)
            if (o.url == l.url) return;
        out.push_back(l);
    };
    for (const auto& l : doc.links)
        if (report_landing_url(l.url) && std::regex_search(l.url, summary)) add(l);
    for (const auto& l : doc.links)
        if (report_landing_url(l.url) && std::regex_search(l.url, theme)) add(l);
    for (const auto& l : doc.links)
        if (l.url.size() <= k_max_url_chars && is_pdf(l)) add(l);
    return out;
}

}  // namespace

std::optional<std::string> report_landing_url(std::string_view url) {
    if (url.size() > k_max_url_chars) return std::nullopt;
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(url.begin(), url.end(), m, report_url_re())) return std::nullopt;
    return m[1].str();
}

ReportPage report_page_kind(const Document& doc, std::string_view url) {
    std::match_results<std::string_view::const_iterator> m;
    if (url.size() <= k_max_url_chars && std::regex_match(url.begin(), url.end(), m, report_url_re()) && m[2].matched) {
        const std::string tail = m[2].str();
        return tail.find("summary") != std::string::npos ? ReportPage::summary : ReportPage::theme;
    }
    for (const auto& b : doc.blocks) {
        if (b.text.starts_with("Key findings for this quality statement")) return ReportPage::theme;
        if (b.text.starts_with("Quality statement scores")) return ReportPage::summary;
    }
    return ReportPage::landing;
}

ParseResult extract_report(const Document& doc, std::string_view url, const Authorities& authorities) {
    ParseResult r;
    r.kind = DocKind::report;
    r.title = doc.title;
    r.url = std::string(url);
    r.warnings = doc.warnings;
    const auto dates = read_page_dates(doc);
    r.published = dates.published;
    r.updated = dates.updated;
    const auto page = report_page_kind(doc, url);
    auto assessment = read_assessment(doc, page != ReportPage::theme);
    if (assessment.assessment) assessment.assessment->report_url = report_landing_url(url);
    r.assessment = assessment.assessment;
    r.warnings.insert(r.warnings.end(), assessment.warnings.begin(), assessment.warnings.end());
    auto subject = find_subject(doc, assessment.rated_name, authorities);
    r.authority = subject.authority;
    r.warnings.insert(r.warnings.end(), subject.warnings.begin(), subject.warnings.end());
    r.links = report_links(doc);
    return r;
}

}  // namespace cqcwatch
