#include "notifiers/kinds.hpp"

namespace cqcwatch {

namespace {

template <class E>
std::string_view key_of(const std::vector<EnumWord<E>>& words, E value) {
    for (const auto& w : words)
        if (w.value == value) return w.key;
    return words.front().key;
}

}  // namespace

const std::vector<EnumWord<WebhookFormat>>& webhook_format_words() {
    static const std::vector<EnumWord<WebhookFormat>> words{{WebhookFormat::json, "json"},
                                                            {WebhookFormat::slack, "slack"},
                                                            {WebhookFormat::teams, "teams"},
                                                            {WebhookFormat::template_body, "template"}};
    return words;
}

const std::vector<EnumWord<SignatureScheme>>& signature_scheme_words() {
    static const std::vector<EnumWord<SignatureScheme>> words{{SignatureScheme::cqcwatch, "cqcwatch"},
                                                              {SignatureScheme::standard, "standard"}};
    return words;
}

std::string_view to_key(WebhookFormat f) { return key_of(webhook_format_words(), f); }
std::string_view to_key(SignatureScheme s) { return key_of(signature_scheme_words(), s); }

std::string either_of(const std::vector<std::string_view>& keys) {
    std::string out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) out += i + 1 == keys.size() ? " or " : ", ";
        out += keys[i];
    }
    return out;
}

}  // namespace cqcwatch
