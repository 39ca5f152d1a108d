// The query commands against a real SQLite file written through the store:
// the current picture (history --latest), filters by score, region and type,
// friendly values, and the errors a mistyped filter gets.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;

namespace {

struct QueryBox {
    t::TempDir dir{"query"};
    std::string db = dir.file("history.db");
    QueryBox() { t::write_known_history(db, t::yesterday_utc()); }
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

std::set<std::string> councils(const json& rows) {
    std::set<std::string> out;
    for (const auto& r : rows) out.insert(r["authority"]["name"].get<std::string>());
    return out;
}

using Names = std::set<std::string>;

}  // namespace

TEST_CASE("history --latest: one row per council, the rating before it beside it", "[cmd_query]") {
    QueryBox box;
    json rows = box.run_json({"history", "--latest"});
    // Cornwall's only report was withdrawn: it has no current assessment.
    CHECK(councils(rows) == Names{"Birmingham", "Camden", "Dudley", "Kent", "Leeds", "Walsall"});
    for (const auto& r : rows) {
        const std::string name = r["authority"]["name"];
        if (name == "Walsall") {
            CHECK(r["published"] == "2026-01-23");
            CHECK(r["rating"] == "requires_improvement");
            CHECK(r["previous"]["rating"] == "good");
            CHECK(r["previous"]["published"] == "2024-02-01");
            CHECK(r["authority"]["region"] == "West Midlands");
            CHECK(r["authority"]["type"] == "metropolitan");
        }
        if (name == "Kent") {
            CHECK(r["rating"] == "requires_improvement");  // re-rated yesterday
            CHECK(r["previous"].is_null());                // the same report, updated: no earlier one
        }
    }
    auto table = box.run({"history", "--latest"});
    REQUIRE(table.code == 0);
    CHECK(table.out.find("PREVIOUS") != std::string::npos);
    CHECK(table.out.find("Good (2024-02-01)") != std::string::npos);
    auto csv = box.run({"history", "--latest", "--authority", "Walsall", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.find(",previous_rating,previous_published\r\n") != std::string::npos);
    CHECK(csv.out.find(",good,2024-02-01\r\n") != std::string::npos);
}

TEST_CASE("history --rating takes the words people write", "[cmd_query]") {
    QueryBox box;
    const Names ri{"Birmingham", "Kent", "Walsall"};
    CHECK(councils(box.run_json({"history", "--latest", "--rating", "requires improvement"})) == ri);
    CHECK(councils(box.run_json({"history", "--latest", "--rating", "Requires-Improvement"})) == ri);
    CHECK(councils(box.run_json({"history", "--latest", "--rating", "requires_improvement"})) == ri);
    // Not --latest: every inadequate assessment ever, the withdrawn one included.
    json all = box.run_json({"history", "--rating", "Inadequate"});
    CHECK(councils(all) == Names{"Birmingham", "Cornwall"});
    CHECK(councils(box.run_json({"history", "--latest", "--rating", "good", "--rating", "outstanding"})) ==
          Names{"Camden", "Dudley", "Leeds"});
}

TEST_CASE("history --where compares scores - repeated conditions all hold", "[cmd_query]") {
    QueryBox box;
    CHECK(councils(box.run_json({"history", "--latest", "--where", "safeguarding<=1"})) == Names{"Birmingham"});
    CHECK(councils(box.run_json({"history", "--latest", "--where", "any = 4"})) == Names{"Camden", "Leeds"});
    CHECK(councils(box.run_json({"history", "--latest", "--where", "all>=3", "--where", "percentage<90"})) ==
          Names{"Camden"});
    CHECK(councils(box.run_json({"history", "--latest", "--where", "learning!=3", "--where", "assessing_needs>1"})) ==
          Names{"Birmingham", "Camden", "Leeds"});
    // Every assessment ever with a 1 anywhere: both of Birmingham's and Cornwall's.
    CHECK(box.run_json({"history", "--where", "any=1"}).size() == 3);
}

TEST_CASE("history --region, --type and repeated --authority choose councils", "[cmd_query]") {
    QueryBox box;
    CHECK(councils(box.run_json({"history", "--latest", "--region", "West Midlands"})) ==
          Names{"Birmingham", "Dudley", "Walsall"});
    CHECK(councils(box.run_json({"history", "--latest", "--region", "yorkshire-and-the-humber", "--region",
                                 "london"})) == Names{"Camden", "Leeds"});
    CHECK(councils(box.run_json({"history", "--latest", "--type", "London borough"})) == Names{"Camden"});
    CHECK(councils(box.run_json({"history", "--type", "unitary"})) == Names{"Cornwall"});
    CHECK(councils(box.run_json({"history", "--latest", "--type", "metropolitan", "--region", "Yorkshire"})) ==
          Names{"Leeds"});
    CHECK(councils(box.run_json({"history", "--latest", "--authority", "Walsall", "--authority",
                                 "leeds city council"})) == Names{"Leeds", "Walsall"});
}

TEST_CASE("history --since takes an age or a date", "[cmd_query]") {
    QueryBox box;
    CHECK(councils(box.run_json({"history", "--since", "7d"})) == Names{"Dudley"});
    CHECK(councils(box.run_json({"history", "--since", "2026-01-01"})) == Names{"Dudley", "Walsall"});
    CHECK(box.run_json({"history", "--since", "2025-01-01", "--until", "2025-12-31"}).size() == 3);
}

TEST_CASE("history json and csv: the same records however many are asked for, in one well-formed document",
          "[cmd_query]") {
    QueryBox box;
    auto all = box.run({"history", "--format", "json"});
    REQUIRE(all.code == 0);
    const json rows = json::parse(all.out);
    REQUIRE(rows.size() == 9);
    CHECK(all.out == rows.dump(2) + "\n");  // pretty-printed as one array, two-space indent
    CHECK(rows[1]["authority"]["name"] == "Walsall");
    CHECK(rows[1]["published"] == "2026-01-23");
    auto three = box.run({"history", "--format", "json", "--limit", "3"});
    REQUIRE(three.code == 0);
    CHECK(three.out == json(std::vector<json>(rows.begin(), rows.begin() + 3)).dump(2) + "\n");
    auto none = box.run({"history", "--format", "json", "--since", "2099-01-01"});
    REQUIRE(none.code == 0);
    CHECK(none.out == "[]\n");
    // The rating and dates the store filters on: every inadequate since 2025, the withdrawn Cornwall too.
    CHECK(councils(box.run_json({"history", "--rating", "inadequate", "--since", "2025-01-01"})) == Names{"Cornwall"});
    CHECK(councils(box.run_json({"history", "--rating", "inadequate", "--rating", "good", "--until", "2024-06-01"})) ==
          Names{"Birmingham", "Camden", "Walsall"});
    CHECK(box.run_json({"history", "--indicative"}).empty());
    auto csv = box.run({"history", "--format", "csv", "--limit", "2"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("id,authority,ons_code,published,"));
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 3);  // header and two rows
    CHECK(csv.out.find(",Walsall,E08000030,2026-01-23,") != std::string::npos);
    auto latest = box.run({"history", "--latest", "--format", "csv", "--limit", "2"});
    REQUIRE(latest.code == 0);
    CHECK(std::count(latest.out.begin(), latest.out.end(), '\n') == 3);
    CHECK(latest.out.find(",previous_rating,previous_published\r\n") != std::string::npos);
}

TEST_CASE("export json and csv: every record in the order first recorded, in one well-formed document",
          "[cmd_query]") {
    QueryBox box;
    auto doc = box.run({"export", "--format", "json"});
    INFO(doc.err);
    REQUIRE(doc.code == 0);
    const json j = json::parse(doc.out);
    CHECK(doc.out == j.dump(2) + "\n");  // written as it is read, yet exactly one pretty-printed tree
    CHECK(j["schema"] == "cqcwatch.export.v1");
    const json history = box.run_json({"history", "--limit", "0"});
    REQUIRE(j["assessments"].size() == history.size());
    std::vector<std::int64_t> ids;
    for (const auto& a : j["assessments"]) ids.push_back(a["id"].get<std::int64_t>());
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    CHECK(j["changes"].is_array());
    CHECK(j["embargoes"].is_array());
    CHECK(councils(j["assessments"]) == councils(history));
    auto csv = box.run({"export", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == static_cast<long>(history.size()) + 1);
    CHECK(csv.out.find("\r\n" + std::to_string(ids.front()) + ",") != std::string::npos);
}

TEST_CASE("history table: the newest 50 rows and a line saying how to see the rest", "[cmd_query]") {
    t::TempDir dir{"query-long"};
    const std::string db = dir.file("history.db");
    {
        auto store = cqcwatch::Store::open_or_throw(db, cqcwatch::StoreMode::read_write);
        cqcwatch::RecordContext ctx{std::chrono::system_clock::now(), "cqc-reports", false, {}, std::nullopt};
        for (int i = 0; i < 55; ++i) {
            cqcwatch::ParseResult r = t::known_report(t::known_history()[0], "");
            r.url += "-" + std::to_string(i);
            r.assessment->report_url = r.url;
            r.published = cqcwatch::Date{2020 + i / 12, static_cast<unsigned>(i % 12 + 1), 1};
            store.record_document(r, ctx).value();
        }
    }
    auto table = t::run_cqcwatch({"history", "--database", db}, dir);
    REQUIRE(table.code == 0);
    CHECK(table.out.find("2024-07-01  Walsall") != std::string::npos);  // the newest (i = 54)
    CHECK(table.out.find("2020-05-01") == std::string::npos);           // the 51st newest is not shown
    CHECK(table.out.find("2020-06-01  Walsall") != std::string::npos);  // the 50th is
    CHECK(table.out.ends_with("(first 50 shown; --limit 0 shows all)\n"));
    auto all = t::run_cqcwatch({"history", "--limit", "0", "--database", db}, dir);
    REQUIRE(all.code == 0);
    CHECK(all.out.find("2020-01-01  Walsall") != std::string::npos);
    CHECK(all.out.find("(first") == std::string::npos);
    auto ten = t::run_cqcwatch({"history", "--limit", "10", "--database", db}, dir);
    REQUIRE(ten.code == 0);
    CHECK(std::count(ten.out.begin(), ten.out.end(), '\n') == 11);  // header and ten rows, no note
}

TEST_CASE("history: a mistyped filter is a usage error that says what and where", "[cmd_query]") {
    QueryBox box;
    auto typo = box.run({"history", "--where", "safegaurding<=1"});
    CHECK(typo.code == 2);
    CHECK(typo.err ==
          "cqcwatch: --where 'safegaurding<=1': unknown statement 'safegaurding' (did you mean 'safeguarding'?); "
          "expected a statement key (assessing_needs … learning), any, all or percentage\n");
    auto no_op = box.run({"history", "--where", "safeguarding 1"});
    CHECK(no_op.code == 2);
    CHECK(no_op.err ==
          "cqcwatch: --where 'safeguarding 1': expected STATEMENT OP N with OP one of = != < <= > >= "
          "(e.g. \"safeguarding<=1\")\n");
    auto rating = box.run({"history", "--rating", "excellent"});
    CHECK(rating.code == 2);
    CHECK(rating.err ==
          "cqcwatch: --rating: expected outstanding, good, requires improvement or inadequate, got 'excellent'\n");
    auto region = box.run({"history", "--region", "Midlands"});
    CHECK(region.code == 2);
    CHECK(region.err.starts_with("cqcwatch: --region: unknown region 'Midlands'; expected one of North East"));
    auto since = box.run({"history", "--since", "last week"});
    CHECK(since.code == 2);
    CHECK(since.err ==
          "cqcwatch: --since: expected a date (2026-01-01), an RFC 3339 time (2026-01-23T00:01:00Z or "
          "2026-06-05T00:01:00+01:00) or an age (12h, 7d, 2w), got 'last week'\n");
    auto trailing = box.run({"history", "--since", "2026-01-23T00:01:00Z tomorrow"});
    CHECK(trailing.code == 2);
    CHECK(trailing.err.find("got '2026-01-23T00:01:00Z tomorrow'") != std::string::npos);
}

TEST_CASE("history and changes: --since takes RFC 3339 times with an offset as well as Z", "[cmd_query]") {
    QueryBox box;
    // The wall-clock time at `offset_hours` of the instant `ago` seconds before now, with its offset.
    auto at_offset = [](long ago, int offset_hours) {
        std::time_t when = std::time(nullptr) - ago + offset_hours * 3600;
        std::tm tm{};
        ::gmtime_r(&when, &tm);
        char buf[40];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        char zone[8];
        std::snprintf(zone, sizeof zone, "%c%02d:00", offset_hours < 0 ? '-' : '+', std::abs(offset_hours));
        return std::string(buf) + zone;
    };
    // The recent changes were recorded a day ago. 27 h ago, written at +05:00, is before them
    // (read as UTC it would be 22 h ago, after them); 21 h ago at -05:00 is after them.
    const json before = box.run_json({"changes", "--since", at_offset(27 * 3600, 5)});
    CHECK(before.size() == box.run_json({"changes", "--since", "27h"}).size());
    CHECK_FALSE(before.empty());
    CHECK(box.run_json({"changes", "--since", at_offset(21 * 3600, -5)}).empty());
    CHECK(box.run_json({"changes", "--since", at_offset(21 * 3600, 0).substr(0, 19) + "Z"}).empty());
    // history compares published days: 00:30 at +01:00 on the 23rd is still the 22nd in the UK (GMT).
    CHECK(councils(box.run_json({"history", "--since", "2026-01-23T00:30:00+01:00", "--until", "2026-01-23"})) ==
          Names{"Walsall"});
    CHECK(box.run_json({"history", "--since", "2026-01-23T23:30:00-01:00", "--until", "2026-01-31"}).empty());
}

TEST_CASE("compare: councils side by side with England's means and shares last", "[cmd_query]") {
    QueryBox box;
    json j = box.run_json({"compare", "Walsall", "Birmingham City Council", "Hartlepool"});
    REQUIRE(j["councils"].size() == 3);
    CHECK(j["councils"][0]["authority"]["name"] == "Walsall");
    CHECK(j["councils"][0]["rating"] == "requires_improvement");
    CHECK(j["councils"][1]["scores"][6]["score"] == 1);  // Birmingham's safeguarding
    CHECK(j["councils"][2]["rating"].is_null());         // Hartlepool: never assessed
    // England: the six councils with a current assessment (Cornwall's was withdrawn).
    const json& e = j["england"];
    CHECK(e["councils"] == 6);
    CHECK(e["ratings"]["requires_improvement"]["count"] == 3);
    CHECK(e["ratings"]["requires_improvement"]["share"] == 0.5);
    CHECK(e["ratings"]["outstanding"]["count"] == 1);
    // Safeguarding now: Walsall 2, Birmingham 1, Camden 3, Kent 2, Leeds 3, Dudley 3 → 14/6.
    CHECK(e["statements"][6]["statement"] == "safeguarding");
    CHECK(e["statements"][6]["mean"] == Approx(2.33));
    CHECK(e["statements"][6]["scores"]["1"] == 1);
    auto table = box.run({"compare", "Walsall", "Leeds"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    CHECK(table.out.find("England (6)") != std::string::npos);
    CHECK(table.out.find("Safeguarding") != std::string::npos);
    CHECK(table.out.find("2.33") != std::string::npos);
    auto csv = box.run({"compare", "Walsall", "Leeds", "--format", "csv"});
    REQUIRE(csv.code == 0);
    // England's column where it was, the councils' regions after it.
    CHECK(csv.out.starts_with("field,Walsall,Leeds,England,West Midlands,Yorkshire and The Humber\r\n"));
    CHECK(csv.out.find("\r\nsafeguarding,2,3,2.33,2.00,3.00\r\n") != std::string::npos);
    CHECK(csv.out.find("\r\nshare_requires_improvement,,,0.50,0.67,0.00\r\n") != std::string::npos);
    auto unknown = box.run({"compare", "Wolsall"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err == "cqcwatch: unknown council 'Wolsall' (did you mean 'Walsall', 'Wirral', 'Solihull'?)\n");
}

TEST_CASE(
    "council names as people type them: a part that means one council resolves, one that means several "
    "lists them",
    "[cmd_query]") {
    QueryBox box;
    const auto whole = box.run({"show", "Birmingham"});
    REQUIRE(whole.code == 0);
    CHECK(box.run({"show", "Birming"}).out == whole.out);  // the start of one council's name
    CHECK(councils(box.run_json({"history", "--latest", "--authority", "Walsall Council"})) == Names{"Walsall"});
    auto kingston = box.run({"show", "Kingston"});
    CHECK(kingston.code == 2);
    CHECK(kingston.err ==
          "cqcwatch: council 'Kingston' could be 'Kingston upon Thames', 'Kingston upon Hull': say "
          "which\n");
    auto north = box.run({"history", "--authority", "North"});
    CHECK(north.code == 2);
    CHECK(north.err ==
          "cqcwatch: council 'North' could be 'North Tyneside', 'North East Lincolnshire', 'North "
          "Lincolnshire', 'Bath and North East Somerset', 'North Somerset', 'Northumberland', 'North "
          "Northamptonshire', 'North Yorkshire': say which\n");
}

TEST_CASE("changes --since 7d: new, updated with before and after, withdrawn", "[cmd_query]") {
    QueryBox box;
    json j = box.run_json({"changes", "--since", "7d"});
    std::map<std::string, json> by_council;
    for (const auto& c : j) by_council[c["authority"]["name"].get<std::string>()] = c;
    CHECK(by_council.size() == 3);
    CHECK(by_council["Dudley"]["kind"] == "new");
    const json& kent = by_council["Kent"];
    CHECK(kent["kind"] == "updated");
    std::map<std::string, std::pair<json, json>> fields;
    for (const auto& f : kent["fields"]) fields[f["field"]] = {f["before"], f["after"]};
    CHECK(fields["rating"] == std::pair<json, json>{"good", "requires_improvement"});
    CHECK(fields["assessing_needs"] == std::pair<json, json>{3, 2});
    CHECK(fields["safeguarding"] == std::pair<json, json>{3, 2});
    CHECK(fields.count("learning") == 0);  // unchanged
    CHECK(by_council["Cornwall"]["kind"] == "withdrawn");
    // A month back, the first recordings show as new too.
    CHECK(box.run_json({"changes", "--since", "40d"}).size() > 8);
    auto table = box.run({"changes", "--since", "7d"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    CHECK(table.out.find("rating Good → Requires improvement") != std::string::npos);
    auto csv = box.run({"changes", "--since", "7d", "--authority", "Kent", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("changed_at,kind,authority,ons_code,assessment_id,field,before,after,summary\r\n"));
    CHECK(csv.out.find(",updated,Kent,E10000016,") != std::string::npos);
    CHECK(csv.out.find(",rating,good,requires_improvement,rating Good → Requires improvement\r\n") !=
          std::string::npos);
}

TEST_CASE("stats: counts per rating, mean and spread per statement, per region", "[cmd_query]") {
    QueryBox box;
    json j = box.run_json({"stats"});
    CHECK(j["england"]["councils"] == 6);
    CHECK(j["england"]["councils_total"] == 153);
    CHECK(j["england"]["ratings"]["good"]["count"] == 2);
    CHECK(j["england"]["statements"][0]["statement"] == "assessing_needs");
    // Assessing needs now: 2, 2, 3, 2, 4, 2 → 15/6.
    CHECK(j["england"]["statements"][0]["mean"] == 2.5);
    CHECK(j["england"]["statements"][0]["scores"]["2"] == 4);
    REQUIRE(j["regions"].size() == 9);
    for (const auto& r : j["regions"]) {
        if (r["area"] == "West Midlands") {
            CHECK(r["councils"] == 3);
            CHECK(r["councils_total"] == 14);
            CHECK(r["ratings"]["requires_improvement"]["count"] == 2);
        }
        if (r["area"] == "South West") CHECK(r["councils"] == 0);  // Cornwall withdrawn
    }
    auto table = box.run({"stats"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    CHECK(table.out.starts_with("Councils assessed: 6 of 153"));
    CHECK(table.out.find("Requires improvement  3 (50%)") != std::string::npos);
    auto csv = box.run({"stats", "--format", "csv", "--region", "London"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("area,area_code,measure,key,value\r\nEngland,E92000001,councils_assessed,,1\r\n"));
    CHECK(csv.out.find("London,E12000007,councils_total,,33\r\n") != std::string::npos);
    CHECK(csv.out.find("London,E12000007,statement_mean,learning,4.00\r\n") != std::string::npos);
}

TEST_CASE("history: an empty answer says what was asked and what there is", "[cmd_query][empty]") {
    QueryBox box;
    const std::size_t assessed = box.run_json({"history", "--latest"}).size();
    auto none = box.run({"history", "--latest", "--rating", "inadequate"});
    REQUIRE(none.code == 0);
    // Birmingham is requires improvement now and Cornwall's report was withdrawn.
    CHECK(none.out == "0 councils rated Inadequate now (" + std::to_string(assessed) + " assessed)\n");
    auto region = box.run({"history", "--latest", "--rating", "outstanding", "--rating", "inadequate", "--region",
                           "London"});
    CHECK(region.out == "0 councils rated Outstanding or Inadequate and matching the other filters now (" +
                            std::to_string(assessed) + " assessed)\n");
    const std::size_t stored = box.run_json({"history"}).size();
    auto rows = box.run({"history", "--where", "safeguarding>=5"});
    CHECK(rows.out == "0 assessments matching the filters (" + std::to_string(stored) + " assessments of " +
                          std::to_string(councils(box.run_json({"history"})).size()) + " councils in the history)\n");
    CHECK(box.run_json({"history", "--latest", "--rating", "inadequate"}) == json::array());
    auto csv = box.run({"history", "--latest", "--rating", "inadequate", "--format", "csv"});
    CHECK(csv.out.find("\r\n") == csv.out.size() - 2);  // the header alone
    t::TempDir empty_dir{"query-empty"};
    cqcwatch::Store::open_or_throw(empty_dir.file("e.db"), cqcwatch::StoreMode::read_write);
    auto fresh = t::run_cqcwatch({"history", "--database", empty_dir.file("e.db")}, empty_dir);
    CHECK(fresh.out.starts_with("No assessments in the history yet ("));
}

TEST_CASE("history --wide: the nine scores in named columns, a key under the table", "[cmd_query][wide]") {
    QueryBox box;
    auto wide = box.run({"history", "--authority", "Walsall", "--wide"});
    REQUIRE(wide.code == 0);
    INFO(wide.out);
    const std::string header = wide.out.substr(0, wide.out.find('\n'));
    std::size_t at = 0;
    for (const char* name : {"PUBLISHED", "COUNCIL", "RATING", "%", "NEEDS", "HEALTH", "EQUITY", "CARE", "PARTNERS",
                             "PATHWAYS", "SAFEGUARDING", "GOVERNANCE", "LEARNING"}) {
        auto next = header.find(name, at);
        CHECK(next != std::string::npos);  // in this order
        at = next == std::string::npos ? at : next;
    }
    CHECK(header.find("SCORES") == std::string::npos);
    // Walsall 2026: 2 for the first eight statements, 3 for learning; each under its name.
    const std::string row = wide.out.substr(wide.out.find("2026-01-23"));
    const std::string line = row.substr(0, row.find('\n'));
    CHECK(line[header.find("SAFEGUARDING")] == '2');
    CHECK(line[header.find("LEARNING")] == '3');
    CHECK(wide.out.find("Working with people: NEEDS Assessing needs; HEALTH Supporting people to lead healthier "
                        "lives; EQUITY Equity in experience and outcomes\n") != std::string::npos);
    CHECK(wide.out.find("Leadership: GOVERNANCE Governance, management and sustainability; LEARNING Learning, "
                        "improvement and innovation\n") != std::string::npos);
    auto json_wide = box.run({"history", "--wide", "--format", "json"});
    CHECK(json_wide.code == 2);
    CHECK(json_wide.err ==
          "cqcwatch: --wide: shapes the table; json and csv always name each of the nine scores\n");
}

TEST_CASE("history --columns: the columns asked for, in that order, in the table and csv", "[cmd_query][wide]") {
    QueryBox box;
    auto table = box.run({"history", "--latest", "--columns", "council,region,safeguarding,previous"});
    REQUIRE(table.code == 0);
    INFO(table.out);
    CHECK(table.out.starts_with("COUNCIL"));
    const std::string header = table.out.substr(0, table.out.find('\n'));
    CHECK(header.find("REGION") < header.find("SAFEGUARDING"));
    CHECK(header.find("SAFEGUARDING") < header.find("PREVIOUS"));
    CHECK(header.find("PUBLISHED") == std::string::npos);
    CHECK(table.out.find("Safeguarding\n") != std::string::npos);  // the key names the short name's statement
    auto csv = box.run({"history", "--authority", "Walsall", "--columns", "published,rating,%,safeguarding,learning",
                        "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out == "published,rating,percentage,safeguarding,learning\r\n"
                     "2026-01-23,requires_improvement,53,2,3\r\n"
                     "2024-02-01,good,75,3,3\r\n");
    auto typo = box.run({"history", "--columns", "council,safegaurding"});
    CHECK(typo.code == 2);
    CHECK(typo.err ==
          "cqcwatch: --columns: unknown column 'safegaurding' (did you mean 'safeguarding'?); expected some of "
          "published, council, code, region, type, rating, percentage, scores, previous, assessing_needs, "
          "healthier_lives, equity, care_provision, partnerships, safe_pathways, safeguarding, governance, "
          "learning\n");
}

TEST_CASE("stats and deliveries: an empty answer says so", "[cmd_query][empty]") {
    QueryBox box;
    auto stats = box.run({"stats", "--region", "North East"});
    REQUIRE(stats.code == 0);
    CHECK(stats.out.starts_with("0 councils assessed of the 12 chosen"));
    auto deliveries = box.run({"deliveries"});
    REQUIRE(deliveries.code == 0);
    CHECK(deliveries.out == "No deliveries (the outbox is empty: nothing has been sent to a notifier yet)\n");
    CHECK(box.run_json({"deliveries", "--status", "dead"}) == json::array());
}
