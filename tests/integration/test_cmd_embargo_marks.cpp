// The real binary: an assessment whose embargo is still pending is marked in
// every output a desk might publish from (history, show, export; table, JSON
// and CSV), and one whose embargo is past is not.

#include <algorithm>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

struct MarksBox {
    t::TempDir dir{"marks"};
    std::map<std::string, std::string> env{{"CQCWATCH_DATABASE", dir.file("history.db")}};
    t::SysSeconds lift = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now() + 24h * 20);

    t::CommandResult run(const std::vector<std::string>& args) const { return t::run_cqcwatch(args, dir, env); }
    void ingest_both() const {
        std::string future = dir.file("future.eml");
        t::write_file(future, t::release_email(lift, "https://www.cqc.org.uk/care-services/x/walsall"));
        auto r = run(
            {"ingest", future, std::string(CQCWATCH_SHARED_DIR) + "/seeds/birmingham-2023-pilot-press-release.txt"});
        INFO(r.err);
        REQUIRE(r.code == 0);
    }
    std::string lift_rfc3339() const { return date::format("%Y-%m-%dT%H:%M:%SZ", lift); }
};

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> f{""};
        bool quoted = false;
        for (char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                f.emplace_back();
            else
                f.back() += c;
        }
        rows.push_back(f);
    }
    return rows;
}

/// Checks the CSV's embargo columns: Walsall's row marked, Birmingham's not.
void check_csv(const std::string& text, const std::string& until) {
    auto rows = csv_rows(text);
    REQUIRE(rows.size() == 3);
    auto col = [&](const std::string& name) {
        auto it = std::find(rows[0].begin(), rows[0].end(), name);
        REQUIRE(it != rows[0].end());
        return static_cast<std::size_t>(it - rows[0].begin());
    };
    for (std::size_t i = 1; i < rows.size(); ++i) {
        bool walsall = rows[i][col("authority")] == "Walsall";
        CHECK(rows[i][col("embargoed")] == (walsall ? "true" : "false"));
        CHECK(rows[i][col("embargo_until")] == (walsall ? until : ""));
    }
}

void check_records(const nlohmann::json& records, const std::string& until) {
    REQUIRE(records.size() == 2);
    for (const auto& r : records) {
        bool walsall = r["authority"]["name"] == "Walsall";
        CHECK(r["embargoed"] == walsall);
        CHECK(r["embargo_until"] == (walsall ? nlohmann::json(until) : nlohmann::json(nullptr)));
    }
}

}  // namespace

TEST_CASE("cmd embargo marks: history, show and export mark an assessment under a pending embargo",
          "[cmd_history][embargo]") {
    MarksBox box;
    box.ingest_both();
    std::string until = box.lift_rfc3339();

    auto json = box.run({"history", "--format", "json"});
    REQUIRE(json.code == 0);
    check_records(nlohmann::json::parse(json.out), until);
    auto csv = box.run({"history", "--format", "csv"});
    REQUIRE(csv.code == 0);
    check_csv(csv.out, until);
    auto table = box.run({"history"});
    REQUIRE(table.code == 0);
    CHECK(table.out.find("[embargoed until " + t::uk(box.lift, "%a %d %b %Y %H:%M %Z") + "]") != std::string::npos);

    auto ejson = box.run({"export", "--format", "json"});
    REQUIRE(ejson.code == 0);
    check_records(nlohmann::json::parse(ejson.out)["assessments"], until);
    auto ecsv = box.run({"export", "--format", "csv"});
    REQUIRE(ecsv.code == 0);
    check_csv(ecsv.out, until);

    auto show = box.run({"show", "Walsall", "--format", "json"});
    INFO(show.err);
    REQUIRE(show.code == 0);
    auto shown = nlohmann::json::parse(show.out)["assessments"];
    REQUIRE(shown.size() == 1);
    CHECK(shown[0]["embargoed"] == true);
    CHECK(shown[0]["embargo_until"] == until);
    auto show_text = box.run({"show", "Walsall"});
    CHECK(show_text.out.find("[embargoed until ") != std::string::npos);
}

TEST_CASE("cmd embargo marks: an embargo already past marks nothing", "[cmd_history][embargo]") {
    MarksBox box;
    auto r = box.run({"ingest", std::string(CQCWATCH_SHARED_DIR) + "/seeds/walsall-2026-embargoed-press-release.txt"});
    REQUIRE(r.code == 0);
    auto json = box.run({"history", "--format", "json"});
    REQUIRE(json.code == 0);
    auto rows = nlohmann::json::parse(json.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["embargoed"] == false);
    CHECK(rows[0]["embargo_until"].is_null());
}
