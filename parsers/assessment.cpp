#include "parsers/assessment.hpp"

#include <algorithm>
#include <regex>

#include "parsers/consistency.hpp"
#include "parsers/rating.hpp"
#include "parsers/scores.hpp"

namespace cqcwatch {

std::optional<double> find_stated_percentage(const Document& doc) {
    static const std::regex re(
        R"(\boverall\s+(?:rating\s+for\s+.{1,80}?|score|percentage|score\s+for\s+.{1,80}?)\s*:?\s*(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent)?)",
        std::regex::icase);
    for (const auto& b : doc.blocks) {
        if (b.text.size() > 300) continue;
        std::smatch m;
        if (std::regex_search(b.text, m, re)) {
            const double v = std::stod(m[1].str());
            if (v >= 0 && v <= 100) return v;
        }
    }
    return std::nullopt;
}

AssessmentReading read_assessment(const Document& doc, bool whole_page_scores) {
    AssessmentReading out;
    auto rating = read_rating(doc);
    auto scores = read_scores(doc.blocks);
    out.rated_name = rating.rated_name;
    Assessment a;
    a.rating = rating.rating;
    a.indicative = rating.indicative;
    a.scores = scores.scores;
    a.stated_percentage = find_stated_percentage(doc);
    const bool any_score = std::any_of(a.scores.begin(), a.scores.end(), [](const auto& s) { return s.has_value(); });
    if (!a.rating && !any_score && !a.stated_percentage && !a.indicative) return out;
    out.warnings = std::move(rating.warnings);
    out.warnings.insert(out.warnings.end(), scores.warnings.begin(), scores.warnings.end());
    if (whole_page_scores)
        if (auto w = missing_scores_warning(a.scores)) out.warnings.push_back(*w);
    if (whole_page_scores && !any_score && a.rating) out.warnings.push_back("scores: none found in the text");
    const auto checks = consistency_warnings(a);
    out.warnings.insert(out.warnings.end(), checks.begin(), checks.end());
    out.assessment = a;
    return out;
}

}  // namespace cqcwatch
