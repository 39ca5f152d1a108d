#pragma once
// Embargo lines ("Press release embargoed until 00.01hrs on Friday 23 January")
// resolved to an instant through the tz database's Europe/London rules.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// What the embargo reader found.
struct EmbargoReading {
    std::optional<Embargo> embargo;     ///< nullopt: no embargo line
    std::vector<std::string> warnings;  ///< weekday mismatch, no year known, unreadable time
};

/// UK civil time on a date → the instant (GMT or BST by the tz database).
Embargo embargo_at(const Date& date, int hour, int minute);

/// Reads one embargo line; `base` (the dateline, else a reference date) gives the year
/// when the line has none, rolled to the next year when the date would fall before it.
EmbargoReading read_embargo_line(std::string_view line, const std::optional<Date>& base);

/// Finds and reads the first embargo line with a time or date in the document.
EmbargoReading read_embargo(const Document& doc, const std::optional<Date>& base);

}  // namespace cqcwatch
