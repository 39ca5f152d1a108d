// What the key table cannot say row by row: keys that apply to one kind only,
// keys a kind requires, computed defaults, and warnings. Also the diagnostics
// collector the loader writes into.

#include <algorithm>
#include <string_view>

#include "config/reader.hpp"
#include "events/samples.hpp"
#include "fetchers/url_host.hpp"
#include "notifiers/email.hpp"
#include "notifiers/factory.hpp"
#include "notifiers/routing.hpp"
#include "notifiers/signature.hpp"

namespace cqcwatch::config_reader {

namespace {

using namespace std::chrono_literals;

bool applies(std::string_view kinds, std::string_view kind) {
    if (kinds.empty()) return true;
    std::size_t start = 0;
    while (start < kinds.size()) {
        const std::size_t end = std::min(kinds.find(' ', start), kinds.size());
        if (kinds.substr(start, end - start) == kind) return true;
        start = end + 1;
    }
    return false;
}

template <class T>
void check_kinds(const std::vector<config_table::KeyRow<T>>& rows, std::string_view kind, const SectionRead& read,
                 Diagnostics& diags) {
    for (const auto& row : rows)
        if (read.has(std::string(row.key)) && !applies(row.kinds, kind))
            diags.error(read.line_of(std::string(row.key)), read.scope + ": key '" + std::string(row.key) +
                                                                "' does not apply to kind = \"" + std::string(kind) +
                                                                "\"");
}

void require(const SectionRead& read, bool missing, std::string_view key, std::string_view kind, Diagnostics& diags) {
    if (missing && !read.has(std::string(key)))
        diags.error(read.line, read.scope + ": missing key '" + std::string(key) + "' (required for kind = \"" +
                                   std::string(kind) + "\")");
}

// "www.cqc.org.uk" allows "cqc.org.uk" too, and the other way round.
std::vector<std::string> default_allowed_hosts(const std::string& url) {
    const std::string host = url_host(url);
    if (host.empty()) return {};
    const std::string site(site_of(host));
    return site == host ? std::vector<std::string>{host, "www." + host} : std::vector<std::string>{host, site};
}

// A body that looks like JSON ({ or [ first) but does not parse would be refused by the receiver
// on the night: said now, for the first event type it fails for (it is sent as written).
void check_json_body(const MessageTemplate& t, const NotifierConfig& notifier, const SectionRead& read,
                     Diagnostics& diags) {
    const auto now = std::chrono::system_clock::now();
    for (std::string_view type : sample_event_types()) {
        const std::string body = t.render("body", *sample_event(type, now));
        const auto first = body.find_first_not_of(" \t\r\n");
        if (first == std::string::npos || (body[first] != '{' && body[first] != '[')) return;
        try {
            const nlohmann::json parsed = nlohmann::json::parse(body);  // only whether it parses
        } catch (const nlohmann::json::parse_error& e) {
            diags.warning(read.line_of("template_file"), read.scope + ": template_file: " + notifier.template_file +
                                                             ": the body for " + std::string(type) + " is not JSON (" +
                                                             e.what() + "); it is sent as written");
            return;
        }
    }
}

// A template_file the kind refuses or misses (format = "template" without one), else every error
// of compiling the template against the parts the kind takes, each at its file and line.
void check_template(const NotifierConfig& notifier, const SectionRead& read, Diagnostics& diags) {
    if (const std::string problem = template_file_problem(notifier); !problem.empty()) {
        diags.error(read.line_of(read.has("template_file") ? "template_file" : "format"), read.scope + ": " + problem);
        return;
    }
    auto compiled = notifier_template(notifier);
    if (compiled) {
        if (*compiled && notifier.format == WebhookFormat::template_body && notifier.kind == NotifierKind::webhook)
            check_json_body(**compiled, notifier, read, diags);
        return;
    }
    for (const TemplateError& e : compiled.error())
        diags.error(read.line_of("template_file"), read.scope + ": template_file: " + e.text(notifier.template_file));
}

}  // namespace

void Diagnostics::error(int line, std::string message, int column) {
    m_items.push_back({ConfigDiagnostic::Severity::error, m_file, line, column, std::move(message)});
}

void Diagnostics::warning(int line, std::string message) {
    m_items.push_back({ConfigDiagnostic::Severity::warning, m_file, line, 0, std::move(message)});
}

bool Diagnostics::has_errors() const {
    return std::any_of(m_items.begin(), m_items.end(),
                       [](const ConfigDiagnostic& d) { return d.severity == ConfigDiagnostic::Severity::error; });
}

std::vector<ConfigDiagnostic> Diagnostics::take_errors() {
    // File order reads best; findings with no line go last.
    std::stable_sort(m_items.begin(), m_items.end(), [](const ConfigDiagnostic& a, const ConfigDiagnostic& b) {
        if (a.severity != b.severity) return a.severity == ConfigDiagnostic::Severity::error;
        const int la = a.line == 0 ? INT32_MAX : a.line;
        const int lb = b.line == 0 ? INT32_MAX : b.line;
        return la < lb;
    });
    std::vector<ConfigDiagnostic> errors;
    std::copy_if(m_items.begin(), m_items.end(), std::back_inserter(errors),
                 [](const ConfigDiagnostic& d) { return d.severity == ConfigDiagnostic::Severity::error; });
    return errors;
}

std::vector<ConfigDiagnostic> Diagnostics::take_warnings() {
    std::vector<ConfigDiagnostic> warnings;
    std::copy_if(m_items.begin(), m_items.end(), std::back_inserter(warnings),
                 [](const ConfigDiagnostic& d) { return d.severity == ConfigDiagnostic::Severity::warning; });
    return warnings;
}

int SectionRead::line_of(const std::string& key) const {
    const auto it = keys.find(key);
    return it == keys.end() ? line : it->second;
}

void finish_daemon(const DaemonConfig& daemon, const SectionRead& read, Diagnostics& diags) {
    if (daemon.backoff_cap < daemon.backoff_base)
        diags.error(read.line_of("backoff_cap"), read.scope + ": backoff_cap must not be less than backoff_base");
    if (daemon.user_agent_contact.empty())
        diags.warning(read.line, read.scope +
                                     ": user_agent_contact is not set: CQC cannot tell who is polling "
                                     "(set an e-mail address or URL)");
}

void finish_source(SourceConfig& source, const SectionRead& read, Diagnostics& diags) {
    if (!read.accepted("kind")) return;  // already an error; the rest would only add noise
    const std::string_view kind = to_key(source.kind);
    check_kinds(config_table::source_rows(), kind, read, diags);
    require(read, source.kind != SourceKind::maildir, "url", kind, diags);
    require(read, source.kind == SourceKind::maildir, "path", kind, diags);
    if (source.kind == SourceKind::listing && source.link_pattern.empty())
        source.link_pattern = std::string(config_table::default_link_pattern(source.item));
    if (source.kind != SourceKind::maildir && !read.has("allowed_hosts"))
        source.allowed_hosts = default_allowed_hosts(source.url);
    if (source.interval < 60s && source.kind != SourceKind::maildir)
        diags.warning(read.line_of("interval"), read.scope + ": interval below \"60s\" is impolite to the site");
}

void finish_notifier(const NotifierConfig& notifier, const SectionRead& read, Diagnostics& diags) {
    if (!read.accepted("kind")) return;
    const NotifierKindRow& kind = kind_row(notifier.kind);
    check_kinds(config_table::notifier_rows(), kind.key, read, diags);
    for (std::string_view key : kind.required) require(read, true, key, kind.key, diags);
    if (notifier.kind == NotifierKind::email && read.accepted("to") && notifier.to.empty())
        diags.error(read.line_of("to"), read.scope + ": to: must name at least one address");
    if (notifier.signature == SignatureScheme::standard && notifier.secret && !standard_webhooks_key(notifier.secret->reveal()))
        diags.error(read.line_of("secret_file"), read.scope +
                                                     ": secret_file: signature = \"standard\" needs a Standard "
                                                     "Webhooks secret, \"whsec_\" and base64 (the file holds "
                                                     "something else; it is not shown)");
    if (notifier.kind == NotifierKind::email && read.accepted("tls") && read.accepted("smtp_url")) {
        const bool implicit_tls = notifier.smtp_url.rfind("smtps://", 0) == 0;
        if (implicit_tls && notifier.tls != "auto" && notifier.tls != "required")
            diags.error(read.line_of("tls"), read.scope + ": tls: smtps:// is TLS from the first byte; \"" +
                                                 notifier.tls + "\" fits only smtp://");
        else if (!implicit_tls && notifier.tls != "auto" && notifier.tls != "required" &&
                 !smtp_host_is_loopback(notifier.smtp_url))
            diags.warning(read.line_of("tls"), read.scope + ": tls: \"" + notifier.tls +
                                                   "\" off loopback: alerts (and any password) may cross the "
                                                   "network unencrypted or to an unverified server");
    }
    check_template(notifier, read, diags);
    // The notifiers' own routing check knows the councils; its prefix is replaced by ours.
    const std::string prefix = "notifier \"" + notifier.name + "\": ";
    for (std::string message : routing_config_errors(notifier)) {
        if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
        diags.error(read.line_of("authorities"), read.scope + ": " + message);
    }
}

}  // namespace cqcwatch::config_reader
