// The query commands against a real SQLite file written through the store:
// the current picture (history --latest), filters by score, region and type,
// friendly values, and the errors a mistyped filter gets.

#include <ctime>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;

namespace {

std::string yesterday_utc() {
    std::time_t when = std::time(nullptr) - 24 * 3600;
    std::tm tm{};
    ::gmtime_r(&when, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

struct QueryBox {
    t::TempDir dir{"query"};
    std::string db = dir.file("history.db");
    QueryBox() { t::write_known_history(db, yesterday_utc()); }
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

TEST_CASE("history --where compares scores; repeated conditions all hold", "[cmd_query]") {
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
          "cqcwatch: --since: expected a date (2026-01-01), a time (2026-01-23T00:01:00Z) or an age "
          "(12h, 7d, 2w), got 'last week'\n");
}
