#include <catch2/catch.hpp>

#include "notifiers/render.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

TEST_CASE("notifiers render: summary for a published Walsall report", "[notifiers][render]") {
    auto e = test::walsall_event(event_type::assessment_published);
    CHECK(render_summary(e) == "CQC: Walsall rated Requires improvement (53%)");
}

TEST_CASE("notifiers render: summary line for each event type", "[notifiers][render]") {
    auto e = test::walsall_event();
    CHECK(render_summary(e) == "CQC: Walsall rated Requires improvement (53%) (embargo lifted 00:01 GMT)");
    e.type = event_type::embargo_scheduled;
    CHECK(render_summary(e) == "CQC: embargoed result for Walsall due Friday 23 January 2026 00:01 GMT");
    e.type = event_type::assessment_updated;
    e.body["previous"] = e.body["assessment"];
    e.body["previous"]["scores"][6]["score"] = 2;
    e.body["assessment"]["scores"][6]["score"] = 3;
    CHECK(render_summary(e) == "CQC: Walsall rated Requires improvement (53%) changed: Safeguarding 2/4→3/4");
    e.type = event_type::assessment_withdrawn;
    CHECK(render_summary(e) == "CQC: Walsall assessment report withdrawn from CQC's site");
    Event s{"evt_s",
            event_type::source_failing,
            "2026-01-23T00:01:00Z",
            {{"source", {{"name", "cqc-reports"}, {"error", "HTTP 503"}}}}};
    CHECK(render_summary(s) == "cqcwatch: source cqc-reports failing: HTTP 503");
    s.type = event_type::source_recovered;
    CHECK(render_summary(s) == "cqcwatch: source cqc-reports recovered");
    s.type = event_type::test;
    CHECK(render_summary(s) == "[TEST] cqcwatch test alert");
}

TEST_CASE("notifiers render: rating change is named in an update", "[notifiers][render]") {
    auto e = test::walsall_event(event_type::assessment_updated);
    e.body["previous"] = e.body["assessment"];
    e.body["previous"]["rating"] = "good";
    CHECK(render_summary(e) == "CQC: Walsall rated Requires improvement (was Good), 53%");
    auto text = render_text(e);
    CHECK(text.find("Rating: Requires improvement (53%), was Good\n") != std::string::npos);
    CHECK(text.find("Changed: rating Good→Requires improvement\n") != std::string::npos);
    CHECK(render_slack(e)["text"] == "CQC: Walsall rated Requires improvement (was Good), 53%");
    e.body["previous"]["scores"][6]["score"] = 3;
    CHECK(render_summary(e) ==
          "CQC: Walsall rated Requires improvement (was Good), 53% changed: Safeguarding 3/4→2/4");
    CHECK(render_html(e).find("<dt>Changed</dt><dd>rating Good→Requires improvement, Safeguarding 3/4→2/4</dd>") !=
          std::string::npos);
}

TEST_CASE("notifiers render: text body groups the nine scores by theme", "[notifiers][render]") {
    auto text = render_text(test::walsall_event());
    CHECK(text.find("Council: Walsall (E08000030)\n") != std::string::npos);
    CHECK(text.find("Rating: Requires improvement (53%)\n") != std::string::npos);
    CHECK(text.find("Embargo lifted: Friday 23 January 2026 00:01 GMT\n") != std::string::npos);
    CHECK(text.find("\nWorking with people\n  Assessing needs: 2/4\n") != std::string::npos);
    CHECK(text.find("\nLeadership\n  Governance, management and sustainability: 2/4\n"
                    "  Learning, improvement and innovation: 3/4\n") != std::string::npos);
    CHECK(text.find("Ensuring safety\n  Safe pathways, systems and transitions: 2/4\n  Safeguarding: 2/4\n") !=
          std::string::npos);
    CHECK(text.find("Report: https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall\n") !=
          std::string::npos);
    CHECK(text.find("Press release: https://www.cqc.org.uk/press-release/walsall?a=1&b=2\n") != std::string::npos);
}

TEST_CASE("notifiers render: HTML escapes every value", "[notifiers][render]") {
    auto e = test::walsall_event();
    e.body["authority"]["name"] = "Brighton & <Hove>";
    auto html = render_html(e);
    CHECK(html.find("Brighton &amp; &lt;Hove&gt;") != std::string::npos);
    CHECK(html.find("<Hove>") == std::string::npos);
    CHECK(html.find("href=\"https://www.cqc.org.uk/press-release/walsall?a=1&amp;b=2\"") != std::string::npos);
    CHECK(html.find("<th colspan=\"2\" style=\"text-align:left\">Providing support</th>") != std::string::npos);
    CHECK(html.find("Friday 23 January 2026 00:01 GMT") != std::string::npos);
    CHECK(html_escape("a\"b'c") == "a&quot;b&#39;c");
}

TEST_CASE("notifiers render: Slack payload has the summary, the council and the scores under each theme once",
          "[notifiers][render]") {
    auto slack = render_slack(test::walsall_event(event_type::assessment_published));
    CHECK(slack["text"] == "CQC: Walsall rated Requires improvement (53%)");
    REQUIRE(slack["blocks"].size() == 7);  // summary, facts, four themes, links
    CHECK(slack["blocks"][0]["text"]["text"] == "CQC: Walsall rated Requires improvement (53%)");
    CHECK(slack["blocks"][1]["text"]["text"] == "*Council*: Walsall (E08000030)");
    std::vector<std::string> themes;
    std::size_t fields = 0;
    for (std::size_t b = 2; b < 6; ++b) {
        themes.push_back(slack["blocks"][b]["text"]["text"]);
        fields += slack["blocks"][b]["fields"].size();
    }
    CHECK(themes == std::vector<std::string>{"_Working with people_", "_Providing support_", "_Ensuring safety_",
                                             "_Leadership_"});
    CHECK(fields == 9);
    CHECK(slack["blocks"][4]["fields"][1]["text"] == "*Safeguarding*\n2/4");
    CHECK(slack.dump().find("(Ensuring safety)") == std::string::npos);  // the theme is not repeated per score
}

TEST_CASE("notifiers render: Slack's top-level text is escaped as its blocks are", "[notifiers][render][slack]") {
    Event e = test::walsall_event(event_type::assessment_published);
    e.body["authority"]["name"] = "Brighton & Hove <City>";
    const std::string summary = render_summary(e);
    REQUIRE(summary.find("Brighton & Hove <City>") != std::string::npos);
    auto slack = render_slack(e);
    const std::string text = slack["text"];
    CHECK(text.find("Brighton &amp; Hove &lt;City&gt;") != std::string::npos);
    CHECK(text.find("& ") == std::string::npos);
    CHECK(text.find('<') == std::string::npos);
    CHECK(text.find('>') == std::string::npos);
    CHECK(slack["blocks"][0]["text"]["text"] == text);
    // A template's headline arrives escaped already (its variables are): not escaped twice.
    auto templated = render_slack(e, "Brighton &amp; Hove");
    CHECK(templated["text"] == "Brighton &amp; Hove");
    CHECK(templated["blocks"][0]["text"]["text"] == "Brighton &amp; Hove");
}

TEST_CASE("notifiers render: unread scores and rating say 'not read - see the report', not nulls",
          "[notifiers][render][unread]") {
    Event e = test::walsall_event(event_type::assessment_published);
    auto& a = e.body["assessment"];
    a["rating"] = nullptr;
    for (std::size_t i = 2; i < 9; ++i) a["scores"][i]["score"] = nullptr;
    a["unread"] = {"rating",        "equity",       "care_provision", "partnerships",
                   "safe_pathways", "safeguarding", "governance",     "learning"};
    CHECK(render_summary(e) == "CQC: Walsall: rating not read - see the report");
    const std::string text = render_text(e);
    CHECK(text.find("Scores not read - see the report") != std::string::npos);
    CHECK(text.find("  Assessing needs: 2/4\n") != std::string::npos);
    CHECK(text.find("  Safeguarding: not read - see the report\n") != std::string::npos);
    CHECK(text.find("not stated") == std::string::npos);
    CHECK(render_html(e).find("<td>Safeguarding</td><td>not read - see the report</td>") != std::string::npos);
    CHECK(render_slack(e).dump().find("not read - see the report") != std::string::npos);
}

TEST_CASE("notifiers render: parser.suspect and parser.recovered show their reason", "[notifiers][render][unread]") {
    Event e = test::walsall_event(event_type::parser_suspect);
    e.body["reason"] = "report page no longer reads: Safeguarding not read from https://x/summary";
    CHECK(render_summary(e) ==
          "cqcwatch: needs a look: Walsall: report page no longer reads: Safeguarding not read from "
          "https://x/summary");
    e.body["url"] = "https://x/summary";
    e.body["missing"] = {"safeguarding", "governance"};
    e.body["found"] = "rating Requires improvement; 7 of 9 scores";
    const std::string text = render_text(e);
    CHECK(text.find("Page: https://x/summary\n") != std::string::npos);
    CHECK(text.find("Not read: Safeguarding; Governance, management and sustainability\n") != std::string::npos);
    CHECK(text.find("Found on the page: rating Requires improvement; 7 of 9 scores\n") != std::string::npos);
    CHECK(render_html(e).find("<dt>Not read</dt><dd>Safeguarding; Governance, management and sustainability</dd>") !=
          std::string::npos);
    Event listing{"evt_l",
                  event_type::parser_suspect,
                  "2026-01-23T00:01:00Z",
                  {{"source", {{"name", "cqc-reports"}, {"previous_item_count", 153}}},
                   {"reason", "listing cqc-reports yielded no items (it yielded 153 last time); nothing withdrawn"}}};
    CHECK(render_summary(listing) ==
          "cqcwatch: needs a look: source cqc-reports: listing cqc-reports yielded no items "
          "(it yielded 153 last time); nothing withdrawn");
    CHECK(render_text(listing).find("Source: cqc-reports (153 items last time)\n") != std::string::npos);
    e.type = event_type::parser_recovered;
    e.body.erase("missing");
    e.body["reason"] = "report page reads again";
    CHECK(render_summary(e) == "cqcwatch: parser recovered on a source: report page reads again");
}

TEST_CASE("notifiers render: a lift where the report page differs says both values and which source says what",
          "[notifiers][render]") {
    auto e = test::walsall_event();
    e.body["conflicts"] = {{{"field", "rating"}, {"press_release", "requires_improvement"}, {"report_page", "good"}},
                           {{"field", "safeguarding"}, {"press_release", 2}, {"report_page", 3}}};
    CHECK(render_summary(e) ==
          "CQC: Walsall rated Requires improvement (53%) (embargo lifted 00:01 GMT) - the report page differs");
    CHECK(render_text(e).find("Report page differs: Rating: Requires improvement in the press release, Good on the "
                              "report page; Safeguarding: 2/4 in the press release, 3/4 on the report page\n") !=
          std::string::npos);
}

TEST_CASE("notifiers render: the report online after a lift says so - not the headline again - and a parser "
          "doubt says what needs a look",
          "[notifiers][render]") {
    auto e = test::walsall_event(event_type::assessment_published);
    e.body["follows"] = {{"id", "evt_lift"}, {"type", "embargo.lifted"}};
    CHECK(render_summary(e) == "CQC: the Walsall report is now online");
    e.body.erase("follows");
    e.type = event_type::parser_suspect;
    e.body["reason"] = "the report page disagrees with the embargoed press release";
    CHECK(render_summary(e) ==
          "cqcwatch: needs a look: Walsall: the report page disagrees with the embargoed press release");
}

TEST_CASE("notifiers render: an embargo time that does not parse is shown as it came", "[notifiers][render]") {
    auto e = test::walsall_event(event_type::embargo_scheduled);
    e.body["embargo"]["until"] = "soon";
    CHECK(render_summary(e) == "CQC: embargoed result for Walsall due soon");
    CHECK(render_text(e).find("Embargoed until: soon\n") != std::string::npos);
}
