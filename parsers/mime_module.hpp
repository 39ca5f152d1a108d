#pragma once
// GMime and its GLib/GObject/GIO stack live in a module of their own, cqcwatch-mime.so,
// loaded with dlopen the first time a message is read or written: a command or a
// daemon with no mail work never maps them (start-up and memory; bench/README.md).
// This header is the whole interface between the binary and the module: plain C++
// (both are built together by one compiler and libstdc++), versioned, so a module of
// another build is refused with a message instead of being called.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace cqcwatch::mime {

/// Raised on any change to the structs or the table below.
inline constexpr int k_abi = 1;

/// One decoded text body of a message.
struct Body {
    bool html = false;
    std::string text;  ///< UTF-8 (charsets and transfer encodings decoded)
};

/// What the module read from a message.
struct Message {
    std::string subject;    ///< decoded (RFC 2047), UTF-8, not yet normalised
    std::string date;       ///< the raw Date header
    bool has_date = false;  ///< the Date header was readable; then:
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    std::string message_id;    ///< without angle brackets
    std::string from;          ///< "Name <addr>" as GMime formats it
    std::vector<Body> bodies;  ///< inline text bodies in reading order, else the attached ones
};

/// One entry of an address list.
struct Address {
    std::string name;     ///< display name, UTF-8, may be empty
    std::string address;  ///< empty for a group
    bool group = false;
};

/// The module's table of functions. Every function may throw std::bad_alloc, nothing else.
struct Api {
    int abi;              ///< k_abi of the module's build
    const char* version;  ///< CQCWATCH_VERSION of the module's build
    /// Parses a MIME message (headers and body); false when it has no RFC 5322 headers.
    bool (*read_message)(std::string_view message, Message& out);
    /// Parses an address list ("Name <a@b>", "a@b", several separated by commas); false when empty.
    bool (*parse_addresses)(std::string_view text, std::vector<Address>& out);
    /// "To: " header value for the mailboxes (each as parse_addresses takes it): names encoded, folded.
    std::string (*encode_address_header)(std::string_view header_name, const std::vector<std::string>& mailboxes);
};

/// The module's one exported symbol.
inline constexpr const char* k_entry_point = "cqcwatch_mime_api";
using EntryPoint = const Api* (*)();

/// Where the module is looked for: <directory of the running executable>/<CQCWATCH_MIME_RELDIR>/cqcwatch-mime.so,
/// i.e. <prefix>/lib/cqcwatch/ beside <prefix>/bin/cqcwatch once installed (cmake --install, the .deb), and
/// <build>/lib/cqcwatch/ beside <build>/cli/cqcwatch in a build tree.
std::string module_path();

/// Loads the module at `path` and checks its interface (what api() does once, with module_path()).
tl::expected<const Api*, std::string> load_module(const std::string& path);

/// The module, loaded on first use (thread-safe; a failure is remembered, not retried).
/// The error names the path and what went wrong ("…/cqcwatch-mime.so: cannot open shared object file: …").
tl::expected<const Api*, std::string> api();

}  // namespace cqcwatch::mime
