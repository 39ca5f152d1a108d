#include "notifiers/render.hpp"

#include <algorithm>

#include "events/context.hpp"
#include "events/display.hpp"
#include "events/wording.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

namespace {

using nlohmann::json;

std::string str_at(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* obj_at(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? &*it : nullptr;
}

// The embargo instant in UK time, or nullopt when unparsable or without a tz database (the caller
// then shows the UTC text as it came).
template <typename Format>
std::optional<std::string> in_uk(std::string_view rfc3339_utc, Format format) {
    auto tp = parse_rfc3339(rfc3339_utc);
    if (!tp) return std::nullopt;
    try {
        return format(*tp);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string council_of(const json& body) {
    std::string name;
    if (const json* a = obj_at(body, "authority")) name = str_at(*a, "name");
    return name.empty() ? "an unknown council" : name;
}

constexpr const char* k_not_read = "not read - see the report";

// A page that no longer reads says so ("unread"), so a missing value is never shown as data.
bool unread(const json& assessment, std::string_view key) {
    auto it = assessment.find("unread");
    if (it == assessment.end() || !it->is_array()) return false;
    return std::any_of(it->begin(), it->end(),
                       [&](const json& k) { return k.is_string() && k.get<std::string>() == key; });
}

bool any_score_unread(const json& assessment) {
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (unread(assessment, to_key(statement_at(i)))) return true;
    return false;
}

std::string rating_label(const json& assessment) {
    auto key = str_at(assessment, "rating");
    auto r = rating_from_key(key);
    if (!r && unread(assessment, "rating")) return std::string("rating ") + k_not_read;
    return r ? std::string(to_label(*r)) : std::string("no rating");
}

std::string score_line(const json& assessment, std::size_t i, std::optional<int> score) {
    if (score) return out_of_4(*score);
    return unread(assessment, to_key(statement_at(i))) ? k_not_read : "not stated";
}

std::string percent_of(const json& assessment) {
    auto it = assessment.find("percentage");
    if (it == assessment.end() || !it->is_number()) return {};
    return percentage_text(it->get<double>());
}

// "Walsall rated Requires improvement (53%)"; for an update that changed the rating,
// "Walsall rated Requires improvement (was Good), 53%".
std::string previous_rating(const json& body);

std::string rated_line(const json& body) {
    std::string line = council_of(body);
    const json* a = obj_at(body, "assessment");
    if (!a) return line + " assessed";
    if (!rating_from_key(str_at(*a, "rating")) && unread(*a, "rating")) return line + ": rating " + k_not_read;
    bool indicative = a->value("indicative", false);
    line += indicative ? " indicatively rated " : " rated ";
    line += rating_label(*a);
    auto was = previous_rating(body);
    if (!was.empty()) line += " (was " + was + ")";
    if (auto pct = percent_of(*a); !pct.empty()) line += was.empty() ? " (" + pct + ")" : ", " + pct;
    return line;
}

std::optional<int> score_at(const json& assessment, std::size_t i) {
    auto it = assessment.find("scores");
    if (it == assessment.end() || !it->is_array() || i >= it->size()) return std::nullopt;
    const json& s = (*it)[i].is_object() ? (*it)[i]["score"] : (*it)[i];
    return s.is_number_integer() ? std::optional<int>(s.get<int>()) : std::nullopt;
}

std::string score_text(std::optional<int> s) { return s ? out_of_4(*s) : "?"; }

// The rating an update replaced ("Good"), or empty when the update left it as it was.
std::string previous_rating(const json& body) {
    const json* now = obj_at(body, "assessment");
    const json* before = obj_at(body, "previous");
    if (!now || !before || str_at(*now, "rating") == str_at(*before, "rating")) return {};
    return rating_label(*before);
}

// "rating Good→Requires improvement, Safeguarding 2/4→3/4"; without the rating when with_rating is false.
std::string changes_line(const json& body, bool with_rating = true) {
    const json* now = obj_at(body, "assessment");
    const json* before = obj_at(body, "previous");
    if (!now || !before) return {};
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (with_rating && str_at(*now, "rating") != str_at(*before, "rating"))
        add("rating " + rating_label(*before) + "→" + rating_label(*now));
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        auto was = score_at(*before, i), is = score_at(*now, i);
        if (was != is) add(std::string(to_label(statement_at(i))) + " " + score_text(was) + "→" + score_text(is));
    }
    return out;
}

std::string embargo_until(const json& body) {
    const json* e = obj_at(body, "embargo");
    return e ? str_at(*e, "until") : std::string();
}

// The conflicts and the unread fields of a parser.suspect body, in words.
std::string conflicts_line(const json& body) {
    auto it = body.find("conflicts");
    return it == body.end() ? std::string() : conflicts_text(*it);
}
std::string missing_line(const json& body) {
    auto it = body.find("missing");
    return it == body.end() ? std::string() : fields_text(*it);
}

bool follows_lift(const json& body) { return obj_at(body, "follows") != nullptr; }

// The name CQC's pages give the council ("Walsall Metropolitan Borough Council"), else its short name.
std::string full_name_of(const json& body) {
    const json* a = obj_at(body, "authority");
    auto full = a ? str_at(*a, "full_name") : std::string();
    return full.empty() ? council_of(body) : full;
}

// "taken down from CQC's site (last on its listing Fri 23 Jan 2026 00:01 GMT)".
std::string withdrawn_text(const json& body) {
    std::string out = "taken down from CQC's site";
    auto seen = str_at(body, "last_seen");
    if (seen.empty()) return out;
    return out + " (last on its listing " + in_uk(seen, uk_time).value_or(seen) + ")";
}

std::string source_name(const json& body) {
    const json* s = obj_at(body, "source");
    std::string name = s ? str_at(*s, "name") : std::string();
    return name.empty() ? "a source" : "source " + name;
}

std::string with_detail(std::string line, const std::string& detail) {
    return detail.empty() ? line : line + ": " + detail;
}

std::string summary_for_type(const std::string& type, const json& body) {
    namespace t = event_type;
    if (type == t::embargo_lifted) {
        auto when = in_uk(embargo_until(body), uk_clock);
        return "CQC: " + rated_line(body) + " (embargo lifted" + (when ? " " + *when : "") + ")" +
               (conflicts_line(body).empty() ? "" : " - the report page differs");
    }
    if (type == t::assessment_published && follows_lift(body))
        return "CQC: the " + council_of(body) + " report is now online";
    if (type == t::embargo_scheduled) {
        auto when = in_uk(embargo_until(body), uk_time_long);
        return "CQC: embargoed result for " + council_of(body) + " due " + when.value_or(embargo_until(body));
    }
    if (type == t::assessment_updated) {
        // The rating change is in the headline ("(was Good)"); the scores that moved follow it.
        auto changed = changes_line(body, false);
        if (changed.empty()) return "CQC: " + rated_line(body) + (previous_rating(body).empty() ? " (updated)" : "");
        return "CQC: " + rated_line(body) + " changed: " + changed;
    }
    if (type == t::assessment_withdrawn)
        return "CQC: " + council_of(body) + " assessment report withdrawn from CQC's site";
    const json* src = obj_at(body, "source");
    if (type == t::source_failing)
        return with_detail("cqcwatch: " + source_name(body) + " failing", src ? str_at(*src, "error") : "");
    if (type == t::source_recovered) return "cqcwatch: " + source_name(body) + " recovered";
    auto detail = str_at(body, "reason").empty() ? str_at(body, "detail") : str_at(body, "reason");
    if (type == t::parser_suspect) {
        // A doubt about one council's report names the council; a listing's, the source.
        std::string about = obj_at(body, "authority") ? council_of(body) : source_name(body);
        return with_detail("cqcwatch: needs a look: " + about, detail);
    }
    if (type == t::parser_recovered) return with_detail("cqcwatch: parser recovered on " + source_name(body), detail);
    if (type == t::test)
        return "[TEST] " + (obj_at(body, "assessment") ? "CQC: " + rated_line(body) : "cqcwatch test alert");
    return "CQC: " + rated_line(body);
}

struct Link {
    std::string label;
    std::string url;
};

// A withdrawn report's page is gone: its alert links the listing it was on instead.
std::vector<Link> links_of(const Event& event) {
    const json& body = event.body;
    std::vector<Link> out;
    if (event.type == event_type::assessment_withdrawn) {
        if (auto u = str_at(body, "listing_url"); !u.empty()) out.push_back({"CQC's assessment reports", u});
    } else if (const json* a = obj_at(body, "assessment")) {
        if (auto u = str_at(*a, "report_url"); !u.empty()) out.push_back({"Report", u});
    }
    if (const json* e = obj_at(body, "embargo"))
        if (auto u = str_at(*e, "press_release_url"); !u.empty()) out.push_back({"Press release", u});
    if (const json* s = obj_at(body, "source"))
        if (auto u = str_at(*s, "url"); !u.empty()) out.push_back({"Source", u});
    return out;
}

// Label/value lines shown above the scores, in both bodies.
std::vector<std::pair<std::string, std::string>> facts_of(const Event& event) {
    const json& body = event.body;
    std::vector<std::pair<std::string, std::string>> out;
    if (const json* a = obj_at(body, "authority")) {
        auto code = str_at(*a, "code");
        out.emplace_back("Council", full_name_of(body) + (code.empty() ? "" : " (" + code + ")"));
    }
    if (const json* a = obj_at(body, "assessment")) {
        auto pct = percent_of(*a);
        auto was = previous_rating(body);
        out.emplace_back("Rating", rating_label(*a) + (pct.empty() ? "" : " (" + pct + ")") +
                                       (a->value("indicative", false) ? ", indicative" : "") +
                                       (was.empty() ? "" : ", was " + was));
        if (auto p = str_at(*a, "published"); !p.empty()) out.emplace_back("Published", p);
    }
    if (auto prev = previous_assessment_text(body); !prev.empty()) out.emplace_back("Previously", prev);
    if (auto means = context_percentage_text(body); !means.empty()) out.emplace_back("Mean percentage", means);
    if (event.type == event_type::assessment_withdrawn) out.emplace_back("Report page", withdrawn_text(body));
    if (auto until = embargo_until(body); !until.empty()) {
        auto label = event.type == event_type::embargo_scheduled ? "Embargoed until" : "Embargo lifted";
        out.emplace_back(label, in_uk(until, uk_time_long).value_or(until));
    }
    if (auto conflicts = conflicts_line(body); !conflicts.empty()) out.emplace_back("Report page differs", conflicts);
    if (auto changed = changes_line(body); !changed.empty()) out.emplace_back("Changed", changed);
    if (const json* s = obj_at(body, "source"))
        if (auto err = str_at(*s, "error"); !err.empty()) out.emplace_back("Error", err);
    if (auto detail = str_at(body, "detail"); !detail.empty()) out.emplace_back("Detail", detail);
    if (event.type == event_type::parser_suspect || event.type == event_type::parser_recovered) {
        // Where, beside the summary's what: the page, what it no longer gives, what it still gave.
        if (auto u = str_at(body, "url"); !u.empty()) out.emplace_back("Page", u);
        if (auto m = missing_line(body); !m.empty()) out.emplace_back("Not read", m);
        if (auto f = str_at(body, "found"); !f.empty()) out.emplace_back("Found on the page", f);
        if (const json* s = obj_at(body, "source"))
            if (auto n = str_at(*s, "name"); !n.empty()) {
                auto it = s->find("previous_item_count");
                out.emplace_back("Source", n + (it != s->end() && it->is_number_integer()
                                                    ? " (" + std::to_string(it->get<long long>()) + " items last time)"
                                                    : ""));
            }
    }
    return out;
}

std::string footer_of(const Event& event) {
    return "Event " + event.id + " (" + event.type + ") at " + event.occurred_at;
}

void text_scores(std::string& out, const json& body, const json& assessment) {
    if (any_score_unread(assessment)) out += "\nScores not read - see the report\n";
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            out += "\n" + std::string(to_label(*theme)) + "\n";
        }
        auto score = score_at(assessment, i);
        auto means = context_score_text(body, i);
        out += "  " + std::string(to_label(s)) + ": " + score_line(assessment, i, score) +
               (means.empty() ? "" : " (" + means + ")") + "\n";
    }
}

void html_scores(std::string& out, const json& body, const json& assessment) {
    if (any_score_unread(assessment)) out += "<p><strong>Scores not read - see the report</strong></p>\n";
    out += "<table>\n";
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            out += std::string("<tr><th colspan=\"") + (obj_at(body, "context") ? "3" : "2") +
                   "\" style=\"text-align:left\">" + html_escape(to_label(*theme)) + "</th></tr>\n";
        }
        auto score = score_at(assessment, i);
        auto means = context_score_text(body, i);
        out += "<tr><td>" + html_escape(to_label(s)) + "</td><td>" + score_line(assessment, i, score) + "</td>" +
               (means.empty() ? "" : "<td>" + html_escape(means) + "</td>") + "</tr>\n";
    }
    out += "</table>\n";
}

}  // namespace

std::string slack_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string render_summary(const Event& event) {
    // A sample of another type (notify-test --event) says it is a test as plainly as the test event.
    const bool sample = event.type != event_type::test && event.body.is_object() && event.body.value("test", false);
    return (sample ? "[TEST] " : "") + summary_for_type(event.type, event.body);
}

std::string render_link(const Event& event) {
    auto links = links_of(event);
    return links.empty() ? std::string() : links.front().url;
}

std::string render_text(const Event& event) {
    std::string out = render_summary(event) + "\n\n";
    for (const auto& [label, value] : facts_of(event)) out += label + ": " + value + "\n";
    if (const json* a = obj_at(event.body, "assessment")) text_scores(out, event.body, *a);
    auto links = links_of(event);
    if (!links.empty()) out += "\n";
    for (const auto& l : links) out += l.label + ": " + l.url + "\n";
    out += "\n" + footer_of(event) + "\n";
    return out;
}

std::string render_html(const Event& event) {
    std::string summary = html_escape(render_summary(event));
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + summary +
           "</title></head>\n<body>\n<h1>" + summary + "</h1>\n" + render_html_fragment(event) + "</body></html>\n";
}

std::string render_html_fragment(const Event& event) {
    std::string out = "<dl>\n";
    for (const auto& [label, value] : facts_of(event))
        out += "<dt>" + html_escape(label) + "</dt><dd>" + html_escape(value) + "</dd>\n";
    out += "</dl>\n";
    if (const json* a = obj_at(event.body, "assessment")) html_scores(out, event.body, *a);
    auto links = links_of(event);
    if (!links.empty()) out += "<ul>\n";
    for (const auto& l : links)
        out += "<li><a href=\"" + html_escape(l.url) + "\">" + html_escape(l.label) + "</a></li>\n";
    if (!links.empty()) out += "</ul>\n";
    out += "<p><small>" + html_escape(footer_of(event)) + "</small></p>\n";
    return out;
}

AlertView alert_view(const Event& event) {
    const json& body = event.body;
    AlertView v;
    v.summary = render_summary(event);
    v.facts = facts_of(event);
    if (obj_at(body, "authority")) v.council = council_of(body), v.full_name = full_name_of(body);
    v.previous_assessment = previous_assessment_text(body);
    v.first_assessment = body.is_object() && body.value("first_assessment", false);
    v.region = context_region_name(body);
    v.mean_percentages = context_percentage_text(body);
    if (event.type == event_type::assessment_withdrawn) v.withdrawn = withdrawn_text(body);
    const json* before = obj_at(body, "previous");
    if (const json* a = obj_at(body, "assessment")) {
        v.rating = rating_label(*a);
        v.previous_rating = previous_rating(body);
        v.percentage = percent_of(*a);
        v.scores_unread = any_score_unread(*a);
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            const Statement s = statement_at(i);
            AlertScore score;
            score.key = std::string(to_key(s));
            score.statement = std::string(to_label(s));
            score.theme = std::string(to_label(theme_of(s)));
            score.score = score_at(*a, i);
            score.text = score_line(*a, i, score.score);
            score.region_mean = mean_score_text(context_score_mean(body, "region", i));
            score.england_mean = mean_score_text(context_score_mean(body, "england", i));
            score.means = context_score_text(body, i);
            if (before && score_at(*before, i) != score.score) score.previous_text = score_text(score_at(*before, i));
            v.scores.push_back(std::move(score));
        }
    }
    if (auto until = embargo_until(body); !until.empty()) v.embargo_uk = in_uk(until, uk_time_long).value_or(until);
    for (auto& l : links_of(event)) v.links.push_back({std::move(l.label), std::move(l.url)});
    v.footer = footer_of(event);
    return v;
}

namespace {

// The facts Slack shows above the scores: the council's full name, what came before, the means,
// and for a withdrawal that the page is gone. (The rating is in the headline.)
json slack_facts(const Event& event) {
    std::string lines;
    for (const auto& [label, value] : facts_of(event))
        if (label == "Council" || label == "Previously" || label == "Mean percentage" || label == "Report page")
            lines += (lines.empty() ? "" : "\n") + ("*" + slack_escape(label) + "*: " + slack_escape(value));
    if (lines.empty()) return nullptr;
    return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", lines}}}};
}

// One section per theme, its name once above its statements' scores (and the means beside each).
void slack_scores(json& blocks, const json& body, const json& assessment) {
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            blocks.push_back({{"type", "section"},
                              {"text", {{"type", "mrkdwn"}, {"text", "_" + slack_escape(to_label(*theme)) + "_"}}},
                              {"fields", json::array()}});
        }
        auto score = score_at(assessment, i);
        auto means = context_score_text(body, i);
        auto text = "*" + slack_escape(to_label(s)) + "*\n" +
                    (score ? score_text(score) : score_line(assessment, i, score)) +
                    (means.empty() ? "" : " (" + slack_escape(means) + ")");
        blocks.back()["fields"].push_back({{"type", "mrkdwn"}, {"text", text}});
    }
}

}  // namespace

nlohmann::json render_slack(const Event& event, const std::string& headline) {
    // Slack reads &, < and > as control characters in the top-level text (the notification's
    // preview) as in the blocks: both get the same escaped line (a template's is escaped already).
    const std::string summary = headline.empty() ? slack_escape(render_summary(event)) : headline;
    json blocks = json::array();
    blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", summary}}}});
    if (json facts = slack_facts(event); !facts.is_null()) blocks.push_back(std::move(facts));
    if (const json* a = obj_at(event.body, "assessment")) slack_scores(blocks, event.body, *a);
    std::string links;
    for (const auto& l : links_of(event))
        links += (links.empty() ? "" : " · ") + ("<" + slack_escape(l.url) + "|" + slack_escape(l.label) + ">");
    if (!links.empty()) blocks.push_back({{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", links}}}}});
    return {{"text", summary}, {"blocks", blocks}};
}

}  // namespace cqcwatch
