#pragma once
// Drains the deliveries table through the notifiers: at least once, in event
// order per notifier, one delivery in flight per notifier, a circuit per
// notifier so one that keeps failing never slows the others. The store decides
// what is due; this decides when to look again and what a failure means.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "daemon/clock.hpp"
#include "store/store.hpp"
#include "fetchers/asio.hpp"
#include "notifiers/notifier.hpp"
#include "notifiers/retry_policy.hpp"

namespace cqcwatch {

/// Counters the outbox reports (for metrics and status lines).
struct OutboxObserver {
    std::function<void(const std::string& notifier, std::string_view status)> on_attempt;  ///< sent/failed/dead
};

class Outbox {
public:
    /// Notifiers by name; the outbox neither owns the store nor the notifiers.
    Outbox(asio::io_context& io, Store& store, const Clock& clock, Jitter& jitter,
           std::map<std::string, Notifier*> notifiers, OutboxObserver observer = {});
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    /// Looks for due deliveries now (soon after a commit or an embargo lift), from the loop.
    void kick();
    /// Looks for due deliveries and starts their sends before returning: right after this
    /// process stored an alert, so it goes out before the rest of the handler's work.
    void send_due();
    /// Stops looking; deliveries in flight are abandoned (they stay pending in the store).
    void stop();
    /// Deliveries in flight.
    std::size_t in_flight() const;
    /// True when nothing is in flight and nothing released is due at `now`.
    bool drained() const;

private:
    /// A write of a delivery's outcome that the store could not make (disk full, read-only).
    using OutcomeWrite = std::function<tl::expected<void, StoreError>()>;
    struct Slot {
        Notifier* notifier = nullptr;
        Circuit circuit;
        bool busy = false;
        /// While set, this notifier sends nothing: its last outcome must be stored first, or the
        /// delivery still looks pending and would go out again at once (a storm of duplicates).
        OutcomeWrite unrecorded;
        int record_failures = 0;
        std::chrono::steady_clock::time_point record_retry_at{};
    };

    void dispatch();
    void send(Slot& slot, Delivery delivery);
    void on_result(const std::string& name, const Delivery& delivery, const DeliveryResult& result);
    void handle_failure(Slot& slot, const Delivery& delivery, const DeliveryFailure& failure);
    bool record(Slot& slot, OutcomeWrite write);
    bool retry_record(Slot& slot);
    void arm(std::chrono::milliseconds delay);
    void arm_for_next();
    void on_timer();
    void arm_idle();

    asio::io_context& m_io;
    Store& m_store;
    const Clock& m_clock;
    Jitter& m_jitter;
    std::map<std::string, Slot> m_slots;
    OutboxObserver m_observer;
    asio::steady_timer m_timer;
    bool m_stopped = false;
    bool m_kick_posted = false;
    /// What the last look at the store found: the earliest retry (nullopt: none)
    /// and SQLite's data_version then, so an idle wake-up can skip the queries.
    std::optional<TimePoint> m_next_due;
    std::int64_t m_seen_version = -1;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace cqcwatch
