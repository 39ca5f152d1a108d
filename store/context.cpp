// The context an assessment alert carries (events/context.hpp), read from the
// store in the transaction that commits the event: the council's previous
// assessment and the region's and England's means over each council's latest
// assessment. Nothing an embargo still holds counts but the alert's own
// assessment, whose alert the same embargo holds: a figure never reaches a
// reader through another council's means before its lift.

#include <map>
#include <vector>

#include "events/context.hpp"
#include "parsers/authorities.hpp"
#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

constexpr const char* k_england_code = "E92000001";

// An assessment counts unless withdrawn or held by a pending embargo (other than `subject`).
constexpr const char* k_counts =
    "a.withdrawn = 0 AND (a.id = ?1 OR NOT EXISTS (SELECT 1 FROM embargoes em WHERE em.assessment_id = a.id "
    "AND em.status = 'pending'))";

Assessment figures_at(const Stmt& s, int first) {
    Assessment a;
    if (auto r = s.opt_text(first)) a.rating = rating_from_key(*r);
    a.stated_percentage = s.opt_real(first + 1);
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (auto v = s.opt_integer(first + 2 + static_cast<int>(i))) a.scores[i] = static_cast<int>(*v);
    return a;
}

constexpr const char* k_figures = "a.rating, a.stated_pct, a.s1, a.s2, a.s3, a.s4, a.s5, a.s6, a.s7, a.s8, a.s9";

// The council's assessment before `subject` in the history's order (published, then id).
nlohmann::json previous_of(Connection& db, std::int64_t subject, std::int64_t council_id,
                           const std::optional<std::string>& published) {
    Stmt s(db, std::string("SELECT ") + k_figures +
                   ", a.published FROM assessments a WHERE a.council_id = ?2 "
                   "AND a.id != ?1 AND " +
                   k_counts +
                   " AND CASE WHEN ?3 IS NULL OR a.published IS NULL THEN a.id < ?1 "
                   "ELSE a.published < ?3 OR (a.published = ?3 AND a.id < ?1) END "
                   "ORDER BY a.published DESC, a.id DESC LIMIT 1");
    s.bind(1, subject).bind(2, council_id).bind(3, published);
    if (!s.step()) return nullptr;
    std::optional<Date> date;
    if (auto p = s.opt_text(11)) date = parse_iso_date(*p);
    return previous_json(figures_at(s, 0), date);
}

// Each council's latest assessment, by region code ("" for a council the data places nowhere).
// One indexed look-up per council (assessments_by_council), so the cost follows the number of
// councils, not the length of the history.
std::map<std::string, std::vector<Assessment>> latest_by_region(Connection& db, std::int64_t subject) {
    Stmt s(db, std::string("SELECT c.code, ") + k_figures +
                   " FROM councils c JOIN assessments a ON a.id = (SELECT a.id FROM assessments a WHERE "
                   "a.council_id = c.id AND " +
                   k_counts + " ORDER BY a.published DESC, a.id DESC LIMIT 1)");
    s.bind(1, subject);
    std::map<std::string, std::vector<Assessment>> out;
    const Authorities& authorities = Authorities::builtin();
    while (s.step()) {
        const auto* entry = authorities.by_code(s.text(0));
        out[entry ? entry->region : std::string()].push_back(figures_at(s, 1));
    }
    return out;
}

nlohmann::json means_of(const std::map<std::string, std::vector<Assessment>>& latest, const std::string& region_code) {
    nlohmann::json context;
    std::vector<Assessment> all;
    for (const auto& [code, assessments] : latest) all.insert(all.end(), assessments.begin(), assessments.end());
    const Region* region = region_by_code(region_code);
    auto it = latest.find(region_code);
    context["region"] = region && it != latest.end() ? means_json(score_means(it->second), region->name, region->code)
                                                     : nlohmann::json(nullptr);
    context["england"] = means_json(score_means(all), "England", k_england_code);
    return context;
}

}  // namespace

namespace store_detail {

nlohmann::json alert_context(Connection& db, std::int64_t assessment_id) {
    Stmt s(db,
           "SELECT a.council_id, c.code, a.published FROM assessments a JOIN councils c ON c.id = a.council_id "
           "WHERE a.id = ?");
    s.bind(1, assessment_id);
    if (!s.step()) return nlohmann::json::object();
    const std::int64_t council_id = s.integer(0);
    const auto* entry = Authorities::builtin().by_code(s.text(1));
    nlohmann::json f;
    f["previous_assessment"] = previous_of(db, assessment_id, council_id, s.opt_text(2));
    f["first_assessment"] = f["previous_assessment"].is_null();
    f["context"] = means_of(latest_by_region(db, assessment_id), entry ? entry->region : std::string());
    return f;
}

std::string council_full_name(Connection& db, std::string_view code) {
    Stmt s(db, "SELECT COALESCE(full_name, name) FROM councils WHERE code = ?");
    s.bind(1, code);
    return s.step() ? s.text(0) : std::string();
}

void note_full_name(Connection& db, std::int64_t council_id, const AuthorityRef& a) {
    if (a.name_in_text.empty() || council_id == 0) return;
    // The fullest name CQC's texts give ("Walsall Metropolitan Borough Council" over "Walsall Council"):
    // whichever order the copies come in, the record ends with the same one.
    Stmt s(db,
           "UPDATE councils SET full_name = ?1 WHERE id = ?2 AND (full_name IS NULL OR length(full_name) < length(?1) "
           "OR (length(full_name) = length(?1) AND full_name > ?1))");
    s.bind(1, a.name_in_text).bind(2, council_id).run();
}

void add_alert_fields(Connection& db, std::string_view type, std::int64_t assessment_id, bool baseline,
                      nlohmann::json& body) {
    if (auto a = body.find("authority"); a != body.end() && a->is_object()) {
        auto code = a->find("code");
        if (code != a->end() && code->is_string())
            if (auto full = council_full_name(db, code->get<std::string>()); !full.empty()) (*a)["full_name"] = full;
    }
    const bool assessment_alert = type == event_type::assessment_published || type == event_type::assessment_updated ||
                                  type == event_type::embargo_lifted;
    // A baseline or history event is stored, never sent: no alert, no context (a big ingest stays linear).
    if (assessment_alert && assessment_id != 0 && !baseline) body.update(alert_context(db, assessment_id));
}

}  // namespace store_detail

}  // namespace cqcwatch
