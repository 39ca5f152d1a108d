#pragma once
// SMTP through libcurl on the shared multi handle: smtp:// with STARTTLS
// required (only tried on loopback), or smtps://; AUTH when a username is set.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <curl/curl.h>

#include "fetchers/curl_multi.hpp"
#include "notifiers/message_template.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// What keeps an email config from working ("email needs 'from'"), or "".
std::string email_config_problem(const NotifierConfig& c);
/// The template parts an email takes: subject and text, and html if it is to have an HTML part.
std::vector<TemplatePartSpec> email_template_parts(const NotifierConfig& c);
/// Whether an smtp(s):// URL's host is loopback (127.0.0.0/8, ::1, localhost).
bool smtp_host_is_loopback(const std::string& url);
/// The STARTTLS policy in force: "required", "opportunistic" or "none" (smtps:// is always "required").
std::string effective_tls(const NotifierConfig& config);
/// How an SMTP transfer's outcome counts: rejected (5xx) and auth/TLS/config failures
/// permanent; 4xx, connection errors and timeouts transient.
DeliveryResult classify_smtp_result(CURLcode code, long smtp_code, const std::string& detail);

class EmailNotifier : public Notifier {
public:
    using UnixClock = std::function<std::int64_t()>;
    /// `multi` must outlive the notifier; `unix_now` dates events whose time is unknown.
    EmailNotifier(NotifierConfig config, CurlMulti& multi, UnixClock unix_now);
    /// Abandons transfers in flight; their callbacks are not called.
    ~EmailNotifier() override;
    EmailNotifier(const EmailNotifier&) = delete;
    EmailNotifier& operator=(const EmailNotifier&) = delete;

    const std::string& name() const override { return m_config.name; }
    const NotifierConfig& config() const override { return m_config; }
    std::string rendered(const Event& event) const override { return message_for(event); }
    /// Sends one message to every recipient; `done` gets "250 …" or a classified failure.
    void send(const Event& event, Done done) override;
    /// The message for an event, as it would be sent.
    std::string message_for(const Event& event) const;

    struct Transfer;

private:
    void configure(Transfer& t) const;
    void on_done(CURL* easy, CURLcode code);

    NotifierConfig m_config;
    std::optional<MessageTemplate> m_template;
    CurlMulti& m_multi;
    UnixClock m_unix_now;
    std::map<CURL*, std::unique_ptr<Transfer>> m_transfers;
};

}  // namespace cqcwatch
