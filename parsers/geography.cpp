// Regions and council types. The region codes and names are ONS's (Regions
// (December 2023) Names and Codes in England); see data/README.md.

#include "parsers/geography.hpp"

#include <array>
#include <cctype>

namespace cqcwatch {

namespace {

constexpr std::array<Region, 9> k_regions{{
    {"E12000001", "North East", "north_east"},
    {"E12000002", "North West", "north_west"},
    {"E12000003", "Yorkshire and The Humber", "yorkshire_and_the_humber"},
    {"E12000004", "East Midlands", "east_midlands"},
    {"E12000005", "West Midlands", "west_midlands"},
    {"E12000006", "East of England", "east_of_england"},
    {"E12000007", "London", "london"},
    {"E12000008", "South East", "south_east"},
    {"E12000009", "South West", "south_west"},
}};

struct TypeName {
    CouncilType type;
    std::string_view key;
    std::string_view label;
};

constexpr std::array<TypeName, 6> k_types{{
    {CouncilType::county, "county", "county"},
    {CouncilType::metropolitan, "metropolitan", "metropolitan borough"},
    {CouncilType::london_borough, "london_borough", "London borough"},
    {CouncilType::unitary, "unitary", "unitary authority"},
    {CouncilType::city_of_london, "city_of_london", "City of London"},
    {CouncilType::isles_of_scilly, "isles_of_scilly", "Isles of Scilly"},
}};

// Shorter spellings people use, folded.
struct Alias {
    std::string_view folded;
    std::string_view key;
};
constexpr std::array<Alias, 8> k_aliases{{
    {"east", "east_of_england"},
    {"eastern", "east_of_england"},
    {"yorkshire", "yorkshire_and_the_humber"},
    {"yorkshire and humber", "yorkshire_and_the_humber"},
    {"county council", "county"},
    {"metropolitan district", "metropolitan"},
    {"met", "metropolitan"},
    {"unitary council", "unitary"},
}};

}  // namespace

std::string fold_words(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '&') {
            if (!out.empty() && out.back() != ' ') out += ' ';
            out += "and ";
        } else if (c == '-' || c == '_' || std::isspace(u)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(u));
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::span<const Region> regions() { return k_regions; }

const Region* region_by_code(std::string_view code) {
    for (const auto& r : k_regions)
        if (r.code == code) return &r;
    return nullptr;
}

const Region* find_region(std::string_view text) {
    const std::string f = fold_words(text);
    std::string_view key = f;
    for (const auto& a : k_aliases)
        if (a.folded == f) key = a.key;
    for (const auto& r : k_regions)
        if (fold_words(r.name) == f || fold_words(r.key) == fold_words(key) || fold_words(r.code) == f) return &r;
    return nullptr;
}

std::string_view to_key(CouncilType t) { return k_types[static_cast<std::size_t>(t)].key; }

std::string_view to_label(CouncilType t) { return k_types[static_cast<std::size_t>(t)].label; }

std::optional<CouncilType> find_council_type(std::string_view text) {
    const std::string f = fold_words(text);
    std::string key = f;
    for (const auto& a : k_aliases)
        if (a.folded == f) key = fold_words(a.key);
    for (const auto& t : k_types)
        if (fold_words(t.key) == key || fold_words(t.label) == key) return t.type;
    return std::nullopt;
}

}  // namespace cqcwatch
