// The rows of the key table: every key the config accepts, its type, default
// (a TOML literal), the kinds it applies to, its help, and its setter.
// config.example.toml documents each row; a test checks none is missing.

#include <algorithm>
#include <cctype>
#include <deque>

#include "config/setters.hpp"
#include "events/event.hpp"
#include "notifiers/factory.hpp"
#include "notifiers/mail_address.hpp"

namespace cqcwatch::config_table {

using config_checks::fail;

namespace {

using namespace std::chrono_literals;
using namespace setters;
using Daemon = DaemonConfig;
using Source = SourceConfig;
using Notifier = NotifierConfig;

SetResult set_log_level(Daemon& d, const KeyValue& v) {
    if (!is_log_level(v.text))
        return config_checks::check_one_of(v.text, {"trace", "debug", "info", "warn", "error", "critical", "off"});
    d.log_level = v.text;
    return {};
}

SetResult set_log_format(Daemon& d, const KeyValue& v) {
    const auto format = log_format_from_key(v.text);
    if (!format) return config_checks::check_one_of(v.text, {"auto", "journal", "text"});
    d.log_format = *format;
    return {};
}

SetResult set_max_body(Daemon& d, const KeyValue& v) {
    if (v.size < 1024) return fail("must be at least \"1KiB\"");
    d.max_body = static_cast<std::size_t>(v.size);
    return {};
}

SetResult set_jitter(Daemon& d, const KeyValue& v) {
    if (!(v.number >= 0 && v.number <= 0.5)) return fail("must be from 0 to 0.5, not " + std::to_string(v.number));
    d.jitter = v.number;
    return {};
}

SetResult set_metrics_listen(Daemon& d, const KeyValue& v) {
    if (auto ok = config_checks::check_listen_address(v.text); !ok) return ok;
    d.metrics_listen = v.text;
    return {};
}

// Names appear in logs, metrics labels and the database: keep them plain.
template <class T>
SetResult set_name(T& t, const KeyValue& v) {
    const bool plain = !v.text.empty() && std::all_of(v.text.begin(), v.text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
    if (!plain) return fail("'" + v.text + "' may use only letters, digits, '-', '_' and '.'");
    t.name = v.text;
    return {};
}

SetResult set_source_kind(Source& s, const KeyValue& v) {
    if (auto ok = config_checks::check_one_of(v.text, {"listing", "feed", "maildir"}); !ok) return ok;
    s.kind = v.text == "listing" ? SourceKind::listing : v.text == "feed" ? SourceKind::feed : SourceKind::maildir;
    return {};
}

SetResult set_url(Source& s, const KeyValue& v) {
    if (auto ok = config_checks::check_http_url(v.text); !ok) return ok;
    s.url = v.text;
    return {};
}

SetResult set_link_pattern(Source& s, const KeyValue& v) {
    if (auto ok = config_checks::check_regex(v.text); !ok) return ok;
    s.link_pattern = v.text;
    return {};
}

SetResult set_item(Source& s, const KeyValue& v) {
    if (auto ok = config_checks::check_one_of(v.text, {"report", "press-release"}); !ok) return ok;
    s.item = v.text == "report" ? DocKind::report : DocKind::press_release;
    return {};
}

SetResult set_allowed_hosts(Source& s, const KeyValue& v) {
    for (const std::string& host : v.list)
        if (host.empty() || host.find_first_of("/:@ ") != std::string::npos)
            return fail("'" + host + "' is not a host name (write \"www.cqc.org.uk\", not a URL)");
    s.allowed_hosts = v.list;
    for (std::string& host : s.allowed_hosts)
        std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
    return {};
}

SetResult set_notifier_url(Notifier& n, const KeyValue& v) {
    if (auto ok = config_checks::check_http_url(v.text); !ok) return ok;
    n.url = v.text;
    return {};
}

SetResult set_headers(Notifier& n, const KeyValue& v) {
    for (const auto& [name, value] : v.map)
        if (name.empty() || (name + value).find_first_of("\r\n") != std::string::npos ||
            name.find_first_of(": ") != std::string::npos)
            return fail("header '" + name + "' is not a valid header name and one-line value");
    n.headers = v.map;
    return {};
}

SetResult set_smtp_url(Notifier& n, const KeyValue& v) {
    if (v.text.rfind("smtp://", 0) != 0 && v.text.rfind("smtps://", 0) != 0)
        return fail("'" + v.text + "' is not an smtp:// or smtps:// URL");
    n.smtp_url = v.text;
    return {};
}

SetResult set_from(Notifier& n, const KeyValue& v) {
    auto parsed = parse_mailboxes(v.text);
    if (!parsed) return fail(parsed.error());
    if (parsed->size() != 1)
        return fail("'" + v.text + "' names " + std::to_string(parsed->size()) + " addresses, not one");
    n.from = v.text;
    return {};
}

SetResult set_to(Notifier& n, const KeyValue& v) {
    for (const std::string& address : v.list)
        if (auto parsed = parse_mailboxes(address); !parsed) return fail(parsed.error());
    n.to = v.list;
    return {};
}

SetResult set_message_id_domain(Notifier& n, const KeyValue& v) {
    const bool plain = std::all_of(v.text.begin(), v.text.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
    if (!v.text.empty() && (!plain || v.text.find('.') == std::string::npos))
        return fail("'" + v.text + "' is not a domain name (write \"newsroom.example.org\")");
    n.message_id_domain = v.text;
    return {};
}

SetResult set_notifier_kind(Notifier& n, const KeyValue& v) {
    const NotifierKindRow* row = kind_row(v.text);
    if (!row) return config_checks::check_one_of(v.text, notifier_kind_keys());
    n.kind = row->kind;
    return {};
}

// "webhook (HTTP POST), email (SMTP) or exec (...)": the kind table's words.
std::string_view kind_help() {
    static const std::string help = [] {
        std::vector<std::string_view> parts;
        for (const auto& row : notifier_kind_table()) parts.push_back(row.help);
        return either_of(parts) + ".";
    }();
    return help;
}

// Which kinds a notifier key applies to is the kind table's to say (notifiers/factory).
std::string_view kinds_of(std::string_view key) {
    static std::deque<std::string> kept;
    return kept.emplace_back(kinds_using(key));
}

SetResult set_template_file(Notifier& n, const KeyValue& v) {
    if (v.file_text.empty()) return fail("'" + v.text + "' is empty");
    n.template_file = v.text;
    n.template_text = v.file_text;
    return {};
}

SetResult set_command(Notifier& n, const KeyValue& v) {
    if (v.list.empty() || v.list.front().empty()) return fail("must name a program to run (an argv array, no shell)");
    n.command = v.list;
    return {};
}

SetResult set_events(Notifier& n, const KeyValue& v) {
    const std::vector<std::string_view> known{
        event_type::assessment_published, event_type::assessment_updated, event_type::assessment_withdrawn,
        event_type::embargo_scheduled,    event_type::embargo_lifted,     event_type::source_failing,
        event_type::source_recovered,     event_type::parser_suspect,     event_type::parser_recovered};
    if (auto ok = config_checks::check_names(v.list, known, "event type"); !ok) return ok;
    n.events = v.list;
    return {};
}

SetResult set_ratings(Notifier& n, const KeyValue& v) {
    if (auto ok =
            config_checks::check_names(v.list, {"outstanding", "good", "requires_improvement", "inadequate"}, "rating");
        !ok)
        return ok;
    n.ratings = v.list;
    return {};
}

SetResult set_secret(Notifier& n, const KeyValue& v) {
    n.secret = v.secret;
    return {};
}

SetResult set_password(Notifier& n, const KeyValue& v) {
    n.password = v.secret;
    return {};
}

SetResult set_timeout(Notifier& n, const KeyValue& v) {
    if (auto ok = config_checks::check_at_least(v.duration, 100ms); !ok) return ok;
    n.timeout = v.duration;
    return {};
}

SetResult set_max_age(Notifier& n, const KeyValue& v) {
    if (auto ok = config_checks::check_at_least(v.duration, 1min); !ok) return ok;
    n.max_age = std::chrono::duration_cast<std::chrono::seconds>(v.duration);
    return {};
}

}  // namespace

// The key tables: one line per key, as `check-config --print-defaults` shows them.
// clang-format off
const std::vector<KeyRow<DaemonConfig>>& daemon_rows() {
    using K = KeyType;
    static const std::vector<KeyRow<Daemon>> rows{
        {"database", K::string, R"("/var/lib/cqcwatch/history.db")", "", "The SQLite history file (created, and migrated on upgrade).", non_empty_text(&Daemon::database)},
        {"user_agent_contact", K::string, R"("")", "", "An e-mail address or URL sent in the User-Agent so CQC can reach the operator (a warning when empty).", text(&Daemon::user_agent_contact)},
        {"log_level", K::string, R"("info")", "", "trace, debug, info, warn, error, critical or off; --log-level overrides it.", set_log_level},
        {"log_format", K::string, R"("auto")", "", "journal (no timestamps, <N> priority prefixes), text (ISO timestamps) or auto (journal when $JOURNAL_STREAM is set).", set_log_format},
        {"ca_file", K::string, R"("")", "", "A PEM file of CA certificates for HTTPS; empty = the system store.", text(&Daemon::ca_file)},
        {"connect_timeout", K::duration, R"("10s")", "", "Longest wait for a TCP and TLS connection.", duration(&Daemon::connect_timeout, 100ms)},
        {"request_timeout", K::duration, R"("60s")", "", "Longest time for a whole request, body included.", duration(&Daemon::request_timeout, 1s)},
        {"max_body", K::size, R"("20MiB")", "", "Largest body accepted, counted after decompression (a gzip bomb is cut off).", set_max_body},
        {"per_host_concurrency", K::integer, "1", "", "Requests at a time to one host.", integer(&Daemon::per_host_concurrency, 1, 16)},
        {"per_host_gap", K::duration, R"("1s")", "", "Least time between two requests to one host.", duration(&Daemon::per_host_gap, 0ms)},
        {"failure_threshold", K::integer, "3", "", "Failed polls in a row before source.failing is raised (once).", integer(&Daemon::failure_threshold, 1, 1000)},
        {"withdraw_after_misses", K::integer, "3", "", "Walks over every listing page in a row a report must be missing from before assessment.withdrawn (page 1 alone counts no miss).", integer(&Daemon::withdraw_after_misses, 1, 1000)},
        {"baseline_alert_existing", K::boolean, "false", "", "On the first run, alert for everything already published (normally recorded silently).", boolean(&Daemon::baseline_alert_existing)},
        {"metrics_listen", K::string, R"("")", "", "Address and port for /healthz and /metrics, e.g. \"127.0.0.1:9464\"; empty = off.", set_metrics_listen},
        {"embargo_prepare", K::duration, R"("30s")", "", "How long before an embargo lifts to render alerts and open connections.", duration(&Daemon::embargo_prepare, 0ms)},
        {"fast_poll_interval", K::duration, R"("15s")", "", "Poll interval after an embargo lifts, to find the published report.", duration(&Daemon::fast_poll_interval, 1s)},
        {"fast_poll_duration", K::duration, R"("60m")", "", "How long to poll fast after a lift.", duration(&Daemon::fast_poll_duration, 0ms)},
        {"backoff_base", K::duration, R"("30s")", "", "First delay after a failed poll; doubles each failure.", duration(&Daemon::backoff_base, 1s)},
        {"backoff_cap", K::duration, R"("1h")", "", "Longest delay after failures.", duration(&Daemon::backoff_cap, 1s)},
        {"jitter", K::number, "0.1", "", "Random +/- fraction applied to every poll delay (0 to 0.5).", set_jitter},
        {"max_pages", K::integer, "20", "", "Most listing pages followed in one poll.", integer(&Daemon::max_pages, 1, 1000)},
        {"max_items", K::integer, "500", "", "Most new items one poll of a source follows; the rest wait for the next poll (a warning says so).", integer(&Daemon::max_items, 1, 100000)},
    };
    return rows;
}

const std::vector<KeyRow<SourceConfig>>& source_rows() {
    using K = KeyType;
    static const std::vector<KeyRow<Source>> rows{
        {"name", K::string, "", "", "Unique name, used in logs, metrics and the database (letters, digits, - _ .).", set_name<Source>, true},
        {"kind", K::string, "", "", "listing (an HTML page of links), feed (RSS or Atom) or maildir (a directory of messages).", set_source_kind, true},
        {"url", K::string, "", "listing feed", "The page or feed to poll (http:// or https://). Required for listing and feed.", set_url},
        {"link_pattern", K::string, "", "listing", "ECMAScript regex on each resolved link URL picking the items; default: CQC's report pages for item = \"report\", \"/press-release/[^/?#]+$\" for item = \"press-release\".", set_link_pattern},
        {"item", K::string, R"("report")", "listing", "What each linked page is: report or press-release.", set_item},
        {"interval", K::duration, R"("5m")", "", "Time from the start of one poll to the start of the next (at least \"1s\"; a warning below \"60s\").", duration(&Source::interval, 1s)},
        {"allowed_hosts", K::string_list, "", "listing feed", "Hosts links and redirects may go to; default: the url's host, with and without \"www.\".", set_allowed_hosts},
        {"path", K::string, "", "maildir", "The directory watched for messages (a Maildir or a plain drop directory). Required for maildir.", non_empty_text(&Source::path)},
        {"done_dir", K::string, R"("")", "maildir", "Where stored messages are moved (never deleted); empty = <path>/done, or cur/ for a Maildir.", text(&Source::done_dir)},
        {"failed_dir", K::string, R"("")", "maildir", "Where messages that cannot be used are moved, with a .reason file; empty = <path>/failed.", text(&Source::failed_dir)},
        {"enabled", K::boolean, "true", "", "false keeps the source in the config without polling it.", boolean(&Source::enabled)},
    };
    return rows;
}

const std::vector<KeyRow<NotifierConfig>>& notifier_rows() {
    using K = KeyType;
    static const std::vector<KeyRow<Notifier>> rows{
        {"name", K::string, "", "", "Unique name, used in logs, metrics, the outbox and notify-test.", set_name<Notifier>, true},
        {"kind", K::string, "", "", kind_help(), set_notifier_kind, true},
        {"url", K::string, "", kinds_of("url"), "Where events are POSTed (http:// or https://). Required for webhook.", set_notifier_url},
        {"format", K::string, R"("json")", kinds_of("format"), "json (the cqcwatch.event.v1 body), slack (a Slack-compatible message), teams (an Adaptive Card for a Teams Workflows webhook) or template (the body is template_file's \"body\" part).", word(&Notifier::format, webhook_format_words())},
        {"secret_file", K::secret_file, "", kinds_of("secret_file"), "File holding the HMAC key for X-Cqcwatch-Signature; a bare name is looked up in $CREDENTIALS_DIRECTORY first.", set_secret},
        {"signature", K::string, R"("cqcwatch")", kinds_of("signature"), "cqcwatch (X-Cqcwatch-Signature: sha256=<hex HMAC of \"<timestamp>.<body>\">) or standard (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature: v1,<base64>; secret_file holds whsec_<base64 key>).", word(&Notifier::signature, signature_scheme_words())},
        {"headers", K::string_map, "{}", kinds_of("headers"), "Extra request headers, an inline table: { Authorization = \"...\" } (prefer secret_file for keys).", set_headers},
        {"smtp_url", K::string, "", kinds_of("smtp_url"), "smtp://host:587 (STARTTLS as tls says) or smtps://host:465 (TLS from the start). Required for email.", set_smtp_url},
        {"username", K::string, R"("")", kinds_of("username"), "SMTP login name; empty = no login.", text(&Notifier::username)},
        {"password_file", K::secret_file, "", kinds_of("password_file"), "File holding the SMTP password; a bare name is looked up in $CREDENTIALS_DIRECTORY first.", set_password},
        {"from", K::string, "", kinds_of("from"), "The From address. Required for email.", set_from},
        {"to", K::string_list, "", kinds_of("to"), "Recipient addresses. Required for email.", set_to},
        {"tls", K::string, R"("auto")", kinds_of("tls"), "STARTTLS on smtp://: required (and the certificate verified), opportunistic (used when offered, unverified: for a local MTA's self-signed certificate), none, or auto (opportunistic on loopback, required elsewhere).", one_of(&Notifier::tls, {"auto", "required", "opportunistic", "none"})},
        {"message_id_domain", K::string, R"("")", kinds_of("message_id_domain"), "The domain in each alert's Message-ID (<evt_...@domain>); empty = the From address's domain.", set_message_id_domain},
        {"ca_file", K::string, R"("")", kinds_of("ca_file"), "A PEM file of CA certificates for this notifier; empty = the system store.", text(&Notifier::ca_file)},
        {"command", K::string_list, "", kinds_of("command"), "The program and its arguments (no shell); the event JSON arrives on stdin. Required for exec.", set_command},
        {"template_file", K::text_file, "", "", "A Mustache template for the messages (email subject, text and html; slack and teams text; the body of format = \"template\" or of exec's stdin); relative to the config file. check-config compiles it. Default: the built-in messages (the same as the templates shipped in /usr/share/cqcwatch/templates).", set_template_file},
        {"events", K::string_list, "[]", "", "Event types to send; empty = all but embargo.scheduled.", set_events},
        {"ratings", K::string_list, "[]", "", "Only assessments with these ratings (outstanding, good, requires_improvement, inadequate); empty = all.", set_ratings},
        {"authorities", K::string_list, "[]", "", "Only these councils (names or ONS codes); empty = all.", list(&Notifier::authorities)},
        {"timeout", K::duration, R"("10s")", "", "Longest time for one delivery attempt.", set_timeout},
        {"max_age", K::duration, R"("48h")", "", "Give up on (dead-letter) a delivery older than this.", set_max_age},
    };
    return rows;
}

// clang-format on

}  // namespace cqcwatch::config_table
