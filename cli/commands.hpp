#pragma once
// The subcommands. Each lives in its own file (cli/cmd_<name>.cpp) and has a
// setup function that declares its options on its CLI11 subcommand and returns
// the function main() calls when that subcommand is chosen.

#include <functional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace cqcwatch {

/// Options every subcommand may read.
struct GlobalOptions {
    std::string config_path;  ///< --config, else $CQCWATCH_CONFIG, else /etc/cqcwatch/config.toml
    std::string log_level;    ///< --log-level; empty = from the config
    /// The config file to use, by the rule above.
    std::string resolved_config_path() const;
};

/// Bad command-line use: exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
/// A bad config: exit 2. The message names file, line and key.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Runs the chosen subcommand; returns the exit code.
using CommandRun = std::function<int()>;
/// Declares a subcommand's options on `sub`; the returned function runs it.
using CommandSetup = CommandRun (*)(CLI::App& sub, const GlobalOptions& global);

CommandRun setup_parse(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_history(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_show(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_compare(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_changes(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_stats(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_report(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_feed(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_embargoes(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_status(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_export(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_ingest(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_deliveries(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_redeliver(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_run(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_poll(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_route_test(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_notify_test(CLI::App& sub, const GlobalOptions& global);
CommandRun setup_check_config(CLI::App& sub, const GlobalOptions& global);

}  // namespace cqcwatch
