#pragma once
// What several subcommands share: finding and loading the config, setting up logs.

#include "cli/commands.hpp"
#include "config/config.hpp"

namespace cqcwatch {

/// Loads the config the global options name; throws ConfigError listing every problem, one per line.
Config load_config_or_throw(const GlobalOptions& global);
/// When `path` does not exist: where the example config is and how to start (several lines, each
/// beginning "cqcwatch: "); empty when it exists.
std::string missing_config_hint(const std::string& path);
/// Logging at --log-level, else the config's level, in the config's format.
void setup_logging_for(const GlobalOptions& global, const Config& config);

}  // namespace cqcwatch
