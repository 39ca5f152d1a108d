#pragma once
// What is due about embargoes: a pure function of the pending list and `now`.
// Embargo instants are wall-clock time; the loop arms one WallTimer for next_wake.
//
//   ──── until-lead ──────── until ─────────────── until+tolerance ────▶ wall time
//        prepare (render,     lift (on time)        lift, marked late
//        open connections)

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace cqcwatch {

/// One embargo not yet lifted.
struct PendingEmbargo {
    std::int64_t id = 0;                          ///< the store's embargo id
    std::chrono::system_clock::time_point until;  ///< the lift instant
    bool prepared = false;                        ///< lift alert rendered, connections opened
};

/// An embargo whose instant has come.
struct DueLift {
    std::int64_t id = 0;                          ///< the store's embargo id
    std::chrono::system_clock::time_point until;  ///< the lift instant
    std::chrono::nanoseconds lateness{0};         ///< now - until
    bool late = false;                            ///< lateness > tolerance (missed while stopped)
};

/// Tunables of the embargo schedule.
struct EmbargoScheduleOptions {
    std::chrono::nanoseconds prepare_lead{std::chrono::seconds{30}};   ///< prepare this long before
    std::chrono::nanoseconds late_tolerance{std::chrono::seconds{2}};  ///< later than this is "late"
};

/// What to do now and when to look again.
struct EmbargoPlan {
    std::vector<DueLift> due_to_lift;         ///< until <= now, earliest first
    std::vector<std::int64_t> due_to_prepare;  ///< until-lead <= now < until and not prepared, earliest first
    std::optional<std::chrono::system_clock::time_point> next_wake;  ///< earliest future until or until-lead
};

/// The plan for `pending` at `now`.
EmbargoPlan plan_embargoes(const std::vector<PendingEmbargo>& pending, std::chrono::system_clock::time_point now,
                           const EmbargoScheduleOptions& options = {});

/// Polling faster after a lift to find the published report: lift, lift+interval, … until lift+duration.
class FastPollWindow {
public:
    /// A window that starts at `lift`.
    explicit FastPollWindow(std::chrono::system_clock::time_point lift,
                            std::chrono::nanoseconds interval = std::chrono::seconds{15},
                            std::chrono::nanoseconds duration = std::chrono::minutes{60});
    /// The first poll instant strictly after `now` (`lift` itself when now < lift); none once past the window.
    std::optional<std::chrono::system_clock::time_point> next_fast_poll(
        std::chrono::system_clock::time_point now) const;
    /// True once no poll instant is left after `now`.
    bool expired(std::chrono::system_clock::time_point now) const;
    /// The lift instant the window started at.
    std::chrono::system_clock::time_point lift() const { return m_lift; }

private:
    std::chrono::system_clock::time_point m_lift;
    std::chrono::nanoseconds m_interval;
    std::chrono::nanoseconds m_duration;
};

}  // namespace cqcwatch
