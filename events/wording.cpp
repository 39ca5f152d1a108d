#include "events/wording.hpp"

#include "parsers/model.hpp"

namespace cqcwatch {

std::string field_label(std::string_view key) {
    if (key == "rating") return "Rating";
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (to_key(statement_at(i)) == key) return std::string(to_label(statement_at(i)));
    return std::string(key);
}

std::string out_of_4(int score) { return std::to_string(score) + "/4"; }

std::string fields_text(const nlohmann::json& keys) {
    std::string out;
    if (!keys.is_array()) return out;
    for (const auto& k : keys)
        if (k.is_string()) out += (out.empty() ? "" : "; ") + field_label(k.get<std::string>());
    return out;
}

namespace {

std::string value_text(const std::string& field, const nlohmann::json& v) {
    if (field == "rating" && v.is_string())
        if (auto r = rating_from_key(v.get<std::string>())) return std::string(to_label(*r));
    return v.is_number_integer() ? out_of_4(v.get<int>()) : v.dump();
}

}  // namespace

std::string conflicts_text(const nlohmann::json& conflicts) {
    std::string out;
    if (!conflicts.is_array()) return out;
    for (const auto& c : conflicts) {
        if (!c.is_object()) continue;
        const std::string field = c.value("field", std::string());
        out += (out.empty() ? "" : "; ") + field_label(field) + ": " +
               value_text(field, c.value("press_release", nlohmann::json())) + " in the press release, " +
               value_text(field, c.value("report_page", nlohmann::json())) + " on the report page";
    }
    return out;
}

}  // namespace cqcwatch
