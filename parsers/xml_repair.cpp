#include "parsers/xml_repair.hpp"

#include <cctype>
#include <set>

#include <libxml/HTMLparser.h>

#include "parsers/unicode.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_entity_name = 32;

bool name_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '-' || c == '.' || c == ':' || u >= 0x80;
}

/// Entities the DTD's internal subset declares: references to them are the document's own business.
std::set<std::string, std::less<>> declared_entities(std::string_view xml) {
    std::set<std::string, std::less<>> out;
    const auto doctype = xml.find("<!DOCTYPE");
    if (doctype == std::string_view::npos || doctype > 4096) return out;
    for (auto at = xml.find("<!ENTITY", doctype); at != std::string_view::npos && out.size() < 1000;
         at = xml.find("<!ENTITY", at + 8)) {
        std::size_t i = at + 8;
        while (i < xml.size() && (xml[i] == ' ' || xml[i] == '\t' || xml[i] == '\n' || xml[i] == '%')) ++i;
        std::size_t j = i;
        while (j < xml.size() && name_char(xml[j])) ++j;
        out.emplace(xml.substr(i, j - i));
    }
    return out;
}

/// Where a section that must be copied untouched ends, if one starts at i.
std::size_t verbatim_end(std::string_view xml, std::size_t i) {
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}}) {
        if (xml.compare(i, open.size(), open) != 0) continue;
        const auto end = xml.find(close, i + open.size());
        return end == std::string_view::npos ? xml.size() : end + close.size();
    }
    if (xml.compare(i, 9, "<!DOCTYPE") == 0) {
        const auto subset = xml.find('[', i);
        const auto gt = xml.find('>', i);
        if (subset != std::string_view::npos && subset < gt) {
            const auto end = xml.find("]>", subset);
            return end == std::string_view::npos ? xml.size() : end + 2;
        }
        return gt == std::string_view::npos ? xml.size() : gt + 1;
    }
    return i;
}

bool xml_predefined(std::string_view name) {
    return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
}

bool character_reference(std::string_view ref) {  // "#123" or "#x1F"
    if (ref.size() < 2 || ref[0] != '#') return false;
    const bool hex = ref[1] == 'x' || ref[1] == 'X';
    const auto digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    for (char c : digits)
        if (!(hex ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c))))
            return false;
    return true;
}

}  // namespace

XmlRepair repair_xml_entities(std::string_view xml) {
    XmlRepair out;
    out.xml.reserve(xml.size() + xml.size() / 64);
    const auto declared = declared_entities(xml);
    std::size_t i = 0;
    while (i < xml.size()) {
        if (xml[i] == '<') {
            const std::size_t end = verbatim_end(xml, i);
            if (end != i) {
                out.xml.append(xml.substr(i, end - i));
                i = end;
                continue;
            }
        }
        if (xml[i] != '&') {
            out.xml += xml[i++];
            continue;
        }
        const auto semi = xml.find(';', i + 1);
        const std::string_view ref = semi != std::string_view::npos && semi - i - 1 <= k_max_entity_name
                                         ? xml.substr(i + 1, semi - i - 1)
                                         : std::string_view{};
        bool is_name = !ref.empty();
        for (char c : ref) is_name = is_name && name_char(c);
        if (!ref.empty() && (character_reference(ref) || (is_name && (xml_predefined(ref) || declared.count(ref))))) {
            out.xml.append(xml.substr(i, ref.size() + 2));
            i += ref.size() + 2;
            continue;
        }
        if (is_name) {
            const std::string name(ref);
            if (const htmlEntityDesc* e = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()))) {
                append_utf8(out.xml, static_cast<char32_t>(e->value));
                ++out.html_entities;
                i += ref.size() + 2;
                continue;
            }
        }
        out.xml += "&amp;";
        ++out.bare_ampersands;
        ++i;
    }
    return out;
}

}  // namespace cqcwatch
