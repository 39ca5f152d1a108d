#pragma once
// Dates as CQC writes them: "17 May 2024", "22 Jan 2026", "Friday 23 January".

#include <optional>
#include <string_view>

#include "parsers/document.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// The month for "January"/"Jan"/"jan." (any case), or nullopt.
std::optional<unsigned> month_from_name(std::string_view name);
/// The first "D Month YYYY" in the text (weekday and ordinal allowed), if a real date.
std::optional<Date> find_day_month_year(std::string_view text);
/// Day of the week of a date, 0 = Sunday … 6 = Saturday.
unsigned weekday_of(const Date& d);
/// Days since 1970-01-01.
long days_from_civil(const Date& d);

/// The dates a page states about itself.
struct PageDates {
    std::optional<Date> published;  ///< "Published:", else "Assessment published:", else the dateline
    std::optional<Date> updated;    ///< "Page last updated:"
    std::optional<Date> dateline;   ///< a block near the top that is only a date ("22 Jan 2026")
};

/// Reads "Published: … Page last updated: …", "Assessment published: …" and datelines.
PageDates read_page_dates(const Document& doc);

}  // namespace cqcwatch
