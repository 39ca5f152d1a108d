#pragma once
// What feed readers do with the broken XML real feeds serve: HTML's named
// entities (&aacute; &rsquo; &pound;), which XML does not define, become their
// characters, and a bare '&' ("Bath & North East Somerset Council") becomes
// "&amp;". CDATA sections, comments and the DTD are left as they are, and so
// are entities the document declares itself (never expanded here).

#include <cstddef>
#include <string>
#include <string_view>

namespace cqcwatch {

/// The repaired text and how many references were repaired.
struct XmlRepair {
    std::string xml;
    std::size_t html_entities = 0;  ///< &name; replaced by the character
    std::size_t bare_ampersands = 0;
};

/// Repairs entity references as described above; well-formed input comes back unchanged.
XmlRepair repair_xml_entities(std::string_view xml);

}  // namespace cqcwatch
