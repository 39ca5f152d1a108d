#include "cli/daemon_start.hpp"

#include "cli/cmd_common.hpp"
#include "daemon/clock.hpp"
#include "daemon/daemon.hpp"

namespace cqcwatch {

int run_daemon(const GlobalOptions& global, bool alert_existing, bool once, bool baseline) {
    Config config = load_config_or_throw(global);
    setup_logging_for(global, config);
    SystemClock clock;
    RandomJitter jitter;
    Daemon daemon(std::move(config), DaemonOptions{alert_existing, global.log_level, baseline}, clock, jitter);
    return once ? daemon.poll_once() : daemon.run();
}

}  // namespace cqcwatch
