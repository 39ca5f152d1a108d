#include "notifiers/mail_address.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include "parsers/mime_module.hpp"

namespace cqcwatch {

namespace {

bool plausible(const std::string& address) {
    const auto at = address.rfind('@');
    return at != std::string::npos && at > 0 && at + 1 < address.size() &&
           address.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

/// "name@example.org" with dot-atom text on both sides (RFC 5322 3.2.3/3.4.1): what GMime reads as
/// exactly that mailbox, with no name. Checked here so a config of plain addresses (the usual one)
/// is read without loading the mail module: `history` and friends load the config for its database.
bool plain_addr_spec(std::string_view text) {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= text.size() || text.find('@', at + 1) != text.npos)
        return false;
    const auto dot_atom = [](std::string_view part, const char* specials) {
        if (part.front() == '.' || part.back() == '.' || part.find("..") != std::string_view::npos) return false;
        return std::all_of(part.begin(), part.end(), [specials](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || std::strchr(specials, c) != nullptr;
        });
    };
    return dot_atom(text.substr(0, at), "!#$%&'*+/=?^_`{|}~-") && dot_atom(text.substr(at + 1), "-");
}

}  // namespace

tl::expected<std::vector<Mailbox>, std::string> parse_mailboxes(std::string_view text) {
    const std::string quoted = "'" + std::string(text) + "'";
    if (plain_addr_spec(text)) return std::vector<Mailbox>{Mailbox{"", std::string(text)}};
    auto module = mime::api();
    if (!module) return tl::unexpected("cannot check the address " + quoted + ": " + module.error());
    std::vector<mime::Address> parsed;
    if (!(*module)->parse_addresses(text, parsed))
        return tl::unexpected(quoted +
                              " is not an e-mail address (write \"name@example.org\" or \"Name <name@example.org>\")");
    std::vector<Mailbox> out;
    for (auto& a : parsed) {
        if (a.group) return tl::unexpected(quoted + ": a group is not a mailbox");
        Mailbox m{std::move(a.name), std::move(a.address)};
        if (!plausible(m.address)) return tl::unexpected(quoted + " is not an e-mail address (no local@domain in it)");
        out.push_back(std::move(m));
    }
    return out;
}

std::string encode_address_header(std::string_view header_name, const std::vector<std::string>& mailboxes) {
    auto module = mime::api();
    if (!module) throw std::runtime_error("cannot write mail: " + module.error());
    std::string value = (*module)->encode_address_header(header_name, mailboxes);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    std::string crlf;
    for (char c : value) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return crlf;
}

}  // namespace cqcwatch
