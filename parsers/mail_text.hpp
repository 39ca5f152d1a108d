#pragma once
// What real mail systems and clients do to a message before it reaches us, undone
// so the extractors see the release itself: an mbox "From " line before the
// headers (Exim's pipe transport, procmail, formail), headers with no blank line
// after them, an HTML part whose <meta charset> names the charset the MIME layer
// has already decoded, replies quoting the release with "> ", plain-text tables
// with tab-separated cells.

#include <string>
#include <string_view>

#include "parsers/document.hpp"

namespace cqcwatch {

/// The message without a leading mbox "From sender date" line (unchanged when there is none).
std::string_view without_mbox_from(std::string_view message);

/// The message with a blank line inserted where its headers end without one; unchanged otherwise.
std::string with_header_end(std::string_view message);

/// A decoded (UTF-8) HTML part with every <meta> charset rewritten to utf-8, so it is not decoded twice.
std::string html_declared_utf8(std::string_view html);

/// A plain-text mail body: "> " quote markers dropped, a line of tab-separated cells read as table cells.
Document plain_mail_to_document(std::string_view text);

}  // namespace cqcwatch
