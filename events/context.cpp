#include "events/context.hpp"

#include <cmath>
#include <cstdio>

#include "events/display.hpp"

namespace cqcwatch {

namespace {

using nlohmann::json;

json rounded(const std::optional<double>& v) {
    if (!v) return nullptr;
    return std::round(*v * 100.0) / 100.0;
}

const json* object_at(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? &*it : nullptr;
}

std::optional<double> number_at(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

std::string area_name(const json& area) {
    auto it = area.find("name");
    return it != area.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "West Midlands 61.2% (14 councils)" for one area of the context, or "" without a percentage.
std::string area_percentage(const json* area) {
    if (!area) return {};
    auto pct = number_at(*area, "percentage");
    if (!pct) return {};
    const auto n = area->value("n", 0);
    return area_name(*area) + " " + percent_text(*pct) + " (" + std::to_string(n) +
           (n == 1 ? " council)" : " councils)");
}

std::optional<double> area_score(const json* area, std::size_t index) {
    const json* means = area ? object_at(*area, "means") : nullptr;
    if (!means) return std::nullopt;
    return number_at(*means, to_key(statement_at(index)).data());
}

}  // namespace

ScoreMeans score_means(std::span<const Assessment> assessments) {
    ScoreMeans m;
    std::array<double, k_statement_count> sum{};
    std::array<std::size_t, k_statement_count> known{};
    double pct_sum = 0;
    std::size_t pct_known = 0;
    for (const Assessment& a : assessments) {
        ++m.n;
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            if (!a.scores[i] || *a.scores[i] < 1 || *a.scores[i] > 4) continue;
            sum[i] += *a.scores[i];
            ++known[i];
        }
        if (auto pct = a.percentage()) pct_sum += *pct, ++pct_known;
    }
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (known[i]) m.scores[i] = sum[i] / static_cast<double>(known[i]);
    if (pct_known) m.percentage = pct_sum / static_cast<double>(pct_known);
    return m;
}

json means_json(const ScoreMeans& m, std::string_view name, std::string_view code) {
    json means = json::object();
    for (std::size_t i = 0; i < k_statement_count; ++i)
        means[std::string(to_key(statement_at(i)))] = rounded(m.scores[i]);
    return {
        {"name", name}, {"code", code}, {"means", std::move(means)}, {"percentage", rounded(m.percentage)}, {"n", m.n}};
}

json previous_json(const Assessment& a, const std::optional<Date>& published) {
    const auto pct = a.percentage();
    return {{"rating", a.rating ? json(to_key(*a.rating)) : json(nullptr)},
            {"percentage", pct ? json(*pct) : json(nullptr)},
            {"published", published ? json(published->iso()) : json(nullptr)}};
}

std::string date_text(const Date& d) {
    static constexpr const char* k_months[] = {"January", "February", "March",     "April",   "May",      "June",
                                               "July",    "August",   "September", "October", "November", "December"};
    if (d.month < 1 || d.month > 12) return d.iso();
    return std::to_string(d.day) + " " + k_months[d.month - 1] + " " + std::to_string(d.year);
}

std::string mean_score_text(const std::optional<double>& mean) {
    if (!mean) return {};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", std::round(*mean * 10.0) / 10.0);
    return buf;
}

std::string previous_assessment_text(const json& body) {
    if (!body.is_object()) return {};
    if (const json* p = object_at(body, "previous_assessment")) {
        auto r = p->find("rating");
        auto rating = r != p->end() && r->is_string() ? rating_from_key(r->get<std::string>()) : std::nullopt;
        std::string out = rating ? std::string(to_label(*rating)) : std::string("rating not known");
        std::string detail;
        if (auto pct = number_at(*p, "percentage")) detail = percentage_text(*pct);
        auto d = p->find("published");
        if (d != p->end() && d->is_string())
            if (auto date = parse_iso_date(d->get<std::string>()))
                detail += (detail.empty() ? "" : ", ") + date_text(*date);
        return detail.empty() ? out : out + " (" + detail + ")";
    }
    return body.value("first_assessment", false) ? "none (first assessment)" : "";
}

std::string context_percentage_text(const json& body) {
    const json* c = object_at(body, "context");
    if (!c) return {};
    std::string region = area_percentage(object_at(*c, "region"));
    std::string england = area_percentage(object_at(*c, "england"));
    if (region.empty() || england.empty()) return region.empty() ? england : region;
    return region + ", " + england;
}

std::optional<double> context_score_mean(const json& body, const char* area, std::size_t index) {
    const json* c = object_at(body, "context");
    return c ? area_score(object_at(*c, area), index) : std::nullopt;
}

std::string context_score_text(const json& body, std::size_t index) {
    const json* c = object_at(body, "context");
    if (!c) return {};
    std::string out;
    for (const char* key : {"region", "england"}) {
        const json* area = object_at(*c, key);
        if (auto mean = area_score(area, index))
            out += out.empty() ? area_name(*area) + " mean " + mean_score_text(mean)
                               : ", " + area_name(*area) + " " + mean_score_text(mean);
    }
    return out;
}

std::string context_region_name(const json& body) {
    const json* c = object_at(body, "context");
    const json* region = c ? object_at(*c, "region") : nullptr;
    return region ? area_name(*region) : std::string();
}

}  // namespace cqcwatch
