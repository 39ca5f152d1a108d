#pragma once
// What the config gives each notifier. Parsed by config/; read here.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "notifiers/kinds.hpp"

namespace cqcwatch {

/// A secret read from a file or a systemd credential; prints as "***".
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    /// The secret itself: pass it on, never log it.
    const std::string& reveal() const { return m_value; }
    bool empty() const { return m_value.empty(); }
    /// What logs and errors may show.
    static constexpr const char* k_redacted = "***";

    bool operator==(const Secret&) const = default;

private:
    std::string m_value;
};

/// One [[notifier]] block.
struct NotifierConfig {
    std::string name;
    NotifierKind kind = NotifierKind::webhook;
    // webhook
    std::string url;
    WebhookFormat format = WebhookFormat::json;
    std::optional<Secret> secret;                           ///< HMAC key (secret_file / credential)
    SignatureScheme signature = SignatureScheme::cqcwatch;  ///< X-Cqcwatch-Signature or Standard Webhooks
    std::map<std::string, std::string> headers;
    // email
    std::string smtp_url;  ///< smtp:// (STARTTLS as `tls` says) or smtps://
    std::string username;
    std::optional<Secret> password;  ///< password_file / credential
    std::string from;
    std::vector<std::string> to;
    std::string ca_file;
    std::string tls = "auto";       ///< "required", "opportunistic", "none"; auto = opportunistic on loopback only
    std::string message_id_domain;  ///< right of the '@' in Message-ID; empty = the From address's domain
    // exec
    std::vector<std::string> command;  ///< argv, no shell
    // any kind
    std::string template_file;  ///< Mustache file (notifiers/message_template); empty = the built-in messages
    std::string template_text;  ///< what template_file held when the config was loaded
    // routing: empty = all (events: all but embargo.scheduled and test)
    std::vector<std::string> events;
    std::vector<std::string> ratings;
    std::vector<std::string> authorities;  ///< names, aliases or ONS codes
    // delivery
    std::chrono::milliseconds timeout{10000};
    std::chrono::seconds max_age{48 * 3600};

    bool operator==(const NotifierConfig&) const = default;
};

}  // namespace cqcwatch
