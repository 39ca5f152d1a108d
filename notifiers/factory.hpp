#pragma once
// The table of notifier kinds: for each, its config word, the keys that apply
// to it and those it requires, its own checks, and how it is built. The config
// (key rows, rules) and make_notifier read this table; a new kind is its own
// file and one row here.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "fetchers/asio.hpp"
#include "fetchers/curl_multi.hpp"
#include "fetchers/http_client.hpp"
#include "notifiers/message_template.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// What notifiers run on; every member must outlive the notifiers built with it.
struct NotifierDeps {
    asio::io_context& io;
    CurlMulti& multi;
    HttpClient& http;
    std::function<std::int64_t()> unix_now;  ///< seconds since the epoch (wall clock)
    std::string user_agent = "cqcwatch/" CQCWATCH_VERSION;
};

/// One kind of notifier, everything about it in one place.
struct NotifierKindRow {
    NotifierKind kind;
    std::string_view key;                           ///< the config word: kind = "webhook"
    std::string_view help;                          ///< "webhook (HTTP POST)"
    std::vector<std::string_view> keys;             ///< config keys that apply to it beside those of every kind
    std::vector<std::string_view> required;         ///< of those, the ones it cannot do without
    std::string (*problem)(const NotifierConfig&);  ///< what is wrong with a config of this kind; "" when nothing
    std::vector<TemplatePartSpec> (*template_parts)(const NotifierConfig&);  ///< what its template_file holds
    /// template_file where it cannot be, or none where it must be; "" when fine. nullptr: any is fine.
    std::string (*template_problem)(const NotifierConfig&);
    std::unique_ptr<Notifier> (*make)(const NotifierConfig&, const NotifierDeps&);
};

/// Every kind, in the order messages and docs list them.
const std::vector<NotifierKindRow>& notifier_kind_table();
/// The row of a kind.
const NotifierKindRow& kind_row(NotifierKind kind);
/// The row whose config word is `key`, or nullptr.
const NotifierKindRow* kind_row(std::string_view key);
/// The config word of a kind ("webhook").
std::string_view to_key(NotifierKind kind);
/// The kinds' words: "webhook", "email", "exec".
std::vector<std::string_view> notifier_kind_keys();
/// "webhook email": the kinds a key applies to, space-separated (the key table's `kinds`); "" = all kinds.
std::string kinds_using(std::string_view key);

/// What the kind says about the config's template_file being there or not ("" when fine).
std::string template_file_problem(const NotifierConfig& config);

/// A notifier for `config`, or an error naming it and what is wrong (a missing or bad key).
tl::expected<std::unique_ptr<Notifier>, std::string> make_notifier(const NotifierConfig& config,
                                                                   const NotifierDeps& deps);

}  // namespace cqcwatch
