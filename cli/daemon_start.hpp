#pragma once
// The one way into daemon/ from the command line: `run` and `poll --once`.

#include "cli/commands.hpp"

namespace cqcwatch {

/// Loads the config, sets up logging and runs the daemon: forever (`run`) or one pass (`poll --once`).
/// `baseline`: every source's pass is its baseline again (nothing alerts unless `alert_existing`).
int run_daemon(const GlobalOptions& global, bool alert_existing, bool once, bool baseline = false);

}  // namespace cqcwatch
