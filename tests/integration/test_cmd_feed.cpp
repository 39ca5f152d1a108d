// `cqcwatch feed` on a real history, read by a real feed reader's parser
// (Debian's python3-feedparser): well-formed Atom, one entry per event with its
// id, the council in the title and the report as the link, newest first, and
// an embargo still to lift announced without a figure.

#include <chrono>
#include <set>

#include <catch2/catch.hpp>

#include "support/atom_check.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;

namespace {

// Wigan's release, embargoed until three days from now, and its report page up
// already: held by the embargo, as the daemon would store them.
void add_embargoed_wigan(const std::string& db) {
    using namespace std::chrono;
    cqcwatch::Store store = cqcwatch::Store::open_or_throw(db, cqcwatch::StoreMode::read_write);
    auto lift = floor<minutes>(system_clock::now() + hours(72));
    cqcwatch::Embargo e;
    e.until_unix = duration_cast<seconds>(lift.time_since_epoch()).count();
    e.until_utc = cqcwatch::rfc3339(lift);
    e.until_uk = e.until_utc;
    e.line = "Embargoed until 00.01hrs";
    e.resolved = true;
    t::KnownAssessment wigan{"Wigan", "wigan", "", {1, 1, 1, 1, 2, 1, 1, 1, 1}, cqcwatch::Rating::inadequate};
    auto release = t::known_report(wigan, t::yesterday_utc());
    release.kind = cqcwatch::DocKind::email;
    release.url.clear();
    release.assessment->report_url.reset();
    release.embargo = e;
    cqcwatch::RecordContext ctx{system_clock::now() - hours(2), "maildir", false, {}, std::nullopt};
    store.record_document(release, ctx).value();
    ctx.now = system_clock::now() - hours(1);
    ctx.source = "cqc-reports";
    store.record_document(t::known_report(wigan, t::yesterday_utc()), ctx).value();
}

const json* entry_about(const json& view, const std::string& council, const std::string& type) {
    for (const auto& e : view["entries"])
        if (e["title"].get<std::string>().find(council) != std::string::npos &&
            std::find(e["tags"].begin(), e["tags"].end(), type) != e["tags"].end())
            return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("feed: valid Atom of the events, ids, titles and report links - an embargo to come without figures",
          "[cmd_feed]") {
    t::TempDir dir("feed");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    add_embargoed_wigan(db);
    auto r = t::run_cqcwatch({"feed", "--database", db, "--self-url", "https://feeds.example.org/cqc.atom"}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    json view = t::feedparser_view(dir, r.out);
    INFO(view.dump(1));
    CHECK(view["bozo"] == 0);
    CHECK(view["version"] == "atom10");
    CHECK(view["feed"]["self"] == "https://feeds.example.org/cqc.atom");

    // Every entry: a unique event-id URN, a title, a parsable time; newest first.
    std::set<std::string> ids;
    std::string previous = "9999";
    for (const auto& e : view["entries"]) {
        std::string id = e["id"];
        CHECK(id.rfind("urn:cqcwatch:event:evt_", 0) == 0);
        CHECK(ids.insert(id).second);
        CHECK(!e["title"].get<std::string>().empty());
        CHECK(e["updated_parsed"] == true);
        CHECK(e["updated"].get<std::string>() <= previous);
        previous = e["updated"];
    }
    // 9 published (8 old, Dudley 25/36), Kent updated, Cornwall withdrawn, Wigan's embargo notice.
    CHECK(view["entries"].size() == 12);

    const json* dudley = entry_about(view, "Dudley", "assessment.published");
    REQUIRE(dudley);
    CHECK((*dudley)["title"] == "CQC: Dudley rated Good (69%)");
    CHECK((*dudley)["link"] == t::k_report_base + "dudley");
    CHECK((*dudley)["content"].get<std::string>().find("Safeguarding") != std::string::npos);
    const json* kent = entry_about(view, "Kent", "assessment.updated");
    REQUIRE(kent);
    // What a reader sees: the new rating with the one it replaced, and each score that moved, out of 4.
    CHECK((*kent)["title"].get<std::string>().find(
              "CQC: Kent rated Requires improvement (was Good), 61% changed: ") == 0);
    CHECK((*kent)["title"].get<std::string>().find("Safeguarding 3/4→2/4") != std::string::npos);
    CHECK((*kent)["link"] == t::k_report_base + "kent");
    CHECK(entry_about(view, "Cornwall", "assessment.withdrawn"));

    // Wigan: the notice that a result is due, and nothing of the result.
    const json* wigan = entry_about(view, "Wigan", "embargo.scheduled");
    REQUIRE(wigan);
    CHECK((*wigan)["title"].get<std::string>().rfind("CQC: embargoed result for Wigan due ", 0) == 0);
    // No address of its own before the lift (it came by email): CQC's listing, where its report will appear.
    CHECK((*wigan)["link"] == "https://www.cqc.org.uk/care-services/local-authority-assessment-reports");
    for (const auto& e : view["entries"]) {
        std::string text = e["title"].get<std::string>() + " " + e["content"].get<std::string>();
        if (text.find("Wigan") == std::string::npos) continue;
        CHECK(text.find("Inadequate") == std::string::npos);
        CHECK(text.find("Safeguarding") == std::string::npos);
        CHECK(e["link"].get<std::string>().find("wigan") == std::string::npos);
    }

    // --limit keeps the newest.
    auto two = t::run_cqcwatch({"feed", "--database", db, "--limit", "2"}, dir);
    REQUIRE(two.code == 0);
    json top = t::feedparser_view(dir, two.out);
    REQUIRE(top["entries"].size() == 2);
    CHECK(top["entries"][0]["id"] == view["entries"][0]["id"]);
    CHECK(top["entries"][1]["id"] == view["entries"][1]["id"]);
}

TEST_CASE("feed: a missing database and a zero limit are clear errors", "[cmd_feed]") {
    t::TempDir dir("feed");
    auto missing = t::run_cqcwatch({"feed", "--database", dir.file("none.db")}, dir);
    CHECK(missing.code == 1);
    CHECK(missing.out.empty());
    CHECK(missing.err.find(dir.file("none.db")) != std::string::npos);
    auto zero = t::run_cqcwatch({"feed", "--database", dir.file("none.db"), "--limit", "0"}, dir);
    CHECK(zero.code == 2);
    CHECK(zero.err == "cqcwatch: --limit: expected at least 1 entry\n");
}
