#pragma once
// How instants and percentages read for people, in one place for the command
// line and the alerts: UK time (Europe/London, GMT or BST as the day has it),
// an assessment's percentage as a whole number (one rule, one function), and
// means and shares at most one decimal.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/model.hpp"

namespace cqcwatch {

/// Wall-clock instants, as everywhere the store is given "now".
using TimePoint = std::chrono::system_clock::time_point;

/// An assessment's overall percentage as every output and alert shows it: "53%"
/// (Assessment::percentage(): stated, else computed; whole, rounded half up), or "-" when there is none.
std::string percentage_text(const Assessment& a);
/// The same for a percentage given as a number, e.g. an event body's "percentage" (bodies stored
/// before the rule held one decimal: 52.8 → "53%"); "-" when unknown.
std::string percentage_text(const std::optional<double>& pct);

/// A mean or a share, not an assessment's percentage: "52.8%" or "64%" (rounded half away from
/// zero to one decimal, none when whole).
std::string percent_text(double pct);
/// The same, or "-" when unknown.
std::string percent_text(const std::optional<double>& pct);

/// An RFC 3339 instant ("2026-01-23T00:01:00Z", or with a numeric offset "+01:00"); nullopt if
/// unparsable or followed by anything.
std::optional<TimePoint> parse_rfc3339(std::string_view text);
/// "Fri 23 Jan 2026 00:01 GMT". Throws std::runtime_error when the tz database is missing.
std::string uk_time(TimePoint t);
/// "Friday 23 January 2026 00:01 GMT" (no leading zero on the day). Throws like uk_time.
std::string uk_time_long(TimePoint t);
/// "00:01 GMT" or "00:01 BST". Throws like uk_time.
std::string uk_clock(TimePoint t);
/// The calendar day in the UK at `t`. Throws like uk_time.
Date uk_date(TimePoint t);
/// The first UK day still news at `now` for alerts kept `max_age` (the day of now - max_age):
/// a document published before it is history. Throws like uk_time.
Date history_before(TimePoint now, std::chrono::seconds max_age);
/// The first instant of UK day `d` (midnight, the earlier one if the clocks repeat it). Throws like uk_time.
TimePoint uk_day_start(const Date& d);

}  // namespace cqcwatch
