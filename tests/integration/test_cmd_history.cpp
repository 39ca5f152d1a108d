// The real binary: ingest both seed press releases, then history, show,
// embargoes and export print the ratings and scores the hand labels give.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "parsers/model.hpp"

namespace {

struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Sandbox {
    std::filesystem::path dir;
    Sandbox() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-hist-XXXXXX").string();
        dir = ::mkdtemp(tmpl.data());
    }
    ~Sandbox() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string db() const { return (dir / "history.db").string(); }

    // Runs cqcwatch with `args` (already quoted), the database named by $CQCWATCH_DATABASE.
    Run run(const std::string& args) const {
        std::string err_file = (dir / "stderr.txt").string();
        std::string cmd = "env -u CQCWATCH_CONFIG CQCWATCH_DATABASE=" + quote(db()) + " " + quote(CQCWATCH_BIN) + " " +
                          args + " 2>" + quote(err_file);
        Run r;
        FILE* p = ::popen(cmd.c_str(), "r");
        REQUIRE(p);
        std::array<char, 4096> buf{};
        std::size_t n = 0;
        while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
        int status = ::pclose(p);
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        std::ifstream e(err_file);
        r.err.assign(std::istreambuf_iterator<char>(e), {});
        return r;
    }
};

std::string seed(const std::string& name) { return std::string(CQCWATCH_SHARED_DIR) + "/seeds/" + name; }

nlohmann::json labels() {
    std::ifstream in(seed("labels.json"));
    return nlohmann::json::parse(in);
}

nlohmann::json label_for(const std::string& file) {
    for (const auto& l : labels())
        if (l["file"] == file) return l;
    FAIL("no label for " << file);
    return {};
}

std::string compact(const nlohmann::json& scores) {
    std::string out;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (i == 3 || i == 5 || i == 7) out += ' ';
        out += std::to_string(scores[i].get<int>());
    }
    return out;
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> f{""};
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
            f.back() += '"', ++i;
        else if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted)
            f.emplace_back();
        else
            f.back() += c;
    }
    return f;
}

const std::string k_walsall = "walsall-2026-embargoed-press-release.txt";
const std::string k_birmingham = "birmingham-2023-pilot-press-release.txt";

// Ingests both seeds into the sandbox's database.
void ingest_seeds(const Sandbox& box) {
    Run r = box.run("ingest " + quote(seed(k_walsall)) + " " + quote(seed(k_birmingham)));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("created") != std::string::npos);
}

}  // namespace

TEST_CASE("cmd history: ingest both seeds, history json/table give the labelled ratings and scores", "[cmd_history]") {
    Sandbox box;
    ingest_seeds(box);
    Run r = box.run("history --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto rows = nlohmann::json::parse(r.out);
    REQUIRE(rows.size() == 2);
    const std::string files[] = {k_walsall, k_birmingham};  // newest first
    for (std::size_t i = 0; i < 2; ++i) {
        auto label = label_for(files[i]);
        CHECK(rows[i]["rating"] == label["overall_rating"]);
        CHECK(rows[i]["indicative"] == label["indicative"]);
        CHECK(rows[i]["published"] == label["published"]);
        for (std::size_t s = 0; s < 9; ++s) CHECK(rows[i]["scores"][s]["score"] == label["scores"][s]);
    }
    Run table = box.run("history");
    REQUIRE(table.code == 0);
    CHECK(table.out.find("Walsall") < table.out.find("Birmingham"));
    CHECK(table.out.find(compact(label_for(k_walsall)["scores"])) != std::string::npos);
    CHECK(table.out.find(compact(label_for(k_birmingham)["scores"])) != std::string::npos);
    Run filtered = box.run("history --format json --authority E08000025 --rating good --indicative --since 2023-01-01");
    REQUIRE(filtered.code == 0);
    CHECK(nlohmann::json::parse(filtered.out).size() == 1);
}

TEST_CASE("cmd history: ingesting the same files again changes nothing", "[cmd_history]") {
    Sandbox box;
    ingest_seeds(box);
    Run again = box.run("ingest " + quote(seed(k_walsall)) + " " + quote(seed(k_birmingham)));
    REQUIRE(again.code == 0);
    CHECK(again.out.find("created") == std::string::npos);
    CHECK(nlohmann::json::parse(box.run("history --format json").out).size() == 2);
}

TEST_CASE("cmd history: show by short name and by full name, scores by theme", "[cmd_history]") {
    Sandbox box;
    ingest_seeds(box);
    Run w = box.run("show Walsall");
    INFO(w.err);
    REQUIRE(w.code == 0);
    CHECK(w.out.find("Walsall (E08000030): 1 assessment") != std::string::npos);
    CHECK(w.out.find("Requires improvement") != std::string::npos);
    for (std::size_t i = 0; i < 9; ++i) {
        std::string label(cqcwatch::to_label(cqcwatch::statement_at(i)));
        auto at = w.out.find(label);
        REQUIRE(at != std::string::npos);
        auto line = w.out.substr(at, w.out.find('\n', at) - at);
        CHECK(line.back() == static_cast<char>('0' + label_for(k_walsall)["scores"][i].get<int>()));
    }
    Run b = box.run("show " + quote("Birmingham City Council"));
    REQUIRE(b.code == 0);
    CHECK(b.out.find("Birmingham (E08000025): 1 assessment") != std::string::npos);
    CHECK(b.out.find("Good") != std::string::npos);
    CHECK(b.out.find("(indicative)") != std::string::npos);
    Run unknown = box.run("show Wolsall");
    CHECK(unknown.code == 2);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.find("cqcwatch: unknown council 'Wolsall' (did you mean 'Walsall'") == 0);
}

TEST_CASE("cmd history: export csv is RFC 4180 with a header and the labelled values", "[cmd_history]") {
    Sandbox box;
    ingest_seeds(box);
    Run r = box.run("export --format csv");
    REQUIRE(r.code == 0);
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        REQUIRE(!line.empty());
        CHECK(line.back() == '\r');
        line.pop_back();
        lines.push_back(line);
    }
    REQUIRE(lines.size() == 3);
    auto header = split_csv_line(lines[0]);
    auto col = [&header](const std::string& name) {
        auto it = std::find(header.begin(), header.end(), name);
        REQUIRE(it != header.end());
        return static_cast<std::size_t>(it - header.begin());
    };
    for (std::size_t row = 1; row < 3; ++row) {
        auto f = split_csv_line(lines[row]);
        REQUIRE(f.size() == header.size());
        auto label = label_for(f[col("authority")] == "Walsall" ? k_walsall : k_birmingham);
        CHECK(f[col("rating")] == label["overall_rating"].get<std::string>());
        CHECK(f[col("published")] == label["published"].get<std::string>());
        for (std::size_t s = 0; s < 9; ++s)
            CHECK(f[col(std::string(cqcwatch::to_key(cqcwatch::statement_at(s))))] ==
                  std::to_string(label["scores"][s].get<int>()));
    }
    Run json = box.run("export --format json");
    REQUIRE(json.code == 0);
    CHECK(nlohmann::json::parse(json.out)["assessments"].size() == 2);
}

TEST_CASE("cmd history: embargoes show the lift in UK time and UTC - status and deliveries run", "[cmd_history]") {
    Sandbox box;
    ingest_seeds(box);
    Run e = box.run("embargoes");
    INFO(e.err);
    REQUIRE(e.code == 0);
    CHECK(e.out.find("Walsall") != std::string::npos);
    CHECK(e.out.find("Fri 23 Jan 2026 00:01 GMT") != std::string::npos);
    CHECK(e.out.find("2026-01-23 00:01:00 UTC") != std::string::npos);
    Run s = box.run("status --format json");
    REQUIRE(s.code == 0);
    CHECK(nlohmann::json::parse(s.out)["assessments"] == 2);
    CHECK(box.run("deliveries --status dead").code == 0);
    CHECK(box.run("redeliver 12345").code == 1);
}

TEST_CASE("cmd history: a missing or corrupt database is one clear line and exit 1", "[cmd_history]") {
    Sandbox box;
    Run missing = box.run("history");
    CHECK(missing.code == 1);
    CHECK(missing.err.find(box.db() + ": no database yet") != std::string::npos);
    std::ofstream(box.db()) << std::string(4096, 'x');
    Run corrupt = box.run("history");
    CHECK(corrupt.code == 1);
    CHECK(corrupt.err.find(box.db() + ": not a valid cqcwatch database") != std::string::npos);
    CHECK(std::count(corrupt.err.begin(), corrupt.err.end(), '\n') == 1);
}
