#pragma once
// Where a council is and what kind it is: the nine English regions (ONS RGN
// codes) and the council types, with the spellings users type for them.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cqcwatch {

/// One of the nine English regions.
struct Region {
    std::string_view code;  ///< ONS code ("E12000005")
    std::string_view name;  ///< ONS name ("West Midlands")
    std::string_view key;   ///< machine key ("west_midlands")
};

/// The nine regions in ONS order (E12000001 North East … E12000009 South West).
std::span<const Region> regions();
/// The region of an ONS code, or nullptr.
const Region* region_by_code(std::string_view code);
/// The region a user typed: name, key or code, any case, '-'/'_'/space alike; nullptr when none.
const Region* find_region(std::string_view text);

/// What kind of council it is (City of London and the Isles of Scilly are their own kinds).
enum class CouncilType { county, metropolitan, london_borough, unitary, city_of_london, isles_of_scilly };

/// The key in data/authorities.tsv and JSON ("london_borough").
std::string_view to_key(CouncilType t);
/// For people ("London borough").
std::string_view to_label(CouncilType t);
/// The type a user typed ("London borough", "london-borough", "metropolitan borough", "unitary authority").
std::optional<CouncilType> find_council_type(std::string_view text);

/// Folds user text for matching: lower case, '-', '_' and runs of spaces → one space, "&" → "and".
std::string fold_words(std::string_view text);

}  // namespace cqcwatch
