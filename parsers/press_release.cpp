#include "parsers/press_release.hpp"

#include "parsers/assessment.hpp"
#include "parsers/dates.hpp"
#include "parsers/embargo.hpp"
#include "parsers/subject.hpp"

namespace cqcwatch {

namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

ParseResult extract_press_release(const Document& doc, std::string_view url, const std::optional<Date>& reference_date,
                                  const Authorities& authorities) {
    ParseResult r;
    r.kind = DocKind::press_release;
    r.title = doc.title;
    r.url = std::string(url);
    r.links = doc.links;
    append(r.warnings, doc.warnings);
    const auto dates = read_page_dates(doc);
    r.published = dates.published;
    r.updated = dates.updated;
    auto assessment = read_assessment(doc, true);
    r.assessment = assessment.assessment;
    append(r.warnings, assessment.warnings);
    auto subject = find_subject(doc, assessment.rated_name, authorities);
    r.authority = subject.authority;
    append(r.warnings, subject.warnings);
    auto embargo = read_embargo(doc, dates.dateline ? dates.dateline : reference_date);
    r.embargo = embargo.embargo;
    append(r.warnings, embargo.warnings);
    return r;
}

}  // namespace cqcwatch
