#pragma once
// What several subcommands share: finding and loading the config, setting up logs.

#include "cli/commands.hpp"
#include "config/config.hpp"

namespace cqcwatch {

/// Loads the config the global options name; throws ConfigError listing every problem, one per line.
Config load_config_or_throw(const GlobalOptions& global);
/// Logging at --log-level, else the config's level, in the config's format.
void setup_logging_for(const GlobalOptions& global, const Config& config);

}  // namespace cqcwatch
