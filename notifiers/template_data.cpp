#include "notifiers/template_data.hpp"

#include "events/display.hpp"
#include "events/samples.hpp"
#include "notifiers/render.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

namespace {

using nlohmann::json;

json or_false(const std::string& s) { return s.empty() ? json(false) : json(s); }

template <typename Format>
json uk(const std::string& rfc3339, Format format) {
    auto t = parse_rfc3339(rfc3339);
    if (!t) return false;
    try {
        return format(*t);
    } catch (const std::exception&) {
        return rfc3339;  // no tz database: the UTC text as it came
    }
}

std::string text_at(const json& body, const char* object, const char* key) {
    auto o = body.find(object);
    if (o == body.end() || !o->is_object()) return {};
    auto v = o->find(key);
    return v != o->end() && v->is_string() ? v->get<std::string>() : std::string();
}

std::string rating_short(const std::string& key) {
    if (key == "requires_improvement") return "RI";
    auto r = rating_from_key(key);
    return r ? std::string(to_label(*r)) : std::string();
}

json statements_of(const AlertView& v) {
    json out = json::array();
    for (const auto& s : v.scores)
        out.push_back({{"key", s.key},
                       {"name", s.statement},
                       {"theme", s.theme},
                       {"score", s.score ? json(*s.score) : json(false)},
                       {"score_text", s.text},
                       {"previous_score_text", or_false(s.previous_text)},
                       {"changed", !s.previous_text.empty()},
                       {"region_mean", or_false(s.region_mean)},
                       {"england_mean", or_false(s.england_mean)},
                       {"means_label", or_false(s.means)}});
    return out;
}

json themes_of(const json& statements) {
    json out = json::array();
    for (const auto& s : statements) {
        if (out.empty() || out.back()["name"] != s["theme"])
            out.push_back({{"name", s["theme"]}, {"statements", json::array()}});
        out.back()["statements"].push_back(s);
    }
    return out;
}

json type_flags(const std::string& type) {
    json flags = json::object();
    for (std::string_view t : sample_event_types()) {
        std::string key(t);
        for (char& c : key)
            if (c == '.') c = '_';
        flags[key] = t == type;
    }
    return flags;
}

void add_words(json& out, const Event& event, const AlertView& v) {
    const json& body = event.body;
    const std::string previous = text_at(body, "previous", "rating");
    auto prev = rating_from_key(previous);
    out["summary"] = v.summary;
    out["council"] = or_false(v.council);
    out["council_code"] = or_false(text_at(body, "authority", "code"));
    out["full_name"] = or_false(v.full_name);
    out["previous_assessment_label"] = or_false(v.previous_assessment);
    out["first_assessment_label"] = v.first_assessment ? json("First assessment") : json(false);
    out["region_name"] = or_false(v.region);
    out["mean_percentages_label"] = or_false(v.mean_percentages);
    out["withdrawn_label"] = or_false(v.withdrawn);
    out["rating_label"] = or_false(v.rating);
    out["rating_short"] = or_false(rating_short(text_at(body, "assessment", "rating")));
    out["previous_rating_label"] = prev ? json(std::string(to_label(*prev))) : json(false);
    out["rating_changed"] = !v.previous_rating.empty();
    out["percentage_label"] = or_false(v.percentage);
    const std::string until = text_at(body, "embargo", "until");
    out["embargo_uk"] = until.empty() ? json(false) : uk(until, uk_time_long);
    out["embargo_uk_short"] = until.empty() ? json(false) : uk(until, uk_time);
    out["embargo_clock"] = until.empty() ? json(false) : uk(until, uk_clock);
    out["occurred_uk"] = uk(event.occurred_at, uk_time_long);
    out["link"] = or_false(v.links.empty() ? "" : v.links.front().url);
    out["statements"] = statements_of(v);
    out["themes"] = themes_of(out["statements"]);
    out["facts"] = json::array();
    for (const auto& [label, value] : v.facts) out["facts"].push_back({{"label", label}, {"value", value}});
    out["links"] = json::array();
    for (const auto& l : v.links) out["links"].push_back({{"label", l.label}, {"url", l.url}});
    out["has_scores"] = !v.scores.empty();
    out["has_context"] = body.contains("context") && body["context"].is_object();
    out["scores_unread"] = v.scores_unread;
    out["is_test"] = event.type == event_type::test || body.value("test", false);
    out["type_is"] = type_flags(event.type);
    out["text"] = render_text(event);
    out["html"] = render_html_fragment(event);
    out["footer"] = v.footer;
}

void merge(TemplateSchema& schema, const json& j) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) merge(schema.fields[key], value);
    } else if (j.is_array()) {
        schema.list = true;
        for (const auto& item : j) merge(schema, item);
    }
}

// Fields of the contract some events carry and no sample does.
json rare_fields() {
    const json assessment = {{"unread", {""}}, {"stated_percentage", 0}};
    json means = json::object();
    for (std::size_t i = 0; i < k_statement_count; ++i) means[std::string(to_key(statement_at(i)))] = 0;
    const json area = {{"name", ""}, {"code", ""}, {"means", means}, {"percentage", 0}, {"n", 0}};
    return {{"conflicts", {{{"field", ""}, {"press_release", ""}, {"report_page", ""}}}},
            {"missing", {""}},
            {"found", ""},
            {"url", ""},
            {"detail", ""},
            {"reason", ""},
            {"message", ""},
            {"follows", {{"id", ""}, {"type", ""}}},
            {"authority", {{"name", ""}, {"code", ""}, {"full_name", ""}}},
            {"previous_assessment", {{"rating", ""}, {"percentage", 0}, {"published", ""}}},
            {"first_assessment", false},
            {"context", {{"region", area}, {"england", area}}},
            {"listing_url", ""},
            {"last_seen", ""},
            {"assessment", assessment},
            {"previous", assessment},
            {"source", {{"name", ""}, {"url", ""}, {"error", ""}, {"previous_item_count", 0}}}};
}

}  // namespace

json template_json(const Event& event) {
    json out = event.body.is_object() ? event.body : json::object();
    add_words(out, event, alert_view(event));
    return out;
}

const TemplateSchema& template_schema() {
    static const TemplateSchema schema = [] {
        TemplateSchema s;
        const auto now = std::chrono::system_clock::now();
        for (std::string_view type : sample_event_types()) merge(s, template_json(*sample_event(type, now)));
        merge(s, rare_fields());
        return s;
    }();
    return schema;
}

}  // namespace cqcwatch
