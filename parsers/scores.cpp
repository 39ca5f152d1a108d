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
#include <map>
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

using SvMatch = std::match_results<std::string::const_iterator>;

}  // namespace

namespace {

/// A label's text for matching: lower case, "&" as "and", punctuation as spaces.
std::string match_text(std::string_view label) {
    std::string l = ascii_lower(cell_text(label));
    std::string out;
    out.reserve(l.size() + 8);
    for (std::size_t i = 0; i < l.size(); ++i) {
        const char c = l[i];
        if (c == '&') out += " and ";
        else if (c == ',' || c == ';' || c == '(' || c == ')' || c == '"' || c == '*') out += ' ';
        else out += c;
    }
    return normalise_text(out);
}

/// The statements a text names by the words each of CQC's names keeps through its rewordings.
std::set<Statement> statements_named(const std::string& l) {
    std::set<Statement> found;
    if (has(l, "assessing") && has(l, "need")) found.insert(Statement::assessing_needs);
    if (has(l, "healthier") || has(l, "healthy lives")) found.insert(Statement::healthier_lives);
    if (has(l, "equity")) found.insert(Statement::equity);
    if (has(l, "care provision") || (has(l, "integration") && has(l, "continuity"))) found.insert(Statement::care_provision);
    if (has(l, "partnership")) found.insert(Statement::partnerships);
    if (has(l, "safe pathways") || has(l, "pathways") || has(l, "transitions")) found.insert(Statement::safe_pathways);
    if (has(l, "safeguarding")) found.insert(Statement::safeguarding);
    if (has(l, "governance")) found.insert(Statement::governance);
    if ((has(l, "learning") && (has(l, "improvement") || has(l, "innovation"))) || has(l, "innovation"))
        found.insert(Statement::learning);
    return found;
}

/// CQC's themes, which prefix a statement ("Leadership: Governance, …") or stood for one in 2023.
constexpr std::array<std::string_view, 6> k_theme_names{
    "working with people", "providing support", "how the local authority ensures safety within the system",
    "how the local authority ensures safety in the system", "ensuring safety", "leadership"};

/// The label without "QS3", "Quality statement 3", "3." numbering (its number kept) and a theme's name before it.
std::string strip_decoration(std::string l, std::optional<int>& number) {
    static const std::regex numbering(R"(^(?:qs\s*|quality\s+statement\s*|statement\s*)?([1-9])\s*(?:[.):|-]\s*|\s+)(.+)$)");
    static const std::regex numbering_only(R"(^(?:qs|quality\s+statement|statement)\s*([1-9])$)");
    std::smatch m;
    if (std::regex_match(l, m, numbering)) {
        number = m[1].str()[0] - '0';
        l = m[2].str();
    } else if (std::regex_match(l, m, numbering_only)) {
        number = m[1].str()[0] - '0';
        return "";
    }
    for (const auto theme : k_theme_names) {
        if (!l.starts_with(theme) || l.size() <= theme.size() + 2) continue;
        const std::string rest = normalise_text(std::string_view(l).substr(theme.size()));
        if (!rest.empty() && (rest[0] == ':' || rest[0] == '-' || rest[0] == '|' || rest[0] == '/'))
            return normalise_text(rest.substr(1));
    }
    return l;
}

}  // namespace

std::optional<Statement> statement_from_label(std::string_view label) {
    const std::string whole = match_text(label);
    if (whole.empty() || word_count(whole) > 2 * k_max_label_words) return std::nullopt;
    std::optional<int> number;
    const std::string l = strip_decoration(whole, number);
    if (word_count(l) > k_max_label_words) return std::nullopt;
    const auto named = statements_named(l);
    std::optional<Statement> s;
    if (named.size() == 1) {
        s = *named.begin();
    } else if (named.empty()) {
        // CQC's 2023 labels named a theme where a statement stands.
        if (has(l, "works with people") || l == "working with people") s = Statement::assessing_needs;
        else if (has(l, "ensures safety") || l == "ensuring safety") s = Statement::safe_pathways;
        else if (l.starts_with("leadership")) s = Statement::governance;
        else if (l.starts_with("providing support")) s = Statement::care_provision;
        else if (l == "equity") s = Statement::equity;
    }
    // "QS4: Safeguarding": the number and the name disagree, so the label cannot be placed.
    if (s && number && statement_at(static_cast<std::size_t>(*number - 1)) != *s) return std::nullopt;
    return s;
}

namespace {

/// One piece of evidence for a statement's score, and where it was read.
struct Evidence {
    int value = 0;
    std::string quote;
};

struct Reader {
    ScoreReading out;
    std::array<std::vector<Evidence>, k_statement_count> evidence{};

    void add(Statement s, int value, std::string quote) {
        if (quote.size() > 120) quote = quote.substr(0, 117) + "...";
        evidence[static_cast<std::size_t>(s)].push_back({value, std::move(quote)});
    }

    /// Each statement's score when every piece of evidence agrees; null and a warning when two disagree.
    void decide() {
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            const auto& ev = evidence[i];
            if (ev.empty()) continue;
            const auto other = std::find_if(ev.begin(), ev.end(), [&](const Evidence& e) { return e.value != ev[0].value; });
            if (other == ev.end()) {
                out.scores[i] = ev[0].value;
                continue;
            }
            out.warnings.push_back("scores: " + std::string(to_label(statement_at(i))) + " is given as " +
                                   std::to_string(ev[0].value) + " (\"" + ev[0].quote + "\") and as " +
                                   std::to_string(other->value) + " (\"" + other->quote + "\"): withheld");
        }
    }
};

/// A theme's name alone ("Leadership", "Providing support"): in a table it heads rows, it is not a statement.
bool is_theme_name(std::string_view text) {
    std::string l = ascii_lower(cell_text(text));
    if (l.starts_with("theme ")) {
        const auto colon = l.find_first_of(":-");
        l = colon == std::string::npos ? l.substr(6) : cell_text(l.substr(colon + 1));
    }
    for (const auto theme : k_theme_names)
        if (l == theme) return true;
    return false;
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
    if (h.find("previous") != std::string::npos || h.find("last") != std::string::npos ||
        h.find("change") != std::string::npos || h.find("20") != std::string::npos)
        return 0;
    return h.find("score") != std::string::npos || h.find("rating") != std::string::npos ? 2 : 1;
}

/// Table rows and term/definition pairs: a value-only block takes its label from its structure.
/// In a row with several score columns, the one headed "Score" is read, never one headed "Previous".
std::set<std::size_t> read_structured(const std::vector<Block>& blocks, Reader& reader) {
    std::set<std::size_t> read;
    std::vector<const Block*> group;
    auto flush = [&] {
        std::array<int, k_statement_count> rank{};
        std::array<std::vector<std::pair<int, std::string>>, k_statement_count> values{};
        for (const Block* b : group) {
            if (b->text.size() > k_max_cell_chars) continue;
            const auto v = score_from_text(b->text);
            if (!v) continue;
            const auto s = statement_for(*b, group);
            if (!s) continue;
            const auto i = static_cast<std::size_t>(*s);
            const int r = column_rank(*b) + 1;
            if (r > rank[i]) rank[i] = r, values[i].clear();
            if (r == rank[i]) values[i].emplace_back(*v, b->text);
        }
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            if (values[i].empty() || rank[i] < 2) continue;  // only a "Previous" column: not this assessment's
            for (const auto& [v, quote] : values[i]) reader.add(statement_at(i), v, std::string(to_label(statement_at(i))) + ": " + quote);
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

/// What one block is to the score reader.
struct Piece {
    std::optional<Statement> statement;  ///< the block names one statement
    std::optional<int> value;            ///< the block carries a score (its own, or alone)
    bool label = false;                  ///< names a statement (with or without its score)
    bool lost_value = false;             ///< "7. safeguarding –": the score was there and is gone
    bool by_number = false;              ///< an unknown label placed by its "3." numbering
    bool symbols_disagree = false;       ///< "●●●● 3 out of 4": drawn one way, written another
    std::string text;
};

Piece classify(const Block& b) {
    Piece p;
    if (b.text.size() > k_max_cell_chars || column_rank(b) == 0) return p;  // a "Previous score" column
    p.text = cell_text(b.text);
    if (p.text.empty()) return p;
    if (auto v = score_from_text(p.text)) {
        p.value = v;
        return p;
    }
    static const std::regex numbered(R"(^(\d)\s*[.)]\s*(.*)$)");
    static const std::regex dangling(R"(^(.+?)\s*[-:|]$)");
    std::string rest = p.text;
    std::optional<int> number;
    SvMatch m;
    if (std::regex_match(p.text, m, numbered)) {
        number = m[1].str()[0] - '0';
        rest = m[2].str();
    }
    std::string label = rest;
    if (auto split = split_labelled_score(rest)) {
        label = split->label;
        p.value = split->score;
    } else if (std::regex_match(rest, m, dangling)) {
        label = m[1].str();
        p.lost_value = rest.back() == '-';
    }
    p.statement = statement_from_label(label);
    if (p.statement && !p.value) {
        // A label that still holds part of a score ("… - 2 (out of", a row a hard wrap broke) has lost
        // its value here: the next line's "4)" is not it.
        static const std::regex numbering_prefix(R"(^\W*(?:qs\s*|quality\s+statement\s*|statement\s*)?\d\s*[.):|-]?\s*)",
                                                 std::regex::icase);
        static const std::regex score_part(R"(\b[1-4]\b|\bout\s+of\b|\bscored?\b)", std::regex::icase);
        const std::string named = std::regex_replace(label, numbering_prefix, "", std::regex_constants::format_first_only);
        if (std::regex_search(named, score_part)) p.lost_value = true;
    }
    if (p.statement && !p.value && label.find('\xE2') != std::string::npos) {
        // The label swallowed a score that its symbols and its words give differently.
        for (std::size_t i = 1; i < label.size() && !p.symbols_disagree; ++i)
            if (label[i] == ' ' && score_from_words(std::string_view(label).substr(i + 1))) p.symbols_disagree = true;
        if (p.symbols_disagree) {
            std::string name = label;
            const auto glyph = name.find('\xE2');
            name = cell_text(name.substr(0, glyph));
            p.statement = statement_from_label(name);
        }
    }
    if (!p.statement && number && *number >= 1 && p.value && word_count(label) <= k_max_label_words &&
        statements_named(match_text(label)).empty()) {
        p.statement = statement_at(static_cast<std::size_t>(*number - 1));
        p.by_number = true;
        p.text = label;
    }
    if (!p.statement) p.value.reset();
    p.label = p.statement.has_value();
    return p;
}

/// [first, last] block of every element that holds blocks, by its number.
std::map<std::uint32_t, std::pair<std::size_t, std::size_t>> element_ranges(const std::vector<Block>& blocks) {
    std::map<std::uint32_t, std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i < blocks.size(); ++i)
        for (const auto id : blocks[i].path) {
            auto [it, fresh] = out.try_emplace(id, i, i);
            if (!fresh) it->second.second = i;
        }
    return out;
}

/// Labels and scores in separate blocks, paired by the item they share: a card, a list item, a
/// tile — the largest element around the label that holds no other label. A score is taken only
/// when the item holds one; else, for labels that stand alone (headings, lines of a mail), the
/// scores between the label and the next one.
std::vector<bool> read_pieces(const std::vector<Block>& blocks, const std::set<std::size_t>& structured, Reader& reader) {
    std::vector<Piece> pieces(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].group == 0 || structured.count(blocks[i].group) == 0) pieces[i] = classify(blocks[i]);
    std::vector<std::size_t> label_at;  // indices of label blocks, in order
    for (std::size_t i = 0; i < pieces.size(); ++i)
        if (pieces[i].label) label_at.push_back(i);
    std::vector<int> labels_before(blocks.size() + 1, 0);
    for (std::size_t i = 0; i < pieces.size(); ++i) labels_before[i + 1] = labels_before[i] + (pieces[i].label ? 1 : 0);
    auto labels_in = [&](std::size_t first, std::size_t last) { return labels_before[last + 1] - labels_before[first]; };
    const auto ranges = element_ranges(blocks);
    std::vector<bool> used(blocks.size(), false);
    for (std::size_t k = 0; k < label_at.size(); ++k) {
        const std::size_t i = label_at[k];
        const Piece& p = pieces[i];
        ++reader.out.labels_seen;
        if (p.by_number)
            reader.out.warnings.push_back("scores: unknown label \"" + p.text + "\" placed by its number " +
                                          std::to_string(static_cast<int>(*p.statement) + 1) + " as " +
                                          std::string(to_label(*p.statement)));
        if (p.value) {
            reader.add(*p.statement, *p.value, p.text);
            continue;
        }
        if (p.symbols_disagree) {
            reader.out.warnings.push_back("scores: " + std::string(to_label(*p.statement)) +
                                          ": the symbols and the words beside them give different scores (\"" +
                                          p.text + "\"): withheld");
            continue;
        }
        // The item: from the outermost element inward, the first that holds this label alone.
        std::optional<std::pair<std::size_t, std::size_t>> item;
        for (const auto id : blocks[i].path) {
            const auto& r = ranges.at(id);
            if (labels_in(r.first, r.second) == 1) {
                item = r;
                break;
            }
        }
        std::vector<std::size_t> found;
        if (item)
            for (std::size_t j = item->first; j <= item->second; ++j)
                if (j != i && pieces[j].value && !pieces[j].label) found.push_back(j);
        // A label in a table row takes its score from that row alone.
        if (found.empty() && !p.lost_value && blocks[i].group == 0) {
            // A label standing alone: the scores after it, before the next label (a few blocks at most).
            const std::size_t stop = k + 1 < label_at.size() ? label_at[k + 1] : blocks.size();
            for (std::size_t j = i + 1; j < stop && j <= i + 3; ++j)
                if (pieces[j].value && !used[j]) found.push_back(j);
        }
        for (const auto j : found) {
            used[j] = true;
            reader.add(*p.statement, *pieces[j].value, p.text + " / " + pieces[j].text);
        }
    }
    // What was read as a label or a score here is not read again as prose.
    for (std::size_t i = 0; i < pieces.size(); ++i) used[i] = used[i] || pieces[i].label;
    return used;
}

/// Statements named in running text, by the same words as labels; one only, or none.
std::optional<Statement> statement_in_sentence(const std::string& sentence) {
    const auto named = statements_named(match_text(sentence));
    if (named.size() != 1) return std::nullopt;  // two statements: which score is whose?
    return *named.begin();
}

/// "Assessing needs was scored 3 out of 4.": one statement and one score in one sentence.
void read_prose(const std::vector<Block>& blocks, const std::vector<bool>& read, Reader& reader) {
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        const Block& b = blocks[k];
        if (read[k]) continue;
        if (b.text.size() > 20 * k_max_cell_chars || b.text.size() <= 12) continue;
        std::size_t start = 0;
        while (start < b.text.size()) {
            auto end = b.text.find(". ", start);
            if (end == std::string::npos) end = b.text.size();
            const std::string sentence = b.text.substr(start, end - start);
            start = end + 2;
            if (sentence.size() > k_max_cell_chars || word_count(sentence) <= 4) continue;
            const auto v = score_in_sentence(sentence);
            if (!v) continue;
            if (auto s = statement_in_sentence(sentence)) reader.add(*s, *v, sentence);
        }
    }
}

}  // namespace

ScoreReading read_scores(const std::vector<Block>& blocks) {
    Reader reader;
    // Rows and pairs read by structure are not read again as loose blocks (a "Previous score"
    // column would otherwise look like a second score).
    const auto structured = read_structured(blocks, reader);
    const auto read = read_pieces(blocks, structured, reader);
    read_prose(blocks, read, reader);
    reader.decide();
    return reader.out;
}

std::optional<std::string> missing_scores_warning(const Scores& scores) {
    const auto known = std::count_if(scores.begin(), scores.end(), [](const auto& s) { return s.has_value(); });
    if (known == 0 || known == static_cast<long>(k_statement_count)) return std::nullopt;
    std::string missing;
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (!scores[i]) missing += (missing.empty() ? "" : ", ") + std::string(to_label(statement_at(i)));
    return "scores: " + std::to_string(known) + " of 9 found; none for " + missing;
}

}  // namespace cqcwatch
