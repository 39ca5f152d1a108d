// Counting is plain: one pass over the rows; a score outside 1–4 (which the
// parsers never produce) is left out rather than trusted.

#include "cli/national.hpp"

#include <chrono>
#include <cstdio>

namespace cqcwatch {

std::optional<double> Picture::share(Rating r) const {
    if (councils == 0) return std::nullopt;
    return static_cast<double>(ratings[static_cast<std::size_t>(r)]) / static_cast<double>(councils);
}

bool under_embargo(const StoredAssessment& a) {
    return a.embargo_until && *a.embargo_until > std::chrono::system_clock::now();
}

std::vector<CouncilAssessment> public_assessments(const std::vector<SelectedRow>& rows) {
    std::vector<CouncilAssessment> out;
    for (const auto& row : rows)
        if (!under_embargo(row.current)) out.push_back({row.current.authority.code, &row.current.assessment});
    return out;
}

Picture picture_of(const std::vector<SelectedRow>& rows) {
    Picture p;
    std::vector<const Assessment*> counted;
    for (const auto& row : rows) {
        const Assessment& a = row.current.assessment;
        if (under_embargo(row.current)) {
            ++p.embargoed;  // not public yet: it must not move the national figures
            continue;
        }
        ++p.councils;
        counted.push_back(&a);
        if (a.rating) ++p.ratings[static_cast<std::size_t>(*a.rating)];
        for (std::size_t i = 0; i < k_statement_count; ++i)
            if (a.scores[i] && *a.scores[i] >= 1 && *a.scores[i] <= 4)
                ++p.scores[i][static_cast<std::size_t>(*a.scores[i] - 1)];
    }
    p.means = means_of(counted);
    p.mean = p.means.score;
    p.mean_percentage = p.means.percentage;
    return p;
}

namespace {

nlohmann::json rounded(const std::optional<double>& v, double scale) {
    if (!v) return nullptr;
    return static_cast<double>(static_cast<long long>(*v * scale + 0.5)) / scale;
}

}  // namespace

nlohmann::json picture_json(const Picture& p) {
    nlohmann::json ratings = nlohmann::json::object();
    for (Rating r : k_ratings)
        ratings[std::string(to_key(r))] = {{"count", p.ratings[static_cast<std::size_t>(r)]},
                                           {"share", rounded(p.share(r), 1000)}};
    nlohmann::json statements = nlohmann::json::array();
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        nlohmann::json dist = nlohmann::json::object();
        for (std::size_t s = 0; s < 4; ++s) dist[std::to_string(s + 1)] = p.scores[i][s];
        statements.push_back({{"statement", to_key(statement_at(i))},
                              {"theme", to_key(theme_of(statement_at(i)))},
                              {"mean", rounded(p.mean[i], 100)},
                              {"n", p.means.score_n[i]},
                              {"scores", dist}});
    }
    return {{"councils", p.councils},
            {"embargoed", p.embargoed},
            {"ratings", ratings},
            {"statements", statements},
            {"mean_percentage", rounded(p.mean_percentage, 10)},
            {"percentage_n", p.means.percentage_n}};
}

std::string mean_text(const std::optional<double>& m) {
    if (!m) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", *m);
    return buf;
}

}  // namespace cqcwatch
