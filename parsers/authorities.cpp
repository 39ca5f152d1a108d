// Council names → one council or none. Whole-name matching only: a name
// resolves when its folded form, or the folded form with one generic prefix
// and/or suffix taken off, is an alias of exactly one council. There is no
// substring or fuzzy matching in resolve(), so "North Somerset" can never
// become "Somerset"; fuzzy matching lives only in suggest().

#include "parsers/authorities.hpp"

#include "parsers/edit_distance.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "parsers/document.hpp"

namespace cqcwatch {

extern const std::string_view k_authorities_tsv;

namespace {

/// Lower case, '&' → "and", apostrophes gone, other punctuation → space, the word "the" dropped.
std::string fold_name(std::string_view raw) {
    std::string s = normalise_text(raw);
    if (s.size() >= 2 && s.ends_with("'s"))
        s.resize(s.size() - 2);
    else if (!s.empty() && s.back() == '\'')
        s.pop_back();
    std::string spaced;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '&')
            spaced += " and ";
        else if (c == '\'')
            continue;
        else if (std::isalnum(u) || u >= 0x80)
            spaced += static_cast<char>(std::tolower(u));
        else
            spaced += ' ';
    }
    std::string out;
    std::size_t pos = 0;
    while (pos < spaced.size()) {
        const auto start = spaced.find_first_not_of(' ', pos);
        if (start == std::string::npos) break;
        auto end = spaced.find(' ', start);
        if (end == std::string::npos) end = spaced.size();
        const std::string_view word(spaced.data() + start, end - start);
        if (word != "the") {
            if (!out.empty()) out += ' ';
            out += word;
        }
        pos = end;
    }
    return out;
}

constexpr std::array<std::string_view, 6> k_prefixes{"london borough of ", "royal borough of ", "borough of ",
                                                     "county of ",         "council of ",       "city of "};
constexpr std::array<std::string_view, 11> k_suffixes{" metropolitan borough council",
                                                      " metropolitan district council",
                                                      " borough council",
                                                      " county council",
                                                      " city council",
                                                      " district council",
                                                      " unitary authority",
                                                      " council",
                                                      " corporation",
                                                      " cc",
                                                      " mbc"};

/// The folded name itself, then with one generic suffix off, one prefix off, or both.
/// "city of … " is stripped only together with a suffix ("City of York Council"),
/// never alone: "City of London" stays whole.
std::vector<std::string> candidates(const std::string& folded) {
    std::vector<std::string> out{folded};
    std::vector<std::string> unsuffixed;
    for (const auto suffix : k_suffixes)
        if (folded.size() > suffix.size() && folded.ends_with(suffix))
            unsuffixed.push_back(folded.substr(0, folded.size() - suffix.size()));
    out.insert(out.end(), unsuffixed.begin(), unsuffixed.end());
    auto strip_prefixes = [&](const std::string& s, bool allow_city) {
        for (const auto prefix : k_prefixes) {
            if (prefix == "city of " && !allow_city) continue;
            if (s.size() > prefix.size() && s.starts_with(prefix)) out.push_back(s.substr(prefix.size()));
        }
    };
    strip_prefixes(folded, false);
    for (const auto& s : unsuffixed) strip_prefixes(s, true);
    return out;
}

bool is_ons_code(std::string_view s) {
    if (s.size() != 9 || (s[0] != 'E' && s[0] != 'e')) return false;
    return std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::vector<std::string> split_fields(std::string_view line, char sep) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (true) {
        const auto end = line.find(sep, pos);
        out.emplace_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return out;
}

}  // namespace

const Authorities& Authorities::builtin() {
    static const Authorities k_builtin = [] {
        auto parsed = from_text(k_authorities_tsv);
        if (!parsed) throw std::runtime_error("built-in authorities data: " + parsed.error().message);
        return std::move(*parsed);
    }();
    return k_builtin;
}

tl::expected<Authorities, ParseError> Authorities::from_text(std::string_view tsv) {
    Authorities out;
    std::size_t line_no = 0;
    for (const auto& raw : split_fields(tsv, '\n')) {
        ++line_no;
        std::string_view line = raw;
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (normalise_text(line).empty() || line.starts_with('#')) continue;
        const auto fields = split_fields(line, '\t');
        const auto where = "authorities.tsv:" + std::to_string(line_no) + ": ";
        if (fields.size() < 2 || fields.size() > 5)
            return tl::make_unexpected(
                ParseError{where + "expected name, ONS code, aliases, region and type separated by tabs"});
        Entry e{normalise_text(fields[0]), normalise_text(fields[1]), {}, {}, std::nullopt};
        if (e.name.empty() || !is_ons_code(e.code))
            return tl::make_unexpected(ParseError{where + "expected a name and an ONS code like E08000030, found '" +
                                                  std::string(line) + "'"});
        if (fields.size() >= 3 && !normalise_text(fields[2]).empty())
            for (const auto& alias : split_fields(fields[2], '|'))
                if (auto a = normalise_text(alias); !a.empty()) e.aliases.push_back(std::move(a));
        if (fields.size() >= 4 && !(e.region = normalise_text(fields[3])).empty() && !region_by_code(e.region))
            return tl::make_unexpected(
                ParseError{where + "expected an ONS region code E12000001 to E12000009, found '" + e.region + "'"});
        if (fields.size() == 5 && !normalise_text(fields[4]).empty() &&
            !(e.type = find_council_type(normalise_text(fields[4]))))
            return tl::make_unexpected(ParseError{where + "expected a council type (county, metropolitan, "
                                                          "london_borough, unitary, city_of_london, "
                                                          "isles_of_scilly), found '" + fields[4] + "'"});
        const std::size_t index = out.m_entries.size();
        for (const auto& key : [&] {
                 std::vector<std::string> keys{fold_name(e.name), fold_name(e.code)};
                 for (const auto& a : e.aliases) keys.push_back(fold_name(a));
                 return keys;
             }()) {
            for (const auto& [k, i] : out.m_index)
                if (k == key && i != index)
                    return tl::make_unexpected(
                        ParseError{where + "'" + key + "' already names " + out.m_entries[i].name});
            out.m_index.emplace_back(key, index);
        }
        out.m_entries.push_back(std::move(e));
    }
    std::sort(out.m_index.begin(), out.m_index.end());
    out.m_index.erase(std::unique(out.m_index.begin(), out.m_index.end()), out.m_index.end());
    return out;
}

std::optional<AuthorityRef> Authorities::resolve(std::string_view name_or_code) const {
    const std::string given = normalise_text(name_or_code);
    if (given.empty()) return std::nullopt;
    for (const auto& key : candidates(fold_name(given))) {
        const auto it = std::lower_bound(m_index.begin(), m_index.end(), std::make_pair(key, std::size_t{0}));
        if (it != m_index.end() && it->first == key) {
            const auto& e = m_entries[it->second];
            // A short alias another council's name also contains ("Kingston": upon Thames, or upon Hull?)
            // means neither; the council's own name always means it.
            if (key != fold_name(e.name) && entries_containing(key).size() > 1) return std::nullopt;
            return AuthorityRef{e.name, e.code, given};
        }
    }
    const auto partial = partial_entries(given);
    if (partial.size() != 1) return std::nullopt;
    const auto& e = m_entries[partial.front()];
    return AuthorityRef{e.name, e.code, given};
}

namespace {

/// True when `words` stands in `alias` as a run of whole words, or begins it ("Northumb").
bool part_of(std::string_view words, std::string_view alias) {
    if (words.size() >= 4 && alias.starts_with(words)) return true;
    for (auto at = alias.find(words); at != std::string_view::npos; at = alias.find(words, at + 1)) {
        const bool starts = at == 0 || alias[at - 1] == ' ';
        const auto end = at + words.size();
        if (starts && (end == alias.size() || alias[end] == ' ')) return true;
    }
    return false;
}

}  // namespace

std::vector<std::size_t> Authorities::entries_containing(std::string_view folded) const {
    std::vector<std::size_t> out;
    if (folded.size() < 3) return out;
    for (const auto& [alias, i] : m_index)
        if (part_of(folded, alias) && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    std::sort(out.begin(), out.end());
    return out;
}

// Names as people type them: a run of whole words of one council's name or alias, or its start. A
// generic word ("north", "city", "borough") stands in many and so resolves none.
std::vector<std::size_t> Authorities::partial_entries(std::string_view name) const {
    for (const auto& key : candidates(fold_name(name))) {
        auto out = entries_containing(key);
        if (!out.empty()) return out;  // the fullest form that matches anything ("Windsor Council" → "windsor")
    }
    return {};
}

std::vector<std::string> Authorities::partial_matches(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto i : partial_entries(name)) out.push_back(m_entries[i].name);
    return out;
}

namespace {

/// Text folded as fold_name folds a name, with where each folded byte came from.
struct FoldedText {
    std::string text;
    std::vector<std::size_t> origin;
    void put(char c, std::size_t from) {
        if (c == ' ' && (text.empty() || text.back() == ' ')) return;
        text += c;
        origin.push_back(from);
    }
};

FoldedText fold_text(std::string_view raw) {
    FoldedText out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto u = static_cast<unsigned char>(raw[i]);
        if (raw[i] == '&') {
            for (const char c : std::string_view(" and ")) out.put(c, i);
        } else if (std::isalnum(u) || u >= 0x80) {
            out.put(static_cast<char>(std::tolower(u)), i);
        } else {
            out.put(' ', i);
        }
    }
    return out;
}

bool capitalised(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool compass(std::string_view word) {
    return word == "north" || word == "south" || word == "east" || word == "west" || word == "central" || word == "mid";
}

/// "East Suffolk", "Somerset West": a council's name joined to a compass point names another place.
bool joined_to_compass(std::string_view raw, const FoldedText& f, std::size_t at, std::size_t end) {
    const std::string& t = f.text;
    if (end + 1 < t.size()) {
        const auto next_end = std::min(t.find(' ', end + 1), t.size());
        if (compass(std::string_view(t).substr(end + 1, next_end - end - 1)) && capitalised(raw[f.origin[end + 1]]))
            return true;
    }
    if (at >= 2) {
        const auto prev = t.rfind(' ', at - 2);
        const auto start = prev == std::string::npos ? 0 : prev + 1;
        if (compass(std::string_view(t).substr(start, at - 1 - start)) && capitalised(raw[f.origin[start]]))
            return true;
    }
    return false;
}

}  // namespace

std::vector<Authorities::Mention> Authorities::mentions(std::string_view text) const {
    const FoldedText folded = fold_text(text);
    const std::string& t = folded.text;
    struct Hit {
        std::size_t at, end, entry;
    };
    std::vector<Hit> hits;
    for (const auto& [alias, i] : m_index) {
        if (alias.size() < 3 || std::any_of(alias.begin(), alias.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;  // ONS codes are not names
        for (auto at = t.find(alias); at != std::string::npos; at = t.find(alias, at + 1)) {
            const auto end = at + alias.size();
            if ((at == 0 || t[at - 1] == ' ') && (end == t.size() || t[end] == ' ') &&
                capitalised(text[folded.origin[at]]))
                hits.push_back({at, end, i});
        }
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.at != b.at ? a.at < b.at : a.end > b.end;  // at each place, the longest first
    });
    std::vector<Mention> out;
    std::size_t covered = 0;
    for (const auto& h : hits) {
        if (h.at < covered) continue;  // inside a longer name
        covered = h.end;
        if (joined_to_compass(text, folded, h.at, h.end)) continue;
        const auto& e = m_entries[h.entry];
        const std::size_t from = folded.origin[h.at];
        const std::size_t to = folded.origin[h.end - 1] + 1;
        out.push_back({AuthorityRef{e.name, e.code, std::string(text.substr(from, to - from))}, from, to});
    }
    return out;
}

const Authorities::Entry* Authorities::by_code(std::string_view code) const {
    for (const auto& e : m_entries)
        if (e.code == code) return &e;
    return nullptr;
}

std::vector<std::string> Authorities::suggest(std::string_view name, std::size_t n) const {
    // "Kingston", "North": every council the name could mean comes before the merely similar.
    std::vector<std::string> out = partial_matches(name);
    if (out.size() >= n) {
        out.resize(n);
        return out;
    }
    const auto keys = candidates(fold_name(name));
    std::vector<std::pair<std::size_t, std::size_t>> best;  // distance, entry
    for (std::size_t i = 0; i < m_entries.size(); ++i) best.emplace_back(std::string::npos, i);
    for (const auto& [alias, i] : m_index)
        for (const auto& k : keys) best[i].first = std::min(best[i].first, edit_distance(k, alias));
    std::stable_sort(best.begin(), best.end());
    for (std::size_t i = 0; i < best.size() && out.size() < n; ++i) {
        const auto& candidate = m_entries[best[i].second].name;
        if (std::find(out.begin(), out.end(), candidate) == out.end()) out.push_back(candidate);
    }
    return out;
}

}  // namespace cqcwatch
