// `cqcwatch route-test` on a real config file: which notifiers an event would
// go to and which key keeps it from the others; --expect for a config's own
// regression test; the errors and exit codes of a mistyped option.

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;

namespace {

struct RouteBox {
    t::TempDir dir{"route"};
    std::string config = dir.file("config.toml");
    RouteBox() {
        t::ConfigSpec spec;
        spec.database = dir.file("history.db");
        t::write_file(dir.file("hook.secret"), "s3cret");
        spec.blocks.push_back(t::webhook_notifier("newsdesk", "https://hooks.example.org/cqc", dir.file("hook.secret"),
                                                  "events = [\"embargo.lifted\", \"assessment.published\"]\n"
                                                  "ratings = [\"requires_improvement\", \"inadequate\"]\n"));
        spec.blocks.push_back(
            "[[notifier]]\nname = \"walsall-team\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:2525\"\n"
            "from = \"cqcwatch@example.org\"\nto = [\"team@example.org\"]\nauthorities = [\"Walsall Council\"]\n");
        spec.blocks.push_back(t::webhook_notifier("charity", "https://hooks.example.org/charity",
                                                  dir.file("hook.secret"), "ratings = [\"good\", \"outstanding\"]\n"));
        t::write_file(config, spec.text());
    }
    t::CommandResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), "route-test");
        args.push_back("--config");
        args.push_back(config);
        return t::run_cqcwatch(args, dir);
    }
};

}  // namespace

TEST_CASE("route-test: who gets an inadequate Walsall report, and why not the others", "[cmd_route_test]") {
    RouteBox box;
    auto r = box.run({"--type", "assessment.published", "--authority", "Walsall", "--rating", "inadequate"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("assessment.published about Walsall, rated Inadequate (" + box.config + "):\n", 0) == 0);
    CHECK(r.out.find("2 of 3 notifiers would get it: newsdesk, walsall-team.\n") != std::string::npos);
    CHECK(r.out.find("ratings = [\"good\", \"outstanding\"] does not include inadequate") != std::string::npos);

    auto j = box.run(
        {"--type", "assessment.published", "--authority", "Walsall", "--rating", "inadequate", "--format", "json"});
    REQUIRE(j.code == 0);
    json out = json::parse(j.out);
    CHECK(out["event"]["authority"]["code"] == "E08000030");
    CHECK(out["event"]["rating"] == "inadequate");
    REQUIRE(out["notifiers"].size() == 3);
    CHECK(out["notifiers"][0]["name"] == "newsdesk");
    CHECK(out["notifiers"][0]["routed"] == true);
    CHECK(out["notifiers"][1]["routed"] == true);
    CHECK(out["notifiers"][1]["reasons"][2] == "authorities = [\"Walsall Council\"] includes Walsall");
    CHECK(out["notifiers"][2]["routed"] == false);
    CHECK(out["notifiers"][2]["reasons"] ==
          json::array({"ratings = [\"good\", \"outstanding\"] does not include inadequate"}));

    // A good Birmingham report, in CQC's words: only the charity; the newsdesk's two keys both say no.
    auto b = box.run({"--type", "assessment.published", "--authority", "Birmingham", "--rating", "Good"});
    REQUIRE(b.code == 0);
    CHECK(b.out.find("1 of 3 notifiers would get it: charity.\n") != std::string::npos);
    CHECK(b.out.find("ratings = [\"requires_improvement\", \"inadequate\"] does not include good") !=
          std::string::npos);
    CHECK(b.out.find("authorities = [\"Walsall Council\"] does not include Birmingham") != std::string::npos);

    // An embargo notice goes only where a notifier lists it.
    auto s = box.run({"--type", "embargo.scheduled", "--authority", "Walsall"});
    REQUIRE(s.code == 0);
    CHECK(s.out.find("No notifier would get it.\n") != std::string::npos);
    CHECK(s.out.find("events not set: every type but embargo.scheduled (list it in events to get it)") !=
          std::string::npos);
}

TEST_CASE("route-test: --expect holds or exits 1 saying what went where", "[cmd_route_test]") {
    RouteBox box;
    std::vector<std::string> walsall{"--type",    "assessment.published", "--authority", "Walsall", "--rating",
                                     "inadequate"};
    auto args = walsall;
    args.insert(args.end(), {"--expect", "walsall-team", "--expect", "newsdesk"});
    CHECK(box.run(args).code == 0);
    args = walsall;
    args.insert(args.end(), {"--expect", "newsdesk"});
    auto wrong = box.run(args);
    CHECK(wrong.code == 1);
    CHECK(wrong.err == "cqcwatch: route-test: expected newsdesk, got newsdesk, walsall-team\n");
    auto none = box.run({"--type", "embargo.scheduled", "--expect-none"});
    CHECK(none.code == 0);
}

TEST_CASE("route-test: a mistyped type, council or rating, or a bad config, is a usage error (2)", "[cmd_route_test]") {
    RouteBox box;
    auto type = box.run({"--type", "assessment.publish"});
    CHECK(type.code == 2);
    CHECK(type.err.rfind("cqcwatch: --type: unknown event type 'assessment.publish' (expected one of "
                         "assessment.published, ",
                         0) == 0);
    CHECK(type.out.empty());
    auto council = box.run({"--type", "assessment.published", "--authority", "Wallsall"});
    CHECK(council.code == 2);
    CHECK(council.err.find("unknown council 'Wallsall'") != std::string::npos);
    auto rating = box.run({"--type", "assessment.published", "--rating", "terrible"});
    CHECK(rating.code == 2);
    CHECK(rating.err.find("--rating") != std::string::npos);
    t::write_file(box.config, "[daemon]\nnonsense = 1\n");
    auto config = box.run({"--type", "assessment.published"});
    CHECK(config.code == 2);
    CHECK(config.err.find("nonsense") != std::string::npos);
}

TEST_CASE("route-test: --expect-includes holds when those get it among others, or exits 1 naming who is missing",
          "[cmd_route_test]") {
    RouteBox box;
    const std::vector<std::string> walsall{"--type",    "assessment.published", "--authority", "Walsall", "--rating",
                                           "inadequate"};
    auto args = walsall;
    args.insert(args.end(), {"--expect-includes", "newsdesk"});  // walsall-team gets it too: fine
    auto among = box.run(args);
    INFO(among.out << among.err);
    CHECK(among.code == 0);
    CHECK(among.err.empty());
    args = walsall;
    args.insert(args.end(), {"--expect-includes", "newsdesk", "--expect-includes", "charity"});
    auto missing = box.run(args);
    CHECK(missing.code == 1);
    CHECK(missing.err == "cqcwatch: route-test: expected charity among those that get it, got newsdesk, walsall-team\n");
    CHECK(missing.out.find("2 of 3 notifiers would get it") != std::string::npos);  // the table still shows why
}

TEST_CASE("route-test: every mistyped value is reported at once, notifier names included", "[cmd_route_test]") {
    RouteBox box;
    auto r = box.run({"--type", "assessment.publish", "--authority", "Wallsall", "--rating", "terrible", "--format",
                      "yaml", "--expect", "newsdsk", "--expect-includes", "walsal-team"});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("cqcwatch: --type: unknown event type 'assessment.publish'") != std::string::npos);
    CHECK(r.err.find("unknown council 'Wallsall'") != std::string::npos);
    CHECK(r.err.find("--rating: expected outstanding") != std::string::npos);
    CHECK(r.err.find("--format: expected table or json, got 'yaml'") != std::string::npos);
    CHECK(r.err.find("cqcwatch: --expect: no notifier 'newsdsk' in " + box.config +
                     " (it has newsdesk, walsall-team, charity)") != std::string::npos);
    CHECK(r.err.find("cqcwatch: --expect-includes: no notifier 'walsal-team'") != std::string::npos);
    // One line each, each its own "cqcwatch:" line.
    std::size_t lines = 0;
    for (auto at = r.err.find("cqcwatch: "); at != std::string::npos; at = r.err.find("cqcwatch: ", at + 1)) ++lines;
    CHECK(lines == 6);
}
