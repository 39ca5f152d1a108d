#pragma once
// Checks that a text's rating, stated percentage and scores agree. Keeps what
// the text says and only adds warnings: a record is never dropped or changed.

#include <optional>
#include <string>
#include <vector>

#include "parsers/model.hpp"

namespace cqcwatch {

/// How far a stated percentage may be from sum/36 before a warning: 2024 reports
/// used another weighting and are often a point or two off.
inline constexpr int k_percent_tolerance = 2;

/// sum/36 rounded half up to a whole percent (14/36 = 38.9 → 39), when all nine are known.
std::optional<int> whole_percent(const Scores& scores);

/// Warnings for a rating, stated percentage and scores that disagree with each other.
std::vector<std::string> consistency_warnings(const Assessment& a);

/// Read or withhold: where the rating, the stated percentage and the nine scores a text gives
/// contradict each other beyond k_percent_tolerance, the figures that cannot be vouched for are
/// set to null. Returns one warning per contradiction, both sides in words, ending "withheld".
std::vector<std::string> withhold_contradictions(Assessment& a);

}  // namespace cqcwatch
