#pragma once
// Pure rendering of an event for people: a one-line summary, a plain-text and
// an HTML body (email), and a Slack-compatible message. Reads the event's
// cqcwatch.event.v1 body; tolerant of missing fields.
//
// Fields read beyond the contract example: "previous" (an assessment object:
// what assessment.updated changed from), "source" {"name", "url", "error"}
// (source.failing / source.recovered), "detail" (parser.suspect, test), the
// alert context (authority.full_name, previous_assessment, first_assessment,
// context: events/context.hpp) and a withdrawal's "listing_url" and "last_seen"
// (its alert links the listing, never the page that has gone).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace cqcwatch {

/// One of the nine scores as alerts show it.
struct AlertScore {
    std::string key;        ///< "safeguarding"
    std::string statement;  ///< CQC's name: "Safeguarding"
    std::string theme;      ///< "Ensuring safety"
    std::optional<int> score;
    std::string text;           ///< "2/4", or "not stated" / "not read - see the report"
    std::string previous_text;  ///< what assessment.updated changed it from ("3/4"); "" when unchanged
    std::string region_mean;    ///< the region's mean ("2.6"); "" when the event has none
    std::string england_mean;   ///< England's mean ("2.5"); "" when the event has none
    std::string means;          ///< "West Midlands mean 2.6, England 2.5"; "" when neither
};

/// A link an alert offers.
struct AlertLink {
    std::string label;  ///< "Report", "Press release", "Source"
    std::string url;
};

/// Everything the built-in alerts show, in their words: what the renderers, the Teams card
/// and the template data are made of.
struct AlertView {
    std::string summary;                                     ///< render_summary
    std::vector<std::pair<std::string, std::string>> facts;  ///< label, value: "Council", "Walsall (E08000030)"
    std::string council;                                     ///< "Walsall"; "" when the event names none
    std::string full_name;            ///< as CQC writes it ("Walsall Metropolitan Borough Council"), else council
    std::string previous_assessment;  ///< "Requires improvement (52%, 12 March 2024)", "none (first assessment)" or ""
    bool first_assessment = false;    ///< the event says this is the council's first assessment
    std::string region;               ///< the region the means are of ("West Midlands"), or ""
    std::string mean_percentages;     ///< "West Midlands 61.2% (14 councils), England 63% (150 councils)" or ""
    std::string withdrawn;            ///< assessment.withdrawn: "taken down from CQC's site (last on its listing …)"
    std::string rating;                                      ///< "Requires improvement"; "" without an assessment
    std::string previous_rating;                             ///< "Good" when an update changed it, else ""
    std::string percentage;                                  ///< "53%" or ""
    std::string embargo_uk;                                  ///< "Friday 23 January 2026 00:01 GMT" or ""
    bool scores_unread = false;                              ///< some score could not be read
    std::vector<AlertScore> scores;                          ///< nine, in CQC's order; empty without an assessment
    std::vector<AlertLink> links;                            ///< report, press release, source, as present
    std::string footer;                                      ///< "Event evt_… (embargo.lifted) at …"
};

/// The view of an event the alerts are drawn from.
AlertView alert_view(const Event& event);

/// "CQC: Walsall rated Requires improvement (52.8%)" and one line per other event type.
std::string render_summary(const Event& event);
/// The page the event is about: the report, else the press release, else the source; empty if none.
std::string render_link(const Event& event);
/// The plain-text body: council, rating, the nine scores by theme, links, embargo time.
std::string render_text(const Event& event);
/// The same as an HTML document, every value escaped.
std::string render_html(const Event& event);
/// The same without the document around it (facts, scores, links, footer): for an Atom entry's content.
std::string render_html_fragment(const Event& event);
/// {"text": summary, "blocks": [summary section, facts (full name, previously, means), one section per
/// theme (its name once, its scores as fields), links]}; a template's `headline`,
/// when not empty, stands for the summary (already escaped for Slack).
nlohmann::json render_slack(const Event& event, const std::string& headline = {});

/// Escapes &, < and > for Slack mrkdwn text.
std::string slack_escape(std::string_view s);
/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(std::string_view s);

}  // namespace cqcwatch
