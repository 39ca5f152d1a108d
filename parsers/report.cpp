#include "parsers/report.hpp"

#include <regex>

#include "parsers/assessment.hpp"
#include "parsers/dates.hpp"
#include "parsers/subject.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_url_chars = 2048;  // std::regex recurses per character

bool is_pdf(const Link& l) {
    static const std::regex pdf(R"(\.pdf(?:[?#].*)?$)", std::regex::icase);
    return std::regex_search(l.url, pdf);
}

/// Summary, theme pages and PDF, each once, in that order.
std::vector<Link> report_links(const Document& doc) {
    std::vector<Link> out;
    auto add = [&](const Link& l) {
        for (const auto& o : out)
            if (o.url == l.url) return;
        out.push_back(l);
    };
    for (auto page : {ReportPage::summary, ReportPage::theme})
        for (const auto& l : doc.links)
            if (report_url_page(l.url) == page) add(l);
    for (const auto& l : doc.links)
        if (l.url.size() <= k_max_url_chars && is_pdf(l)) add(l);
    return out;
}

}  // namespace

std::optional<std::string> report_landing_url(std::string_view url) {
    if (!report_url_page(url)) return std::nullopt;
    return report_landing(url);
}

ReportPage report_page_kind(const Document& doc, std::string_view url) {
    if (auto page = report_url_page(url); page && page != ReportPage::landing) return *page;
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
