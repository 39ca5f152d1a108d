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
#include <set>

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

using SvMatch = std::match_results<std::string::const_iterator>;

Cell parse_cell(const std::string& text) {
    static const std::regex numbered(R"(^(\d)\s*[.)]\s*(.*)$)");
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
    if (auto split = split_labelled_score(rest)) {
        c.label = split->label;
        c.value = split->score;
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

    /// Prose only fills gaps: a sentence may mention a statement in passing.
    void fill(Statement s, int value, const std::string& sentence) {
        auto& slot = out.scores[static_cast<std::size_t>(s)];
        if (slot) return;
        slot = value;
        ++out.labels_seen;
        out.warnings.push_back("scores: " + std::string(to_key(s)) + " read from a sentence: \"" + sentence + "\"");
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

namespace {

/// A theme's name alone ("Leadership", "Providing support"): in a table it heads rows, it is not a statement.
bool is_theme_name(std::string_view text) {
    std::string l = ascii_lower(cell_text(text));
    if (l.starts_with("theme ")) {
        const auto colon = l.find_first_of(":-");
        l = colon == std::string::npos ? l.substr(6) : cell_text(l.substr(colon + 1));
    }
    return l == "working with people" || l == "providing support" || l == "ensuring safety" || l == "leadership";
}

/// The statement a structured value is about: the row's other cells first, then the row's header,
/// then the column's header (a table turned on its side); a bare theme name only when nothing else names one.
std::optional<Statement> statement_for(const Block& value, const std::vector<const Block*>& group) {
    std::vector<std::string_view> candidates;
    if (value.kind == BlockKind::definition) candidates.push_back(value.header);
    for (const Block* b : group)
        if (b != &value && b->kind != BlockKind::definition && !score_from_text(b->text)) candidates.push_back(b->text);
    candidates.push_back(value.row_header);
    if (value.kind != BlockKind::definition) candidates.push_back(value.header);
    std::optional<Statement> theme_like;
    for (auto c : candidates) {
        auto s = statement_from_label(c);
        if (!s) continue;
        if (!is_theme_name(c)) return s;
        if (!theme_like) theme_like = s;
    }
    return theme_like;
}

/// How much a column's header says "this is the score": 2 Score/Rating, 1 none, 0 another column.
int column_rank(const Block& b) {
    const std::string h = ascii_lower(b.header);
    if (b.kind == BlockKind::definition || h.empty()) return 1;
    if (h.find("previous") != std::string::npos || h.find("last") != std::string::npos) return 0;
    return h.find("score") != std::string::npos || h.find("rating") != std::string::npos ? 2 : 1;
}

/// Table rows and term/definition pairs: a value-only block takes its label from its structure.
std::set<std::size_t> read_structured(const std::vector<Block>& blocks, Reader& reader) {
    std::set<std::size_t> read;
    std::vector<const Block*> group;
    auto flush = [&] {
        std::array<int, k_statement_count> rank{};
        std::array<std::optional<int>, k_statement_count> value{};
        for (const Block* b : group) {
            if (b->text.size() > k_max_cell_chars) continue;
            const auto v = score_from_text(b->text);
            if (!v) continue;
            const auto s = statement_for(*b, group);
            if (!s) continue;
            const auto i = static_cast<std::size_t>(*s);
            if (column_rank(*b) + 1 > rank[i]) rank[i] = column_rank(*b) + 1, value[i] = v;
        }
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            if (!value[i]) continue;
            reader.assign(statement_at(i), *value[i], std::string(to_label(statement_at(i))));
            ++reader.out.labels_seen;
            read.insert(group.front()->group);
        }
        group.clear();
    };
    for (const auto& b : blocks) {
        if (b.group == 0) continue;
        if (!group.empty() && group.front()->group != b.group) flush();
        group.push_back(&b);
    }
    flush();
    return read;
}

/// Statements named in running text, by the words CQC's labels keep.
std::optional<Statement> statement_in_sentence(const std::string& lower) {
    static const std::array<std::pair<std::string_view, Statement>, 12> phrases{{
        {"assessing needs", Statement::assessing_needs},
        {"assessing people's needs", Statement::assessing_needs},
        {"healthier lives", Statement::healthier_lives},
        {"equity in experience", Statement::equity},
        {"care provision", Statement::care_provision},
        {"partnerships and communities", Statement::partnerships},
        {"safe pathways", Statement::safe_pathways},
        {"safeguarding", Statement::safeguarding},
        {"governance", Statement::governance},
        {"learning, improvement", Statement::learning},
        {"learning and improvement", Statement::learning},
        {"innovation", Statement::learning},
    }};
    std::optional<Statement> found;
    for (const auto& [phrase, s] : phrases) {
        if (lower.find(phrase) == std::string::npos) continue;
        if (found && *found != s) return std::nullopt;  // two statements: which score is whose?
        found = s;
    }
    return found;
}

/// "Assessing needs was scored 3 out of 4.": one statement and one score in one sentence.
void read_prose(const std::vector<Block>& blocks, Reader& reader) {
    for (const auto& b : blocks) {
        if (b.text.size() > 20 * k_max_cell_chars) continue;
        std::size_t start = 0;
        while (start < b.text.size()) {
            auto end = b.text.find(". ", start);
            if (end == std::string::npos) end = b.text.size();
            const std::string sentence = b.text.substr(start, end - start);
            start = end + 2;
            if (sentence.size() > k_max_cell_chars) continue;
            const auto v = score_in_sentence(sentence);
            if (!v) continue;
            if (auto s = statement_in_sentence(ascii_lower(sentence))) reader.fill(*s, *v, sentence);
        }
    }
}

}  // namespace

ScoreReading read_scores(const std::vector<Block>& blocks) {
    Reader reader;
    // Rows and pairs read by structure are not read again as a flat run of cells (a
    // "Previous score" column would otherwise look like a second score).
    const auto structured = read_structured(blocks, reader);
    std::vector<std::string> cells;
    for (const auto& b : blocks) {
        if (b.group != 0 && structured.count(b.group) != 0) {
            cells.push_back("");
            continue;
        }
        // Labels and scores are short; prose is not read (and std::regex recurses per character).
        if (b.text.size() > k_max_cell_chars) {
            cells.push_back("");
            continue;
        }
        if (auto t = cell_text(b.text); !t.empty()) cells.push_back(std::move(t));
    }
    reader.read(cells);
    read_prose(blocks, reader);
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
