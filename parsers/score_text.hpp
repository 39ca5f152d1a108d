#pragma once
// How one score is written: "3", "Score: 3", "Score 3", "3 out of 4", "3/4",
// "3 of 4", "three", "scored 3 out of 4", "indicative score of two", a number
// with CQC's descriptor ("3 - Evidence shows a good standard"), or the
// descriptor alone (1 significant shortfalls, 2 some shortfalls, 3 a good
// standard, 4 an exceptional standard).

#include <optional>
#include <string>
#include <string_view>

namespace cqcwatch {

/// The score a short text is, and nothing else; nullopt otherwise (prose, other numbers).
std::optional<int> score_from_text(std::string_view text);

/// Like score_from_text, but words only: symbols ("●●●○") are not counted.
std::optional<int> score_from_words(std::string_view text);

/// The score CQC's descriptor names ("Evidence shows some shortfalls" → 2), when the text is one.
std::optional<int> descriptor_score(std::string_view text);

/// A text that is a label followed by its score ("Safeguarding: 3 out of 4", "Assessing needs
/// was scored 3"): the label and the score; nullopt when no split leaves a score on the right.
struct LabelledScore {
    std::string label;
    int score = 0;
};
std::optional<LabelledScore> split_labelled_score(std::string_view text);

/// A score inside a sentence ("was scored 3 out of 4", "a score of 2", "3/4"): the one it names,
/// nullopt when none or several different ones.
std::optional<int> score_in_sentence(std::string_view sentence);

}  // namespace cqcwatch
