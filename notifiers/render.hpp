#pragma once
// Pure rendering of an event for people: a one-line summary, a plain-text and
// an HTML body (email), and a Slack-compatible message. Reads the event's
// cqcwatch.event.v1 body; tolerant of missing fields.
//
// Fields read beyond the contract example: "previous" (an assessment object:
// what assessment.updated changed from), "source" {"name", "url", "error"}
// (source.failing / source.recovered), "detail" (parser.suspect, test).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace cqcwatch {

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
/// {"text": summary, "blocks": [summary section, nine score fields, links]}.
nlohmann::json render_slack(const Event& event);

/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(std::string_view s);

}  // namespace cqcwatch
