#include "parsers/report.hpp"

#include <algorithm>
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

std::vector<std::string> unstated_keys(const Assessment& a) {
    std::vector<std::string> out;
    if (!a.rating) out.emplace_back("rating");
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (!a.scores[i]) out.emplace_back(to_key(statement_at(i)));
    return out;
}

namespace {

bool links_summary(const std::vector<Link>& links) {
    static const std::regex summary(R"((?:/|-)summary/?(?:[?#].*)?$)", std::regex::icase);
    return std::any_of(links.begin(), links.end(), [](const Link& l) {
        return l.url.size() <= k_max_url_chars && std::regex_search(l.url, summary);
    });
}

/// The unread keys in CQC's words ("the rating, Assessing needs, Safeguarding").
std::string joined(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) {
        std::string words = k == "rating" ? "the rating" : k;
        for (std::size_t i = 0; i < k_statement_count; ++i)
            if (to_key(statement_at(i)) == k) words = std::string(to_label(statement_at(i)));
        out += (out.empty() ? "" : ", ") + words;
    }
    return out;
}

// A page that should carry the whole assessment always yields one, saying what it could not read:
// an empty result would look like "nothing to report" rather than "the page no longer reads".
void expect_whole_assessment(ParseResult& r) {
    if (!r.assessment) r.assessment = Assessment{};
    r.assessment->unread = unstated_keys(*r.assessment);
    if (!r.assessment->unread.empty())
        r.warnings.push_back("report: not read from this page: " + joined(r.assessment->unread));
}

}  // namespace

ParseResult merge_report_pages(ParseResult landing, const ParseResult& summary) {
    if (summary.assessment) {
        Assessment a = *summary.assessment;
        if (const auto& l = landing.assessment) {
            if (!a.rating) a.rating = l->rating;
            if (!a.stated_percentage) a.stated_percentage = l->stated_percentage;
            for (std::size_t i = 0; i < k_statement_count; ++i)
                if (!a.scores[i]) a.scores[i] = l->scores[i];
            a.indicative = a.indicative || l->indicative;
            a.report_url = l->report_url;
        }
        if (!a.report_url) a.report_url = report_landing_url(landing.url);
        if (!a.unread.empty()) a.unread = unstated_keys(a);
        landing.assessment = std::move(a);
    }
    landing.summary_url = summary.url;
    if (!landing.authority) landing.authority = summary.authority;
    if (!landing.published) landing.published = summary.published;
    if (!landing.updated) landing.updated = summary.updated;
    for (const auto& w : summary.warnings) landing.warnings.push_back("summary: " + w);
    return landing;
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
    r.links = report_links(doc);
    // Only a page that should state the whole assessment is short of scores: a landing page that
    // links its summary, or a theme page, leaves them to those pages.
    const bool whole = page == ReportPage::summary || (page == ReportPage::landing && !links_summary(r.links));
    auto assessment = read_assessment(doc, whole);
    if (assessment.assessment) assessment.assessment->report_url = report_landing_url(url);
    r.assessment = assessment.assessment;
    r.warnings.insert(r.warnings.end(), assessment.warnings.begin(), assessment.warnings.end());
    auto subject = find_subject(doc, assessment.rated_name, authorities);
    r.authority = subject.authority;
    r.warnings.insert(r.warnings.end(), subject.warnings.begin(), subject.warnings.end());
    if (whole) {
        expect_whole_assessment(r);
        r.assessment->report_url = report_landing_url(url);
    }
    return r;
}

}  // namespace cqcwatch
