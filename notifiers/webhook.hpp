#pragma once
// HTTP(S) POST of an event: the cqcwatch.event.v1 JSON or a Slack message,
// signed with HMAC-SHA256 when a secret is configured.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "fetchers/http_client.hpp"
#include "notifiers/message_template.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// What keeps a webhook config from working ("webhook needs 'url'"), or "".
std::string webhook_config_problem(const NotifierConfig& c);
/// A template_file missing for format = "template", or given for format = "json"; "" when neither.
std::string webhook_template_problem(const NotifierConfig& c);
/// The template parts a webhook takes: "text" for slack and teams, "body" for format = "template", none for json.
std::vector<TemplatePartSpec> webhook_template_parts(const NotifierConfig& c);
/// How an HTTP outcome counts for delivery: 2xx ok; 408, 429, 5xx, network and timeouts
/// transient; other 4xx, redirects and certificate failures permanent.
DeliveryResult classify_webhook_result(const FetchResult& result, const std::string& url);

class WebhookNotifier : public Notifier {
public:
    using UnixClock = std::function<std::int64_t()>;
    /// `http` must outlive the notifier; `unix_now` gives X-Cqcwatch-Timestamp.
    WebhookNotifier(NotifierConfig config, HttpClient& http, UnixClock unix_now,
                    std::string user_agent = "cqcwatch/" CQCWATCH_VERSION);
    /// Abandons requests in flight; their callbacks are not called.
    ~WebhookNotifier() override;
    WebhookNotifier(const WebhookNotifier&) = delete;
    WebhookNotifier& operator=(const WebhookNotifier&) = delete;

    const std::string& name() const override { return m_config.name; }
    const NotifierConfig& config() const override { return m_config; }
    std::string rendered(const Event& event) const override { return body_for(event); }
    /// POSTs the event; `done` gets "200" or a classified failure.
    void send(const Event& event, Done done) override;
    /// Renders the body now and opens a connection (HEAD) that libcurl keeps for the send;
    /// a send of the same event (id and body) uses that body.
    void prepare(const Event& event) override;

    /// The request body for an event in the configured format.
    std::string body_for(const Event& event) const;
    /// The full request for an event at `unix_time` (headers, signature, timeouts).
    HttpRequest request_for(const Event& event, std::int64_t unix_time);

    /// How many sends used a body rendered by prepare().
    std::size_t prepared_used() const { return m_prepared_used; }

private:
    std::string take_prepared(const Event& event);

    NotifierConfig m_config;
    std::optional<MessageTemplate> m_template;
    HttpClient& m_http;
    UnixClock m_unix_now;
    std::string m_user_agent;
    struct Prepared {
        nlohmann::json event_body;  ///< what was rendered: used only if the event sent is the same
        std::string body;
    };
    std::map<std::string, Prepared> m_prepared;  ///< event id → body rendered by prepare()
    std::set<std::uint64_t> m_in_flight;
    std::size_t m_prepared_used = 0;
};

}  // namespace cqcwatch
