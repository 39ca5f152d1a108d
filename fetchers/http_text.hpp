#pragma once
// Small pieces of HTTP's own syntax, shared by the client side (Retry-After) and the
// daemon's listener (If-None-Match).

#include <string_view>

namespace cqcwatch {

/// A header value without the optional whitespace around it (RFC 9110 5.6.3: SP and HTAB;
/// a CR left by a line-based reader goes too).
inline std::string_view trim_ows(std::string_view s) {
    constexpr std::string_view ows = " \t\r";
    const auto first = s.find_first_not_of(ows);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(ows) - first + 1);
}

}  // namespace cqcwatch
