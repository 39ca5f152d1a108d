// cqcwatch run: the daemon in the foreground (systemd Type=notify).

#include <memory>

#include "cli/daemon_start.hpp"

namespace cqcwatch {

CommandRun setup_run(CLI::App& sub, const GlobalOptions& global) {
    auto alert_existing = std::make_shared<bool>(false);
    sub.add_flag("--alert-existing", *alert_existing,
                 "On a first run (empty database), alert for what is already published instead of "
                 "recording it silently as the baseline");
    sub.footer("Runs until SIGTERM or SIGINT; SIGHUP reloads the config (a bad one is reported and the old one kept).");
    return [&global, alert_existing] { return run_daemon(global, *alert_existing, false); };
}

}  // namespace cqcwatch
