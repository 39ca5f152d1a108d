// `cqcwatch parse` run as a user would: the real binary on real texts.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace {

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-parse-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

/// Runs the binary with args (already shell-quoted), stdout and stderr to files in dir.
Run run_cqcwatch(const std::string& dir, const std::string& args) {
    const std::string out = dir + "/out", err = dir + "/err";
    const std::string cmd = std::string("'") + CQCWATCH_BIN + "' " + args + " >'" + out + "' 2>'" + err + "'";
    Run r;
    const int raw = std::system(cmd.c_str());
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

}  // namespace

TEST_CASE("cmd_parse: the Walsall seed prints its assessment and embargo", "[integration][parse]") {
    const auto dir = temp_dir();
    const std::string seed = std::string(CQCWATCH_SHARED_DIR) + "/seeds/walsall-2026-embargoed-press-release.txt";
    const auto r = run_cqcwatch(dir, "parse '" + seed + "'");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("kind") == "press-release");
    CHECK(j.at("authority") == nlohmann::json({{"name", "Walsall"}, {"code", "E08000030"}}));
    const auto& a = j.at("assessment");
    CHECK(a.at("rating") == "requires_improvement");
    CHECK(a.at("indicative") == false);
    CHECK(a.at("percentage") == 53);  // 19 of 36 = 52.8, shown whole
    CHECK(a.at("percentage_basis") == "computed");
    REQUIRE(a.at("scores").size() == 9);
    const std::array<int, 9> expected{2, 2, 2, 2, 3, 2, 2, 2, 2};
    for (std::size_t i = 0; i < 9; ++i) CHECK(a.at("scores").at(i).at("score") == expected[i]);
    CHECK(a.at("scores").at(0).at("statement") == "assessing_needs");
    CHECK(a.at("scores").at(8).at("theme") == "leadership");
    CHECK(j.at("embargo").at("until") == "2026-01-23T00:01:00Z");
    CHECK(j.at("embargo").at("resolved") == true);
    CHECK(j.at("published") == "2026-01-22");
    CHECK(j.at("warnings") == nlohmann::json::array());
}

TEST_CASE("cmd_parse: stdin and --kind work", "[integration][parse]") {
    const auto dir = temp_dir();
    const std::string seed = std::string(CQCWATCH_SHARED_DIR) + "/seeds/birmingham-2023-pilot-press-release.txt";
    const auto r = run_cqcwatch(dir, "parse --kind press-release - <'" + seed + "'");
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("assessment").at("indicative") == true);
    CHECK(j.at("assessment").at("rating") == "good");
    CHECK(j.at("embargo").is_null());
}

TEST_CASE("cmd_parse: an empty file is exit 1 with one line on stderr", "[integration][parse]") {
    const auto dir = temp_dir();
    const std::string empty = dir + "/empty.txt";
    std::ofstream(empty).close();
    const auto r = run_cqcwatch(dir, "parse '" + empty + "'");
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "cqcwatch: parse: " + empty + ": empty input: expected a page, feed or message\n");
}

TEST_CASE("cmd_parse: a missing file and bad usage", "[integration][parse]") {
    const auto dir = temp_dir();
    const auto missing = run_cqcwatch(dir, "parse '" + dir + "/nope.txt'");
    CHECK(missing.status == 1);
    CHECK(missing.err == "cqcwatch: parse: " + dir + "/nope.txt: cannot open the file\n");
    CHECK(run_cqcwatch(dir, "parse").status == 2);
    const auto bad_kind = run_cqcwatch(dir, "parse --kind poem '" + dir + "/nope.txt'");
    CHECK(bad_kind.status == 2);
    CHECK(bad_kind.err.starts_with("cqcwatch: parse: --kind must be"));
}

TEST_CASE("cmd_parse: an emailed release takes its embargo year from the Date header", "[integration][parse]") {
    const auto dir = temp_dir();
    const std::string path = dir + "/release.eml";
    std::ofstream(path)
        << "From: Press Office <press@example.org>\r\nTo: desk@example.org\r\n"
           "Subject: Embargoed: CQC rates a council\r\nDate: Tue, 30 Dec 2025 09:30:00 +0000\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Press release embargoed until 00.01hrs on Friday 2 January\r\n"
           "CQC has rated Westmorland and Furness Council as good, in how well they meet their duties.\r\n";
    const auto r = run_cqcwatch(dir, "parse --kind email '" + path + "'");
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("authority").at("code") == "E06000064");
    CHECK(j.at("embargo").at("until") == "2026-01-02T00:01:00Z");
    CHECK(j.at("embargo").at("resolved") == true);
}
