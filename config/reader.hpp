#pragma once
// The loader's inner parts, shared by config/config.cpp and config/rules.cpp:
// the diagnostics it collects and the conversion of a TOML value by key type.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>
#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/table.hpp"

namespace cqcwatch::config_reader {

/// Every finding of one load, each with the file's name and a line.
class Diagnostics {
public:
    explicit Diagnostics(std::string file) : m_file(std::move(file)) {}
    /// Records an error at `line` (0 = none).
    void error(int line, std::string message, int column = 0);
    /// Records a warning at `line`.
    void warning(int line, std::string message);
    /// Whether any error was recorded.
    bool has_errors() const;
    /// The errors alone, in file order.
    std::vector<ConfigDiagnostic> take_errors();
    /// The warnings alone.
    std::vector<ConfigDiagnostic> take_warnings();

private:
    std::string m_file;
    std::vector<ConfigDiagnostic> m_items;
};

/// Where one table came from: its own line and the line of each key it has.
struct SectionRead {
    std::string scope;  ///< `[daemon]`, `[[source]] "name"`
    int line = 0;
    std::map<std::string, int> keys;  ///< key -> line
    std::set<std::string> rejected;   ///< keys whose value was refused
    /// The line of `key` when present, else the table's.
    int line_of(const std::string& key) const;
    /// Whether `key` was written.
    bool has(const std::string& key) const { return keys.count(key) != 0; }
    /// Whether `key` was written with an acceptable value.
    bool accepted(const std::string& key) const { return has(key) && rejected.count(key) == 0; }
};

/// The 1-based line a node starts on (0 when unknown).
int line_of(const toml::node& node);
/// Converts `node` by `type`; secret files are read relative to `config_dir`.
tl::expected<config_table::KeyValue, std::string> convert_value(const toml::node& node, config_table::KeyType type,
                                                                const std::filesystem::path& config_dir);

/// Cross-checks and computed defaults for one source after its keys are read.
void finish_source(SourceConfig& source, const SectionRead& read, Diagnostics& diags);
/// Cross-checks for one notifier after its keys are read.
void finish_notifier(const NotifierConfig& notifier, const SectionRead& read, Diagnostics& diags);
/// Cross-checks for [daemon].
void finish_daemon(const DaemonConfig& daemon, const SectionRead& read, Diagnostics& diags);

}  // namespace cqcwatch::config_reader
