// Scores are read by meaning: a cell (one block, table bars and bullets taken
// off) names a statement and either carries its score ("… – 2", "…: two",
// "… Score: 3") or is followed by a cell that is only a score ("2", "Score: 2").
// Labels map by the words that survive CQC's rewording; an unknown label with
// 1.–9. numbering is placed by its number, with a warning.

#include "parsers/document.hpp"
#include "parsers/scores.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_label_words = 12;
constexpr std::size_t k_max_cell_chars = 300;

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (const char c : s) {
        const bool space = c == ' ';
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

bool has(const std::string& s, std::string_view needle) { return s.find(needle) != std::string::npos; }

/// A block's text without table bars, bullets and surrounding space.
std::string cell_text(std::string_view text) {
    auto trim = [](std::string_view& s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '|')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '|')) s.remove_suffix(1);
    };
    trim(text);
    while (text.size() >= 2 && (text[0] == '-' || text[0] == '*') && text[1] == ' ') {
        text.remove_prefix(2);
        trim(text);
    }
    return std::string(text);
}

/// One cell, split into numbering, label and score.
struct Cell {
    std::optional<int> number;  ///< "3." numbering
    std::string label;
    bool has_separator = false;  ///< "label –" with nothing after it
    std::optional<int> value;    ///< the score the cell itself carries
    bool only_score = false;     ///< the cell is a score and nothing else
};

std::optional<int> word_value(std::string_view w) {
    const std::string s = ascii_lower(w);
    if (s == "1" || s == "one") return 1;
    if (s == "2" || s == "two") return 2;
    if (s == "3" || s == "three") return 3;
    if (s == "4" || s == "four") return 4;
    return std::nullopt;
}

using SvMatch = std::match_results<std::string::const_iterator>;

Cell parse_cell(const std::string& text) {
    static const std::regex numbered(R"(^(\d)\s*[.)]\s*(.*)$)");
    static const std::regex with_value(
        R"(^(.+?)\s*[-:|]\s*(?:an?\s+)?(?:indicative\s+)?(?:scor(?:e|ed|ing)\s*(?:of\s*|:\s*)?)?(one|two|three|four|[1-4])\s*\.?$)",
        std::regex::icase);
    static const std::regex label_score(R"(^(.+?)\s+score\s*:?\s*([1-4])\s*\.?$)", std::regex::icase);
    static const std::regex dangling(R"(^(.+?)\s*[-:]$)");
    Cell c;
    if (auto v = score_from_text(text)) {
        c.value = v;
        c.only_score = true;
        return c;
    }
    std::string rest = text;
    SvMatch m;
    if (std::regex_match(text, m, numbered)) {
        c.number = m[1].str()[0] - '0';
        rest = m[2].str();
    }
    if (std::regex_match(rest, m, with_value) || std::regex_match(rest, m, label_score)) {
        c.label = m[1].str();
        c.value = word_value(m[2].str());
    } else if (std::regex_match(rest, m, dangling)) {
        c.label = m[1].str();
        c.has_separator = true;
    } else {
        c.label = rest;
    }
    return c;
}

/// The next non-empty cell after i, if it is only a score.
std::optional<int> score_cell_after(const std::vector<std::string>& cells, std::size_t i) {
    if (i + 1 >= cells.size()) return std::nullopt;
    const Cell next = parse_cell(cells[i + 1]);
    return next.only_score ? next.value : std::nullopt;
}

}  // namespace

std::optional<Statement> statement_from_label(std::string_view label) {
    const std::string l = ascii_lower(cell_text(label));
    if (l.empty() || word_count(l) > k_max_label_words) return std::nullopt;
    if ((has(l, "assessing") && has(l, "need")) || has(l, "works with people")) return Statement::assessing_needs;
    if (has(l, "healthier lives")) return Statement::healthier_lives;
    if (l.starts_with("equity") || has(l, "equity in experience")) return Statement::equity;
    if (has(l, "care provision") || l.starts_with("providing support")) return Statement::care_provision;
    if (has(l, "partnership")) return Statement::partnerships;
    if (has(l, "safe pathways") || has(l, "ensures safety")) return Statement::safe_pathways;
    if (l.starts_with("safeguarding")) return Statement::safeguarding;
    if (has(l, "governance") || l.starts_with("leadership")) return Statement::governance;
    if (has(l, "learning") && (has(l, "improvement") || has(l, "innovation"))) return Statement::learning;
    return std::nullopt;
}

std::optional<int> score_from_text(std::string_view text) {
    static const std::regex score_re(
        R"(^(?:an?\s+)?(?:indicative\s+)?(?:score|scored|scoring)?\s*(?:of\s*)?:?\s*(one|two|three|four|[1-4])\s*\.?$)",
        std::regex::icase);
    static const std::regex score_then_words(R"(^score\s*:?\s*([1-4])\b.*$)", std::regex::icase);
    const std::string t = cell_text(text);
    if (t.size() > k_max_cell_chars) return std::nullopt;
    SvMatch m;
    if (std::regex_match(t, m, score_re) || std::regex_match(t, m, score_then_words)) return word_value(m[1].str());
    return std::nullopt;
}

namespace {

struct Reader {
    ScoreReading out;
    std::array<bool, k_statement_count> conflicted{};

    void assign(Statement s, int value, const std::string& label) {
        auto& slot = out.scores[static_cast<std::size_t>(s)];
        if (!slot) {
            slot = value;
        } else if (*slot != value && !conflicted[static_cast<std::size_t>(s)]) {
            conflicted[static_cast<std::size_t>(s)] = true;
            out.warnings.push_back("scores: " + std::string(to_key(s)) + " given as " + std::to_string(*slot) +
                                   " and as " + std::to_string(value) + " (\"" + label + "\"); kept " +
                                   std::to_string(*slot));
        }
    }

    void read(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (cells[i].empty()) continue;
            const Cell c = parse_cell(cells[i]);
            if (c.only_score || c.label.empty()) continue;
            std::optional<int> value = c.value;
            const bool may_take_next = !value && !c.has_separator;
            if (may_take_next) value = score_cell_after(cells, i);
            auto statement = statement_from_label(c.label);
            if (!statement && c.number && *c.number >= 1 && value && word_count(c.label) <= k_max_label_words) {
                statement = statement_at(static_cast<std::size_t>(*c.number - 1));
                out.warnings.push_back("scores: unknown label \"" + c.label + "\" placed by its number " +
                                       std::to_string(*c.number) + " as " + std::string(to_key(*statement)));
            }
            if (!statement) continue;
            ++out.labels_seen;
            if (!value) continue;
            if (may_take_next) ++i;
            assign(*statement, *value, c.label);
        }
    }
};

}  // namespace

ScoreReading read_scores(const std::vector<Block>& blocks) {
    std::vector<std::string> cells;
    for (const auto& b : blocks) {
        // Labels and scores are short; prose is not read (and std::regex recurses per character).
        if (b.text.size() > k_max_cell_chars) {
            cells.push_back("");
            continue;
        }
        if (auto t = cell_text(b.text); !t.empty()) cells.push_back(std::move(t));
    }
    Reader reader;
    reader.read(cells);
    return reader.out;
}

std::optional<std::string> missing_scores_warning(const Scores& scores) {
    const auto known = std::count_if(scores.begin(), scores.end(), [](const auto& s) { return s.has_value(); });
    if (known == 0 || known == static_cast<long>(k_statement_count)) return std::nullopt;
    std::string missing;
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (!scores[i]) missing += (missing.empty() ? "" : ", ") + std::string(to_key(statement_at(i)));
    return "scores: " + std::to_string(known) + " of 9 found; none for " + missing;
}

}  // namespace cqcwatch
