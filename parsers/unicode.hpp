#pragma once
// Bytes that are text in a wide Unicode form (UTF-16 or UTF-32, with a byte
// order mark or an XML declaration that shows the form) become UTF-8 before
// anything sniffs them, so a feed that declares itself is not taken for binary.

#include <optional>
#include <string>
#include <string_view>

namespace cqcwatch {

/// UTF-8 for UTF-16/UTF-32 input that shows its form (BOM, or "<?" / "<" in that form); nullopt otherwise.
/// Unpaired surrogates and invalid code points become U+FFFD; an XML declaration's encoding is rewritten to UTF-8.
std::optional<std::string> utf8_from_wide_unicode(std::string_view bytes);

/// Appends the UTF-8 form of a code point (U+FFFD for one that is not a scalar value).
void append_utf8(std::string& out, char32_t cp);

}  // namespace cqcwatch
