#pragma once
// Which events a notifier gets: pure, from its config's routing slice.

#include <string>
#include <vector>

#include "events/event.hpp"
#include "notifiers/notifier_config.hpp"

namespace cqcwatch {

/// Whether `n` should get `e`. "test" events never route: notify-test sends them directly.
bool routes(const NotifierConfig& n, const Event& e);

/// Problems in a notifier's routing keys (unknown event type, rating or council), one message each.
std::vector<std::string> routing_config_errors(const NotifierConfig& n);

}  // namespace cqcwatch
