// Text normalisation, plain-text documents and URL resolution: the ground
// every extractor stands on, so that a web page, an email and a text copy of
// one release all read the same.
//
// Bullets (U+2022, U+25CF, U+25AA, U+2023, U+2043) become '-' so a bullet list
// reads like a dashed list; the extractors then treat both alike. A U+25CF beside
// another rating glyph ("●●●○") is a score drawn in symbols and stays.

#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

#include "parsers/document.hpp"

namespace cqcwatch {

namespace {

/// Decodes one UTF-8 sequence at s[i]; returns the code point and its length
/// (invalid bytes come back as U+FFFD, length 1).
std::pair<char32_t, std::size_t> decode_utf8(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {b0, 1};
    std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    if (len == 0 || b0 >= 0xF8 || i + len > s.size()) return {0xFFFD, 1};
    char32_t cp = b0 & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, len};
}

bool is_odd_space(char32_t c) {
    return c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0x1680 ||
           c == 0x0085 || c == 0x2028 || c == 0x2029;
}

bool is_zero_width(char32_t c) {
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

/// The ASCII a code point folds to, or 0 when it stays as it is.
char fold_char(char32_t c) {
    switch (c) {
        case 0x2018:
        case 0x2019:
        case 0x201A:
        case 0x201B:
        case 0x2032:
        case 0x00B4:
        case 0x0060:
            return '\'';
        case 0x201C:
        case 0x201D:
        case 0x201E:
        case 0x201F:
        case 0x2033:
            return '"';
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2015:
        case 0x2212:
        case 0xFE58:
        case 0xFE63:
        case 0xFF0D:
            return '-';
        case 0x2022:
        case 0x25CF:
        case 0x25AA:
        case 0x2023:
        case 0x2043:
        case 0x25E6:
            return '-';
        default:
            return 0;
    }
}

/// A rating glyph (filled or empty circle, star, square, diamond) starts at s[i].
bool beside_glyph(std::string_view s, std::size_t i) {
    if (i >= s.size()) return false;
    const auto [cp, len] = decode_utf8(s, i);
    (void)len;
    return cp == 0x25CF || cp == 0x25CB || cp == 0x2605 || cp == 0x2606 || cp == 0x25A0 || cp == 0x25A1 ||
           cp == 0x25C6 || cp == 0x25C7 || cp == 0x2B24 || cp == 0x25EF;
}

bool is_ascii_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void append_utf8(std::string& out, std::string_view s, std::size_t i, std::size_t len, char32_t cp) {
    if (cp == 0xFFFD && len == 1) {
        out += "\xEF\xBF\xBD";
        return;
    }
    out.append(s.substr(i, len));
}

}  // namespace

std::string normalise_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size();) {
        const auto [cp, len] = decode_utf8(s, i);
        if (is_zero_width(cp) || (cp < 0x20 && !is_ascii_space(cp)) || cp == 0x7F) {
            i += len;
            continue;
        }
        if (is_ascii_space(cp) || is_odd_space(cp)) {
            pending_space = !out.empty();
            i += len;
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        // "●●●○" is a score drawn in symbols, not a bullet: a ● beside another rating glyph stays.
        if (cp == 0x25CF && (beside_glyph(s, i + len) || (i >= 3 && beside_glyph(s, i - 3))))
            append_utf8(out, s, i, len, cp);
        else if (const char folded = fold_char(cp))
            out += folded;
        else
            append_utf8(out, s, i, len, cp);
        i += len;
    }
    return out;
}

Document text_to_document(std::string_view text) {
    Document doc;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line = normalise_text(text.substr(pos, end - pos));
        if (!line.empty()) {
            if (doc.title.empty()) doc.title = line;
            doc.blocks.push_back(Block{BlockKind::line, std::move(line), {}, 0, 0, {}, {}});
        }
        pos = end + 1;
    }
    return doc;
}

namespace {

/// The five parts of a URI reference (RFC 3986 section 3); absent parts are nullopt-like flags.
struct UriParts {
    std::string scheme;
    bool has_authority = false;
    std::string authority;
    std::string path;
    bool has_query = false;
    std::string query;
};

UriParts split_uri(std::string_view s) {
    UriParts p;
    if (const auto hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
    const auto colon = s.find(':');
    const auto first_delim = s.find_first_of("/?#");
    if (colon != std::string_view::npos && colon > 0 && colon < first_delim) {
        bool ok = std::isalpha(static_cast<unsigned char>(s[0])) != 0;
        for (std::size_t i = 1; i < colon && ok; ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            ok = std::isalnum(c) || c == '+' || c == '-' || c == '.';
        }
        if (ok) {
            p.scheme = std::string(s.substr(0, colon));
            s.remove_prefix(colon + 1);
        }
    }
    if (s.starts_with("//")) {
        s.remove_prefix(2);
        const auto end = s.find_first_of("/?");
        p.has_authority = true;
        p.authority = std::string(s.substr(0, end));
        s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
    }
    if (const auto q = s.find('?'); q != std::string_view::npos) {
        p.has_query = true;
        p.query = std::string(s.substr(q + 1));
        s = s.substr(0, q);
    }
    p.path = std::string(s);
    return p;
}

/// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view in) {
    std::string out;
    while (!in.empty()) {
        if (in.starts_with("../"))
            in.remove_prefix(3);
        else if (in.starts_with("./"))
            in.remove_prefix(2);
        else if (in.starts_with("/./"))
            in.remove_prefix(2);
        else if (in == "/.")
            in = "/";
        else if (in.starts_with("/../") || in == "/..") {
            in = in.size() == 3 ? std::string_view("/") : in.substr(3);
            const auto slash = out.rfind('/');
            out.erase(slash == std::string::npos ? 0 : slash);
        } else if (in == "." || in == "..")
            in = {};
        else {
            const auto next = in.find('/', 1);
            const auto seg = in.substr(0, next);
            out += seg;
            in.remove_prefix(seg.size());
        }
    }
    return out;
}

std::string merge_paths(const UriParts& base, std::string_view ref_path) {
    if (base.has_authority && base.path.empty()) return "/" + std::string(ref_path);
    const auto slash = base.path.rfind('/');
    if (slash == std::string::npos) return std::string(ref_path);
    return base.path.substr(0, slash + 1) + std::string(ref_path);
}

std::string join_uri(const UriParts& t) {
    std::string out;
    if (!t.scheme.empty()) out += t.scheme + ":";
    if (t.has_authority) out += "//" + t.authority;
    out += t.path;
    if (t.has_query) out += "?" + t.query;
    return out;
}

std::string trim_ascii(std::string_view s) {
    while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

// Fragments are dropped from the result: two links to one page that differ
// only by "#section" are the same item to every caller.
std::string resolve_url(std::string_view base_in, std::string_view ref_in) {
    const std::string ref_s = trim_ascii(ref_in);
    const UriParts base = split_uri(trim_ascii(base_in));
    const UriParts ref = split_uri(ref_s);
    UriParts t;
    if (!ref.scheme.empty()) {
        t = ref;
        t.path = remove_dot_segments(ref.path);
    } else {
        t.scheme = base.scheme;
        if (ref.has_authority) {
            t.has_authority = true;
            t.authority = ref.authority;
            t.path = remove_dot_segments(ref.path);
            t.has_query = ref.has_query;
            t.query = ref.query;
        } else {
            t.has_authority = base.has_authority;
            t.authority = base.authority;
            if (ref.path.empty()) {
                t.path = base.path;
                t.has_query = ref.has_query || base.has_query;
                t.query = ref.has_query ? ref.query : base.query;
            } else {
                const std::string merged = ref.path.starts_with('/') ? ref.path : merge_paths(base, ref.path);
                t.path = remove_dot_segments(merged);
                t.has_query = ref.has_query;
                t.query = ref.query;
            }
        }
    }
    if (t.has_authority && t.path.empty()) t.path = "/";
    return join_uri(t);
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace cqcwatch
