// The query commands on a history of ten years of assessments for all 153
// councils (about 3 000, every one with its events and change rows, some
// re-rated later), timed as whole `cqcwatch` processes: what a user waits for.
// The database is built once under $TMPDIR and reused.

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "parsers/authorities.hpp"
#include "store/store.hpp"

using namespace cqcwatch;

namespace {

constexpr int k_per_council = 20;  // one assessment every ~6 months for 10 years
const std::string k_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

Date date_days_ago(int days) {
    using namespace std::chrono;
    year_month_day ymd{floor<std::chrono::days>(system_clock::now()) - std::chrono::days(days)};
    return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

ParseResult assessment(std::size_t council, int j, int days_ago, unsigned salt) {
    const auto& c = Authorities::builtin().all()[council];
    ParseResult r;
    r.kind = DocKind::report;
    r.url = k_base + "bench-" + std::to_string(council) + "-" + std::to_string(j);
    r.authority = AuthorityRef{c.name, c.code, c.name};
    Assessment a;
    std::uint32_t x = static_cast<std::uint32_t>(council * 131 + static_cast<std::size_t>(j)) * 2654435761u + salt;
    int sum = 0;
    for (auto& s : a.scores) {
        x = x * 1664525u + 1013904223u;
        s = 1 + static_cast<int>((x >> 24) % 4);
        sum += *s;
    }
    a.rating = rating_for_percent(sum * 100 / 36);
    a.report_url = r.url;
    r.assessment = a;
    r.published = date_days_ago(days_ago);
    return r;
}

const std::string& history_db() {
    static const std::string path = [] {
        std::string p = (std::filesystem::temp_directory_path() / "cqcwatch-bench-query-v1.db").string();
        if (std::filesystem::exists(p)) return p;
        Store store = Store::open_or_throw(p, StoreMode::read_write);
        const auto now = std::chrono::system_clock::now();
        const std::size_t n = Authorities::builtin().all().size();
        std::size_t count = 0;
        for (int j = k_per_council - 1; j >= 0; --j)  // oldest first, as it happened
            for (std::size_t c = 0; c < n; ++c) {
                int days_ago = j * 182 + static_cast<int>(c % 170);
                RecordContext ctx{now - std::chrono::hours(24 * days_ago), "cqc-reports", false, {}, std::nullopt};
                store.record_document(assessment(c, j, days_ago, 12345u), ctx).value();
                ++count;
                if ((c + static_cast<std::size_t>(j)) % 10 == 0 && days_ago > 0) {  // re-rated a day later
                    ctx.now += std::chrono::hours(24);
                    store.record_document(assessment(c, j, days_ago, 999u), ctx).value();
                }
            }
        std::fprintf(stderr, "built %s: %zu assessments\n", p.c_str(), count);
        return p;
    }();
    return path;
}

// A config with three notifiers for route-test (it reads no database).
const std::string& route_config() {
    static const std::string path = [] {
        const auto dir = std::filesystem::temp_directory_path();
        const std::string secret = (dir / "cqcwatch-bench-query.secret").string();
        const std::string p = (dir / "cqcwatch-bench-query.toml").string();
        std::FILE* f = std::fopen(secret.c_str(), "w");
        std::fputs("s3cret", f);
        std::fclose(f);
        const std::string hook = "kind = \"webhook\"\nsecret_file = \"" + secret + "\"\n";
        const std::string text =
            "[daemon]\ndatabase = \"" + history_db() +
            "\"\nuser_agent_contact = \"bench@example.org\"\n\n"
            "[[notifier]]\nname = \"newsdesk\"\nurl = \"https://hooks.example.org/cqc\"\n" +
            hook +
            "events = [\"embargo.lifted\", \"assessment.published\"]\nratings = [\"requires_improvement\", "
            "\"inadequate\"]\n\n"
            "[[notifier]]\nname = \"walsall-team\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:2525\"\n"
            "from = \"cqcwatch@example.org\"\nto = [\"team@example.org\"]\nauthorities = [\"Walsall Council\"]\n\n"
            "[[notifier]]\nname = \"charity\"\nurl = \"https://hooks.example.org/charity\"\n" +
            hook + "ratings = [\"good\", \"outstanding\"]\n";
        f = std::fopen(p.c_str(), "w");
        std::fputs(text.c_str(), f);
        std::fclose(f);
        return p;
    }();
    return path;
}

void run_process(benchmark::State& state, const std::string& args) {
    std::string cmd = "env -u CQCWATCH_CONFIG CQCWATCH_DATABASE='" + history_db() + "' " + CQCWATCH_BIN + " " + args +
                      " >/dev/null 2>&1";
    for (auto _ : state) {
        int status = std::system(cmd.c_str());
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError(("failed: " + cmd).c_str());
    }
}

#define QUERY_BENCH(name, args)                                           \
    void BM_##name(benchmark::State& state) { run_process(state, args); } \
    BENCHMARK(BM_##name)->Unit(benchmark::kMillisecond)->MinTime(2.0)

QUERY_BENCH(version, "--version");
QUERY_BENCH(history_all_json, "history --format json");
QUERY_BENCH(history_latest, "history --latest --limit 0");
QUERY_BENCH(history_latest_where, "history --latest --where 'safeguarding<=1' --where 'percentage<50' --format json");
QUERY_BENCH(history_region_type,
            "history --region 'West Midlands' --type metropolitan --rating 'requires improvement'");
QUERY_BENCH(history_since_7d, "history --since 7d --format csv");
QUERY_BENCH(compare_three, "compare Walsall Wolverhampton Dudley --format json");
QUERY_BENCH(compare_region, "compare --region 'West Midlands'");
QUERY_BENCH(compare_region_json, "compare --region 'West Midlands' --format json");
QUERY_BENCH(compare_london_boroughs_csv, "compare --region London --type 'London borough' --format csv");
QUERY_BENCH(compare_walsall, "compare Walsall");
QUERY_BENCH(changes_7d, "changes --since 7d");
QUERY_BENCH(changes_365d_json, "changes --since 365d --format json");
// Issue 22: the filters, the window's end and the limit, over every change row (3650d).
QUERY_BENCH(changes_filters, "changes --since 3650d --region 'West Midlands' --rating 'requires improvement'");
QUERY_BENCH(changes_type_until_limit, "changes --since 3650d --until 30d --type metropolitan --limit 20");
QUERY_BENCH(changes_all_json, "changes --since 3650d --include-baseline --format json");
QUERY_BENCH(changes_empty, "changes --since 3650d --authority Walsall --rating outstanding");
QUERY_BENCH(history_wide, "history --latest --wide --limit 0");
QUERY_BENCH(stats, "stats");
QUERY_BENCH(stats_csv, "stats --format csv");
// A file, never /dev/null: before c250a7d `report --output` renamed its temporary over the path.
QUERY_BENCH(report_html, "report --format html --output " +
                             (std::filesystem::temp_directory_path() / "cqcwatch-bench-report.html").string());
QUERY_BENCH(report_region, "report --region 'West Midlands' --output " +
                               (std::filesystem::temp_directory_path() / "cqcwatch-bench-region.html").string());
QUERY_BENCH(report_card_html, "report --authority Walsall --output " +
                                  (std::filesystem::temp_directory_path() / "cqcwatch-bench-card.html").string());
QUERY_BENCH(report_card_svg, "report --authority Walsall --format svg --output " +
                                 (std::filesystem::temp_directory_path() / "cqcwatch-bench-card.svg").string());
QUERY_BENCH(history_all_csv, "history --format csv");
QUERY_BENCH(history_table, "history");
QUERY_BENCH(history_authority, "history --authority Walsall");
QUERY_BENCH(show_council, "show Walsall");
QUERY_BENCH(show_council_json, "show Walsall --format json");
QUERY_BENCH(feed, "feed");
QUERY_BENCH(route_test, "route-test --type assessment.published --authority Walsall --rating inadequate --config " +
                            route_config());

}  // namespace

BENCHMARK_MAIN();
