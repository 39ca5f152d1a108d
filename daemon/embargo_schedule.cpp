#include "daemon/embargo_schedule.hpp"

#include <algorithm>

namespace cqcwatch {

namespace {

using TimePoint = std::chrono::system_clock::time_point;

bool earlier(const PendingEmbargo& a, const PendingEmbargo& b) {
    return a.until != b.until ? a.until < b.until : a.id < b.id;
}

void consider_wake(EmbargoPlan& plan, TimePoint when) {
    if (!plan.next_wake || when < *plan.next_wake) {
        plan.next_wake = when;
    }
}

}  // namespace

EmbargoPlan plan_embargoes(const std::vector<PendingEmbargo>& pending, TimePoint now,
                           const EmbargoScheduleOptions& options) {
    std::vector<PendingEmbargo> sorted = pending;
    std::sort(sorted.begin(), sorted.end(), earlier);
    const auto lead = std::chrono::duration_cast<std::chrono::system_clock::duration>(options.prepare_lead);
    EmbargoPlan plan;
    for (const PendingEmbargo& e : sorted) {
        if (e.until <= now) {
            const auto lateness = std::chrono::duration_cast<std::chrono::nanoseconds>(now - e.until);
            plan.due_to_lift.push_back({e.id, e.until, lateness, lateness > options.late_tolerance});
            continue;
        }
        consider_wake(plan, e.until);
        if (e.prepared) {
            continue;
        }
        if (e.until - lead <= now) {
            plan.due_to_prepare.push_back(e.id);
        } else {
            consider_wake(plan, e.until - lead);
        }
    }
    return plan;
}

FastPollWindow::FastPollWindow(TimePoint lift, std::chrono::nanoseconds interval, std::chrono::nanoseconds duration)
    : m_lift(lift), m_interval(std::max(interval, std::chrono::nanoseconds{1})), m_duration(duration) {}

std::optional<TimePoint> FastPollWindow::next_fast_poll(TimePoint now) const {
    if (now < m_lift) {
        return m_lift;
    }
    // The grid lift + k·interval keeps polls evenly spaced however late the caller wakes.
    const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_lift);
    const auto k = since / m_interval + 1;
    const auto offset = k * m_interval;
    if (offset > m_duration) {
        return std::nullopt;
    }
    return m_lift + std::chrono::duration_cast<std::chrono::system_clock::duration>(offset);
}

bool FastPollWindow::expired(TimePoint now) const { return !next_fast_poll(now).has_value(); }

}  // namespace cqcwatch
