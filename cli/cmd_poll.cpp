// cqcwatch poll --once: one pass over every source, deliver what is due, exit.

#include <memory>

#include "cli/daemon_start.hpp"

namespace cqcwatch {

CommandRun setup_poll(CLI::App& sub, const GlobalOptions& global) {
    auto once = std::make_shared<bool>(false);
    auto alert_existing = std::make_shared<bool>(false);
    sub.add_flag("--once", *once, "One pass over every source, then exit (required)")->required();
    sub.add_flag("--alert-existing", *alert_existing, "On a first run, alert for what is already published");
    sub.footer("Exit status: 0 when every source was read, 1 otherwise (the reasons on stderr).");
    // The lambda owns both flags: CLI11 writes into them while parsing, after this returns.
    return [&global, once, alert_existing] { return run_daemon(global, *alert_existing, *once); };
}

}  // namespace cqcwatch
