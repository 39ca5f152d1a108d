#pragma once
// One small interface every notifier kind implements. Which kind is built is
// data in the config (notifiers/factory).

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "events/event.hpp"
#include "notifiers/notifier_config.hpp"

namespace cqcwatch {

/// How a delivery failed: the outbox retries transient ones and marks permanent ones dead.
enum class DeliveryFailureKind { transient, rate_limited, permanent };

/// A failed delivery attempt.
struct DeliveryFailure {
    DeliveryFailureKind kind = DeliveryFailureKind::transient;
    std::string message;                              ///< "HTTP 500 from https://…", never a secret
    std::optional<std::chrono::seconds> retry_after;  ///< from Retry-After
};

/// A successful delivery: a short summary for logs ("200", "250 queued").
using DeliveryResult = tl::expected<std::string, DeliveryFailure>;

class Notifier {
public:
    virtual ~Notifier() = default;
    using Done = std::function<void(DeliveryResult)>;
    /// The configured name.
    virtual const std::string& name() const = 0;
    /// The routing slice of its config.
    virtual const NotifierConfig& config() const = 0;
    /// Sends one event; `done` runs on the event loop exactly once.
    virtual void send(const Event& event, Done done) = 0;
    /// What send() would deliver for `event` (request body, mail message, stdin), for notify-test --print.
    virtual std::string rendered(const Event& event) const { return event.body.dump(); }
    /// Before an embargo lifts: render and open connections so the lift costs only the send.
    virtual void prepare(const Event& /*event*/) {}
};

}  // namespace cqcwatch
