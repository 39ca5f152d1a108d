#include "parsers/assessment.hpp"

#include <algorithm>
#include <regex>

#include "parsers/consistency.hpp"
#include "parsers/rating.hpp"
#include "parsers/scores.hpp"

namespace cqcwatch {

namespace {

/// "64%", "64 per cent", "64", "Good - 64%", "Good (64%)": a percentage alone, or beside the rating.
std::optional<double> bare_percentage(const std::string& text) {
    static const std::regex re(
        R"(^(?:(?:outstanding|good|requires improvement|inadequate)\s*[(,-]?\s*)?(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)?\)?$)",
        std::regex::icase);
    std::smatch m;
    if (text.size() > 40 || !std::regex_match(text, m, re)) return std::nullopt;
    const double v = std::stod(m[1].str());
    return v >= 0 && v <= 100 ? std::optional<double>(v) : std::nullopt;
}

bool names_overall(std::string_view label) {
    const std::string l = ascii_lower(label);
    return l.size() <= 80 && l.find("overall") != std::string::npos &&
           (l.find("score") != std::string::npos || l.find("rating") != std::string::npos ||
            l.find("percentage") != std::string::npos);
}

/// A percentage labelled by its structure: the definition of "Overall score", or the block after it.
std::optional<double> labelled_percentage(const Document& doc) {
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& b = doc.blocks[i];
        const auto v = bare_percentage(b.text);
        if (!v) continue;
        if (names_overall(b.header) || names_overall(b.row_header) || (i > 0 && names_overall(doc.blocks[i - 1].text)))
            return v;
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> find_stated_percentage(const Document& doc) {
    static const std::regex re(
        R"(\boverall\s+(?:rating\s+for\s+.{1,80}?|score|percentage|score\s+for\s+.{1,80}?)\s*(?::|\bwas\b|\bis\b|\bof\b)?\s*(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent)?)",
        std::regex::icase);
    // "Overall: Good (67%)", "Overall rating: Good - 67%": the percentage beside the rating.
    static const std::regex beside(
        R"(^overall(?:\s+rating)?\s*[:-]?\s*(?:outstanding|good|requires improvement|inadequate)\s*[(,-]?\s*(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent)\s*\)?\.?$)",
        std::regex::icase);
    std::vector<double> found;
    for (const auto& b : doc.blocks) {
        if (b.text.size() > 300) continue;
        std::smatch m;
        if (std::regex_search(b.text, m, re)) {
            const double v = std::stod(m[1].str());
            if (v >= 0 && v <= 100 && (m[2].matched || v > 36 || v == 0 || b.text.find(" out of") == std::string::npos))
                found.push_back(v);
        } else if (b.text.size() < 80 && std::regex_match(b.text, m, beside)) {
            found.push_back(std::stod(m[1].str()));
        }
    }
    if (found.empty())
        if (auto v = labelled_percentage(doc)) found.push_back(*v);
    if (found.empty()) return std::nullopt;
    for (const double v : found)
        if (v != found.front()) return std::nullopt;  // two overall figures: which is it? (read_assessment warns)
    return found.front();
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
    // Read or withhold: figures that contradict each other are not published as fact.
    const auto withheld = withhold_contradictions(a);
    out.warnings.insert(out.warnings.end(), withheld.begin(), withheld.end());
    a.doubts = withheld;
    const auto checks = consistency_warnings(a);
    out.warnings.insert(out.warnings.end(), checks.begin(), checks.end());
    out.assessment = a;
    return out;
}

}  // namespace cqcwatch
