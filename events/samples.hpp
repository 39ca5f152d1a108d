#pragma once
// A sample event of every type, as the store would write it, marked as a test
// ("test": true, id "evt_test_…", a council that is not real): what
// `notify-test --event TYPE` sends and what templates are checked against.

#include <chrono>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace cqcwatch {

/// Every event type there is a sample of: the contract's types and "test".
const std::vector<std::string_view>& sample_event_types();
/// The sample of `type` at `now` (ids and times from it), or nullopt for an unknown type.
std::optional<Event> sample_event(std::string_view type, std::chrono::system_clock::time_point now);

}  // namespace cqcwatch
