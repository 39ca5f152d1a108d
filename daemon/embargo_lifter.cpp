#include "daemon/embargo_lifter.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace cqcwatch {

EmbargoLifter::EmbargoLifter(asio::io_context& io, Store& store, const Clock& clock, EmbargoLifterHooks hooks)
    : m_store(store), m_clock(clock), m_hooks(std::move(hooks)), m_timer(io), m_recheck(io) {}

RecordContext EmbargoLifter::context() const {
    RecordContext ctx;
    ctx.now = m_clock.now();
    ctx.source = "embargo";
    ctx.route = m_hooks.route;
    return ctx;
}

void EmbargoLifter::rearm() {
    if (m_stopped) return;
    auto pending = m_store.pending_embargoes();
    if (!pending) {
        spdlog::error("embargoes: {}", pending.error().message);
        return;
    }
    std::vector<PendingEmbargo> list;
    for (const auto& e : *pending) {
        auto until = std::chrono::system_clock::time_point(std::chrono::seconds(e.embargo.until_unix));
        list.push_back(PendingEmbargo{e.id, until, m_prepared.count(e.id) > 0});
    }
    EmbargoScheduleOptions opts;
    opts.prepare_lead = m_options.prepare_lead;
    auto plan = plan_embargoes(list, m_clock.now(), opts);
    for (const auto& due : plan.due_to_lift) lift(due);
    for (auto id : plan.due_to_prepare) {
        auto it = std::find_if(list.begin(), list.end(), [id](const PendingEmbargo& e) { return e.id == id; });
        if (it != list.end()) prepare(id, it->until);
    }
    m_wake = plan.next_wake;
    recheck();
    if (plan.next_wake) {
        m_timer.async_wait_until(*plan.next_wake, [this](bool fired) {
            if (fired) rearm();
        });
    } else {
        m_timer.cancel();
    }
}

void EmbargoLifter::log_pending() const {
    // At start-up the operator sees what is armed (and would lift late if the daemon stayed down).
    auto pending = m_store.pending_embargoes();
    if (!pending) return;
    for (const auto& e : *pending)
        spdlog::info("embargo armed: {} lifts at {}{}", e.authority.name.empty() ? "(no council)" : e.authority.name,
                     e.embargo.until_utc, e.press_release_url ? " (" + *e.press_release_url + ")" : std::string());
}

void EmbargoLifter::clear() {
    m_timer.cancel();
    m_prepared.clear();
}

void EmbargoLifter::stop() {
    m_stopped = true;
    m_recheck.cancel();
}

void EmbargoLifter::recheck() {
    // The WallTimer fires at the instant and on a clock step; while an embargo is
    // pending this also looks every few seconds, should a wake-up ever be missed.
    // Embargoes stored by another process arrive through the StoreWatcher.
    if (m_recheck_armed || !m_wake || m_stopped) return;
    m_recheck_armed = true;
    m_recheck.expires_after(std::chrono::seconds(3));
    m_recheck.async_wait([this](const boost::system::error_code& ec) {
        m_recheck_armed = false;
        if (ec || m_stopped) return;
        if (m_wake && m_clock.now() >= *m_wake) rearm();
        recheck();
    });
}

LiftKind EmbargoLifter::lift_kind(const DueLift& due) const {
    if (!due.late) return LiftKind::on_time;
    // Missed while stopped: news while a notifier would still deliver it, history after.
    return due.lateness <= m_options.newest_max_age ? LiftKind::late : LiftKind::history;
}

void EmbargoLifter::lift(const DueLift& due) {
    LiftKind kind = lift_kind(due);
    auto lifted = m_store.lift_embargo(due.id, context(), kind);
    auto preview = m_prepared.extract(due.id);
    if (!lifted) {
        spdlog::error("embargo {}: {}", due.id, lifted.error().message);
        return;
    }
    auto late_ms = std::chrono::duration_cast<std::chrono::milliseconds>(due.lateness).count();
    if (kind == LiftKind::history)
        spdlog::warn("embargo {} lifted {} s before the daemon ran: recorded as history, no alert", due.id,
                     late_ms / 1000);
    if (!*lifted) return;  // lifted already (by an earlier run), or history
    // Delivery first: a newsdesk is waiting for this one.
    if (m_hooks.lifted) m_hooks.lifted(due.until);
    const Event& event = **lifted;
    if (kind == LiftKind::late)
        spdlog::warn("embargo {} lifted late{}, {} ms after its instant (the daemon was not running)", event.id,
                     event_about(event), late_ms);
    else
        spdlog::info("embargo lifted: {}{} ({} ms after the instant)", event.id, event_about(event), late_ms);
    if (!preview.empty()) {
        bool same = preview.mapped().id == event.id && preview.mapped().body == event.body;
        spdlog::info("embargo {}: lift alert {}{} {}", due.id, event.id, event_about(event),
                     same ? "as rendered ahead" : "changed since it was rendered ahead: rendered again");
    }
}

void EmbargoLifter::prepare(std::int64_t embargo_id, std::chrono::system_clock::time_point until) {
    // Renders the lift alert (the real one, rolled back) and opens connections ahead
    // of the lift, so the lift costs only the send.
    RecordContext ctx = context();
    ctx.now = until;
    auto preview = m_store.preview_lift(embargo_id, ctx);
    if (!preview || !*preview) {
        if (!preview) spdlog::error("embargo {}: {}", embargo_id, preview.error().message);
        m_prepared.emplace(embargo_id, Event{});
        return;
    }
    const Event& event = **preview;
    std::vector<std::string> names = ctx.route ? ctx.route(event) : std::vector<std::string>{};
    if (m_hooks.prepare) m_hooks.prepare(event, names);
    spdlog::debug("embargo {}: lift alert {}{} rendered ahead for {} notifiers", embargo_id, event.id,
                  event_about(event), names.size());
    m_prepared.emplace(embargo_id, event);
}

}  // namespace cqcwatch
