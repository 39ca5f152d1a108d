#pragma once
// Logging: spdlog to stderr, one line per meaningful event. Under systemd the
// journal adds its own timestamps, so the journal format leaves them out and
// starts each line with the sd-daemon priority prefix ("<6>") instead.

#include <optional>
#include <string_view>

namespace cqcwatch {

/// How log lines look.
enum class LogFormat {
    journal,  ///< "<6>message": no timestamp, syslog priority prefix for journald
    text,     ///< "2026-01-23T00:01:00.123+00:00 [info] message"
};

/// The format when the config says "auto": journal when $JOURNAL_STREAM is set (stderr goes to journald).
LogFormat default_log_format();
/// The format for a config value ("journal", "text", "auto"), or nullopt.
std::optional<LogFormat> log_format_from_key(std::string_view key);
/// Whether `level` is one of trace, debug, info, warn, error, critical, off.
bool is_log_level(std::string_view level);
/// The syslog priority journald reads from a "<N>" prefix for a level name (info → 6).
int syslog_priority(std::string_view level);
/// Sets the default spdlog logger: stderr, `level` (an unknown one counts as info), `format`.
void setup_logging(std::string_view level, LogFormat format);

}  // namespace cqcwatch
