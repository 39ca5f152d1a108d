// Names come from sentence shapes, strongest first; the first that resolves
// wins. If names were found but none resolves, the strongest is kept with an
// empty code and a warning with suggestions, never a guess.

#include "parsers/subject.hpp"

#include <algorithm>
#include <regex>
#include <string_view>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"

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
    // What each shape cannot match without: std::regex is slow at \b, and most texts
    // have none of these, so they are not searched at all.
    static const std::vector<std::vector<std::string_view>> needs{{"local authority assessment"},
                                                                  {"assessment"},
                                                                  {"cqc rates"},
                                                                  {"report on"},
                                                                  {"assessment of", "inspection of"}};
    std::vector<std::string> out;
    if (text.size() > 1000) return out;  // names sit in titles and opening sentences
    const std::string lower = ascii_lower(text);
    std::smatch m;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const auto& words = needs[i];
        if (std::none_of(words.begin(), words.end(), [&](std::string_view w) { return lower.find(w) != lower.npos; }))
            continue;
        if (std::regex_search(text, m, shapes[i])) out.push_back(m[1].str());
    }
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

namespace {

/// What a text says about each council it names: where, and how often near its subject.
struct Evidence {
    AuthorityRef authority;
    int title = 0;     ///< named in the title or the first heading
    int sentence = 0;  ///< named in a sentence that says what the text is about (names_in)
    int near = 0;      ///< mentions near "adult social care"
    int mentions = 0;
    int score() const { return 3 * title + 2 * sentence + near; }
};

constexpr std::size_t k_near = 150;  // bytes either side of a mention
constexpr std::size_t k_blocks = 40;

class EvidenceTable {
public:
    explicit EvidenceTable(const Authorities& authorities) : m_authorities(authorities) {}
    Evidence& of(const AuthorityRef& a) {
        for (auto& e : m_rows)
            if (e.authority.code == a.code) return e;
        m_rows.push_back(Evidence{a});
        return m_rows.back();
    }
    void read(const std::string& text, bool title) {
        static constexpr std::string_view topic = "adult social care";
        std::vector<std::size_t> topics;
        const std::string lower = ascii_lower(text);
        for (auto at = lower.find(topic); at != lower.npos; at = lower.find(topic, at + topic.size()))
            topics.push_back(at);
        for (const auto& m : m_authorities.mentions(text)) {
            Evidence& e = of(m.authority);
            if (e.authority.name_in_text.empty()) e.authority.name_in_text = m.authority.name_in_text;
            ++e.mentions;
            e.title += title ? 1 : 0;
            for (const auto at : topics)
                if (at + k_near >= m.at && at <= m.end + k_near) {
                    ++e.near;
                    break;
                }
        }
    }
    std::vector<Evidence>& rows() { return m_rows; }

private:
    const Authorities& m_authorities;
    std::vector<Evidence> m_rows;
};

std::string listed(const std::vector<Evidence>& rows) {
    std::string out;
    for (std::size_t i = 0; i < rows.size(); ++i)
        out += (i == 0 ? "" : i + 1 == rows.size() ? " and " : ", ") + rows[i].authority.name;
    return out;
}

std::string why(const Evidence& e) {
    std::string out;
    if (e.title > 0) out += "in the title or first heading, ";
    if (e.sentence > 0) out += "named as the subject " + std::to_string(e.sentence) + "x, ";
    out += std::to_string(e.mentions) + (e.mentions == 1 ? " mention" : " mentions");
    if (e.near > 0) out += ", " + std::to_string(e.near) + " near 'adult social care'";
    return out;
}

/// A text that names several councils is about the one in its title, its first heading, the
/// sentences that say what it is about and most often near "adult social care"; a tie is no answer,
/// and so is a second council named as the subject too.
SubjectReading choose(std::vector<Evidence> rows, const std::optional<AuthorityRef>& first_named) {
    std::stable_sort(rows.begin(), rows.end(), [](const Evidence& a, const Evidence& b) {
        return a.score() != b.score() ? a.score() > b.score() : a.mentions > b.mentions;
    });
    SubjectReading out;
    const Evidence& best = rows.front();
    const bool clear = rows.size() == 1 || best.score() > rows[1].score() ||
                       (best.score() == rows[1].score() && best.mentions > rows[1].mentions);
    const bool contested = rows.size() > 1 && (rows[1].title > 0 || rows[1].sentence > 0);
    // Two councils each named as the subject (in the title, or "has rated <X> as"): which is it? Not read.
    if (!clear || contested) {
        out.warnings.push_back("authority: the text names " + listed(rows) +
                               " and none is clearly its subject; not read (" + best.authority.name + ": " + why(best) +
                               "; " + rows[1].authority.name + ": " + why(rows[1]) + ")");
        return out;
    }
    out.authority = best.authority;
    if (!first_named)
        out.warnings.push_back("authority: no sentence names the council the text is about; read as " +
                               best.authority.name + ", " +
                               (rows.size() == 1 ? "the one it names (" + why(best) + ")"
                                                 : "of " + listed(rows) + " (" + why(best) + ")"));
    else if (first_named->code != best.authority.code)
        out.warnings.push_back("authority: the text names " + listed(rows) + "; read as " + best.authority.name + " (" +
                               why(best) + "; " + rows[1].authority.name + ": " + why(rows[1]) + ")");
    return out;
}

}  // namespace

SubjectReading find_subject(const Document& doc, std::string_view rated_name, const Authorities& authorities) {
    std::vector<std::string> names;
    if (!rated_name.empty()) names.emplace_back(rated_name);
    for (const auto& n : names_in(doc.title)) names.push_back(n);
    for (std::size_t i = 0; i < doc.blocks.size() && i < k_blocks; ++i)
        for (const auto& n : names_in(doc.blocks[i].text)) names.push_back(n);
    EvidenceTable table(authorities);
    std::optional<AuthorityRef> first_named;
    for (const auto& n : names)
        if (auto r = authorities.resolve(clean_council_name(n))) {
            r->name_in_text = clean_council_name(n);
            if (!first_named) first_named = r;
            ++table.of(*r).sentence;
        }
    // A short block that is only a council's name ("London Borough of Croydon" on a summary page).
    for (std::size_t i = 0; !first_named && i < doc.blocks.size() && i < 30; ++i) {
        const auto& t = doc.blocks[i].text;
        if (t.size() < 60)
            if (auto r = authorities.resolve(clean_council_name(t.starts_with("- ") ? t.substr(2) : t))) {
                first_named = r;
                ++table.of(*r).sentence;
            }
    }
    table.read(doc.title, true);
    if (doc.page_title != doc.title) table.read(doc.page_title, true);  // a council's own site names itself there
    bool first_heading = true;
    for (std::size_t i = 0; i < doc.blocks.size() && i < k_blocks; ++i) {
        const bool heading = doc.blocks[i].kind == BlockKind::heading && first_heading;
        first_heading = first_heading && !heading;
        table.read(doc.blocks[i].text, heading);
    }
    SubjectReading out;
    if (!table.rows().empty()) {
        out = choose(table.rows(), first_named);
        if (out.authority && first_named && out.authority->code == first_named->code) out.authority = first_named;
        if (out.authority || first_named) return out;  // read, or named but contested (warned)
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
