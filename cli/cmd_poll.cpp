// cqcwatch poll --once: one pass over every source, deliver what is due, exit.

#include <memory>

#include "cli/daemon_start.hpp"

namespace cqcwatch {

CommandRun setup_poll(CLI::App& sub, const GlobalOptions& global) {
    auto once = std::make_shared<bool>(false);
    auto alert_existing = std::make_shared<bool>(false);
    auto baseline = std::make_shared<bool>(false);
    sub.add_flag("--once", *once, "One pass over every source, then exit (required)")->required();
    sub.add_flag("--alert-existing", *alert_existing, "Alert for what a source's baseline finds");
    sub.add_flag("--baseline", *baseline,
                 "Re-baseline: record what every source lists now without alerting, as on its first pass");
    sub.footer("Exit status: 0 when every source was read, 1 otherwise (the reasons on stderr).");
    // The lambda owns the flags: CLI11 writes into them while parsing, after this returns.
    return [&global, once, alert_existing, baseline] { return run_daemon(global, *alert_existing, *once, *baseline); };
}

}  // namespace cqcwatch
