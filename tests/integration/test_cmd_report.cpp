// `cqcwatch report --format html` opened in a real browser: Debian's headless
// Chromium renders the page to PNG and dumps the DOM it built, and the test
// reads what it rendered — the councils, ratings and charts a person would see.

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;

namespace {

std::string chromium_path() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (::access(p, X_OK) == 0) return p;
    return "";
}

/// Headless Chromium on `url` with `extra` arguments; never the network, a profile of its own, at most 90 s.
t::CommandResult chromium(const t::TempDir& dir, const std::string& url, std::vector<std::string> extra) {
    std::vector<std::string> argv{"/usr/bin/timeout", "90", chromium_path(), "--headless", "--no-sandbox",
                                  "--disable-gpu", "--no-first-run", "--user-data-dir=" + dir.file("profile"),
                                  "--host-resolver-rules=MAP * ~NOTFOUND"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url);
    static int n = 0;
    std::string base = dir.file("chromium-" + std::to_string(++n));
    pid_t pid = t::detail::spawn(argv, base + ".out", base + ".err", {{"HOME", dir.path().string()}});
    t::CommandResult r;
    r.code = t::detail::reap(pid, t::Ms(120000)).value_or(-1);
    r.out = t::read_file(base + ".out");
    r.err = t::read_file(base + ".err");
    return r;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}

}  // namespace

TEST_CASE("report --format html: one self-contained page that Chromium renders", "[cmd_report]") {
    REQUIRE(!chromium_path().empty());  // scripts/deps.sh installs Debian's chromium
    t::TempDir dir("report");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    const std::string page = dir.file("report.html");
    auto r = t::run_cqcwatch({"report", "--format", "html", "--output", page, "--database", db}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const std::string html = t::read_file(page);
    // Self-contained: no scripts, nothing to fetch.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);

    auto dom = chromium(dir, "file://" + page, {"--dump-dom"});
    INFO(dom.err);
    REQUIRE(dom.code == 0);
    // What the browser built: every current council with its rating, the charts, the history of each council.
    CHECK(dom.out.find("<h1>CQC local authority assessments</h1>") != std::string::npos);
    for (const char* council : {"Walsall", "Birmingham", "Camden", "Kent", "Leeds", "Dudley", "Cornwall"})
        CHECK(dom.out.find(std::string("<td>") + council + "</td>") != std::string::npos);
    CHECK(dom.out.find(">Requires improvement</td>") != std::string::npos);
    CHECK(dom.out.find(">Outstanding</td>") != std::string::npos);
    CHECK(dom.out.find("<h3>Safeguarding</h3>") != std::string::npos);
    CHECK(dom.out.find("2024-02-01 Good 75%; 2026-01-23 Requires improvement 53%") != std::string::npos);
    CHECK(dom.out.find("2025-03-01 Inadequate 31% (withdrawn)") != std::string::npos);
    CHECK(dom.out.find("6 of 153 councils assessed") != std::string::npos);

    const std::string png_path = dir.file("report.png");
    auto shot = chromium(dir, "file://" + page, {"--screenshot=" + png_path, "--window-size=1280,1600"});
    INFO(shot.err);
    REQUIRE(shot.code == 0);
    const std::string png = t::read_file(png_path);
    REQUIRE(png.size() > 24);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(be32(png, 16) == 1280);  // IHDR width
    CHECK(be32(png, 20) == 1600);  // IHDR height
    // A blank or error page compresses to a few kilobytes; coloured tables and text do not.
    CHECK(png.size() > 40000);
}

TEST_CASE("report --output keeps what the path is: a link stays a link, a FIFO gets the page and stays a FIFO",
          "[cmd_report]") {
    namespace fs = std::filesystem;
    t::TempDir dir("report-output");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    const std::string heading = "<h1>CQC local authority assessments</h1>";

    // A symlink (a web root pointing at the current report): the file it points to is replaced.
    const std::string real = dir.file("real.html"), link = dir.file("latest.html");
    t::write_file(real, "old report");
    fs::create_symlink(real, link);
    auto r = t::run_cqcwatch({"report", "--output", link, "--database", db}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(fs::is_symlink(link));
    CHECK(t::read_file(real).find(heading) != std::string::npos);

    // A FIFO stands for /dev/null, /dev/stdout and pipes: written in place, never renamed over.
    const std::string fifo = dir.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string got = dir.file("from-pipe.html");
    pid_t reader = t::detail::spawn({"/usr/bin/timeout", "60", "/bin/cat", fifo}, got, dir.file("cat.err"), {});
    r = t::run_cqcwatch({"report", "--output", fifo, "--database", db}, dir);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(t::detail::reap(reader, t::Ms(90000)).value_or(-1) == 0);
    CHECK(fs::is_fifo(fifo));
    CHECK(t::read_file(got).find(heading) != std::string::npos);

    // A directory is refused with its name, and nothing is left behind anywhere.
    r = t::run_cqcwatch({"report", "--output", dir.path().string(), "--database", db}, dir);
    CHECK(r.code != 0);
    CHECK(r.err.find("is a directory") != std::string::npos);
    for (const auto& entry : fs::directory_iterator(dir.path()))
        CHECK(entry.path().extension() != ".tmp");
}
