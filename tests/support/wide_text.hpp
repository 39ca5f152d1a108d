#pragma once
// Pages and feeds in UTF-16 or UTF-32, as some servers send them.

#include <string>
#include <string_view>

namespace cqcwatch::test {

/// UTF-16 or UTF-32 bytes of ASCII text, with or without a byte order mark.
inline std::string wide(std::string_view ascii, std::size_t width, bool big, bool bom) {
    std::string out;
    auto put = [&](char32_t c) {
        for (std::size_t k = 0; k < width; ++k) {
            const std::size_t shift = 8 * (big ? width - 1 - k : k);
            out += static_cast<char>((c >> shift) & 0xFF);
        }
    };
    if (bom) put(0xFEFF);
    for (char c : ascii) put(static_cast<unsigned char>(c));
    return out;
}

}  // namespace cqcwatch::test
