#pragma once
// The daemon's insides (daemon.cpp: lifecycle, sources, mail drops, signals).
// Not for other files: the embargo lifts are EmbargoLifter's, with its own state.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/clock.hpp"
#include "config/config.hpp"
#include "daemon/daemon.hpp"
#include "daemon/embargo_lifter.hpp"
#include "daemon/embargo_schedule.hpp"
#include "daemon/maildir_watcher.hpp"
#include "daemon/metrics.hpp"
#include "daemon/metrics_server.hpp"
#include "daemon/store_watcher.hpp"
#include "daemon/outbox.hpp"
#include "daemon/source_poller.hpp"
#include "daemon/source_schedule.hpp"
#include "store/store.hpp"
#include "daemon/systemd_notify.hpp"
#include "daemon/wall_timer.hpp"
#include "fetchers/asio.hpp"
#include "fetchers/curl_http_client.hpp"
#include "fetchers/curl_multi.hpp"
#include "fetchers/host_gate.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// One polled source: its poller, its timer and how it has been going.
struct SourceRunner {
    SourceRunner(const SourceConfig& source_, const DaemonConfig& daemon, HttpClient& http, Store& store,
                 const Clock& clock, RouteFn route, asio::io_context& io)
        : source(source_), poller(source_, daemon, http, store, clock, std::move(route)), timer(io) {}
    const SourceConfig& source;
    SourcePoller poller;
    asio::steady_timer timer;
    int failures = 0;
    bool poll_again = false;  ///< a fast poll was asked for while a pass ran
    std::optional<PollReport> last;
};

/// The notifiers of a config, by value.
using Notifiers = std::vector<std::unique_ptr<Notifier>>;

struct Daemon::Impl {
    Impl(Config config_, DaemonOptions options_, const Clock& clock_, Jitter& jitter_);

    // lifecycle (daemon.cpp)
    /// The notifiers `next` names, or why one cannot be made (then none is kept): made before
    /// anything running is torn down, so a reload that cannot be built changes nothing.
    tl::expected<Notifiers, std::string> make_notifiers(const Config& next);
    /// make_notifiers(config), throwing std::runtime_error with why not (at start).
    Notifiers make_notifiers_or_throw();
    /// Wires the running config around `made`: the outbox, a runner per polled source, the lifts. Cannot fail.
    void build(Notifiers made);
    void teardown();
    void start_sources();
    void schedule(SourceRunner& runner, std::chrono::milliseconds delay);
    void poll(SourceRunner& runner, std::function<void()> after = {});
    void on_polled(SourceRunner& runner, const PollReport& report, std::chrono::milliseconds elapsed);
    /// Logs and counts stored events and has the outbox look for their deliveries (at once with
    /// `send_now`, else from the loop); `baseline`: stored silently (counted apart).
    void on_events(const std::vector<Event>& events, bool baseline = false, bool send_now = false);
    void seed_metric_series();
    RecordContext context(const std::string& source, bool baseline) const;
    RouteFn route() const;
    /// How long an alert is worth sending: the notifiers' largest max_age (48 h without any).
    std::chrono::seconds history_age() const;
    PassOptions pass_options() const;
    void handle_signal(int signal);
    void reload();
    void stop();
    /// Stops on what the daemon cannot go on with (its database file replaced): logs why, exit 1.
    void fail(const std::string& why);
    void start_watchdog();
    void update_status();
    void refresh_store_gauges();
    void start_metrics();
    bool healthy() const;

    // mail drops, embargoes, poll --once
    void start_maildirs();
    MessageResult on_message(const SourceConfig& source, const std::string& path, const std::string& bytes);
    EmbargoLifterHooks embargo_hooks();
    void stop_when_drained(int rounds);
    void start_fast_polls(std::chrono::system_clock::time_point lift);
    std::optional<std::chrono::milliseconds> fast_interval() const;

    Config config;
    DaemonOptions options;
    const Clock& clock;
    Jitter& jitter;
    asio::io_context io;
    Store store;
    CurlMulti curl{io};
    CurlHttpClient http{curl};
    /// Sources go through this: one request at a time per host, with a gap (notifiers do not).
    PoliteHttpClient polite{
        io, http,
        PolitenessOptions{static_cast<std::size_t>(config.daemon.per_host_concurrency), config.daemon.per_host_gap}};
    SystemdNotify sd;
    Notifiers notifiers;
    std::unique_ptr<Outbox> outbox;
    std::vector<std::unique_ptr<SourceRunner>> runners;
    std::vector<std::unique_ptr<MaildirWatcher>> watchers;
    EmbargoLifter embargoes{io, store, clock, embargo_hooks()};
    std::unique_ptr<StoreWatcher> store_watcher;  ///< another process's commits (ingest, redeliver)
    std::optional<FastPollWindow> fast_window;
    asio::signal_set signals{io};
    asio::steady_timer watchdog{io};
    Metrics metrics;
    std::unique_ptr<MetricsServer> metrics_server;
    bool stopping = false;
    bool once = false;  ///< poll --once: one pass per source, no next one scheduled
    asio::steady_timer drain_timer{io};
    int exit_code = 0;  ///< what run() returns: 1 once fail() stopped it
    /// Something the STATUS= line shows may have changed (events, deliveries, failures).
    bool status_dirty = true;
    std::chrono::steady_clock::time_point status_at{};
};

}  // namespace cqcwatch
