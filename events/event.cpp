#include "events/event.hpp"

namespace cqcwatch {

nlohmann::json assessment_json(const Assessment& a, const std::optional<Date>& published) {
    nlohmann::json scores = nlohmann::json::array();
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Statement s = statement_at(i);
        nlohmann::json score = nullptr;
        if (a.scores[i]) score = *a.scores[i];
        scores.push_back({{"statement", to_key(s)}, {"theme", to_key(theme_of(s))}, {"score", score}});
    }
    nlohmann::json out;
    out["rating"] = a.rating ? nlohmann::json(to_key(*a.rating)) : nlohmann::json(nullptr);
    out["indicative"] = a.indicative;
    auto pct = a.percentage();
    out["percentage"] = pct ? nlohmann::json(*pct) : nlohmann::json(nullptr);
    auto basis = a.percentage_basis();
    out["percentage_basis"] = basis ? nlohmann::json(to_key(*basis)) : nlohmann::json(nullptr);
    out["scores"] = std::move(scores);
    out["report_url"] = a.report_url ? nlohmann::json(*a.report_url) : nlohmann::json(nullptr);
    out["published"] = published ? nlohmann::json(published->iso()) : nlohmann::json(nullptr);
    if (!a.unread.empty()) out["unread"] = a.unread;  // only when a page no longer reads: old bodies unchanged
    return out;
}

nlohmann::json authority_json(const std::optional<AuthorityRef>& a) {
    if (!a) return nullptr;
    nlohmann::json out{{"name", a->name},
                       {"code", a->code.empty() ? nlohmann::json(nullptr) : nlohmann::json(a->code)}};
    return out;
}

std::string event_about(const Event& e) {
    auto name_in = [&e](const char* key) -> std::string {
        auto it = e.body.is_object() ? e.body.find(key) : e.body.end();
        if (!e.body.is_object() || it == e.body.end() || !it->is_object()) return {};
        auto n = it->find("name");
        return n != it->end() && n->is_string() ? n->get<std::string>() : std::string();
    };
    if (auto council = name_in("authority"); !council.empty()) return " (" + council + ")";
    if (auto source = name_in("source"); !source.empty()) return " (source " + source + ")";
    return {};
}

}  // namespace cqcwatch
