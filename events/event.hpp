#pragma once
// An event as stored in the outbox and sent to notifiers. The body is the
// cqcwatch.event.v1 JSON, built once when the event is committed, so every
// retry sends the same thing with the same id.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "parsers/model.hpp"

namespace cqcwatch {

/// The event types of the contract.
namespace event_type {
inline constexpr const char* assessment_published = "assessment.published";
inline constexpr const char* assessment_updated = "assessment.updated";
inline constexpr const char* assessment_withdrawn = "assessment.withdrawn";
inline constexpr const char* embargo_scheduled = "embargo.scheduled";
inline constexpr const char* embargo_lifted = "embargo.lifted";
inline constexpr const char* source_failing = "source.failing";
inline constexpr const char* source_recovered = "source.recovered";
inline constexpr const char* parser_suspect = "parser.suspect";
inline constexpr const char* parser_recovered = "parser.recovered";
inline constexpr const char* test = "test";
}  // namespace event_type

/// One event.
struct Event {
    std::string id;           ///< "evt_…", stable across retries
    std::string type;         ///< one of event_type
    std::string occurred_at;  ///< RFC 3339 UTC
    nlohmann::json body;      ///< the full cqcwatch.event.v1 object
};

/// The "assessment" object of the contract (also printed by `cqcwatch parse`).
nlohmann::json assessment_json(const Assessment& a, const std::optional<Date>& published);
/// The "authority" object, or null.
nlohmann::json authority_json(const std::optional<AuthorityRef>& a);
/// What an event is about, for log lines: " (Walsall)", " (source cqc-reports)", or "" when neither.
std::string event_about(const Event& e);

}  // namespace cqcwatch
