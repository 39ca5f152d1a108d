#pragma once
// The config: TOML text parsed once into typed structs, driven by one table of
// keys (config/table.hpp) that also drives `check-config
// --print-defaults` and the test that config.example.toml mentions every key.
// Components get their slice (`const SourceConfig&`), never the whole thing.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "config/logging.hpp"
#include "notifiers/notifier_config.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// The [daemon] table. The initialisers equal the key table's defaults (a test checks).
struct DaemonConfig {
    std::string database = "/var/lib/cqcwatch/history.db";
    std::string user_agent_contact;          ///< e-mail or URL; a warning when empty
    std::string log_level = "info";          ///< trace, debug, info, warn, error, critical, off
    LogFormat log_format = LogFormat::text;  ///< "auto": journal when $JOURNAL_STREAM is set
    std::string ca_file;                     ///< empty = the system store
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds request_timeout{60'000};
    std::size_t max_body = 20u << 20;  ///< bytes, counted after decompression
    int per_host_concurrency = 1;
    std::chrono::milliseconds per_host_gap{1'000};
    int failure_threshold = 3;             ///< failures in a row before source.failing
    int withdraw_after_misses = 3;         ///< listing misses before assessment.withdrawn
    bool baseline_alert_existing = false;  ///< alert for what the first run finds
    std::string metrics_listen;            ///< "127.0.0.1:9464"; empty = off
    std::chrono::milliseconds embargo_prepare{30'000};
    std::chrono::milliseconds fast_poll_interval{15'000};
    std::chrono::milliseconds fast_poll_duration{3'600'000};
    std::chrono::milliseconds backoff_base{30'000};
    std::chrono::milliseconds backoff_cap{3'600'000};
    double jitter = 0.1;  ///< ± fraction of each delay
    int max_pages = 20;   ///< pagination bound per listing poll
    int max_items = 500;  ///< new items one poll of a source follows; the rest wait for the next poll

    bool operator==(const DaemonConfig&) const = default;
};

/// What a source is.
enum class SourceKind { listing, feed, maildir };
/// The config key of a source kind ("listing").
std::string_view to_key(SourceKind k);

/// One [[source]] block.
struct SourceConfig {
    std::string name;  ///< unique among sources
    SourceKind kind = SourceKind::listing;
    std::string url;                 ///< listing and feed
    std::string link_pattern;        ///< listing: ECMAScript regex; default k_default_report_link_pattern
    DocKind item = DocKind::report;  ///< listing: report or press_release
    std::chrono::milliseconds interval{300'000};
    std::vector<std::string> allowed_hosts;  ///< default: the url's host, with and without "www."
    std::string path;                        ///< maildir: the directory watched
    std::string done_dir;                    ///< maildir: where stored messages go; empty = <path>/done (Maildir: cur/)
    std::string failed_dir;                  ///< maildir: where unusable messages go; empty = <path>/failed
    bool enabled = true;

    bool operator==(const SourceConfig&) const = default;
};

/// One finding about a config: an error stops loading, a warning does not.
struct ConfigDiagnostic {
    enum class Severity { error, warning };
    Severity severity = Severity::error;
    std::string file;     ///< the path as given
    int line = 0;         ///< 1-based; 0 when the finding has no place
    int column = 0;       ///< 1-based; 0 unless the TOML parser gave one
    std::string message;  ///< `[[notifier]] "newsdesk": unknown key 'evnets' (did you mean 'events'?)`
    /// The whole line: `config.toml:23: [[notifier]] "newsdesk": unknown key …` ("warning: " after the place).
    std::string text() const;
};

/// The whole config.
struct Config {
    DaemonConfig daemon;
    std::vector<SourceConfig> sources;
    std::vector<NotifierConfig> notifiers;
    std::string path;                        ///< the file it came from, as given
    std::vector<ConfigDiagnostic> warnings;  ///< found while loading; log them
};

using ConfigResult = tl::expected<Config, std::vector<ConfigDiagnostic>>;

/// Parses config text; `path` names it in messages and anchors relative secret files. Every error is collected.
ConfigResult parse_config(std::string_view text, const std::string& path);
/// Reads and parses the file at `path`.
ConfigResult load_config(const std::string& path);

/// "cqcwatch/0.1.0 (+ops@example.org)": what every request says it is.
std::string user_agent(const DaemonConfig& daemon);

}  // namespace cqcwatch
