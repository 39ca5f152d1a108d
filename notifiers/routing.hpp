#pragma once
// Which events a notifier gets: pure, from its config's routing slice.

#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"
#include "notifiers/notifier_config.hpp"

namespace cqcwatch {

/// Whether a notifier gets an event, and why in the config's words.
struct RouteDecision {
    bool routed = false;
    std::vector<std::string> reasons;  ///< routed: each key's say; not: each key that stops it
};

/// The decision for `n` and `e`: what routes() answers, with the reasons (`cqcwatch route-test`).
RouteDecision route_decision(const NotifierConfig& n, const Event& e);
/// Whether `n` should get `e`. "test" events never route: notify-test sends them directly.
bool routes(const NotifierConfig& n, const Event& e);
/// The names of the notifiers that get `e`, in config order.
std::vector<std::string> route_names(const std::vector<NotifierConfig>& notifiers, const Event& e);
/// True for the event types a notifier's `events` may name.
bool is_routable_type(std::string_view type);
/// Those types, in the contract's order.
std::vector<std::string> routable_types();

/// Problems in a notifier's routing keys (unknown event type, rating or council), one message each.
std::vector<std::string> routing_config_errors(const NotifierConfig& n);

}  // namespace cqcwatch
