// `cqcwatch show AUTHORITY`: one council — every assessment with its scores
// by theme, what changed between assessments, and every recorded change.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct ShowOptions {
    std::string authority;
    std::string format = "text";
    std::string database;
};

std::string score_text(const std::optional<int>& s) { return s ? std::to_string(*s) : "-"; }

void print_scores_by_theme(const Scores& scores) {
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            std::cout << "    " << to_label(*theme) << "\n";
        }
        std::string label(to_label(s));
        std::cout << "      " << label << std::string(label.size() < 44 ? 44 - label.size() : 1, ' ')
                  << score_text(scores[i]) << "\n";
    }
}

void print_assessment(const StoredAssessment& a) {
    const Assessment& v = a.assessment;
    std::cout << "  " << (a.published ? a.published->iso() : "date unknown") << "  "
              << (v.rating ? to_label(*v.rating) : "rating unknown") << "  " << percentage_text(v);
    if (v.indicative) std::cout << "  (indicative)";
    if (a.withdrawn) std::cout << "  [withdrawn]";
    if (auto mark = embargo_mark(a); !mark.empty()) std::cout << "  " << mark;
    if (!a.conflicts.empty()) std::cout << "  [conflict]";
    std::cout << "\n";
    if (v.report_url) std::cout << "    Report: " << *v.report_url << "\n";
    if (a.press_release_url) std::cout << "    Press release: " << *a.press_release_url << "\n";
    if (auto from = sources_text(a); !from.empty()) std::cout << "    Sources: " << from << "\n";
    if (auto note = conflict_note(a); !note.empty()) std::cout << "    Conflict: " << note << "\n";
    print_scores_by_theme(v.scores);
}

// What differs from the previous assessment: the rating and each score.
std::string differences(const StoredAssessment& older, const StoredAssessment& newer) {
    std::string out;
    auto add = [&out](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
    const Assessment& o = older.assessment;
    const Assessment& n = newer.assessment;
    if (o.rating != n.rating && o.rating && n.rating)
        add(std::string("rating ") + std::string(to_label(*o.rating)) + " -> " + std::string(to_label(*n.rating)));
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (o.scores[i] && n.scores[i] && o.scores[i] != n.scores[i])
            add(std::string(to_label(statement_at(i))) + " " + score_text(o.scores[i]) + " -> " +
                score_text(n.scores[i]));
    return out.empty() ? "no change in rating or scores" : out;
}

void print_changes(const CouncilView& v) {
    bool header = false;
    for (const auto& c : v.changes) {
        if (c.kind == "created") continue;
        if (!header) std::cout << "\nRecorded changes:\n", header = true;
        std::cout << "  " << utc_time(c.changed_at) << "  " << c.kind << " (assessment " << c.assessment_id << ", from "
                  << c.source << ")\n";
    }
}

void print_view(const CouncilView& v) {
    std::size_t n = v.assessments.size();
    std::cout << v.authority.name << " (" << v.authority.code << "): " << n << " assessment" << (n == 1 ? "" : "s")
              << "\n";
    for (std::size_t i = 0; i < n; ++i) {
        std::cout << "\n";
        print_assessment(v.assessments[i]);
        if (i + 1 < n)
            std::cout << "    Since the previous one: " << differences(v.assessments[i + 1], v.assessments[i]) << "\n";
    }
    for (const auto& e : v.embargoes)
        std::cout << "\nEmbargo " << e.status << ": "
                  << (e.embargo.resolved ? uk_time(TimePoint(std::chrono::seconds(e.embargo.until_unix)))
                                         : e.embargo.line)
                  << "\n";
    print_changes(v);
}

nlohmann::json view_json(const CouncilView& v) {
    nlohmann::json j{{"authority", authority_json(v.authority)},
                     {"assessments", nlohmann::json::array()},
                     {"changes", nlohmann::json::array()}};
    for (const auto& a : v.assessments) j["assessments"].push_back(assessment_record_json(a));
    for (const auto& c : v.changes)
        j["changes"].push_back({{"assessment_id", c.assessment_id},
                                {"changed_at", rfc3339(c.changed_at)},
                                {"kind", c.kind},
                                {"source", c.source},
                                {"previous", c.previous},
                                {"current", c.current}});
    return j;
}

int run_show(const ShowOptions& o, const GlobalOptions& global) {
    if (o.format != "text" && o.format != "json")
        throw UsageError("--format: expected text or json, got '" + o.format + "'");
    AuthorityRef who = resolve_authority_or_throw(o.authority);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    CouncilView v = value_or_throw(store.council(who));
    if (o.format == "json")
        std::cout << view_json(v).dump(2) << "\n";
    else
        print_view(v);
    return 0;
}

}  // namespace

CommandRun setup_show(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ShowOptions>();
    sub.footer(
        "One council: every assessment stored, its nine scores by theme, what changed between "
        "assessments and every recorded change. AUTHORITY is any name CQC uses or the ONS code; an "
        "unknown name exits 2 with the closest names.");
    sub.add_option("AUTHORITY", o->authority, "Council name or ONS code")->required();
    sub.add_option("--format", o->format, "text (default) or json");
    add_database_option(sub, o->database);
    return [o, &global] { return run_show(*o, global); };
}

}  // namespace cqcwatch
