// `cqcwatch report --format html` opened in a real browser: Debian's headless
// Chromium renders the page to PNG and dumps the DOM it built, and the test
// reads what it rendered — the councils, ratings and charts a person would see —
// and measures it (tests/tools/layout_probe.js, run in a copy of the page): in a
// 1280 px window nothing is wider than the window and no text is cut off. The
// same for the one-council card, as HTML and as SVG.

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"
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
    CHECK(dom.out.find(">Safeguarding</abbr></h3>") != std::string::npos);
    CHECK(dom.out.find("England: distribution per statement") != std::string::npos);
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

namespace {

/// What tests/tools/layout_probe.js measured in `page` (HTML) laid out by Chromium in a 1280 px window.
nlohmann::json layout_of(const t::TempDir& dir, const std::string& page_html, const std::string& name) {
    std::string probe = page_html;
    const std::string script =
        "<script>" + t::read_file(std::string(CQCWATCH_TOOLS_DIR) + "/layout_probe.js") + "</script>";
    const auto body_end = probe.rfind("</body>");
    REQUIRE(body_end != std::string::npos);
    probe.insert(body_end, script);
    const std::string path = dir.file(name + ".probe.html");
    t::write_file(path, probe);
    auto dom = chromium(dir, "file://" + path, {"--dump-dom", "--window-size=1280,1000"});
    INFO(dom.err);
    REQUIRE(dom.code == 0);
    const auto at = dom.out.find("PROBE{"), end = dom.out.find("}END", at);
    REQUIRE(at != std::string::npos);
    REQUIRE(end != std::string::npos);
    return nlohmann::json::parse(dom.out.substr(at + 5, end + 1 - (at + 5)));
}

/// The page as a person sees it: nothing wider than the window, nothing cut off.
void check_nothing_cut_off(const nlohmann::json& m) {
    INFO(m.dump(2));
    CHECK(m["innerWidth"] == 1280);                                     // the window the test asked for
    CHECK(m["scrollWidth"].get<int>() <= m["clientWidth"].get<int>());  // no horizontal scrollbar
    CHECK(m["boxes"].get<int>() + m["svg_texts"].get<int>() > 20);  // it measured a real page
    CHECK(m["overflowing"].empty());
    CHECK(m["outside"].empty());
    CHECK(m["svg_clipped"].empty());
    CHECK(m["off_colour_box"].empty());
    CHECK(m["overlapping"].empty());
}

/// A screenshot of `url` at `width` x `height`, checked to be that size and not blank.
void screenshot(const t::TempDir& dir, const std::string& url, const std::string& png_path, int width, int height,
                std::size_t at_least) {
    auto shot =
        chromium(dir, url,
                 {"--screenshot=" + png_path, "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                  "--hide-scrollbars"});
    INFO(shot.err);
    REQUIRE(shot.code == 0);
    const std::string png = t::read_file(png_path);
    REQUIRE(png.size() > 24);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(be32(png, 16) == static_cast<std::uint32_t>(width));
    CHECK(be32(png, 20) == static_cast<std::uint32_t>(height));
    CHECK(png.size() > at_least);  // a blank or error page compresses to a few kilobytes
}

/// The history plus councils with the longest names and a region name as long as any, as the table must fit them.
void write_long_names_history(const std::string& db) {
    t::write_known_history(db, t::yesterday_utc());
    cqcwatch::Store store = cqcwatch::Store::open_or_throw(db, cqcwatch::StoreMode::read_write);
    cqcwatch::RecordContext ctx{
        std::chrono::system_clock::now() - std::chrono::hours(24 * 30), "cqc-reports", false, {}, std::nullopt};
    for (const t::KnownAssessment& k : std::vector<t::KnownAssessment>{{"Bournemouth, Christchurch and Poole",
                                                                        "bcp",
                                                                        "2025-05-01",
                                                                        {3, 3, 2, 3, 3, 3, 3, 3, 3},
                                                                        cqcwatch::Rating::good},
                                                                       {"Kingston upon Hull",
                                                                        "hull",
                                                                        "2024-12-01",
                                                                        {2, 2, 2, 2, 2, 2, 2, 2, 2},
                                                                        cqcwatch::Rating::requires_improvement},
                                                                       {"Windsor and Maidenhead",
                                                                        "windsor",
                                                                        "2025-01-10",
                                                                        {2, 2, 1, 2, 2, 2, 2, 2, 2},
                                                                        cqcwatch::Rating::requires_improvement}})
        store.record_document(t::known_report(k, t::yesterday_utc()), ctx).value();
}

/// The mean of statement `i` over `rows`, as the report prints it ("2.33").
std::string mean_of(const std::vector<t::KnownAssessment>& rows, std::size_t i) {
    double sum = 0;
    for (const auto& r : rows) sum += r.scores[i];
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", sum / static_cast<double>(rows.size()));
    return buf;
}

/// Each council's latest assessment not withdrawn in the known history (Cornwall's was withdrawn).
std::vector<t::KnownAssessment> known_latest() {
    const auto& h = t::known_history();
    return {h[1], h[3], t::dudley_new(), h[4], t::kent_rerated(), h[6]};
}

std::size_t councils_in_region(const std::string& code) {
    std::size_t n = 0;
    for (const auto& e : cqcwatch::Authorities::builtin().all()) n += e.region == code;
    return n;
}

}  // namespace

TEST_CASE("report --format html: named score columns and a key, and nothing cut off in a 1280 px window",
          "[cmd_report]") {
    REQUIRE(!chromium_path().empty());
    t::TempDir dir("report-layout");
    const std::string db = dir.file("history.db");
    write_long_names_history(db);
    const std::string page = dir.file("report.html");
    auto r = t::run_cqcwatch({"report", "--output", page, "--database", db}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string html = t::read_file(page);
    // Column heads are the short names (their long words may break at a soft hyphen), each with the statement in full on hover; the key lists all nine.
    const std::array<const char*, 9> short_names{"Assessing needs", "Healthier lives", "Equity",
                                                 "Care provision",  "Partnerships",    "Safe pathways",
                                                 "Safeguarding",    "Governance",      "Learning"};
    const std::string shy = "&shy;";
    std::string heads = html;
    for (auto at = heads.find(shy); at != std::string::npos; at = heads.find(shy, at)) heads.erase(at, shy.size());
    for (std::size_t i = 0; i < 9; ++i) {
        const std::string full(cqcwatch::to_label(cqcwatch::statement_at(i)));
        const std::string theme(cqcwatch::to_label(cqcwatch::theme_of(cqcwatch::statement_at(i))));
        INFO(full);
        CHECK(heads.find("<th class=\"q\"><abbr title=\"QS" + std::to_string(i + 1) + " " + full + " (" + theme +
                        ")\">" + short_names[i] + "</abbr></th>") != std::string::npos);
        CHECK(html.find("<dt>" + std::string(short_names[i]) + "</dt><dd>QS" + std::to_string(i + 1) + " " + full) !=
              std::string::npos);
    }
    CHECK(html.find(">Q1<") == std::string::npos);
    CHECK(html.find("England mean (9 councils)") != std::string::npos);

    check_nothing_cut_off(layout_of(dir, html, "report"));
    screenshot(dir, "file://" + page, dir.file("report-1280.png"), 1280, 2400, 60000);
}

TEST_CASE("report --region names the region and puts England's figures beside it", "[cmd_report]") {
    REQUIRE(!chromium_path().empty());
    t::TempDir dir("report-region");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    const std::string page = dir.file("wm.html");
    auto r = t::run_cqcwatch({"report", "--region", "west-midlands", "--output", page, "--database", db}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const std::string html = t::read_file(page);
    CHECK(html.find("National") == std::string::npos);
    CHECK(html.find("<h1>CQC local authority assessments: West Midlands</h1>") != std::string::npos);
    CHECK(html.find("3 of " + std::to_string(councils_in_region("E12000005")) +
                    " councils in West Midlands assessed") != std::string::npos);
    CHECK(html.find("West Midlands: distribution per statement") != std::string::npos);
    // The region's councils only in the table; the region's means and England's under it.
    CHECK(html.find("<td>Walsall</td>") != std::string::npos);
    CHECK(html.find("<td>Camden</td>") == std::string::npos);
    const auto all = known_latest();
    const std::vector<t::KnownAssessment> wm{all[0], all[1], all[2]};  // Walsall, Birmingham, Dudley
    std::string region_row = "West Midlands mean (3 councils)</td>", england_row = "England mean (6 councils)</td>";
    for (std::size_t i = 0; i < 9; ++i) {
        region_row += "<td class=\"m\">" + mean_of(wm, i) + "</td>";
        england_row += "<td class=\"m\">" + mean_of(all, i) + "</td>";
    }
    const auto strip_pct = [](const std::string& h) {  // the percentage cell between label and scores
        std::string out;
        for (std::size_t at = 0; at < h.size();) {
            auto s = h.find("<td class=\"n\">", at);
            if (s == std::string::npos) {
                out += h.substr(at);
                break;
            }
            out += h.substr(at, s - at);
            at = h.find("</td>", s) + 5;
        }
        return out;
    };
    const std::string flat = strip_pct(html);
    CHECK(flat.find(region_row) != std::string::npos);
    CHECK(flat.find(england_row) != std::string::npos);
    CHECK(html.find("(England " + mean_of(all, 6) + ")") != std::string::npos);  // beside the safeguarding chart
    check_nothing_cut_off(layout_of(dir, html, "region"));
}

TEST_CASE("report --authority: a card with the rating before, scores against region and England, history, links",
          "[cmd_report]") {
    REQUIRE(!chromium_path().empty());
    t::TempDir dir("report-card");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    const std::string page = dir.file("walsall.html");
    auto r = t::run_cqcwatch({"report", "--authority", "walsall", "--output", page, "--database", db}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const std::string html = t::read_file(page);
    // Self-contained: no scripts, nothing to fetch (links are anchors only).
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);

    auto dom = chromium(dir, "file://" + page, {"--dump-dom"});
    REQUIRE(dom.code == 0);
    CHECK(dom.out.find("<h1>Walsall</h1>") != std::string::npos);
    CHECK(dom.out.find("Metropolitan borough in West Midlands") != std::string::npos);
    CHECK(dom.out.find(">Requires improvement</span><span>53%, published 2026-01-23</span>") != std::string::npos);
    CHECK(dom.out.find("<p>Previous: Good, 75%, published 2024-02-01</p>") != std::string::npos);
    CHECK(dom.out.find("<th class=\"n\">West Midlands mean</th><th class=\"n\">England mean</th>") !=
          std::string::npos);
    // Each statement: Walsall's score, the West Midlands mean, England's mean.
    const auto all = known_latest();
    const std::vector<t::KnownAssessment> wm{all[0], all[1], all[2]};
    for (std::size_t i = 0; i < 9; ++i) {
        const std::string label(cqcwatch::to_label(cqcwatch::statement_at(i)));
        const auto at = dom.out.find(">" + label + "</abbr></td>");
        REQUIRE(at != std::string::npos);
        const std::string row = dom.out.substr(at, dom.out.find("</tr>", at) - at);
        INFO(row);
        CHECK(row.find(">" + std::to_string(all[0].scores[i]) + "</td><td class=\"n\">" + mean_of(wm, i) +
                       "</td><td class=\"n\">" + mean_of(all, i) + "</td>") != std::string::npos);
    }
    CHECK(dom.out.find("<li>2026-01-23  Requires improvement  53%</li>") != std::string::npos);
    CHECK(dom.out.find("<li>2024-02-01  Good  75%</li>") != std::string::npos);
    CHECK(dom.out.find("href=\"" + t::k_report_base + "walsall-2026\"") != std::string::npos);
    CHECK(dom.out.find("3 in West Midlands, 6 in England") != std::string::npos);

    check_nothing_cut_off(layout_of(dir, html, "card"));
    screenshot(dir, "file://" + page, dir.file("card.png"), 1280, 1000, 30000);
}

TEST_CASE("report --authority --format svg: the same card as a standalone, well-formed SVG with nothing cut off",
          "[cmd_report]") {
    REQUIRE(!chromium_path().empty());
    REQUIRE(::access("/usr/bin/xmllint", X_OK) == 0);  // scripts/deps.sh installs libxml2-utils
    t::TempDir dir("report-svg");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    for (const char* council : {"Walsall", "Cornwall", "Wolverhampton"}) {
        const std::string svg_path = dir.file(std::string(council) + ".svg");
        auto r = t::run_cqcwatch(
            {"report", "--authority", council, "--format", "svg", "--output", svg_path, "--database", db}, dir);
        INFO(council << ": " << r.err);
        REQUIRE(r.code == 0);
        auto lint = t::run_program({"/usr/bin/xmllint", "--noout", svg_path}, dir);
        INFO(lint.err);
        CHECK(lint.code == 0);
        const std::string svg = t::read_file(svg_path);
        CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
        CHECK(svg.find("<script") == std::string::npos);
        CHECK(svg.find("<image") == std::string::npos);
        CHECK(svg.find("url(") == std::string::npos);
        CHECK(svg.find(">" + std::string(council) + "</text>") != std::string::npos);
        // The drawing, laid out by Chromium inside an HTML page of its own, then as the image it is.
        const std::string wrapper =
            "<!DOCTYPE html><html><body style=\"margin:0\">" + svg.substr(svg.find("<svg")) + "</body></html>";
        check_nothing_cut_off(layout_of(dir, wrapper, council));
        const auto h_at = svg.find("height=\"") + 8;
        const int height = std::stoi(svg.substr(h_at, svg.find('"', h_at) - h_at));
        screenshot(dir, "file://" + svg_path, dir.file(std::string(council) + ".png"), 720, height, 20000);
    }
    const std::string walsall = t::read_file(dir.file("Walsall.svg"));
    CHECK(walsall.find(">Requires improvement</text>") != std::string::npos);
    CHECK(walsall.find(">53%, published 2026-01-23</text>") != std::string::npos);
    CHECK(walsall.find(">Previous: Good, 75%, published 2024-02-01</text>") != std::string::npos);
    CHECK(walsall.find("Scores (1 to 4) against the means of West Midlands and England") != std::string::npos);
    const std::string cornwall = t::read_file(dir.file("Cornwall.svg"));
    CHECK(cornwall.find(">Withdrawn</text>") != std::string::npos);
    CHECK(cornwall.find("Inadequate  31%  (withdrawn from CQC&#39;s site)") != std::string::npos);
    const std::string never = t::read_file(dir.file("Wolverhampton.svg"));
    CHECK(never.find(">Not assessed</text>") != std::string::npos);
    CHECK(never.find(">CQC has not assessed this council yet</text>") != std::string::npos);
    CHECK(never.find("None: CQC has not assessed this council yet.") != std::string::npos);
}

TEST_CASE("report --authority: a council never assessed says so, and an unknown name suggests the nearest",
          "[cmd_report]") {
    t::TempDir dir("report-card-errors");
    const std::string db = dir.file("history.db");
    t::write_known_history(db, t::yesterday_utc());
    auto r = t::run_cqcwatch({"report", "--authority", "Wolverhampton", "--database", db}, dir);
    REQUIRE(r.code == 0);
    CHECK(r.out.find(">Not assessed</span><span>CQC has not assessed this council yet</span>") != std::string::npos);
    CHECK(r.out.find("<p>None: CQC has not assessed this council yet.</p>") != std::string::npos);
    CHECK(r.out.find("Previous:") == std::string::npos);

    r = t::run_cqcwatch({"report", "--authority", "Walsel", "--database", db}, dir);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("unknown council 'Walsel' (did you mean 'Walsall'") != std::string::npos);

    r = t::run_cqcwatch({"report", "--format", "svg", "--database", db}, dir);
    CHECK(r.code == 2);
    CHECK(r.err.find("--format svg: the image is one council's card; name it with --authority NAME") !=
          std::string::npos);
    r = t::run_cqcwatch({"report", "--format", "pdf", "--database", db}, dir);
    CHECK(r.code == 2);
    CHECK(r.err.find("--format: expected html or svg, got 'pdf'") != std::string::npos);
}

TEST_CASE("report --authority: under a pending embargo the card shows when it lifts and no figures",
          "[cmd_report][embargo]") {
    t::TempDir dir("report-card-embargo");
    const std::string db = dir.file("history.db");
    const auto lift =
        std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now() + std::chrono::hours(24 * 20));
    const std::string release = dir.file("future.eml");
    t::write_file(release, t::release_email(lift, "https://www.cqc.org.uk/care-services/x/walsall"));
    auto r = t::run_cqcwatch({"ingest", "--database", db, release}, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    for (const char* format : {"html", "svg"}) {
        r = t::run_cqcwatch({"report", "--authority", "Walsall", "--format", format, "--database", db}, dir);
        INFO(format << ": " << r.err);
        REQUIRE(r.code == 0);
        CHECK(r.out.find("Embargoed<") != std::string::npos);
        CHECK(r.out.find(": no figures before then<") != std::string::npos);
        CHECK(r.out.find("Requires improvement") == std::string::npos);
        CHECK(r.out.find("Inadequate") == std::string::npos);
        CHECK(r.out.find("Good") == std::string::npos);
        // Nor in the means: an embargoed result counts nowhere yet.
        CHECK(r.out.find("0 in West Midlands, 0 in England") != std::string::npos);
    }
}
