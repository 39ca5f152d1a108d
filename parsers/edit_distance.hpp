#pragma once
// How far apart two words are: for "did you mean" suggestions (council names, config keys).

#include <cstddef>
#include <string_view>

namespace cqcwatch {

/// Levenshtein distance: insertions, deletions and substitutions between `a` and `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace cqcwatch
