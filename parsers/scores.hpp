#pragma once
// The nine quality-statement scores, in every wording CQC has used: numbered or
// bulleted lines with a dash or a colon, scores as words ("indicative score of
// two"), flattened Theme | Area | Score tables, "Label" then "Score: 2", and
// theme sub-pages whose heading names the statement.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"
#include "parsers/score_text.hpp"

namespace cqcwatch {

/// The statement a label names, in any year's wording ("Assessing people's needs",
/// "how the local authority works with people", "leadership"); nullopt if none.
std::optional<Statement> statement_from_label(std::string_view label);

/// What the score reader found.
struct ScoreReading {
    Scores scores{};                    ///< nullopt where the text gives none
    std::size_t labels_seen = 0;        ///< statement labels met, with or without a score
    std::vector<std::string> warnings;  ///< unknown labels placed by number, conflicts, gaps
};

/// Reads the scores from a document's blocks. Never invents a score.
ScoreReading read_scores(const std::vector<Block>& blocks);

/// "scores: 8 of 9 found; none for safeguarding" when some but not all are known.
std::optional<std::string> missing_scores_warning(const Scores& scores);

}  // namespace cqcwatch
