#include "notifiers/mail_address.hpp"

#include <mutex>

#include <gmime/gmime.h>

namespace cqcwatch {

namespace {

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

/// An InternetAddressList reference, released at scope exit.
struct AddressList {
    InternetAddressList* list = nullptr;
    explicit AddressList(std::string_view text) {
        init_gmime();
        list = internet_address_list_parse(nullptr, std::string(text).c_str());
    }
    ~AddressList() {
        if (list != nullptr) g_object_unref(list);
    }
    AddressList(const AddressList&) = delete;
    AddressList& operator=(const AddressList&) = delete;
};

bool plausible(const std::string& address) {
    const auto at = address.rfind('@');
    return at != std::string::npos && at > 0 && at + 1 < address.size() &&
           address.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

}  // namespace

tl::expected<std::vector<Mailbox>, std::string> parse_mailboxes(std::string_view text) {
    const std::string quoted = "'" + std::string(text) + "'";
    AddressList parsed(text);
    if (parsed.list == nullptr || internet_address_list_length(parsed.list) == 0)
        return tl::unexpected(quoted +
                              " is not an e-mail address (write \"name@example.org\" or \"Name <name@example.org>\")");
    std::vector<Mailbox> out;
    for (int i = 0; i < internet_address_list_length(parsed.list); ++i) {
        InternetAddress* a = internet_address_list_get_address(parsed.list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(a)) return tl::unexpected(quoted + ": a group is not a mailbox");
        const char* name = internet_address_get_name(a);
        const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        Mailbox m{name != nullptr ? name : "", addr != nullptr ? addr : ""};
        if (!plausible(m.address)) return tl::unexpected(quoted + " is not an e-mail address (no local@domain in it)");
        out.push_back(std::move(m));
    }
    return out;
}

std::string encode_address_header(std::string_view header_name, const std::vector<std::string>& mailboxes) {
    init_gmime();
    InternetAddressList* all = internet_address_list_new();
    for (const auto& text : mailboxes) {
        AddressList one(text);
        if (one.list != nullptr) internet_address_list_append(all, one.list);
    }
    GString* folded = g_string_new(nullptr);
    g_string_append_len(folded, header_name.data(), static_cast<gssize>(header_name.size()));
    g_string_append(folded, ": ");
    internet_address_list_encode(all, nullptr, folded);
    std::string value(folded->str + header_name.size() + 2, folded->len - header_name.size() - 2);
    g_string_free(folded, TRUE);
    g_object_unref(all);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    std::string crlf;
    for (char c : value) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return crlf;
}

}  // namespace cqcwatch
