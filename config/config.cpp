// Loads the config: TOML text in, a typed Config or every error out. Each table
// is read against its rows of the key table (config/rows.cpp), then
// cross-checked (config/rules.cpp).

#include "config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "config/checks.hpp"
#include "config/reader.hpp"

namespace cqcwatch {

namespace {

using config_reader::Diagnostics;
using config_reader::SectionRead;
using config_table::KeyRow;

template <class T>
std::vector<std::string_view> key_names(const std::vector<KeyRow<T>>& rows) {
    std::vector<std::string_view> names;
    for (const auto& row : rows) names.push_back(row.key);
    return names;
}

// The table's defaults go through the same converter and setter as user values,
// so the table is the one place a default is written.
template <class T>
void apply_defaults(const std::vector<KeyRow<T>>& rows, T& target) {
    for (const auto& row : rows) {
        if (row.default_toml.empty()) continue;
        const toml::table parsed = toml::parse("v = " + std::string(row.default_toml));
        auto value = config_reader::convert_value(*parsed.get("v"), row.type, {});
        if (!value || !row.set(target, *value))
            throw std::logic_error("config key table: bad default for '" + std::string(row.key) + "'");
    }
}

template <class T>
SectionRead read_section(const toml::table& table, const std::vector<KeyRow<T>>& rows, T& target, std::string scope,
                         const std::filesystem::path& config_dir, Diagnostics& diags) {
    SectionRead read;
    read.scope = std::move(scope);
    read.line = config_reader::line_of(table);
    apply_defaults(rows, target);
    for (auto&& [key, node] : table) {
        const std::string name(key.str());
        const int line = static_cast<int>(key.source().begin.line);
        read.keys.emplace(name, line);
        const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.key == name; });
        if (row == rows.end()) {
            diags.error(
                line, read.scope + ": unknown key '" + name + "'" + config_checks::did_you_mean(name, key_names(rows)));
            continue;
        }
        auto value = config_reader::convert_value(node, row->type, config_dir);
        if (!value) {
            diags.error(line, read.scope + ": " + name + ": " + value.error());
            read.rejected.insert(name);
            continue;
        }
        if (!value->warning.empty()) diags.warning(line, read.scope + ": " + name + ": " + value->warning);
        if (auto stored = row->set(target, *value); !stored) {
            diags.error(line, read.scope + ": " + name + ": " + stored.error());
            read.rejected.insert(name);
        }
    }
    for (const auto& row : rows)
        if (row.required && !read.has(std::string(row.key)))
            diags.error(read.line, read.scope + ": missing required key '" + std::string(row.key) + "'");
    return read;
}

std::string block_scope(std::string_view section, const toml::table& table, std::size_t index) {
    const auto name = table["name"].value<std::string>();
    if (name && !name->empty()) return "[[" + std::string(section) + "]] \"" + *name + "\"";
    return "[[" + std::string(section) + "]] #" + std::to_string(index + 1);
}

// Reads every [[section]] block; names must be unique.
template <class T>
std::vector<T> read_blocks(const toml::node& node, std::string_view section, const std::vector<KeyRow<T>>& rows,
                           const std::filesystem::path& config_dir, Diagnostics& diags,
                           void (*finish)(T&, const SectionRead&, Diagnostics&)) {
    std::vector<T> blocks;
    const toml::array* array = node.as_array();
    if (!array || !array->is_array_of_tables()) {
        diags.error(config_reader::line_of(node), "'" + std::string(section) + "' must be written [[" +
                                                      std::string(section) + "]] (an array of tables)");
        return blocks;
    }
    std::map<std::string, int> first_line;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table& table = *array->get(i)->as_table();
        T block;
        const SectionRead read = read_section(table, rows, block, block_scope(section, table, i), config_dir, diags);
        finish(block, read, diags);
        if (!block.name.empty() && !first_line.emplace(block.name, read.line).second)
            diags.error(read.line, read.scope + ": duplicate name (first used at line " +
                                       std::to_string(first_line[block.name]) + ")");
        blocks.push_back(std::move(block));
    }
    return blocks;
}

void finish_notifier_block(NotifierConfig& n, const SectionRead& read, Diagnostics& diags) {
    config_reader::finish_notifier(n, read, diags);
}

void read_document(const toml::table& doc, Config& config, const std::filesystem::path& config_dir,
                   Diagnostics& diags) {
    static const std::vector<std::string_view> k_sections{"daemon", "source", "notifier"};
    const toml::table empty;
    const toml::table* daemon = doc["daemon"].as_table();
    if (doc.contains("daemon") && !daemon)
        diags.error(config_reader::line_of(*doc.get("daemon")), "'daemon' must be a table: [daemon]");
    const SectionRead read = read_section(daemon ? *daemon : empty, config_table::daemon_rows(), config.daemon,
                                          "[daemon]", config_dir, diags);
    config_reader::finish_daemon(config.daemon, read, diags);
    if (const toml::node* node = doc.get("source"))
        config.sources =
            read_blocks(*node, "source", config_table::source_rows(), config_dir, diags, config_reader::finish_source);
    if (const toml::node* node = doc.get("notifier"))
        config.notifiers =
            read_blocks(*node, "notifier", config_table::notifier_rows(), config_dir, diags, finish_notifier_block);
    for (auto&& [key, node] : doc) {
        const std::string name(key.str());
        if (std::find(k_sections.begin(), k_sections.end(), name) == k_sections.end())
            diags.error(static_cast<int>(key.source().begin.line),
                        "unknown table '" + name + "'" + config_checks::did_you_mean(name, k_sections));
    }
    if (std::none_of(config.sources.begin(), config.sources.end(), [](const SourceConfig& s) { return s.enabled; }))
        diags.warning(0, "no enabled [[source]]: nothing will be polled");
}

}  // namespace

std::string_view to_key(SourceKind k) {
    switch (k) {
        case SourceKind::listing:
            return "listing";
        case SourceKind::feed:
            return "feed";
        case SourceKind::maildir:
            return "maildir";
    }
    return "listing";
}

std::string ConfigDiagnostic::text() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
    out += ": ";
    if (severity == Severity::warning) out += "warning: ";
    return out + message;
}

ConfigResult parse_config(std::string_view text, const std::string& path) {
    Diagnostics diags(path);
    Config config;
    config.path = path;
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        diags.error(static_cast<int>(e.source().begin.line), std::string(e.description()),
                    static_cast<int>(e.source().begin.column));
        return tl::unexpected(diags.take_errors());
    }
    read_document(doc, config, std::filesystem::path(path).parent_path(), diags);
    if (diags.has_errors()) return tl::unexpected(diags.take_errors());
    config.warnings = diags.take_warnings();
    return config;
}

ConfigResult load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ConfigDiagnostic d;
        d.file = path;
        d.message = std::string("cannot read the config file: ") + std::strerror(errno);
        return tl::unexpected(std::vector<ConfigDiagnostic>{d});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path);
}

std::string user_agent(const DaemonConfig& daemon) {
    std::string agent = std::string("cqcwatch/") + CQCWATCH_VERSION;
    if (!daemon.user_agent_contact.empty()) agent += " (+" + daemon.user_agent_contact + ")";
    return agent;
}

}  // namespace cqcwatch
