#pragma once
// The closed sets of a notifier's config as enums, each with one table of its
// config words: the kind ("webhook"), a webhook's body format ("teams") and its
// signature scheme ("standard"). Config, factory and notifiers compare enums;
// the words live only in these tables.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqcwatch {

/// What a [[notifier]] is. Each has one row in the kind table (notifiers/factory).
enum class NotifierKind { webhook, email, exec };
/// What a webhook POSTs.
enum class WebhookFormat { json, slack, teams, template_body };
/// How a webhook signs its body.
enum class SignatureScheme { cqcwatch, standard };

/// One value of an enum and its config word.
template <class E>
struct EnumWord {
    E value;
    std::string_view key;
};

/// The format words: json, slack, teams, template.
const std::vector<EnumWord<WebhookFormat>>& webhook_format_words();
/// The signature words: cqcwatch, standard.
const std::vector<EnumWord<SignatureScheme>>& signature_scheme_words();

/// The config word of a value ("slack").
std::string_view to_key(WebhookFormat f);
std::string_view to_key(SignatureScheme s);

/// The value a config word names, or nullopt.
template <class E>
std::optional<E> from_word(const std::vector<EnumWord<E>>& words, std::string_view key) {
    for (const auto& w : words)
        if (w.key == key) return w.value;
    return std::nullopt;
}

/// The words of a table, for messages and one_of checks.
template <class E>
std::vector<std::string_view> word_keys(const std::vector<EnumWord<E>>& words) {
    std::vector<std::string_view> keys;
    for (const auto& w : words) keys.push_back(w.key);
    return keys;
}

/// "json, slack or teams": words joined for a message.
std::string either_of(const std::vector<std::string_view>& keys);

}  // namespace cqcwatch
