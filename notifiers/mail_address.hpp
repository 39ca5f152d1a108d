#pragma once
// Mail addresses through GMime's RFC 5322 address parser (InternetAddressList, in the
// cqcwatch-mime.so module), not by hand (a plain "local@domain" excepted, which needs no
// parser): the config is checked with it, and the From/To headers are built with it, so a
// display name outside ASCII is encoded (RFC 2047) and the address itself never is
// (an encoded word around a whole mailbox hides the address).

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace cqcwatch {

/// One mailbox: display name (UTF-8, may be empty) and address.
struct Mailbox {
    std::string name;
    std::string address;
};

/// "Name <addr>", "addr", or several separated by commas; the error says what is wrong with the text,
/// or that the mail module cannot be loaded (only text other than one plain address needs it).
tl::expected<std::vector<Mailbox>, std::string> parse_mailboxes(std::string_view text);

/// The value of an address header (after "Name: ") for `mailboxes` (each as parse_mailboxes takes it):
/// display names encoded where not ASCII, folded with CRLF and a tab. Unparsable entries are left out.
/// Throws std::runtime_error ("cannot write mail: <module path>: …") when the mail module cannot be loaded.
std::string encode_address_header(std::string_view header_name, const std::vector<std::string>& mailboxes);

}  // namespace cqcwatch
