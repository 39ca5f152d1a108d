// Names come from sentence shapes, strongest first; the first that resolves
// wins. If names were found but none resolves, the strongest is kept with an
// empty code and a warning with suggestions, never a guess.

#include "parsers/subject.hpp"

#include <regex>

#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

std::vector<std::string> names_in(const std::string& text) {
    static const std::vector<std::regex> shapes = [] {
        const auto f = std::regex::icase;
        return std::vector<std::regex>{
            std::regex(R"(^(?:embargoed:\s*)?(.{2,100}?):\s*local authority assessment\b)", f),
            std::regex(R"(^(?:embargoed:\s*)?(.{2,100}?)\s+assessment$)", f),
            std::regex(R"(\bCQC rates\s+(.{2,100}?)(?:'s?)?\s+(?:adult social care|as)\b)", f),
            std::regex(R"(\breport on\s+(.{2,100}?)(?:'s?)?\s+(?:care act|adult social care)\b)", f),
            std::regex(R"(\b(?:assessment|inspection) of\s+(.{2,100}?)(?:'s?)?(?:\s+(?:was|we|it|revealed|is)\b|[,.]))",
                       f),
        };
    }();
    std::vector<std::string> out;
    if (text.size() > 1000) return out;  // names sit in titles and opening sentences
    std::smatch m;
    for (const auto& re : shapes)
        if (std::regex_search(text, m, re)) out.push_back(m[1].str());
    return out;
}

}  // namespace

std::string clean_council_name(std::string_view name) {
    std::string s = normalise_text(name);
    if (s.size() > 4 && (s.starts_with("the ") || s.starts_with("The "))) s.erase(0, 4);
    if (s.ends_with("'s"))
        s.resize(s.size() - 2);
    else if (s.ends_with("'"))
        s.pop_back();
    while (!s.empty() && (s.back() == ',' || s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

SubjectReading find_subject(const Document& doc, std::string_view rated_name, const Authorities& authorities) {
    std::vector<std::string> names;
    if (!rated_name.empty()) names.emplace_back(rated_name);
    for (const auto& n : names_in(doc.title)) names.push_back(n);
    for (std::size_t i = 0; i < doc.blocks.size() && i < 40; ++i)
        for (const auto& n : names_in(doc.blocks[i].text)) names.push_back(n);
    SubjectReading out;
    for (const auto& n : names)
        if (auto r = authorities.resolve(clean_council_name(n))) {
            r->name_in_text = clean_council_name(n);
            out.authority = r;
            return out;
        }
    // A short block that is only a council's name ("London Borough of Croydon" on a summary page).
    for (std::size_t i = 0; i < doc.blocks.size() && i < 30; ++i) {
        const auto& t = doc.blocks[i].text;
        if (t.size() < 60)
            if (auto r = authorities.resolve(clean_council_name(t.starts_with("- ") ? t.substr(2) : t))) {
                out.authority = r;
                return out;
            }
    }
    if (!names.empty()) {
        const auto name = clean_council_name(names.front());
        std::string hint;
        for (const auto& s : authorities.suggest(name)) hint += (hint.empty() ? "" : ", ") + s;
        out.warnings.push_back("authority: \"" + name + "\" is not a known council (nearest: " + hint + ")");
        out.authority = AuthorityRef{name, "", name};
    }
    return out;
}

}  // namespace cqcwatch
