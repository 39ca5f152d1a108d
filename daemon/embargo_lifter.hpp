#pragma once
// Lifts embargoes on time: asks the store what is pending, renders each lift
// alert ahead (embargo_prepare before the instant), lifts at the instant (or
// late, or as history when the daemon was down too long) and arms one
// WallTimer for the next instant, with a re-check every few seconds while an
// embargo is pending, should a wake-up be missed. The plan itself is the pure
// plan_embargoes() (embargo_schedule.hpp); this class owns the timers and what
// was rendered ahead.
//
// A lift or pre-render the store cannot take (locked by another process, disk
// full, failing) is never dropped: it is tried again after 250 ms, doubling to
// 2 s, for as long as the daemon runs, and goes out at the first try that the
// store takes, marked late by the real delay, with why in its log line.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/clock.hpp"
#include "daemon/embargo_schedule.hpp"
#include "daemon/wall_timer.hpp"
#include "fetchers/asio.hpp"
#include "store/store.hpp"

namespace cqcwatch {

/// What the lifter is told by the daemon, again at each reload.
struct EmbargoLifterOptions {
    std::chrono::nanoseconds prepare_lead{std::chrono::seconds{30}};  ///< [daemon] embargo_prepare
    std::chrono::seconds newest_max_age{0};  ///< the largest notifier max_age: a lift missed by more is history
};

/// The daemon's side of a lift.
struct EmbargoLifterHooks {
    RouteFn route;  ///< the notifiers an event goes to
    /// Render `event` ahead in the notifiers named (and open their connections).
    std::function<void(const Event& event, const std::vector<std::string>& notifiers)> prepare;
    /// A lift stored its alert `event` (`until`: the embargo's instant): count it, deliver it, poll fast
    /// for the report.
    std::function<void(const Event& event, std::chrono::system_clock::time_point until)> lifted;
    /// The store began or stopped holding lifts back (trouble() changed), or refused a due lift again.
    std::function<void()> on_trouble;
};

/// Arms, prepares and lifts the store's pending embargoes.
class EmbargoLifter {
public:
    EmbargoLifter(asio::io_context& io, Store& store, const Clock& clock, EmbargoLifterHooks hooks);

    /// Takes the options of a (re)loaded config.
    void configure(const EmbargoLifterOptions& options) { m_options = options; }
    /// Looks at the pending embargoes now: lifts what is due, prepares what is near, arms the timer.
    void rearm();
    /// Logs each pending embargo and when it lifts (at start-up).
    void log_pending() const;
    /// Cancels the timer and forgets what was rendered ahead (before a reload or at the end).
    void clear();
    /// Stops for good: nothing is armed again.
    void stop();
    /// The store error the last try met while lifts or pre-renders are retried; nullopt when none is.
    const std::optional<StoreError>& trouble() const { return m_trouble; }

private:
    void recheck();
    bool lift(const DueLift& due);
    void log_lift(const DueLift& due, LiftKind kind, const Event& event);
    LiftKind lift_kind(const DueLift& due) const;
    bool prepare(std::int64_t embargo_id, std::chrono::system_clock::time_point until);
    void note_failure(std::int64_t embargo_id, const StoreError& error, const char* what, bool is_lift);
    void note_success();
    void retry_later();
    RecordContext context() const;

    Store& m_store;
    const Clock& m_clock;
    EmbargoLifterHooks m_hooks;
    EmbargoLifterOptions m_options;
    WallTimer m_timer;
    asio::steady_timer m_recheck;  ///< while an embargo is pending: a lift the timer missed (clock step)
    bool m_recheck_armed = false;
    asio::steady_timer m_retry;  ///< while the store refuses a lift or pre-render: the next try
    bool m_retry_armed = false;
    int m_retry_round = 0;                            ///< tries since the store last took one (the back-off's exponent)
    std::optional<StoreError> m_trouble;              ///< what the last failed try met
    std::map<std::int64_t, StoreError> m_held;        ///< embargo id → the store error its lift first met
    std::chrono::system_clock::time_point m_started;  ///< a lift due before this was missed while stopped
    bool m_stopped = false;
    std::map<std::int64_t, Event> m_prepared;  ///< embargo id → its lift alert as rendered ahead
    /// When the timer should next fire (the re-check also looks then, should the timer miss).
    std::optional<std::chrono::system_clock::time_point> m_wake;
};

}  // namespace cqcwatch
