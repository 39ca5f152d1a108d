#include "notifiers/teams_card.hpp"

#include "notifiers/render.hpp"

namespace cqcwatch {

namespace {

using nlohmann::json;

json text_block(const std::string& text) { return {{"type", "TextBlock"}, {"text", text}, {"wrap", true}}; }

json fact_set(const std::vector<std::pair<std::string, std::string>>& facts) {
    json items = json::array();
    for (const auto& [title, value] : facts) items.push_back({{"title", title}, {"value", value}});
    return {{"type", "FactSet"}, {"facts", items}};
}

// Paragraphs (blank-line separated) of a template's text, one TextBlock each.
void add_paragraphs(json& body, const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        while (!part.empty() && (part.back() == '\n' || part.back() == ' ')) part.pop_back();
        while (!part.empty() && part.front() == '\n') part.erase(0, 1);
        if (!part.empty()) body.push_back(text_block(part));
        start = end + 2;
    }
}

// Before the lift the embargo is the first thing a newsdesk must see; after it, that it is over.
void add_embargo(json& body, const Event& event, const AlertView& v) {
    if (v.embargo_uk.empty()) return;
    if (event.type == event_type::embargo_scheduled) {
        json b = text_block("Embargoed until " + v.embargo_uk + ": do not publish before then");
        b["color"] = "Attention";
        b["weight"] = "Bolder";
        body.push_back(b);
    } else if (event.type == event_type::embargo_lifted) {
        json b = text_block("Embargo lifted " + v.embargo_uk + ": free to publish");
        b["color"] = "Good";
        body.push_back(b);
    }
}

void add_scores(json& body, const AlertView& v) {
    if (v.scores.empty()) return;
    json heading = text_block(v.scores_unread ? "Scores out of 4 (some not read - see the report)" : "Scores out of 4");
    heading["weight"] = "Bolder";
    heading["separator"] = true;
    body.push_back(heading);
    std::vector<std::pair<std::string, std::string>> facts;
    for (const auto& s : v.scores)
        facts.emplace_back(s.statement, s.text + (s.previous_text.empty() ? "" : " (was " + s.previous_text + ")") +
                                            (s.means.empty() ? "" : " · " + s.means));
    body.push_back(fact_set(facts));
}

std::string action_title(const AlertLink& link) {
    if (link.label == "Report") return "Open report";
    if (link.label == "Press release") return "Open press release";
    if (link.label == "Source") return "Open source page";
    return "Open " + link.label;
}

json actions_of(const AlertView& v) {
    json actions = json::array();
    for (const auto& l : v.links)
        actions.push_back({{"type", "Action.OpenUrl"}, {"title", action_title(l)}, {"url", l.url}});
    return actions;
}

}  // namespace

json teams_card(const Event& event, const std::string& text) {
    const AlertView v = alert_view(event);
    json body = json::array();
    if (text.empty()) {
        body.push_back(text_block(v.summary));
        add_embargo(body, event, v);
        if (!v.facts.empty()) body.push_back(fact_set(v.facts));
    } else {
        add_paragraphs(body, text);
        if (body.empty()) body.push_back(text_block(v.summary));
    }
    // The first block is the headline, the template's or ours.
    body[0]["size"] = "Medium";
    body[0]["weight"] = "Bolder";
    body[0]["style"] = "heading";
    add_scores(body, v);
    json footer = text_block(v.footer);
    footer["size"] = "Small";
    footer["isSubtle"] = true;
    footer["separator"] = true;
    body.push_back(footer);
    json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                 {"type", "AdaptiveCard"},
                 {"version", k_adaptive_card_version},
                 {"msteams", {{"width", "Full"}}},
                 {"body", body}};
    if (json actions = actions_of(v); !actions.empty()) card["actions"] = actions;
    return card;
}

json render_teams(const Event& event, const std::string& text) {
    return {{"type", "message"},
            {"attachments",
             {{{"contentType", "application/vnd.microsoft.card.adaptive"},
               {"contentUrl", nullptr},
               {"content", teams_card(event, text)}}}}};
}

}  // namespace cqcwatch
