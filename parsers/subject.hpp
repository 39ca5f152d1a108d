#pragma once
// Which council a report or press release is about, read from the sentences
// that name it: "<Council>: local authority assessment", "has rated <Council>
// as", "CQC rates <Council>'s", "report on <Council>'s care act
// responsibilities", "assessment of <Council>". A text that names several
// councils is about the one in its title and first heading, in those sentences,
// and most often near "adult social care" (a warning says so; a tie is read as
// none); a text with no such sentence ("Slough's adult social care services")
// is about the council it names, if it names one clearly (with a warning).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

class Authorities;

/// The council found, and warnings (a name that resolves to no council).
struct SubjectReading {
    std::optional<AuthorityRef> authority;  ///< code empty when the name is unknown
    std::vector<std::string> warnings;
};

/// A name as written ("the London Borough of Camden's") made ready for resolving.
std::string clean_council_name(std::string_view name);

/// Finds the council a document is about; `rated_name` is the "has rated <X> as" name, if any.
SubjectReading find_subject(const Document& doc, std::string_view rated_name, const Authorities& authorities);

}  // namespace cqcwatch
