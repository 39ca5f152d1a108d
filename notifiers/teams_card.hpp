#pragma once
// The Microsoft Teams message for an event: what a Teams Workflows webhook
// ("When a Teams webhook request is received" -> "Post card in a chat or
// channel") takes, a message with one Adaptive Card attachment. Pure.
//
//   {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
//    "content": {"type": "AdaptiveCard", "version": "1.5", "body": [headline, embargo, facts,
//    scores heading, nine scores, footer], "actions": [Open report, Press release, ...]}}]}

#include <string>

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace cqcwatch {

/// The Adaptive Card schema version sent: the newest Teams renders on desktop, web and mobile.
inline constexpr const char* k_adaptive_card_version = "1.5";

/// The card alone (the attachment's content). `text`, when not empty, replaces the built-in
/// headline, embargo line and facts with a template's words (one TextBlock per paragraph, the
/// first as the headline); the nine scores, the footer and the actions stay.
nlohmann::json teams_card(const Event& event, const std::string& text = {});
/// The whole message a Teams Workflows webhook takes.
nlohmann::json render_teams(const Event& event, const std::string& text = {});

}  // namespace cqcwatch
