// A score is a value (1-4 or one-four), optionally introduced ("Score:",
// "scored", "indicative score of"), optionally out of four ("/4", "out of 4",
// "of 4"), optionally followed by CQC's descriptor; or the descriptor alone.
// Anything else after the number ("3 councils") means it is not a score.

#include "parsers/score_text.hpp"

#include <array>
#include <regex>

#include "parsers/document.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_score_chars = 300;  // std::regex recurses per character

using Match = std::match_results<std::string::const_iterator>;

std::optional<int> word_value(std::string_view w) {
    const std::string s = ascii_lower(w);
    if (s == "1" || s == "one") return 1;
    if (s == "2" || s == "two") return 2;
    if (s == "3" || s == "three") return 3;
    if (s == "4" || s == "four") return 4;
    return std::nullopt;
}

std::string trimmed(std::string_view s) {
    auto strip = [](char c) { return c == ' ' || c == '|' || c == '.' || c == ';' || c == ','; };
    while (!s.empty() && strip(s.front())) s.remove_prefix(1);
    while (!s.empty() && strip(s.back())) s.remove_suffix(1);
    while (s.size() >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') {
        s.remove_prefix(2);
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    }
    return std::string(s);
}

/// What may follow a score: nothing, CQC's descriptor, or the rating word that goes with it; not
/// other words that merely mention a descriptor ("1. Assessing needs: some shortfalls" is a label).
bool acceptable_tail(const std::string& tail_in) {
    std::string tail = tail_in;
    if (tail.size() >= 2 && tail.front() == '(' && tail.back() == ')') tail = tail.substr(1, tail.size() - 2);
    static const std::regex rating_word(R"(^(?:inadequate|requires improvement|good|outstanding)\b.{0,80}$)",
                                        std::regex::icase);
    return tail.empty() || tail == ")" || std::regex_match(tail, rating_word) || descriptor_score(tail).has_value();
}

/// A rating glyph: +1 filled ("●", "★", "■", "◆", "⬤"), -1 empty ("○", "☆", "□", "◇", "◯"), 0 none; `len` its bytes.
int glyph_at(std::string_view s, std::size_t i, std::size_t& len) {
    static constexpr std::array<std::pair<std::string_view, int>, 10> glyphs{{{"\u25CF", 1},
                                                                              {"\u2605", 1},
                                                                              {"\u25A0", 1},
                                                                              {"\u25C6", 1},
                                                                              {"\u2B24", 1},
                                                                              {"\u25CB", -1},
                                                                              {"\u2606", -1},
                                                                              {"\u25A1", -1},
                                                                              {"\u25C7", -1},
                                                                              {"\u25EF", -1}}};
    for (const auto& [g, kind] : glyphs)
        if (s.compare(i, g.size(), g) == 0) {
            len = g.size();
            return kind;
        }
    return 0;
}

/// A run of four glyphs, filled ones first ("●●●○"), as a sighted reader counts it: the text without
/// the run, and the count; `bad` when the text has glyphs that do not make such a run.
struct Counted {
    std::string rest;
    std::optional<int> value;
    bool bad = false;
};

Counted count_symbols(std::string_view s) {
    Counted out;
    std::size_t first = std::string::npos, end = 0;
    int filled = 0, empty = 0;
    bool ordered = true;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 0;
        const int g = glyph_at(s, i, len);
        if (g == 0) {
            ++i;
            continue;
        }
        if (first == std::string::npos) {
            first = i;
        } else if (s.substr(end, i - end).find_first_not_of(' ') != std::string_view::npos) {
            out.bad = true;  // two runs of symbols: which is the score?
            return out;
        }
        if (g > 0 && empty > 0) ordered = false;
        (g > 0 ? filled : empty) += 1;
        i += len;
        end = i;
    }
    if (first == std::string::npos) {
        out.rest = std::string(s);
        return out;
    }
    if (!ordered || filled + empty != 4 || filled == 0) {
        out.bad = true;
        return out;
    }
    out.value = filled;
    out.rest = std::string(s.substr(0, first)) + " " + std::string(s.substr(end));
    return out;
}

}  // namespace

std::optional<int> descriptor_score(std::string_view text) {
    static const std::regex descriptor(
        R"(^(?:(?:inadequate|requires improvement|good|outstanding)\s*[:-]?\s*)?(?:the\s+)?(?:evidence\s+(?:shows|showed|demonstrates|suggests)\s+)?(?:there\s+(?:are|were)\s+)?(?:an?\s+)?(significant\s+shortfalls?|some\s+shortfalls?|good\s+standard|exceptional\s+standard)\b[^0-9]{0,60}$)",
        std::regex::icase);
    const std::string t = trimmed(text);
    if (t.size() > 120) return std::nullopt;
    Match m;
    if (!std::regex_match(t, m, descriptor)) return std::nullopt;
    const std::string d = ascii_lower(m[1].str());
    if (d.starts_with("significant")) return 1;
    if (d.starts_with("some")) return 2;
    if (d.starts_with("good")) return 3;
    return 4;
}

std::optional<int> score_from_words(std::string_view text);

std::optional<int> score_from_text(std::string_view text) {
    // Symbols first: "●●●○" alone is 3; beside words ("●●●○ 3 out of 4") both must say the same.
    if (text.find('\xE2') != std::string_view::npos) {
        const Counted c = count_symbols(text);
        if (c.bad) return std::nullopt;
        if (c.value) {
            if (trimmed(c.rest).empty()) return c.value;
            const auto said = score_from_text(c.rest);
            return said == c.value ? said : std::nullopt;
        }
    }
    return score_from_words(text);
}

std::optional<int> score_from_words(std::string_view text) {
    static const std::regex score(
        R"(^(?:(?:an?\s+|the\s+)?(?:indicative\s+)?(?:quality\s+statement\s+)?(?:score[ds]?|scoring|rated|rating)\s*(?:of\s*|was\s*|is\s*|[:=-]\s*)?)?(one|two|three|four|[1-4])(?:\s*\(?\s*(?:/|out\s+of|of)\s*(?:4|four)\s*\)?)?(?:\s*[-:(,]?\s*(.*))?$)",
        std::regex::icase);
    const std::string t = trimmed(text);
    if (t.empty() || t.size() > k_max_score_chars) return std::nullopt;
    Match m;
    if (std::regex_match(t, m, score) && acceptable_tail(trimmed(m[2].str()))) return word_value(m[1].str());
    return descriptor_score(t);
}

std::optional<LabelledScore> split_labelled_score(std::string_view text_in) {
    const std::string text = trimmed(text_in);
    if (text.size() > k_max_score_chars) return std::nullopt;
    const std::string lower = ascii_lower(text);
    // Leftmost split first: the label is the shortest prefix after which a whole score follows.
    for (std::size_t i = 1; i < text.size(); ++i) {
        std::size_t value_at = std::string::npos;
        const char c = text[i];
        if (c == ':' || c == '|' || c == '(' || c == '=' || (c == '-' && text[i - 1] == ' ')) {
            value_at = i + 1;
        } else if (c == ' ') {
            for (std::string_view w : {" was ", " is ", " were "})
                if (lower.compare(i, w.size(), w) == 0) value_at = i + w.size();
            if (value_at == std::string::npos) value_at = i + 1;  // "Safeguarding 3", "Equity scored 3"
        }
        if (value_at == std::string::npos || value_at >= text.size()) continue;
        std::string label = trimmed(std::string_view(text).substr(0, i));
        while (!label.empty() && (label.back() == '-' || label.back() == ':'))
            label = trimmed(label.substr(0, label.size() - 1));
        if (label.empty()) continue;
        // Symbols left in the label ("Safeguarding ●●●●" before "3 out of 4") are part of the score.
        if (count_symbols(label).value || count_symbols(label).bad) continue;
        if (auto v = score_from_text(std::string_view(text).substr(value_at))) return LabelledScore{label, *v};
    }
    return std::nullopt;
}

std::optional<int> score_in_sentence(std::string_view sentence) {
    static const std::regex phrase(
        R"(\b(?:scored|score\s+of|scoring|score\s+was|rated|score\s+(?:for|of)\s+[^.]{1,160}?\s+(?:was|is))\s+(?:an?\s+)?(one|two|three|four|[1-4])\b(?:\s*(?:/|out\s+of)\s*(?:4|four))?|\b([1-4])\s*(?:/|out\s+of)\s*(?:4|four)\b)",
        std::regex::icase);
    const std::string s(sentence);
    if (s.size() > k_max_score_chars) return std::nullopt;
    std::optional<int> found;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), phrase); it != std::sregex_iterator(); ++it) {
        const auto v = word_value((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
        if (found && v != found) return std::nullopt;
        found = v;
    }
    return found;
}

}  // namespace cqcwatch
