#include "daemon/embargo_lifter.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "daemon/lift_trouble.hpp"

namespace cqcwatch {

namespace {

// Seconds, not minutes: the alert goes out at the first try after the store comes back.
constexpr std::chrono::milliseconds k_retry_base{250};
constexpr std::chrono::milliseconds k_retry_cap{2000};

}  // namespace

EmbargoLifter::EmbargoLifter(asio::io_context& io, Store& store, const Clock& clock, EmbargoLifterHooks hooks)
    : m_store(store),
      m_clock(clock),
      m_hooks(std::move(hooks)),
      m_timer(io),
      m_recheck(io),
      m_retry(io),
      m_started(clock.now()) {}

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
        note_failure(0, pending.error(), "cannot read the pending embargoes", false);
        return retry_later();
    }
    std::vector<PendingEmbargo> list;
    for (const auto& e : *pending) {
        auto until = std::chrono::system_clock::time_point(std::chrono::seconds(e.embargo.until_unix));
        list.push_back(PendingEmbargo{e.id, until, m_prepared.count(e.id) > 0});
    }
    EmbargoScheduleOptions opts;
    opts.prepare_lead = m_options.prepare_lead;
    auto plan = plan_embargoes(list, m_clock.now(), opts);
    // The first write the store refuses ends this look: the next ones would wait for the same lock.
    bool stored =
        std::all_of(plan.due_to_lift.begin(), plan.due_to_lift.end(), [this](const DueLift& d) { return lift(d); });
    for (auto id : plan.due_to_prepare) {
        auto it = std::find_if(list.begin(), list.end(), [id](const PendingEmbargo& e) { return e.id == id; });
        if (stored && it != list.end()) stored = prepare(id, it->until);
    }
    if (stored)
        note_success();
    else
        retry_later();
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
    m_retry.cancel();
}

void EmbargoLifter::note_failure(std::int64_t embargo_id, const StoreError& error, const char* what, bool is_lift) {
    // Once per spell of trouble and per lift, not per try: a lock held for minutes must not fill the log.
    const bool first = !m_trouble || m_trouble->kind != error.kind || (is_lift && m_held.count(embargo_id) == 0);
    if (first)
        spdlog::error("embargo {}: {}: {}; trying again every {} s at most until the store takes it", embargo_id, what,
                      error.message, k_retry_cap.count() / 1000);
    else
        spdlog::debug("embargo {}: {}: {}", embargo_id, what, error.message);
    if (is_lift) m_held.emplace(embargo_id, error);  // the first error it met says why it came late
    const bool changed = !m_trouble || m_trouble->kind != error.kind;
    m_trouble = error;
    // At each refused lift too: it turns overdue 2 s after its instant, and the STATUS= line should say so.
    if ((changed || is_lift) && m_hooks.on_trouble) m_hooks.on_trouble();
}

void EmbargoLifter::note_success() {
    m_retry_round = 0;
    if (!m_trouble) return;
    spdlog::info("embargoes: the store takes writes again ({} before); nothing was dropped",
                 trouble_text(*m_trouble, true));
    m_trouble.reset();
    if (m_hooks.on_trouble) m_hooks.on_trouble();
}

void EmbargoLifter::retry_later() {
    if (m_stopped || m_retry_armed) return;
    auto delay = std::min(k_retry_cap, k_retry_base * (1 << std::min(m_retry_round, 8)));
    ++m_retry_round;
    m_retry_armed = true;
    m_retry.expires_after(delay);
    m_retry.async_wait([this](const boost::system::error_code& ec) {
        m_retry_armed = false;
        if (!ec && !m_stopped) rearm();
    });
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

bool EmbargoLifter::lift(const DueLift& due) {
    LiftKind kind = lift_kind(due);
    auto lifted = m_store.lift_embargo(due.id, context(), kind);
    if (!lifted) {
        note_failure(due.id, lifted.error(), "cannot record its lift", true);
        return false;  // nothing stored: tried again, and the lift goes out then
    }
    auto preview = m_prepared.extract(due.id);
    if (!*lifted) {  // lifted already (by an earlier run), or history
        if (kind == LiftKind::history) {
            auto held = m_held.extract(due.id);
            spdlog::warn(
                "embargo {} lifted {} s after its instant ({}): past every notifier's max_age, recorded as "
                "history, no alert",
                due.id, std::chrono::duration_cast<std::chrono::seconds>(due.lateness).count(),
                late_reason(due.until, m_started, held ? std::optional(held.mapped()) : std::nullopt));
        }
        m_held.erase(due.id);
        return true;
    }
    // Delivery first: a newsdesk is waiting for this one.
    const Event& event = **lifted;
    if (m_hooks.lifted) m_hooks.lifted(event, due.until);
    log_lift(due, kind, event);
    if (!preview.empty()) {
        bool same = preview.mapped().id == event.id && preview.mapped().body == event.body;
        spdlog::info("embargo {}: lift alert {}{} {}", due.id, event.id, event_about(event),
                     same ? "as rendered ahead" : "changed since it was rendered ahead: rendered again");
    }
    return true;
}

void EmbargoLifter::log_lift(const DueLift& due, LiftKind kind, const Event& event) {
    auto held = m_held.extract(due.id);
    auto late_ms = std::chrono::duration_cast<std::chrono::milliseconds>(due.lateness).count();
    if (kind == LiftKind::late)
        spdlog::warn("embargo {} lifted late{}: late by {} s: {}", event.id, event_about(event), late_ms / 1000,
                     late_reason(due.until, m_started, held ? std::optional(held.mapped()) : std::nullopt));
    else
        spdlog::info("embargo lifted: {}{} ({} ms after the instant{})", event.id, event_about(event), late_ms,
                     held ? ", after " + trouble_text(held.mapped(), true) : std::string());
}

bool EmbargoLifter::prepare(std::int64_t embargo_id, std::chrono::system_clock::time_point until) {
    // Renders the lift alert (the real one, rolled back) and opens connections ahead
    // of the lift, so the lift costs only the send.
    RecordContext ctx = context();
    ctx.now = until;
    auto preview = m_store.preview_lift(embargo_id, ctx);
    if (!preview) {
        // Not marked prepared: tried again, until the store takes it or the instant comes.
        note_failure(embargo_id, preview.error(), "cannot render its lift alert ahead", false);
        return false;
    }
    if (!*preview) {
        m_prepared.emplace(embargo_id, Event{});
        return true;
    }
    const Event& event = **preview;
    std::vector<std::string> names = ctx.route ? ctx.route(event) : std::vector<std::string>{};
    if (m_hooks.prepare) m_hooks.prepare(event, names);
    spdlog::debug("embargo {}: lift alert {}{} rendered ahead for {} notifiers", embargo_id, event.id,
                  event_about(event), names.size());
    m_prepared.emplace(embargo_id, event);
    return true;
}

}  // namespace cqcwatch
