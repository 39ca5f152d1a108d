#include "daemon/outbox.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace {

// Rows written by another process (ingest, redeliver) arrive by kick() from the
// daemon's StoreWatcher; the store is still asked at least this often, so a
// clock step cannot leave a retry waiting long. After a store error: sooner.
constexpr std::chrono::milliseconds k_max_sleep{60000};
constexpr std::chrono::milliseconds k_after_error{2000};
constexpr std::size_t k_batch = 64;
// Back-off while an outcome cannot be stored: 500 ms doubling to 4 s. Seconds, not
// minutes: the notifier sends nothing meanwhile (an alert at an embargo's lift waits
// behind it), and a try costs one refused write (logged once, not per try).
constexpr std::chrono::milliseconds k_record_base{500};
constexpr std::chrono::milliseconds k_record_cap{4000};

}  // namespace

Outbox::Outbox(asio::io_context& io, Store& store, const Clock& clock, Jitter& jitter,
               std::map<std::string, Notifier*> notifiers, OutboxObserver observer)
    : m_io(io), m_store(store), m_clock(clock), m_jitter(jitter), m_observer(std::move(observer)), m_timer(io) {
    for (auto& [name, notifier] : notifiers) m_slots[name].notifier = notifier;
}

Outbox::~Outbox() { *m_alive = false; }

void Outbox::kick() {
    if (m_stopped || m_kick_posted) return;
    m_kick_posted = true;
    asio::post(m_io, [this, alive = m_alive] {
        if (!*alive) return;
        m_kick_posted = false;
        dispatch();
    });
}

void Outbox::send_due() {
    if (!m_stopped) dispatch();
}

void Outbox::stop() {
    m_stopped = true;
    m_timer.cancel();
    *m_alive = false;
    m_alive = std::make_shared<bool>(true);  // results of abandoned sends are ignored
}

std::size_t Outbox::in_flight() const {
    return static_cast<std::size_t>(
        std::count_if(m_slots.begin(), m_slots.end(), [](const auto& s) { return s.second.busy; }));
}

bool Outbox::drained() const {
    if (in_flight() > 0) return false;
    auto next = m_store.next_due_time();
    return next && (!*next || **next > m_clock.now());
}

void Outbox::dispatch() {
    if (m_stopped) return;
    m_seen_version = m_store.data_version().value_or(-1);  // -1: unknown, checked again
    auto due = m_store.due_deliveries(m_clock.now(), k_batch);
    if (!due) {
        spdlog::error("outbox: {}", due.error().message);
        arm(k_after_error);
        return;
    }
    for (auto& delivery : *due) {
        auto it = m_slots.find(delivery.notifier);
        if (it == m_slots.end()) {
            // Its notifier left the config: say so once and keep the row for `redeliver`.
            auto reason = "notifier '" + delivery.notifier + "' is not in the config";
            if (auto r = m_store.mark_dead(delivery.id, m_clock.now(), reason); !r)
                spdlog::error("outbox: {}", r.error().message);
            spdlog::warn("delivery {} of {}{} is dead: {}", delivery.id, delivery.event.id, event_about(delivery.event),
                         reason);
            continue;
        }
        Slot& slot = it->second;
        if (slot.unrecorded && !retry_record(slot)) continue;
        if (slot.busy || !slot.circuit.allow(m_clock.steady_now())) continue;
        send(slot, std::move(delivery));
    }
    arm_for_next();
}

void Outbox::send(Slot& slot, Delivery delivery) {
    slot.busy = true;
    auto name = delivery.notifier;
    spdlog::debug("delivering {} ({}) to {}, attempt {}", delivery.event.id, delivery.event.type, name,
                  delivery.attempts + 1);
    slot.notifier->send(delivery.event, [this, alive = m_alive, name, delivery](DeliveryResult result) {
        if (!*alive) return;
        on_result(name, delivery, result);
    });
}

void Outbox::on_result(const std::string& name, const Delivery& delivery, const DeliveryResult& result) {
    auto it = m_slots.find(name);
    if (it == m_slots.end()) return;
    Slot& slot = it->second;
    slot.busy = false;
    if (result) {
        slot.circuit.on_success();
        record(slot, [this, id = delivery.id, now = m_clock.now(), summary = *result] {
            return m_store.mark_sent(id, now, summary);
        });
        spdlog::info("{} {} {}{} -> {}", name, delivery.event.type, delivery.event.id, event_about(delivery.event),
                     *result);
        if (m_observer.on_attempt) m_observer.on_attempt(name, "sent");
    } else {
        handle_failure(slot, delivery, result.error());
    }
    kick();
}

void Outbox::handle_failure(Slot& slot, const Delivery& delivery, const DeliveryFailure& failure) {
    auto now = m_clock.now();
    // Age from its release: a delivery an embargo held for days is not old at the lift.
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - std::max(delivery.created_at, delivery.not_before));
    auto decision = decide_retry(delivery.attempts + 1, failure, age, slot.notifier->config().max_age, m_jitter.next());
    if (failure.kind == DeliveryFailureKind::permanent)
        slot.circuit.on_success();  // the receiver answered: it is up, the request was wrong
    else
        slot.circuit.on_failure(m_clock.steady_now());
    const auto& name = slot.notifier->name();
    if (auto* later = std::get_if<RetryLater>(&decision)) {
        auto at = now + later->delay;
        record(slot, [this, id = delivery.id, now, message = failure.message, at] {
            return m_store.mark_failed(id, now, message, at);
        });
        spdlog::warn("{} {} {}{}: {} (attempt {}, retry in {} s)", name, delivery.event.type, delivery.event.id,
                     event_about(delivery.event), failure.message, delivery.attempts + 1,
                     std::chrono::duration_cast<std::chrono::seconds>(later->delay).count());
        if (m_observer.on_attempt) m_observer.on_attempt(name, "failed");
        return;
    }
    const auto& give_up = std::get<GiveUp>(decision);
    record(slot, [this, id = delivery.id, now, reason = give_up.reason] { return m_store.mark_dead(id, now, reason); });
    spdlog::error("{} {} {}{} is dead: {}", name, delivery.event.type, delivery.event.id, event_about(delivery.event),
                  give_up.reason);
    if (m_observer.on_attempt) m_observer.on_attempt(name, "dead");
}

bool Outbox::record(Slot& slot, OutcomeWrite write) {
    auto written = write();
    const auto& name = slot.notifier->name();
    if (written) {
        if (slot.record_failures > 0)
            spdlog::info("outbox: {}: stored the outcome that could not be stored before ({} tries); sending again",
                         name, slot.record_failures + 1);
        slot.unrecorded = nullptr;
        slot.record_failures = 0;
        return true;
    }
    // Once, not per try: a full disk must not also fill the log.
    if (slot.record_failures == 0)
        spdlog::error(
            "outbox: {}: cannot store a delivery's outcome: {}; {} sends nothing more until it can "
            "(retrying with back-off)",
            name, written.error().message, name);
    ++slot.record_failures;
    auto delay = k_record_base * (1LL << std::min(slot.record_failures - 1, 16));
    delay = std::min<std::chrono::milliseconds>(delay, k_record_cap);
    delay +=
        std::chrono::milliseconds(static_cast<long long>(0.1 * m_jitter.next() * static_cast<double>(delay.count())));
    slot.unrecorded = std::move(write);
    slot.record_retry_at = m_clock.steady_now() + delay;
    return false;
}

bool Outbox::retry_record(Slot& slot) {
    if (m_clock.steady_now() < slot.record_retry_at) return false;
    OutcomeWrite write = slot.unrecorded;
    if (!record(slot, std::move(write))) return false;
    kick();  // what this look found is stale: the outcome just stored changed it
    return false;
}

void Outbox::arm_for_next() {
    auto next = m_store.next_due_time();
    m_next_due = next ? *next : std::nullopt;
    if (!next) m_seen_version = -1;  // unknown: look properly at the next wake-up
    auto delay = k_max_sleep;
    if (next && *next) {
        // Due now but not sent means its notifier is busy or its circuit open: a
        // finished send kicks again, so only a future instant is worth a timer.
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - m_clock.now());
        if (until > std::chrono::milliseconds{0}) delay = std::min(until, k_max_sleep);
    }
    // An open circuit lets its probe through at reopens_at, an unstored outcome is tried again: look then too.
    for (auto& [name, slot] : m_slots) {
        if (slot.unrecorded) {
            auto until =
                std::chrono::duration_cast<std::chrono::milliseconds>(slot.record_retry_at - m_clock.steady_now());
            delay = std::clamp(until, std::chrono::milliseconds{0}, delay);
        }
        if (slot.circuit.state(m_clock.steady_now()) != Circuit::State::open) continue;
        auto until =
            std::chrono::duration_cast<std::chrono::milliseconds>(slot.circuit.reopens_at() - m_clock.steady_now());
        delay = std::clamp(until, std::chrono::milliseconds{0}, delay);
    }
    arm(delay);
}

void Outbox::arm(std::chrono::milliseconds delay) {
    m_timer.expires_after(delay);
    m_timer.async_wait([this, alive = m_alive](const boost::system::error_code& ec) {
        if (ec || !*alive) return;
        on_timer();
    });
}

void Outbox::on_timer() {
    // Our own commits kick(); between them only a retry coming due, an open
    // circuit's probe, or another process's commit (redeliver, ingest: it moves
    // data_version) can give work. Otherwise the idle wake-up costs no query.
    bool due = m_next_due && *m_next_due <= m_clock.now();
    bool circuit_open = std::any_of(m_slots.begin(), m_slots.end(), [&](const auto& s) {
        return s.second.unrecorded || s.second.circuit.state(m_clock.steady_now()) != Circuit::State::closed;
    });
    auto version = m_store.data_version().value_or(-1);
    if (!due && !circuit_open && version >= 0 && version == m_seen_version) return arm_idle();
    dispatch();
}

void Outbox::arm_idle() {
    auto delay = k_max_sleep;
    if (m_next_due)
        delay = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*m_next_due - m_clock.now()),
                           std::chrono::milliseconds{0}, k_max_sleep);
    arm(delay);
}

}  // namespace cqcwatch
