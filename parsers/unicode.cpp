#include "parsers/unicode.hpp"

#include <cstdint>
#include <regex>

namespace cqcwatch {

namespace {

enum class Form { utf16le, utf16be, utf32le, utf32be };

struct Detected {
    Form form;
    std::size_t skip;  // BOM length
};

std::optional<Detected> detect(std::string_view b) {
    auto at = [&](std::size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0x100U; };
    // UTF-32 first: its little-endian BOM begins like UTF-16's.
    if (at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0) return Detected{Form::utf32le, 4};
    if (at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) return Detected{Form::utf32be, 4};
    if (at(0) == 0xFF && at(1) == 0xFE) return Detected{Form::utf16le, 2};
    if (at(0) == 0xFE && at(1) == 0xFF) return Detected{Form::utf16be, 2};
    if (at(0) == '<' && at(1) == 0 && at(2) == 0 && at(3) == 0) return Detected{Form::utf32le, 0};
    if (at(0) == 0 && at(1) == 0 && at(2) == 0 && at(3) == '<') return Detected{Form::utf32be, 0};
    if (at(0) == '<' && at(1) == 0 && at(2) != 0x100U && at(3) == 0) return Detected{Form::utf16le, 0};
    if (at(0) == 0 && at(1) == '<' && at(2) == 0) return Detected{Form::utf16be, 0};
    return std::nullopt;
}

std::uint32_t unit(std::string_view b, std::size_t i, std::size_t width, bool big) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < width; ++k) {
        const auto byte = static_cast<unsigned char>(b[i + (big ? k : width - 1 - k)]);
        v = (v << 8) | byte;
    }
    return v;
}

std::string decode(std::string_view b, Detected d) {
    const bool big = d.form == Form::utf16be || d.form == Form::utf32be;
    const std::size_t width = d.form == Form::utf16le || d.form == Form::utf16be ? 2 : 4;
    std::string out;
    out.reserve(b.size());
    for (std::size_t i = d.skip; i + width <= b.size(); i += width) {
        std::uint32_t cp = unit(b, i, width, big);
        if (width == 2 && cp >= 0xD800 && cp <= 0xDBFF && i + 2 * width <= b.size()) {
            const std::uint32_t low = unit(b, i + width, width, big);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += width;
            }
        }
        append_utf8(out, static_cast<char32_t>(cp));
    }
    if ((b.size() - d.skip) % width != 0) append_utf8(out, 0xFFFD);  // a cut-off last unit
    return out;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::optional<std::string> utf8_from_wide_unicode(std::string_view bytes) {
    const auto d = detect(bytes);
    if (!d) return std::nullopt;
    std::string out = decode(bytes, *d);
    // The declaration described the bytes we were given, not these.
    if (out.starts_with("<?xml")) {
        const auto end = out.find("?>");
        if (end != std::string::npos && end < 300) {
            static const std::regex enc(R"(encoding\s*=\s*(["'])[^"']*\1)");
            const std::string decl = std::regex_replace(out.substr(0, end), enc, "encoding=\"UTF-8\"");
            out = decl + out.substr(end);
        }
    }
    return out;
}

}  // namespace cqcwatch
