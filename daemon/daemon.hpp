#pragma once
// The daemon: one io_context that owns the store, the shared libcurl multi
// handle, the sources' pollers, the mail drops, the embargo timer, the outbox
// and the notifiers, the signals and the sd_notify protocol.
//
//   SIGTERM/SIGINT ─▶ STOPPING=1, abandon transfers, return 0
//   SIGHUP ─────────▶ RELOADING=1, load the config; if bad: log and keep the old one; READY=1
//   database file moved, replaced or deleted ─▶ log why, STOPPING=1, return 1

#include <memory>
#include <string>

#include "daemon/clock.hpp"
#include "config/config.hpp"

namespace cqcwatch {

/// What the command line adds to the config.
struct DaemonOptions {
    bool alert_existing = false;  ///< alert for what a source's baseline finds (--alert-existing)
    std::string log_level;        ///< --log-level; overrides the config on reload too
    bool baseline = false;        ///< this pass is every source's baseline again (poll --once --baseline)
};

class Daemon {
public:
    /// Opens the store (throws std::runtime_error naming the file when it cannot).
    Daemon(Config config, DaemonOptions options, const Clock& clock, Jitter& jitter);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    /// Runs until SIGTERM or SIGINT (returns 0) or a failure it cannot go on with (returns 1).
    int run();
    /// One pass over every source, delivers what is due, returns 0 when every source was read.
    int poll_once();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cqcwatch
