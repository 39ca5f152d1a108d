#include <catch2/catch.hpp>

#include "events/samples.hpp"
#include "notifiers/teams_card.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;
using nlohmann::json;

namespace {

// The value of the fact titled `title` in any FactSet of the card, or "".
std::string fact(const json& card, const std::string& title) {
    for (const auto& item : card["body"])
        if (item["type"] == "FactSet")
            for (const auto& f : item["facts"])
                if (f["title"] == title) return f["value"];
    return {};
}

std::string all_text(const json& card) {
    std::string out;
    for (const auto& item : card["body"])
        if (item["type"] == "TextBlock") out += item["text"].get<std::string>() + "\n";
    return out;
}

}  // namespace

TEST_CASE("notifiers teams: a Workflows message with one Adaptive Card 1.5", "[notifiers][teams]") {
    const json m = render_teams(test::walsall_event());
    CHECK(m["type"] == "message");
    REQUIRE(m["attachments"].size() == 1);
    CHECK(m["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive");
    const json& card = m["attachments"][0]["content"];
    CHECK(card["type"] == "AdaptiveCard");
    CHECK(card["version"] == "1.5");
}

TEST_CASE("notifiers teams: the card shows headline, rating, nine scores in CQC's words, embargo and the report",
          "[notifiers][teams]") {
    const json card = teams_card(test::walsall_event());
    CHECK(card["body"][0]["text"] == "CQC: Walsall rated Requires improvement (53%) (embargo lifted 00:01 GMT)");
    CHECK(fact(card, "Council") == "Walsall (E08000030)");
    CHECK(fact(card, "Rating") == "Requires improvement (53%)");
    CHECK(fact(card, "Assessing needs") == "2/4");
    CHECK(fact(card, "Learning, improvement and innovation") == "3/4");
    CHECK(fact(card, "Embargo lifted") == "Friday 23 January 2026 00:01 GMT");
    CHECK(all_text(card).find("Embargo lifted Friday 23 January 2026 00:01 GMT: free to publish") != std::string::npos);
    REQUIRE(card["actions"].size() == 2);
    CHECK(card["actions"][0] ==
          json{{"type", "Action.OpenUrl"},
               {"title", "Open report"},
               {"url", "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall"}});
    CHECK(card["actions"][1]["title"] == "Open press release");
}

TEST_CASE("notifiers teams: an update shows the previous rating and the scores it changed from", "[notifiers][teams]") {
    const Event e = *sample_event(event_type::assessment_updated, std::chrono::system_clock::now());
    const json card = teams_card(e);
    CHECK(fact(card, "Rating") == "Requires improvement (53%), was Good");
    // The sample carries made-up means (the alert context): they follow the score.
    CHECK(fact(card, "Assessing needs") == "2/4 (was 3/4) · Test region (not real) mean 2.6, England 2.5");
    CHECK(fact(card, "Equity in experience and outcomes") == "2/4 · Test region (not real) mean 2.4, England 2.3");
    CHECK(card["body"][0]["text"].get<std::string>().rfind("[TEST] CQC: Test Council (not real)", 0) == 0);
}

TEST_CASE("notifiers teams: before the lift the card says not to publish", "[notifiers][teams]") {
    const Event e = *sample_event(event_type::embargo_scheduled, std::chrono::system_clock::now());
    const json card = teams_card(e);
    CHECK(all_text(card).find(": do not publish before then") != std::string::npos);
    CHECK(card["body"][1]["color"] == "Attention");
}

TEST_CASE("notifiers teams: every sample event type gets a card with a headline and a footer", "[notifiers][teams]") {
    for (std::string_view type : sample_event_types()) {
        INFO(type);
        const Event e = *sample_event(type, std::chrono::system_clock::now());
        const json card = teams_card(e);
        CHECK(card["body"].front()["text"].get<std::string>().rfind("[TEST] ", 0) == 0);
        CHECK(card["body"].back()["text"].get<std::string>().find(e.id) != std::string::npos);
    }
    const Event failing = *sample_event(event_type::source_failing, std::chrono::system_clock::now());
    CHECK(fact(teams_card(failing), "Error").find("HTTP 503") == 0);
    CHECK(teams_card(failing)["actions"][0]["title"] == "Open source page");
}

TEST_CASE("notifiers teams: a template's text replaces headline and facts, paragraph by paragraph",
          "[notifiers][teams]") {
    const json card = teams_card(test::walsall_event(), "CQC: Walsall RI\nwas Good\n\nEmbargo 00:01\n\n");
    CHECK(card["body"][0]["text"] == "CQC: Walsall RI\nwas Good");
    CHECK(card["body"][0]["weight"] == "Bolder");
    CHECK(card["body"][1]["text"] == "Embargo 00:01");
    CHECK(fact(card, "Council").empty());
    CHECK(fact(card, "Safeguarding") == "2/4");
}
