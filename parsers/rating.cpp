// Rating sentences, by priority. Lower number = stronger evidence.

#include "parsers/document.hpp"
#include "parsers/rating.hpp"

#include <cctype>
#include <regex>

namespace cqcwatch {

namespace {

constexpr const char* k_rating_words = "(outstanding|good|requires improvement|inadequate)";

struct Named {
    int priority;
    Rating rating;
    std::string quote;
};

using Match = std::match_results<std::string::const_iterator>;

const std::regex& re(int which) {
    static const std::regex rated(std::string(R"(\bhas\s+rated\s+(.{2,120}?)\s+as\s+)") + k_rating_words + "\\b",
                                  std::regex::icase);
    static const std::regex rated_loose(std::string(R"(\brated\s+(.{2,120}?)\s+as\s+)") + k_rating_words + "\\b",
                                        std::regex::icase);
    static const std::regex their(std::string(R"(\b(?:create|give|gave|with)\s+(?:their|its|an?)\s+(indicative\s+)?)") +
                                      k_rating_words + R"(\s+rating\b)",
                                  std::regex::icase);
    static const std::regex indicative(std::string(R"(\bindicative\s+)") + k_rating_words + R"(\s+rating\b)",
                                       std::regex::icase);
    static const std::regex labelled(
        std::string(R"(^(?:.{0,80}\s)?(?:overall\s+|indicative\s+)*rating\s*(?:for\s+.{1,80}?)?\s*[:-]?\s*)") +
            k_rating_words + R"(\s*(?:\(indicative\))?\.?$)",
        std::regex::icase);
    static const std::regex title(std::string(R"(\brates\s+(.{2,120}?)\s+as\s+)") + k_rating_words + "\\b",
                                  std::regex::icase);
    // "… is rated Good", "has been rated as 'good' overall", "was given a rating of good",
    // "the overall rating is requires improvement", "Overall: Good (67%)".
    static const std::regex predicated(
        std::string(R"(\b(?:(?:is|was|been|are|were)\s+rated(?:\s+as)?|rated\s*:|(?:a|an|the|its|their|our)\s+(?:overall\s+)?rating\s+of|overall\s+rating\s+(?:for\s+[^.]{1,80}?\s+)?(?:is|was))\s+['"]?)") +
            k_rating_words + R"(\b)",
        std::regex::icase);
    static const std::regex overall_label(
        std::string(R"(^overall\s*[:-]\s*)") + k_rating_words + R"(\s*(?:[(,-]\s*\d{1,3}(?:\.\d)?\s*(?:%|per\s*cent)\s*\)?)?\.?$)",
        std::regex::icase);
    switch (which) {
        case 0:
            return rated;
        case 1:
            return rated_loose;
        case 2:
            return their;
        case 3:
            return indicative;
        case 4:
            return labelled;
        case 6:
            return predicated;
        case 7:
            return overall_label;
        default:
            return title;
    }
}

/// The rating named in a "rating and score" block: a later block that is only a rating word.
void read_summary_block(const Document& doc, std::vector<Named>& named) {
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        if (ascii_lower(doc.blocks[i].text).find("rating and score") == std::string::npos) continue;
        for (std::size_t j = i + 1; j < doc.blocks.size() && j <= i + 4; ++j) {
            std::string t = doc.blocks[j].text;
            while (!t.empty() && (t.front() == '-' || t.front() == ' ')) t.erase(0, 1);
            const auto space = t.rfind(' ');
            if (auto r = rating_from_words(t)) {
                named.push_back({2, *r, t});
                return;
            }
            // One block "London Borough of Croydon Good" when the HTML kept them together.
            for (const std::string_view w : {"requires improvement", "outstanding", "good", "inadequate"})
                if (ascii_lower(t).ends_with(std::string(" ") + std::string(w)) && space != std::string::npos) {
                    named.push_back({2, *rating_from_words(w), t});
                    return;
                }
        }
    }
}

/// A text about an earlier assessment: "previous", "last", "formerly", "in 2023".
bool about_before(std::string_view text) {
    const std::string l = ascii_lower(text);
    for (const std::string_view w : {"previous", "last ", "last:", "formerly", "earlier", "before"})
        if (l.find(w) != std::string::npos) return true;
    for (std::size_t i = 0; i + 4 <= l.size(); ++i)
        if (l[i] == '2' && l[i + 1] == '0' && std::isdigit(static_cast<unsigned char>(l[i + 2])) &&
            std::isdigit(static_cast<unsigned char>(l[i + 3])) && (i + 4 == l.size() || !std::isdigit(static_cast<unsigned char>(l[i + 4]))) &&
            (i == 0 || !std::isdigit(static_cast<unsigned char>(l[i - 1]))))
            return true;
    return false;
}

bool names_rating(std::string_view label) {
    const std::string l = ascii_lower(label);
    return l.size() <= 80 && l.find("rating") != std::string::npos && !about_before(l);
}

/// A block that is only a rating word, labelled "rating" by its structure: a definition of
/// "Overall rating", a cell in a Rating column or row, or a badge right after an "Overall rating" heading.
void read_labelled_blocks(const Document& doc, std::vector<Named>& named, RatingReading& out) {
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& b = doc.blocks[i];
        if (b.text.size() > 60) continue;
        std::string t = b.text;
        if (const auto paren = t.find(" ("); paren != std::string::npos) t.resize(paren);  // "Good (indicative)"
        if (const auto dash = t.find(" - "); dash != std::string::npos) t.resize(dash);    // "Good - 67%"
        const auto r = rating_from_words(t);
        if (!r) continue;
        std::string label;
        if (names_rating(b.header))
            label = b.header;
        else if (names_rating(b.row_header))
            label = b.row_header;
        else if (i > 0 && names_rating(doc.blocks[i - 1].text) && !rating_from_words(doc.blocks[i - 1].text))
            label = doc.blocks[i - 1].text;
        if (label.empty()) continue;
        named.push_back({2, *r, label + ": " + b.text});
        if (ascii_lower(label).find("indicative") != std::string::npos ||
            ascii_lower(b.text).find("indicative") != std::string::npos)
            out.indicative = true;
    }
}

void read_sentences(const std::string& text, bool is_title, std::vector<Named>& named, RatingReading& out) {
    // Each pattern needs "rat" (rated, rates, rating): std::regex is slow at \b, and most
    // blocks have none, so they are not searched at all.
    Match m;
    if (text.size() < 80 && ascii_lower(text).starts_with("overall") && std::regex_search(text, m, re(7)))
        named.push_back({2, *rating_from_words(m[1].str()), m[0].str()});
    if (ascii_lower(text).find("rat") == std::string::npos) return;
    if (std::regex_search(text, m, re(0)) || std::regex_search(text, m, re(1))) {
        named.push_back({is_title ? 5 : 1, *rating_from_words(m[2].str()), m[0].str()});
        if (out.rated_name.empty()) out.rated_name = m[1].str();
    }
    if (std::regex_search(text, m, re(2))) {
        named.push_back({3, *rating_from_words(m[2].str()), m[0].str()});
        if (m[1].matched) out.indicative = true;
    }
    if (std::regex_search(text, m, re(3))) {
        named.push_back({3, *rating_from_words(m[1].str()), m[0].str()});
        out.indicative = true;
    }
    // Not what it was before: "Previous rating: Good", "previously rated good", "in 2023 … was rated good".
    const bool earlier = about_before(text);
    if (!earlier && std::regex_search(text, m, re(4))) named.push_back({2, *rating_from_words(m[1].str()), m[0].str()});
    if (!earlier && std::regex_search(text, m, re(6))) named.push_back({2, *rating_from_words(m[1].str()), m[0].str()});

    if (std::regex_search(text, m, re(5)))
        named.push_back({is_title ? 4 : 5, *rating_from_words(m[2].str()), m[0].str()});
}

bool says_indicative(const std::string& text) {
    static const std::regex pilot(
        R"(\bindicative\s+(?:[a-z ]{0,25}\s)?(?:rating|score|scoring)\b|\bwas part of the pilots?\b)",
        std::regex::icase);
    const std::string lower = ascii_lower(text);
    if (lower.find("indicative") == std::string::npos && lower.find("pilot") == std::string::npos) return false;
    return std::regex_search(text, pilot);
}

}  // namespace

std::optional<Rating> rating_from_words(std::string_view words) {
    std::string w = ascii_lower(words);
    while (!w.empty() && (w.back() == '.' || w.back() == ' ')) w.pop_back();
    if (w == "outstanding") return Rating::outstanding;
    if (w == "good") return Rating::good;
    if (w == "requires improvement") return Rating::requires_improvement;
    if (w == "inadequate") return Rating::inadequate;
    return std::nullopt;
}

RatingReading read_rating(const Document& doc) {
    RatingReading out;
    std::vector<Named> named;
    if (doc.title.size() <= 2000) read_sentences(doc.title, true, named, out);
    for (const auto& b : doc.blocks) {
        if (b.text.size() > 2000) continue;  // ratings are stated in sentences, not in walls of text
        read_sentences(b.text, false, named, out);
        out.indicative = out.indicative || says_indicative(b.text);
    }
    read_summary_block(doc, named);
    read_labelled_blocks(doc, named, out);
    if (named.empty()) return out;
    const auto best = std::min_element(named.begin(), named.end(),
                                       [](const Named& a, const Named& b) { return a.priority < b.priority; });
    out.rating = best->rating;
    for (const auto& n : named)
        if (n.rating != best->rating) {
            out.warnings.push_back("rating: the text names two ratings, \"" + best->quote + "\" and \"" + n.quote +
                                   "\"; kept " + std::string(to_key(best->rating)));
            break;
        }
    return out;
}

}  // namespace cqcwatch
