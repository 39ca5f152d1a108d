#include "events/samples.hpp"

#include <ctime>

#include "events/context.hpp"

namespace cqcwatch {

namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr const char* k_listing = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";
constexpr const char* k_press = "https://www.cqc.org.uk/press-releases";

std::string utc_text(Clock::time_point t) {
    const std::time_t s = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

Date utc_date(Clock::time_point t) {
    const std::time_t s = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    return Date{tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday)};
}

json sample_assessment(Clock::time_point now, bool online, Rating rating, Scores scores) {
    Assessment a;
    a.rating = rating;
    a.scores = scores;
    if (online) a.report_url = k_listing;
    return assessment_json(a, utc_date(now));
}

json requires_improvement(Clock::time_point now, bool online = true) {
    return sample_assessment(now, online, Rating::requires_improvement, {2, 2, 2, 2, 3, 2, 2, 2, 2});
}

json source_json(const char* error = nullptr) {
    json s{{"name", "cqc-reports"}, {"url", k_listing}};
    if (error) s["error"] = error;
    return s;
}

// What an assessment alert carries beside the figures (events/context.hpp): made-up means.
json with_context(json body, Clock::time_point now) {
    Assessment before;
    before.rating = Rating::good;
    before.scores = {3, 3, 2, 3, 3, 3, 3, 2, 3};
    const Date d = utc_date(now);
    body["previous_assessment"] = previous_json(before, Date{d.year - 2, d.month, 1});
    body["first_assessment"] = false;
    ScoreMeans region{14, {2.6, 2.5, 2.4, 2.6, 2.9, 2.5, 2.6, 2.5, 2.7}, 64.2};
    ScoreMeans england{153, {2.5, 2.5, 2.3, 2.6, 2.8, 2.5, 2.6, 2.5, 2.6}, 63.1};
    body["context"] = {{"region", means_json(region, "Test region (not real)", "E12000000")},
                       {"england", means_json(england, "England", "E92000001")}};
    return body;
}

// The body of each type beyond the fields every event has.
json body_of(std::string_view type, Clock::time_point now) {
    namespace t = event_type;
    const json council = {
        {"name", "Test Council (not real)"}, {"code", nullptr}, {"full_name", "Test Council (not real)"}};
    const std::string lift = utc_text(now + std::chrono::hours(24));
    if (type == t::assessment_published)
        return with_context({{"authority", council}, {"assessment", requires_improvement(now)}, {"embargo", nullptr}},
                            now);
    if (type == t::assessment_withdrawn)
        return {{"authority", council},     {"assessment", requires_improvement(now)},
                {"embargo", nullptr},       {"withdrawn_url", std::string(k_listing) + "/test-council-not-real"},
                {"listing_url", k_listing}, {"last_seen", utc_text(now - std::chrono::hours(1))}};
    if (type == t::assessment_updated)
        return with_context({{"authority", council},
                             {"assessment", requires_improvement(now)},
                             {"previous", sample_assessment(now, true, Rating::good, {3, 2, 2, 3, 3, 2, 3, 2, 2})},
                             {"embargo", nullptr}},
                            now);
    if (type == t::embargo_scheduled || type == t::embargo_lifted) {
        const bool lifted = type == t::embargo_lifted;
        json body = {{"authority", council},
                     {"assessment", requires_improvement(now, false)},
                     {"embargo", {{"until", lifted ? utc_text(now) : lift}, {"press_release_url", k_press}}}};
        return lifted ? with_context(std::move(body), now) : body;
    }
    if (type == t::source_failing)
        return {{"source", source_json("HTTP 503 from https://www.cqc.org.uk/care-services/"
                                       "local-authority-assessment-reports (a sample error)")}};
    if (type == t::source_recovered) return {{"source", source_json()}};
    if (type == t::parser_suspect)
        return {{"source", {{"name", "cqc-reports"}, {"url", k_listing}, {"previous_item_count", 12}}},
                {"reason", "listing cqc-reports yielded no items (it yielded 12 last time); nothing withdrawn"}};
    if (type == t::parser_recovered)
        return {{"source", source_json()}, {"reason", "listing cqc-reports yields items again"}};
    return {{"message", "This is a test alert from cqcwatch notify-test; no council was assessed."},
            {"authority", council},
            {"assessment", requires_improvement(now)},
            {"embargo", nullptr}};
}

}  // namespace

const std::vector<std::string_view>& sample_event_types() {
    namespace t = event_type;
    static const std::vector<std::string_view> types{t::assessment_published, t::assessment_updated,
                                                     t::assessment_withdrawn, t::embargo_scheduled,
                                                     t::embargo_lifted,       t::source_failing,
                                                     t::source_recovered,     t::parser_suspect,
                                                     t::parser_recovered,     t::test};
    return types;
}

std::optional<Event> sample_event(std::string_view type, Clock::time_point now) {
    bool known = false;
    for (auto t : sample_event_types()) known = known || t == type;
    if (!known) return std::nullopt;
    Event e;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    e.type = std::string(type);
    e.id = "evt_test_" + std::to_string(ms) + (type == event_type::test ? "" : "_" + std::string(type));
    e.occurred_at = utc_text(now);
    e.body = body_of(type, now);
    e.body["schema"] = "cqcwatch.event.v1";
    e.body["id"] = e.id;
    e.body["type"] = e.type;
    e.body["occurred_at"] = e.occurred_at;
    e.body["test"] = true;
    return e;
}

}  // namespace cqcwatch
