// `cqcwatch compare` against a real SQLite file written through the store:
// a council beside its region's and England's means, its rank in its region
// (ties sharing a rank), --region/--type selections as a league table, every
// format, and the errors an empty or mistyped selection gets. Then one
// assessment's percentage, the same string in every output and alert.

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "parsers/authorities.hpp"
#include "support/daemon_harness.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The known history (West Midlands: Walsall 19/36 = 53%, Birmingham 17/36 = 47%, Dudley 25/36 = 69%),
// plus, when asked, Wolverhampton at 53% like Walsall (a tie) and Sandwell with no safeguarding score
// (so no percentage: unranked, and left out of that mean).
struct CompareBox {
    t::TempDir dir{"compare"};
    std::string db = dir.file("history.db");
    explicit CompareBox(bool more = false) {
        t::write_known_history(db, t::yesterday_utc());
        if (!more) return;
        auto store = cqcwatch::Store::open_or_throw(db, cqcwatch::StoreMode::read_write);
        cqcwatch::RecordContext ctx{std::chrono::system_clock::now() - 24h * 20, "cqc-reports", false, {},
                                    std::nullopt};
        t::KnownAssessment wolverhampton{"Wolverhampton", "wolverhampton", "2025-05-01", {2, 2, 2, 2, 3, 2, 2, 2, 2},
                                         cqcwatch::Rating::requires_improvement};
        store.record_document(t::known_report(wolverhampton, ""), ctx).value();
        t::KnownAssessment sandwell{"Sandwell", "sandwell", "2025-07-01", {3, 3, 3, 3, 3, 3, 0, 3, 3},
                                    cqcwatch::Rating::good};
        auto page = t::known_report(sandwell, "");
        page.assessment->scores[6].reset();  // safeguarding not given
        store.record_document(page, ctx).value();
    }
    t::CommandResult run(std::vector<std::string> args) const {
        args.push_back("--database");
        args.push_back(db);
        return t::run_cqcwatch(args, dir);
    }
    json run_json(std::vector<std::string> args) const {
        args.push_back("--format");
        args.push_back("json");
        auto r = run(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        return json::parse(r.out);
    }
};

std::vector<std::string> names_of(const json& councils) {
    std::vector<std::string> out;
    for (const auto& c : councils) out.push_back(c["authority"]["name"]);
    return out;
}

const json& region_named(const json& j, const std::string& name) {
    for (const auto& r : j["regions"])
        if (r["region"] == name) return r;
    FAIL("no region " << name << " in " << j["regions"].dump());
    return j;
}

// The line of a table that begins with `start` (after leading blanks), or "".
std::string line_starting(const std::string& text, const std::string& start) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto from = line.find_first_not_of(' ');
        if (from != std::string::npos && line.compare(from, start.size(), start) == 0) return line;
    }
    return "";
}

std::size_t councils_in(std::string_view region_code, std::optional<cqcwatch::CouncilType> type = std::nullopt) {
    const auto& all = cqcwatch::Authorities::builtin().all();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const auto& e) {
        return e.region == region_code && (!type || e.type == type);
    }));
}

}  // namespace

TEST_CASE("compare: a council beside its region's and England's means, with its rank in the region", "[cmd_compare]") {
    CompareBox box;
    json j = box.run_json({"compare", "Walsall", "Camden"});
    REQUIRE(j["councils"].size() == 2);
    const json& walsall = j["councils"][0];
    CHECK(walsall["percentage"] == 53);  // 19 of 36 = 52.8, shown whole
    CHECK(walsall["percentage_basis"] == "computed");
    // West Midlands now: Dudley 69%, Walsall 53%, Birmingham 47%.
    CHECK(walsall["region_rank"]["rank"] == 2);
    CHECK(walsall["region_rank"]["of"] == 3);
    CHECK(walsall["region_rank"]["text"] == "2nd of 3 in West Midlands");
    CHECK(j["councils"][1]["region_rank"]["text"] == "1st of 1 in London");
    const json& wm = region_named(j, "West Midlands");
    CHECK(wm["code"] == "E12000005");
    CHECK(wm["councils"] == 3);
    CHECK(wm["mean_percentage"] == Approx(56.3));  // (53 + 47 + 69) / 3
    CHECK(wm["statements"][6]["mean"] == 2.0);     // safeguarding: 2, 1, 3
    CHECK(wm["statements"][6]["n"] == 3);
    CHECK(region_named(j, "London")["councils"] == 1);
    CHECK(j["england"]["councils"] == 6);
    CHECK(j["england"]["mean_percentage"] == Approx(67.5));  // (53 + 47 + 69 + 78 + 61 + 97) / 6

    auto table = box.run({"compare", "Walsall", "Camden"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    const std::string header = table.out.substr(0, table.out.find('\n'));
    CHECK(header.find("Walsall") < header.find("Camden"));
    CHECK(header.find("Camden") < header.find("West Midlands (3)"));
    CHECK(header.find("West Midlands (3)") < header.find("London (1)"));
    CHECK(header.find("London (1)") < header.find("England (6)"));
    const std::string pct = line_starting(table.out, "Percentage");
    CHECK(pct.find("53%") != std::string::npos);
    CHECK(pct.find("78%") != std::string::npos);
    CHECK(pct.find("56.3%") != std::string::npos);
    CHECK(pct.find("67.5%") != std::string::npos);
    CHECK(line_starting(table.out, "Rank in region").find("2nd of 3 in West Midlands") != std::string::npos);
    CHECK(line_starting(table.out, "Safeguarding").find("2.00") != std::string::npos);
    CHECK(table.out.find("share the rank") != std::string::npos);  // the tie rule is said

    auto csv = box.run({"compare", "Walsall", "Camden", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("field,Walsall,Camden,England,West Midlands,London\r\n"));
    CHECK(csv.out.find("\r\nons_code,E08000030,E09000007,E92000001,E12000005,E12000007\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\npercentage,53,78,67.50,56.33,78.00\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\nregion_rank,2,1,,,\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\nregion_ranked,3,1,,,\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\npercentage_basis,computed,computed,,,\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\nn_safeguarding,,,6,3,1\r\n") != std::string::npos);
}

TEST_CASE("compare --region: the region's councils best first, ties sharing a rank, unscored left out of means",
          "[cmd_compare]") {
    CompareBox box(true);
    json j = box.run_json({"compare", "--region", "West Midlands"});
    const std::size_t in_wm = councils_in("E12000005");
    REQUIRE(j["councils"].size() == in_wm);
    auto names = names_of(j["councils"]);
    // Dudley 69%; Walsall and Wolverhampton 53% (tied, in name order); Birmingham 47%; then Sandwell
    // (no percentage) and the councils not assessed.
    REQUIRE(names.size() >= 5);
    CHECK(std::vector<std::string>(names.begin(), names.begin() + 4) ==
          std::vector<std::string>{"Dudley", "Walsall", "Wolverhampton", "Birmingham"});
    const json& c = j["councils"];
    CHECK(c[0]["region_rank"]["rank"] == 1);
    CHECK(c[1]["region_rank"]["rank"] == 2);
    CHECK(c[1]["region_rank"]["tied"] == 2);
    CHECK(c[2]["region_rank"]["text"] == "=2nd of 4 in West Midlands");
    CHECK(c[3]["region_rank"]["text"] == "4th of 4 in West Midlands");  // the rank after a tie skips
    CHECK(c[4]["region_rank"].is_null());
    const json& wm = region_named(j, "West Midlands");
    CHECK(wm["councils"] == 5);
    CHECK(wm["percentage_n"] == 4);
    CHECK(wm["mean_percentage"] == Approx(55.5));  // (69 + 53 + 53 + 47) / 4: Sandwell has none
    CHECK(wm["statements"][6]["n"] == 4);          // Sandwell gave no safeguarding score
    CHECK(wm["statements"][6]["mean"] == 2.0);     // (3 + 2 + 2 + 1) / 4
    CHECK(wm["statements"][8]["n"] == 5);
    CHECK(wm["statements"][8]["mean"] == 2.6);  // learning: Walsall 3, Birmingham 2, Dudley 3, Wolverhampton 2, Sandwell 3

    auto table = box.run({"compare", "--region", "west midlands"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    CHECK(table.out.starts_with("5 of " + std::to_string(in_wm) +
                                " councils selected by --region 'west midlands' assessed\n"));
    CHECK(line_starting(table.out, "=2 ").find("Walsall") != std::string::npos);
    CHECK(line_starting(table.out, "=2 ").find("53%") != std::string::npos);
    CHECK(line_starting(table.out, "4 ").find("Birmingham") != std::string::npos);
    const std::string mean = line_starting(table.out, "West Midlands mean (5)");
    CHECK(mean.find("55.5% (n=4)") != std::string::npos);
    CHECK(mean.find("2.00 (n=4)") != std::string::npos);
    CHECK(line_starting(table.out, "England mean (8)").find("65.4%") != std::string::npos);  // 458 / 7
    CHECK(table.out.find("SAFEGUARD Safeguarding") != std::string::npos);                    // the key

    auto csv = box.run({"compare", "--region", "West Midlands", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("field,Dudley,Walsall,Wolverhampton,Birmingham,"));
    CHECK(csv.out.find("\r\nregion_rank_tied,1,2,2,1,") != std::string::npos);
}

TEST_CASE("compare --type and --region together - named councils must be among those selected", "[cmd_compare]") {
    CompareBox box;
    json j = box.run_json({"compare", "--region", "West Midlands", "--type", "metropolitan"});
    CHECK(j["councils"].size() == councils_in("E12000005", cqcwatch::CouncilType::metropolitan));
    for (const auto& c : j["councils"]) CHECK(c["authority"]["type"] == "metropolitan");
    // The means stay the whole region's and England's: the selection only says whom to list.
    CHECK(region_named(j, "West Midlands")["councils"] == 3);
    json counties = box.run_json({"compare", "--type", "county"});
    CHECK(counties["councils"][0]["authority"]["name"] == "Kent");  // the one county assessed comes first
    CHECK(counties["councils"][0]["region_rank"]["text"] == "1st of 1 in South East");
    json named = box.run_json({"compare", "Walsall", "--authority", "Dudley", "--region", "West Midlands"});
    CHECK(names_of(named["councils"]) == std::vector<std::string>{"Walsall", "Dudley"});  // the order typed
}

TEST_CASE("compare: empty and unknown selections say what is wrong", "[cmd_compare]") {
    CompareBox box;
    auto none = box.run({"compare"});
    CHECK(none.code == 2);
    CHECK(none.err ==
          "cqcwatch: compare: name one or more councils, or select them with --region and/or --type (e.g. cqcwatch "
          "compare Walsall, cqcwatch compare --region \"West Midlands\")\n");
    auto empty = box.run({"compare", "--region", "London", "--type", "county"});
    CHECK(empty.code == 2);
    CHECK(empty.err == "cqcwatch: compare: no council matches --region 'London' --type 'county'\n");
    auto outside = box.run({"compare", "Walsall", "--region", "London"});
    CHECK(outside.code == 2);
    CHECK(outside.err ==
          "cqcwatch: compare: Walsall (metropolitan borough, West Midlands) is not among the councils --region 'London' "
          "selects\n");
    auto region = box.run({"compare", "--region", "West Midland"});
    CHECK(region.code == 2);
    CHECK(region.err.starts_with("cqcwatch: --region: unknown region 'West Midland' (did you mean 'West Midlands'?)"));
    auto unknown = box.run({"compare", "Wolsall"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err == "cqcwatch: unknown council 'Wolsall' (did you mean 'Walsall', 'Wirral', 'Solihull'?)\n");
    auto type = box.run({"compare", "--type", "borough"});
    CHECK(type.code == 2);
    CHECK(type.err.starts_with("cqcwatch: --type: unknown council type 'borough'"));
}

TEST_CASE("one percentage: an assessment reads the same in show, history, compare, csv, the feed and its alerts",
          "[cmd_compare][daemon][e2e]") {
    t::Rig rig;
    std::string maildir = rig.dir.file("mail");
    std::filesystem::create_directories(maildir);
    t::PythonServer smtp({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", maildir});
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("desk-json", rig.receiver.url("/json"), rig.secret_file(),
                                                  "events = [\"assessment.published\"]\n"));
    rig.spec.blocks.push_back(t::webhook_notifier("desk-slack", rig.receiver.url("/slack"), rig.secret_file(),
                                                  "format = \"slack\"\nevents = [\"assessment.published\"]\n"));
    rig.spec.blocks.push_back("[[notifier]]\nname = \"editor\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" +
                              std::to_string(smtp.port()) +
                              "\"\nfrom = \"cqcwatch@example.org\"\nto = [\"editor@example.org\"]\n"
                              "events = [\"assessment.published\"]\n");
    auto daemon = rig.start();
    REQUIRE(daemon->wait_stderr("poll reports:", 20s));
    // 19 of 36 = 52.78 %, and the page states 53%: "52.8%" in some outputs and "53%" in others
    // before the rule.
    rig.site.publish(t::report("walsall-1226", "Walsall Council", "requires_improvement", {2, 2, 2, 2, 2, 2, 2, 2, 3}));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/json").size() == 1; }, 40s));
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered("/slack").size() == 1; }, 20s));
    bool mailed = t::wait_until([&] { return std::filesystem::exists(maildir + "/1.eml"); }, 40s);
    INFO(daemon->stderr_text());
    REQUIRE(mailed);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));

    const json body = t::body_of(rig.receiver.delivered("/json")[0]);
    CHECK(body["assessment"]["percentage"] == 53);
    CHECK(body["assessment"]["percentage"].is_number_integer());
    CHECK(body["assessment"]["percentage_basis"] == "stated");  // the test site's summary page says "53%"
    const json slack = t::body_of(rig.receiver.delivered("/slack")[0]);
    CHECK(slack["text"].get<std::string>().find("(53%)") != std::string::npos);
    const std::string eml = t::read_file(maildir + "/1.eml");
    CHECK(eml.find("Subject: CQC: Walsall rated Requires improvement (53%)") != std::string::npos);

    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.end(), {"--database", rig.db()});
        auto r = t::run_cqcwatch(args, rig.dir);
        INFO(r.err);
        CHECK(r.code == 0);
        return r.out;
    };
    const std::string show = cli({"show", "Walsall"});
    CHECK(show.find("Requires improvement  53%") != std::string::npos);
    const std::string history = cli({"history"});
    CHECK(history.find("  Walsall  ") != std::string::npos);
    CHECK(history.find("  Requires improvement  53%  ") != std::string::npos);
    CHECK(line_starting(cli({"compare", "Walsall"}), "Percentage").find("53%") != std::string::npos);
    CHECK(cli({"export", "--format", "csv"}).find(",requires_improvement,false,53,53.0,52.8,") != std::string::npos);
    CHECK(cli({"feed"}).find("Walsall rated Requires improvement (53%)") != std::string::npos);
    // And nowhere the one-decimal figure beside it (only the csv's computed_percentage column holds it).
    for (const auto& out : {show, history, cli({"compare", "Walsall"}), cli({"feed"}), eml,
                            slack.dump(), body.dump()})
        CHECK(out.find("52.8") == std::string::npos);
}
