// Means are over what is known: a council whose page gave no safeguarding score
// still counts towards the other eight means, and each mean says how many it
// is over (n), so a reader can tell 2.4 of 14 councils from 2.4 of 3.

#include "events/means.hpp"

#include <algorithm>
#include <cmath>

#include "parsers/authorities.hpp"
#include "parsers/geography.hpp"

namespace cqcwatch {

namespace {

std::string_view region_code_of(std::string_view code) {
    const auto* e = Authorities::builtin().by_code(code);
    return e ? std::string_view(e->region) : std::string_view();
}

nlohmann::json rounded(const std::optional<double>& v, double scale) {
    if (!v) return nullptr;
    return std::round(*v * scale) / scale;
}

}  // namespace

Means means_of(const std::vector<const Assessment*>& assessments) {
    Means m;
    std::array<double, k_statement_count> sum{};
    double pct_sum = 0;
    for (const Assessment* a : assessments) {
        ++m.councils;
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            if (!a->scores[i] || *a->scores[i] < 1 || *a->scores[i] > 4) continue;  // never trust an odd score
            sum[i] += *a->scores[i];
            ++m.score_n[i];
        }
        if (auto pct = a->percentage()) pct_sum += *pct, ++m.percentage_n;
    }
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (m.score_n[i]) m.score[i] = sum[i] / static_cast<double>(m.score_n[i]);
    if (m.percentage_n) m.percentage = pct_sum / static_cast<double>(m.percentage_n);
    return m;
}

AreaMeans area_means(std::string_view council_code, const std::vector<CouncilAssessment>& latest) {
    AreaMeans out;
    const std::string_view region = region_code_of(council_code);
    if (const Region* r = region_by_code(region)) out.region = r->name, out.region_code = r->code;
    std::vector<const Assessment*> all, in_region;
    for (const auto& c : latest) {
        all.push_back(c.assessment);
        if (!region.empty() && region_code_of(c.code) == region) in_region.push_back(c.assessment);
    }
    out.england = means_of(all);
    out.in_region = means_of(in_region);
    return out;
}

std::optional<RegionRank> region_rank(std::string_view council_code, const std::vector<CouncilAssessment>& latest) {
    const std::string_view region = region_code_of(council_code);
    const Region* r = region_by_code(region);
    if (!r) return std::nullopt;
    std::optional<int> own;
    for (const auto& c : latest)
        if (c.code == council_code) own = c.assessment->percentage();
    if (!own) return std::nullopt;
    RegionRank out;
    out.region = std::string(r->name);
    std::size_t above = 0;
    for (const auto& c : latest) {
        auto pct = c.assessment->percentage();
        if (!pct || region_code_of(c.code) != region) continue;
        ++out.of;
        if (*pct > *own) ++above;
        if (*pct == *own) ++out.tied;
    }
    out.rank = above + 1;
    return out;
}

std::string ordinal(std::size_t n) {
    const char* suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1) suffix = "st";
        if (n % 10 == 2) suffix = "nd";
        if (n % 10 == 3) suffix = "rd";
    }
    return std::to_string(n) + suffix;
}

std::string rank_text(const RegionRank& r) {
    return (r.tied > 1 ? "=" : "") + ordinal(r.rank) + " of " + std::to_string(r.of) + " in " + r.region;
}

nlohmann::json means_json(const Means& m) {
    nlohmann::json statements = nlohmann::json::array();
    for (std::size_t i = 0; i < k_statement_count; ++i)
        statements.push_back({{"statement", to_key(statement_at(i))},
                              {"theme", to_key(theme_of(statement_at(i)))},
                              {"mean", rounded(m.score[i], 100)},
                              {"n", m.score_n[i]}});
    return {{"councils", m.councils},
            {"percentage", {{"mean", rounded(m.percentage, 10)}, {"n", m.percentage_n}}},
            {"statements", statements}};
}

}  // namespace cqcwatch
