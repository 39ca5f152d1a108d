#pragma once
// The 153 English councils with adult social care duties, their ONS codes and
// the names CQC and others use for them. Every parsed name resolves to one
// council or to none: never silently to the wrong one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "parsers/geography.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

class Authorities {
public:
    /// One council.
    struct Entry {
        std::string name;                  ///< canonical short name ("Walsall")
        std::string code;                  ///< ONS code ("E08000030")
        std::vector<std::string> aliases;  ///< other names ("Walsall Council", …)
        std::string region;                ///< ONS region code ("E12000005"); empty if the data gives none
        std::optional<CouncilType> type;   ///< county, metropolitan, …; nullopt if the data gives none
    };

    /// The data compiled into the binary from data/authorities.tsv.
    static const Authorities& builtin();
    /// Parses the TSV data format (see data/README.md); errors name the line.
    static tl::expected<Authorities, ParseError> from_text(std::string_view tsv);

    /// The council a name (any alias, any case, "&"/"and", "the") or an ONS code stands for; else the one
    /// council a partial name can mean ("Telford", "Barking", "Maidenhead"); none when it could mean several.
    std::optional<AuthorityRef> resolve(std::string_view name_or_code) const;
    /// The councils a partial name could mean: those with an alias in which the name's words stand as
    /// whole words or which it begins ("Windsor" → Windsor and Maidenhead, "North" → every North …), data order.
    std::vector<std::string> partial_matches(std::string_view name) const;
    /// Up to `n` canonical names for an unknown name, best first: partial matches, then the nearest.
    std::vector<std::string> suggest(std::string_view name, std::size_t n = 3) const;
    /// A council a running text names, and where (byte offsets into that text).
    struct Mention {
        AuthorityRef authority;
        std::size_t at = 0;
        std::size_t end = 0;
    };
    /// Every council a text names by its name or an alias: whole words, starting with a capital
    /// ("Reading", not "reading"), the longest name at each place ("North Somerset" is not also
    /// Somerset, "Kingston upon Hull" not also Kingston). In text order.
    std::vector<Mention> mentions(std::string_view text) const;
    /// Every council, in data-file order.
    const std::vector<Entry>& all() const { return m_entries; }
    /// The entry of an ONS code, or nullptr.
    const Entry* by_code(std::string_view code) const;

private:
    std::vector<std::size_t> partial_entries(std::string_view name) const;
    std::vector<std::size_t> entries_containing(std::string_view folded) const;

    std::vector<Entry> m_entries;
    std::vector<std::pair<std::string, std::size_t>> m_index;  ///< folded alias → entry, sorted
};

}  // namespace cqcwatch
