#include "notifiers/webhook.hpp"

#include <algorithm>
#include <cctype>

#include "fetchers/redact.hpp"
#include "notifiers/render.hpp"
#include "notifiers/signature.hpp"
#include "notifiers/teams_card.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_prepared = 64;

// Header values come from config and events: CR or LF would let one inject headers.
std::string header_safe(std::string_view s) {
    std::string out(s);
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return out;
}

DeliveryFailure failure(DeliveryFailureKind kind, std::string message,
                        std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    return DeliveryFailure{kind, std::move(message), retry_after};
}

/// What the receiver said, for the operator: the body's first line, printable, at most 200 bytes.
std::string reply_text(const std::string& body) {
    std::string out;
    for (char c : body.substr(0, body.find_first_of("\r\n"))) {
        if (out.size() >= 200) return out + "...";
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return out;
}

DeliveryResult classify_status(const HttpResponse& r, const std::string& where) {
    long s = r.status;
    std::string said = reply_text(r.body);
    std::string msg = "HTTP " + std::to_string(s) + " from " + where + (said.empty() ? "" : ": " + said);
    if (s >= 200 && s < 300) return std::to_string(s);
    if (s == 429) return tl::unexpected(failure(DeliveryFailureKind::rate_limited, msg, r.retry_after));
    if (s == 408 || s >= 500) return tl::unexpected(failure(DeliveryFailureKind::transient, msg, r.retry_after));
    // 3xx (a redirect not followed) and other 4xx: the same request will never work.
    return tl::unexpected(failure(DeliveryFailureKind::permanent, msg));
}

DeliveryFailureKind kind_of(const FetchError& e) {
    switch (e.kind) {
        case FetchErrorKind::timeout:
        case FetchErrorKind::transient:
        case FetchErrorKind::too_large:
            return DeliveryFailureKind::transient;
        case FetchErrorKind::tls:
            // A certificate that does not verify needs a human (CA file, renewal), and retrying
            // for 48 h would hide it: dead at once, visible in status, redeliverable. A failed
            // handshake without a verdict on the certificate may be the network: retry it.
            return e.message.find(": certificate") != std::string::npos || e.message.rfind("certificate", 0) == 0
                       ? DeliveryFailureKind::permanent
                       : DeliveryFailureKind::transient;
        case FetchErrorKind::forbidden_redirect:
        case FetchErrorKind::permanent:
            return DeliveryFailureKind::permanent;
    }
    return DeliveryFailureKind::transient;
}

}  // namespace

std::string webhook_config_problem(const NotifierConfig& c) {
    if (c.url.empty()) return "webhook needs 'url'";
    return {};
}

std::string webhook_template_problem(const NotifierConfig& c) {
    if (c.format == WebhookFormat::template_body && c.template_file.empty())
        return "format = \"template\" needs 'template_file'";
    if (c.format == WebhookFormat::json && !c.template_file.empty())
        return "template_file does not apply to format = \"json\" (the event itself); use format = \"template\"";
    return {};
}

std::vector<TemplatePartSpec> webhook_template_parts(const NotifierConfig& c) {
    switch (c.format) {
        case WebhookFormat::slack:
            return {{"text", true, TemplateEscape::slack}};
        case WebhookFormat::teams:
            return {{"text", true, TemplateEscape::none}};
        case WebhookFormat::template_body:
            return {{"body", true, TemplateEscape::json}};
        case WebhookFormat::json:
            break;
    }
    return {};
}

DeliveryResult classify_webhook_result(const FetchResult& result, const std::string& url) {
    std::string where = redact_url(url);
    if (result) return classify_status(*result, where);
    // The transport's message already begins "POST <url>: ".
    const std::string& message = result.error().message;
    return tl::unexpected(
        failure(kind_of(result.error()), message.rfind("POST ", 0) == 0 ? message : "POST " + where + ": " + message));
}

WebhookNotifier::WebhookNotifier(NotifierConfig config, HttpClient& http, UnixClock unix_now, std::string user_agent)
    : m_config(std::move(config)), m_http(http), m_unix_now(std::move(unix_now)), m_user_agent(std::move(user_agent)) {
    // make_notifier has compiled it already; a notifier built directly with a bad one keeps the built-in body.
    if (auto t = notifier_template(m_config); t) m_template = std::move(*t);
}

WebhookNotifier::~WebhookNotifier() {
    for (auto id : m_in_flight) m_http.cancel(id);
}

std::string WebhookNotifier::body_for(const Event& event) const {
    // A text part's last line break is the file's, not the message's.
    std::string text = m_template ? m_template->render("text", event) : std::string();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    switch (m_config.format) {
        case WebhookFormat::slack:
            return render_slack(event, text).dump();
        case WebhookFormat::teams:
            return render_teams(event, text).dump();
        case WebhookFormat::template_body:
            if (m_template) return m_template->render("body", event);
            break;
        case WebhookFormat::json:
            break;
    }
    return event.body.dump();
}

std::string WebhookNotifier::take_prepared(const Event& event) {
    auto it = m_prepared.find(event.id);
    if (it == m_prepared.end()) return body_for(event);
    Prepared prepared = std::move(it->second);
    m_prepared.erase(it);
    if (prepared.event_body != event.body) return body_for(event);  // changed since: never send a stale body
    ++m_prepared_used;
    return std::move(prepared.body);
}

HttpRequest WebhookNotifier::request_for(const Event& event, std::int64_t unix_time) {
    HttpRequest r;
    r.url = m_config.url;
    r.method = "POST";
    r.body = take_prepared(event);
    std::string ts = std::to_string(unix_time);
    r.headers = {"Content-Type: application/json", "X-Cqcwatch-Event: " + header_safe(event.type),
                 "X-Cqcwatch-Delivery: " + header_safe(event.id), "X-Cqcwatch-Timestamp: " + ts};
    if (m_config.signature == SignatureScheme::standard) {
        // Standard Webhooks: the event id (stable across retries) is the message id receivers de-duplicate on.
        r.headers.push_back("webhook-id: " + header_safe(event.id));
        r.headers.push_back("webhook-timestamp: " + ts);
        if (m_config.secret)
            if (auto key = standard_webhooks_key(m_config.secret->reveal()))
                r.headers.push_back("webhook-signature: " + sign_standard(*key, header_safe(event.id), ts, r.body));
    } else if (m_config.secret && !m_config.secret->empty()) {
        r.headers.push_back("X-Cqcwatch-Signature: " + sign(m_config.secret->reveal(), ts, r.body));
    }
    for (const auto& [k, v] : m_config.headers) r.headers.push_back(header_safe(k) + ": " + header_safe(v));
    r.options.user_agent = m_user_agent;
    r.options.ca_file = m_config.ca_file;
    r.options.total_timeout = m_config.timeout;
    r.options.connect_timeout = std::min<std::chrono::milliseconds>(m_config.timeout, std::chrono::seconds(10));
    r.options.max_body_bytes = 1u << 20;  // a receiver's reply is read and dropped
    return r;
}

void WebhookNotifier::send(const Event& event, Done done) {
    auto id = std::make_shared<std::uint64_t>(0);
    *id = m_http.fetch(request_for(event, m_unix_now()),
                       [this, id, url = m_config.url, done = std::move(done)](FetchResult result) {
                           m_in_flight.erase(*id);
                           done(classify_webhook_result(result, url));
                       });
    m_in_flight.insert(*id);
}

void WebhookNotifier::prepare(const Event& event) {
    if (m_prepared.size() >= k_max_prepared) m_prepared.erase(m_prepared.begin());
    m_prepared[event.id] = Prepared{event.body, body_for(event)};
    // The reply does not matter (a 405 still leaves a kept-alive TLS connection in
    // libcurl's cache on the shared multi handle, which the POST then reuses).
    HttpRequest warm;
    warm.url = m_config.url;
    warm.method = "HEAD";
    warm.options.user_agent = m_user_agent;
    warm.options.ca_file = m_config.ca_file;
    warm.options.total_timeout = m_config.timeout;
    auto id = std::make_shared<std::uint64_t>(0);
    *id = m_http.fetch(std::move(warm), [this, id](FetchResult) { m_in_flight.erase(*id); });
    m_in_flight.insert(*id);
}

}  // namespace cqcwatch
