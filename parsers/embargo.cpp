// Embargo instants. The year comes from the line, else from the dateline (or
// the caller's reference date); an embargo never lies before its dateline, so
// a December dateline with a January embargo rolls to the next year. A weekday
// that does not match the date leaves the embargo unresolved: a human must
// decide, and nothing is scheduled for it.

#include "parsers/document.hpp"
#include "parsers/embargo.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <regex>

#include <date/tz.h>

#include "parsers/dates.hpp"

namespace cqcwatch {

namespace {

using Match = std::match_results<std::string_view::const_iterator>;

constexpr std::array<std::string_view, 7> k_weekdays{"sunday",   "monday", "tuesday", "wednesday",
                                                     "thursday", "friday", "saturday"};

struct Clock {
    int hour = 0;
    int minute = 0;
};

/// "00.01hrs", "00:01", "9.30am", "10am", "12.01 am", "midnight".
std::optional<Clock> find_time(std::string_view s) {
    static const std::regex re(
        R"((?:^|[^\d])(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|hrs|hours|hr|h)?(?![\d]))", std::regex::icase);
    if (ascii_lower(s).find("midnight") != std::string::npos) return Clock{0, 0};
    // "0001hrs", "0001 hours": the 24-hour clock written without a separator.
    static const std::regex compact(R"((?:^|[^\d])([01]\d|2[0-3])([0-5]\d)\s*(?:hrs|hours|hr|h)\b)", std::regex::icase);
    Match cm;
    if (std::regex_search(s.begin(), s.end(), cm, compact)) return Clock{std::stoi(cm[1].str()), std::stoi(cm[2].str())};
    for (auto it = std::regex_iterator<std::string_view::const_iterator>(s.begin(), s.end(), re);
         it != std::regex_iterator<std::string_view::const_iterator>(); ++it) {
        const auto& m = *it;
        const bool has_minutes = m[2].matched;
        const std::string suffix = ascii_lower(m[3].str());
        if (!has_minutes && suffix.empty()) continue;  // a bare number is a day, not a time
        if (!has_minutes && (suffix == "h" || suffix == "hr" || suffix == "hours" || suffix == "hrs")) continue;
        int hour = std::stoi(m[1].str());
        const int minute = has_minutes ? std::stoi(m[2].str()) : 0;
        const bool am = suffix.starts_with('a'), pm = suffix.starts_with('p');
        if (am && hour == 0) hour = 12;  // "00:01am": a 24-hour time with an am beside it
        if ((am || pm) && (hour < 1 || hour > 12)) continue;
        if (am && hour == 12) hour = 0;
        if (pm && hour != 12) hour += 12;
        if (hour > 23 || minute > 59) continue;
        return Clock{hour, minute};
    }
    return std::nullopt;
}

struct DayMonth {
    std::optional<unsigned> weekday;  ///< 0 = Sunday
    unsigned day = 0;
    unsigned month = 0;
    std::optional<int> year;
};

std::optional<DayMonth> find_day_month(std::string_view s) {
    // "2026-01-23" and "23/01/2026" (day first, as in the UK): a full year, or it is not a date.
    static const std::regex iso(R"((?:^|[^\d])(\d{4})-(\d{2})-(\d{2})(?![\d]))");
    static const std::regex numeric(R"((?:^|[^\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d]))");
    // "January 23, 2026": month first, as some wires write it.
    static const std::regex month_first(
        R"((?:\b([A-Za-z]+day),?\s+)?\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*(\d{4})\b)", std::regex::icase);
    Match nm;
    if (std::regex_search(s.begin(), s.end(), nm, iso))
        return DayMonth{std::nullopt, static_cast<unsigned>(std::stoi(nm[3].str())),
                        static_cast<unsigned>(std::stoi(nm[2].str())), std::stoi(nm[1].str())};
    if (std::regex_search(s.begin(), s.end(), nm, numeric)) {
        const int year = std::stoi(nm[3].str());
        return DayMonth{std::nullopt, static_cast<unsigned>(std::stoi(nm[1].str())),
                        static_cast<unsigned>(std::stoi(nm[2].str())), year < 100 ? 2000 + year : year};
    }
    if (std::regex_search(s.begin(), s.end(), nm, month_first))
        if (const auto month = month_from_name(nm[2].str())) {
            DayMonth dm{std::nullopt, static_cast<unsigned>(std::stoi(nm[3].str())), *month, std::stoi(nm[4].str())};
            const std::string wd = ascii_lower(nm[1].str());
            for (unsigned i = 0; i < k_weekdays.size(); ++i)
                if (k_weekdays[i] == wd) dm.weekday = i;
            return dm;
        }
    static const std::regex re(
        R"((?:\b([A-Za-z]+day),?\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?)",
        std::regex::icase);
    for (auto it = std::regex_iterator<std::string_view::const_iterator>(s.begin(), s.end(), re);
         it != std::regex_iterator<std::string_view::const_iterator>(); ++it) {
        const auto& m = *it;
        const auto month = month_from_name(m[3].str());
        if (!month) continue;
        DayMonth dm{std::nullopt, static_cast<unsigned>(std::stoi(m[2].str())), *month, std::nullopt};
        if (m[4].matched) dm.year = std::stoi(m[4].str());
        const std::string wd = ascii_lower(m[1].str());
        for (unsigned i = 0; i < k_weekdays.size(); ++i)
            if (k_weekdays[i] == wd) dm.weekday = i;
        return dm;
    }
    return std::nullopt;
}

std::optional<Date> make_date(int y, unsigned m, unsigned d) { return parse_iso_date(Date{y, m, d}.iso()); }

std::string weekday_name(unsigned w) {
    std::string n(k_weekdays[w]);
    n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
    return n;
}

/// The calendar date an embargo line means, or a warning why it cannot be known.
std::optional<Date> date_for(const DayMonth& dm, const std::optional<Date>& base, std::vector<std::string>& warnings) {
    if (!dm.year && !base) {
        warnings.push_back("embargo: no year in the line and no dateline or reference date to take it from");
        return std::nullopt;
    }
    int year = dm.year ? *dm.year : base->year;
    auto date = make_date(year, dm.month, dm.day);
    if (date && !dm.year && *date < *base) date = make_date(++year, dm.month, dm.day);
    if (!date)
        warnings.push_back("embargo: " + std::to_string(dm.day) + "/" + std::to_string(dm.month) + " is not a date");
    return date;
}

}  // namespace

Embargo embargo_at(const Date& d, int hour, int minute) {
    using namespace std::chrono;
    const auto local =
        date::local_days{date::year{d.year} / date::month{d.month} / date::day{d.day}} + hours{hour} + minutes{minute};
    const date::zoned_time<minutes> zt{date::locate_zone("Europe/London"), local, date::choose::earliest};
    const auto sys = zt.get_sys_time();
    Embargo e;
    e.until_unix = duration_cast<seconds>(sys.time_since_epoch()).count();
    e.until_utc = date::format("%Y-%m-%dT%H:%M:00Z", sys);
    e.until_uk = date::format("%Y-%m-%d %H:%M %Z", zt);
    return e;
}

EmbargoReading read_embargo_line(std::string_view line, const std::optional<Date>& base) {
    EmbargoReading out;
    const std::string low = ascii_lower(line);
    auto at = low.find("embargo");
    for (const std::string_view phrase : {"not for publication", "not for broadcast", "not to be published",
                                          "not for release", "for publication at", "for release at"})
        at = std::min(at, low.find(phrase));
    if (at == std::string::npos) return out;
    std::string_view rest = line.substr(at);
    auto clock = find_time(rest);
    auto dm = find_day_month(rest);
    if (!clock && !dm && at > 0) {
        // "00:01 Friday 23 January 2026 - EMBARGOED": the instant before the word.
        rest = line;
        clock = find_time(rest);
        dm = find_day_month(rest);
    }
    if (!clock && !dm) return out;
    Embargo unresolved;
    unresolved.line = std::string(line);
    unresolved.resolved = false;
    out.embargo = unresolved;
    if (!clock || !dm) {
        out.warnings.push_back(std::string("embargo: no ") + (clock ? "date" : "time") + " in \"" + unresolved.line +
                               "\"");
        return out;
    }
    const auto date = date_for(*dm, base, out.warnings);
    if (!date) return out;
    try {
        out.embargo = embargo_at(*date, clock->hour, clock->minute);
    } catch (const std::exception& e) {
        out.warnings.push_back(std::string("embargo: the tz database cannot place the time: ") + e.what());
        return out;
    }
    out.embargo->line = unresolved.line;
    // "00:01 GMT" on a summer date (or "BST" in winter) is not UK time that day: a human must say which.
    static const std::regex zone(R"(\b(GMT|BST|UTC)\b)", std::regex::icase);
    Match zm;
    if (std::regex_search(rest.begin(), rest.end(), zm, zone)) {
        const std::string named = ascii_lower(zm[1].str());
        const bool summer = out.embargo->until_uk.ends_with("BST");
        if ((named == "bst") != summer) {
            out.embargo->resolved = false;
            out.warnings.push_back("embargo: \"" + unresolved.line + "\" says " + zm[1].str() + " but UK time on " +
                                   date->iso() + " is " + (summer ? "BST" : "GMT") + "; not scheduled");
            return out;
        }
    }
    if (dm->weekday && *dm->weekday != weekday_of(*date)) {
        out.embargo->resolved = false;
        out.warnings.push_back("embargo: " + weekday_name(*dm->weekday) + " does not match " + date->iso() + " (a " +
                               weekday_name(weekday_of(*date)) + "); not scheduled");
    }
    return out;
}

EmbargoReading read_embargo(const Document& doc, const std::optional<Date>& base) {
    // Every embargo line in the message is read (the subject, the top, the foot): they must agree.
    std::vector<EmbargoReading> found;
    auto consider = [&](std::string_view text) {
        if (text.size() > 400 || found.size() >= 8) return;
        auto r = read_embargo_line(text, base);
        if (!r.embargo) return;
        if (r.embargo->until_unix != 0 || !r.warnings.empty()) found.push_back(std::move(r));
    };
    for (const auto& b : doc.blocks) consider(b.text);
    consider(doc.title);
    if (found.empty()) return {};
    // A line that contradicts itself (weekday, zone) stands: a human must decide.
    for (const auto& r : found)
        for (const auto& w : r.warnings)
            if (w.ends_with("not scheduled")) return r;
    const EmbargoReading* first_resolved = nullptr;
    for (const auto& r : found)
        if (r.embargo->resolved && r.warnings.empty()) {
            if (first_resolved == nullptr) {
                first_resolved = &r;
            } else if (r.embargo->until_unix != first_resolved->embargo->until_unix) {
                EmbargoReading out;
                out.embargo = Embargo{};
                out.embargo->line = first_resolved->embargo->line;
                out.embargo->resolved = false;
                out.warnings.push_back("embargo: the message gives two instants, \"" + first_resolved->embargo->line +
                                       "\" (" + first_resolved->embargo->until_uk + ") and \"" + r.embargo->line +
                                       "\" (" + r.embargo->until_uk + "); not scheduled");
                return out;
            }
        }
    if (first_resolved != nullptr) return *first_resolved;
    return found.front();
}

}  // namespace cqcwatch
