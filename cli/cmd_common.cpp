#include "cli/cmd_common.hpp"

#include <filesystem>

#include "config/logging.hpp"

namespace cqcwatch {

std::string missing_config_hint(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec) || ec) return {};
    // The installed example, else (a build run from its tree) the source tree's.
    std::string example = CQCWATCH_EXAMPLE_CONFIG;
    if (!std::filesystem::exists(example, ec) && std::filesystem::exists(CQCWATCH_SOURCE_EXAMPLE_CONFIG, ec))
        example = CQCWATCH_SOURCE_EXAMPLE_CONFIG;
    return "cqcwatch: no config file at " + path + ". To start: cp " + example + " " + path +
           " and edit it (an example with every section),\n"
           "cqcwatch: or name another with --config FILE (or $CQCWATCH_CONFIG); "
           "`cqcwatch check-config --print-defaults` prints every key with its default and help.";
}

Config load_config_or_throw(const GlobalOptions& global) {
    auto loaded = load_config(global.resolved_config_path());
    if (loaded) return std::move(*loaded);
    std::string message;
    for (const auto& d : loaded.error()) {
        if (d.severity != ConfigDiagnostic::Severity::error) continue;
        if (!message.empty()) message += "\ncqcwatch: ";
        message += d.text();
    }
    if (message.empty()) message = global.resolved_config_path() + ": cannot be loaded";
    // A first start with no config: say where the example is, not only that the file is missing.
    if (auto hint = missing_config_hint(global.resolved_config_path()); !hint.empty())
        message += "\n" + hint;
    throw ConfigError(message);
}

void setup_logging_for(const GlobalOptions& global, const Config& config) {
    setup_logging(global.log_level.empty() ? config.daemon.log_level : global.log_level, config.daemon.log_format);
}

}  // namespace cqcwatch
