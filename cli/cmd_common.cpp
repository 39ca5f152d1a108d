#include "cli/cmd_common.hpp"

#include "config/logging.hpp"

namespace cqcwatch {

Config load_config_or_throw(const GlobalOptions& global) {
    auto loaded = load_config(global.resolved_config_path());
    if (loaded) return std::move(*loaded);
    std::string message;
    for (const auto& d : loaded.error()) {
        if (d.severity != ConfigDiagnostic::Severity::error) continue;
        if (!message.empty()) message += "\ncqcwatch: ";
        message += d.text();
    }
    throw ConfigError(message.empty() ? global.resolved_config_path() + ": cannot be loaded" : message);
}

void setup_logging_for(const GlobalOptions& global, const Config& config) {
    setup_logging(global.log_level.empty() ? config.daemon.log_level : global.log_level, config.daemon.log_format);
}

}  // namespace cqcwatch
