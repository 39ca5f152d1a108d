// The alert context in words: previous assessment, region and England means, the
// council's full name (email text and HTML, Slack, Teams, the feed, templates);
// and a withdrawal that links the listing, not the page that has gone.

#include <catch2/catch.hpp>

#include "events/context.hpp"
#include "notifiers/atom_feed.hpp"
#include "notifiers/render.hpp"
#include "notifiers/teams_card.hpp"
#include "notifiers/template_data.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

namespace {

constexpr const char* k_listing = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";
constexpr const char* k_page = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall";

// Walsall's second assessment, with what the store adds when it commits the event.
Event walsall_with_context(const char* type = event_type::assessment_published) {
    Event e = test::walsall_event(type);
    e.body["authority"]["full_name"] = "Walsall Metropolitan Borough Council";
    Assessment before;
    before.rating = Rating::requires_improvement;
    before.stated_percentage = 52;
    e.body["previous_assessment"] = previous_json(before, Date{2024, 3, 12});
    e.body["first_assessment"] = false;
    ScoreMeans region{14, {2.6, 2.5, 2.4, 2.6, 2.9, 2.5, 2.64, 2.5, 2.7}, 61.24};
    ScoreMeans england{150, {2.5, 2.5, 2.3, 2.6, 2.8, 2.5, 2.52, 2.5, 2.6}, 63.0};
    e.body["context"] = {{"region", means_json(region, "West Midlands", "E12000005")},
                         {"england", means_json(england, "England", "E92000001")}};
    return e;
}

Event withdrawn() {
    Event e = test::walsall_event(event_type::assessment_withdrawn);
    e.body.erase("embargo");
    e.body["withdrawn_url"] = k_page;
    e.body["listing_url"] = k_listing;
    e.body["last_seen"] = "2026-01-23T10:00:00Z";
    return e;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("notifiers context: the email text says what came before and the means", "[notifiers][render][context]") {
    const std::string text = render_text(walsall_with_context());
    CHECK(has(text, "Council: Walsall Metropolitan Borough Council (E08000030)\n"));
    CHECK(has(text, "Previously: Requires improvement (52%, 12 March 2024)\n"));
    CHECK(has(text, "Mean percentage: West Midlands 61.2% (14 councils), England 63% (150 councils)\n"));
    CHECK(has(text, "  Safeguarding: 2/4 (West Midlands mean 2.6, England 2.5)\n"));
    auto first = walsall_with_context();
    first.body["previous_assessment"] = nullptr;
    first.body["first_assessment"] = true;
    CHECK(has(render_text(first), "Previously: none (first assessment)\n"));
}

TEST_CASE("notifiers context: the HTML puts the means beside each score", "[notifiers][render][context]") {
    const std::string html = render_html(walsall_with_context(event_type::embargo_lifted));
    CHECK(has(html, "<dt>Previously</dt><dd>Requires improvement (52%, 12 March 2024)</dd>"));
    CHECK(has(html, "<td>Safeguarding</td><td>2/4</td><td>West Midlands mean 2.6, England 2.5</td>"));
    CHECK(has(html, "<th colspan=\"3\" style=\"text-align:left\">Ensuring safety</th>"));
    // The feed's entry is the same fragment.
    const std::string feed = render_atom_feed({walsall_with_context()}, AtomFeedInfo{});
    CHECK(has(feed, "Previously"));
    CHECK(has(feed, "West Midlands mean 2.6, England 2.5"));
}

TEST_CASE("notifiers context: Slack says the full name, the previous rating and the means once",
          "[notifiers][render][context][slack]") {
    auto slack = render_slack(walsall_with_context());
    CHECK(slack["blocks"][1]["text"]["text"] ==
          "*Council*: Walsall Metropolitan Borough Council (E08000030)\n"
          "*Previously*: Requires improvement (52%, 12 March 2024)\n"
          "*Mean percentage*: West Midlands 61.2% (14 councils), England 63% (150 councils)");
    CHECK(slack["blocks"][4]["text"]["text"] == "_Ensuring safety_");
    CHECK(slack["blocks"][4]["fields"][1]["text"] == "*Safeguarding*\n2/4 (West Midlands mean 2.6, England 2.5)");
}

TEST_CASE("notifiers context: the Teams card carries the same facts and means", "[notifiers][teams][context]") {
    const std::string card = teams_card(walsall_with_context(), "").dump();
    CHECK(has(card, "Requires improvement (52%, 12 March 2024)"));
    CHECK(has(card, "2/4 · West Midlands mean 2.6, England 2.5"));
    CHECK(has(card, "Walsall Metropolitan Borough Council (E08000030)"));
}

TEST_CASE("notifiers context: templates get the words and the fields", "[notifiers][template][context]") {
    auto j = template_json(walsall_with_context());
    CHECK(j["full_name"] == "Walsall Metropolitan Borough Council");
    CHECK(j["previous_assessment_label"] == "Requires improvement (52%, 12 March 2024)");
    CHECK(j["first_assessment_label"] == false);
    CHECK(j["region_name"] == "West Midlands");
    CHECK(j["mean_percentages_label"] == "West Midlands 61.2% (14 councils), England 63% (150 councils)");
    CHECK(j["statements"][6]["region_mean"] == "2.6");
    CHECK(j["statements"][6]["england_mean"] == "2.5");
    CHECK(j["statements"][6]["means_label"] == "West Midlands mean 2.6, England 2.5");
    CHECK(j["context"]["region"]["n"] == 14);  // the body's own fields stay beside the words
    const auto& schema = template_schema();
    for (const char* name :
         {"full_name", "previous_assessment_label", "first_assessment_label", "region_name", "mean_percentages_label",
          "withdrawn_label", "previous_assessment", "first_assessment", "context", "listing_url", "last_seen"})
        CHECK(schema.fields.count(name) == 1);
    CHECK(schema.fields.at("statements").fields.count("means_label") == 1);
    CHECK(schema.fields.at("context").fields.at("region").fields.at("means").fields.count("safeguarding") == 1);
}

TEST_CASE("notifiers context: a withdrawal says the page is gone and links the listing, never the page",
          "[notifiers][render][context][withdrawn]") {
    const Event e = withdrawn();
    CHECK(render_summary(e) == "CQC: Walsall assessment report withdrawn from CQC's site");
    const std::string text = render_text(e);
    CHECK(has(text, "Report page: taken down from CQC's site (last on its listing Fri 23 Jan 2026 10:00 GMT)\n"));
    CHECK(has(text, "CQC's assessment reports: " + std::string(k_listing) + "\n"));
    CHECK(!has(text, k_page));
    CHECK(!has(render_html(e), k_page));
    CHECK(!has(render_slack(e).dump(), k_page));
    CHECK(has(render_slack(e).dump(), "<" + std::string(k_listing) + "|CQC's assessment reports>"));
    CHECK(!has(teams_card(e, "").dump(), k_page));
    CHECK(render_link(e) == k_listing);
    CHECK(!has(render_atom_feed({e}, AtomFeedInfo{}), k_page));
    CHECK(template_json(e)["link"] == k_listing);
    CHECK(has(template_json(e)["withdrawn_label"].get<std::string>(), "taken down from CQC's site"));
}
