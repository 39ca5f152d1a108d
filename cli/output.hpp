#pragma once
// What the store's subcommands (history, show, embargoes, status, export,
// ingest, deliveries, redeliver) share: finding the database, resolving a
// council the user typed, and printing records as JSON, CSV or a table.

#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "events/display.hpp"
#include "store/store.hpp"

namespace cqcwatch {

struct Config;

/// The database file: --database, else $CQCWATCH_DATABASE, else the config's [daemon] database
/// (a missing default config means the default path). Config errors throw ConfigError.
std::string database_path(const GlobalOptions& global, const std::string& database_option);
/// The config when its file exists (explicit --config that is missing: ConfigError), else nullopt.
std::optional<Config> config_if_present(const GlobalOptions& global);
/// Opens the store or throws std::runtime_error with the store's one-line message.
Store open_store(const std::string& path, StoreMode mode);
/// The value of a store operation, or throws std::runtime_error with the store's message
/// (main prints it and exits 1).
template <class T>
T value_or_throw(tl::expected<T, StoreError> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
}
/// Throws std::runtime_error with the store's message when a store operation failed.
inline void value_or_throw(tl::expected<void, StoreError> r) {
    if (!r) throw std::runtime_error(r.error().message);
}
/// Adds `--database PATH` to a subcommand.
void add_database_option(CLI::App& sub, std::string& target);

/// The council a user typed (alias, any case, ONS code); UsageError with suggestions when unknown.
AuthorityRef resolve_authority_or_throw(std::string_view name);
/// Parses YYYY-MM-DD for option `option`; UsageError when malformed.
Date parse_date_or_throw(std::string_view text, std::string_view option);

/// A complete, stable JSON record of a stored assessment (history, show, export).
nlohmann::json assessment_record_json(const StoredAssessment& a);
/// "the press release and the report page disagree: Rating: …; the record keeps the report page's
/// figures", or "" when they agree.
std::string conflict_note(const StoredAssessment& a);
/// "rating from the report page (URL); scores, percentage from the press release (URL); …", or "".
std::string sources_text(const StoredAssessment& a);
/// "[embargoed until Fri 23 Jan 2026 00:01 GMT]" while an embargo holds `a`, else "".
std::string embargo_mark(const StoredAssessment& a);
/// The CSV header line matching assessment_csv_row (CRLF-terminated).
std::string assessment_csv_header();
/// One RFC 4180 CSV row (CRLF-terminated).
std::string assessment_csv_row(const StoredAssessment& a);
/// One field quoted per RFC 4180 when it needs to be.
std::string csv_field(std::string_view s);
/// The nine scores in a compact row grouped by theme ("222 22 22 23", "-" for unknown).
std::string compact_scores(const Scores& s);
/// An instant in UTC for people ("2026-01-23 00:01:00 UTC").
std::string utc_time(TimePoint t);

/// Writes a JSON array one element at a time, byte for byte what dump(2) of the whole
/// array would print, then a newline: a long listing never holds its whole tree.
/// `indent` > 0 writes an array nested that deep in a dump(2) document (no newline after it).
class JsonArrayWriter {
public:
    explicit JsonArrayWriter(std::ostream& out, int indent = 0) : m_out(out), m_indent(indent) {}
    void add(const nlohmann::json& element);
    /// Closes the array ("[]" when nothing was added).
    void finish();

private:
    std::ostream& m_out;
    int m_indent;
    bool m_empty = true;
};

/// Rows printed as aligned columns under a header (two spaces between columns).
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace cqcwatch
