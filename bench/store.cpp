// The store at scale: a database of 100 000 synthetic assessments across the
// 153 councils (CQCWATCH_BENCH_ASSESSMENTS overrides), then the ingest rate and
// the time of the queries users run — the query alone and the whole
// `cqcwatch` process. The database is built once under $TMPDIR and reused.

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "store/store.hpp"
#include "parsers/authorities.hpp"

using namespace cqcwatch;

namespace {

const std::string k_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

std::size_t target_size() {
    const char* env = std::getenv("CQCWATCH_BENCH_ASSESSMENTS");
    return env ? std::stoul(env) : 100000;
}

// Assessment i: council i % 153, published over 2023–2026, scores from a small LCG.
ParseResult synthetic(std::size_t i) {
    const auto& councils = Authorities::builtin().all();
    const auto& c = councils[i % councils.size()];
    ParseResult r;
    r.kind = DocKind::report;
    r.url = k_base + "synthetic-" + std::to_string(i);
    r.authority = AuthorityRef{c.name, c.code, c.name};
    Assessment a;
    std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u + 12345u;
    int sum = 0;
    for (auto& s : a.scores) {
        x = x * 1664525u + 1013904223u;
        s = 1 + static_cast<int>((x >> 24) % 4);
        sum += *s;
    }
    a.rating = rating_for_percent(static_cast<int>(sum * 100 / 36));
    r.assessment = a;
    int day = static_cast<int>(i % 1400);
    r.published =
        Date{2023 + day / 365, static_cast<unsigned>(1 + (day % 365) / 31 % 12), static_cast<unsigned>(1 + day % 28)};
    return r;
}

std::string bench_db() {
    return (std::filesystem::temp_directory_path() / ("cqcwatch-bench-store-" + std::to_string(target_size()) + ".db"))
        .string();
}

RecordContext bench_ctx() {
    RecordContext ctx;
    ctx.now = std::chrono::system_clock::now();
    ctx.source = "bench";
    ctx.baseline = true;
    return ctx;
}

// Builds the big database once; reports the rate it was filled at.
const std::string& big_db() {
    static const std::string path = [] {
        std::string p = bench_db();
        Store store = Store::open_or_throw(p, StoreMode::read_write);
        std::size_t have = store.history({}).value().size();
        auto start = std::chrono::steady_clock::now();
        RecordContext ctx = bench_ctx();
        for (std::size_t i = have; i < target_size(); ++i) store.record_document(synthetic(i), ctx).value();
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (have < target_size())
            std::fprintf(stderr, "built %s: %zu assessments in %.1f s (%.0f/s)\n", p.c_str(), target_size() - have,
                         secs, static_cast<double>(target_size() - have) / secs);
        return p;
    }();
    return path;
}

void BM_ingest_report(benchmark::State& state) {
    std::string p = (std::filesystem::temp_directory_path() / "cqcwatch-bench-ingest.db").string();
    std::filesystem::remove(p);
    Store store = Store::open_or_throw(p, StoreMode::read_write);
    RecordContext ctx = bench_ctx();
    ctx.baseline = false;
    ctx.route = [](const Event&) { return std::vector<std::string>{"newsdesk", "editor"}; };
    std::size_t i = 0;
    for (auto _ : state) store.record_document(synthetic(i++), ctx).value();
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}
BENCHMARK(BM_ingest_report)->Unit(benchmark::kMicrosecond);

void BM_query_history_authority(benchmark::State& state) {
    Store store = Store::open_or_throw(big_db(), StoreMode::read_only);
    HistoryQuery q;
    q.authority_code = "E08000030";
    for (auto _ : state) benchmark::DoNotOptimize(store.history(q));
}
BENCHMARK(BM_query_history_authority)->Unit(benchmark::kMillisecond);

void BM_query_history_rating_since(benchmark::State& state) {
    Store store = Store::open_or_throw(big_db(), StoreMode::read_only);
    HistoryQuery q;
    q.rating = Rating::inadequate;
    q.since = parse_iso_date("2026-06-01");
    for (auto _ : state) benchmark::DoNotOptimize(store.history(q));
}
BENCHMARK(BM_query_history_rating_since)->Unit(benchmark::kMillisecond);

void BM_query_history_newest_50(benchmark::State& state) {
    Store store = Store::open_or_throw(big_db(), StoreMode::read_only);
    HistoryQuery q;
    q.limit = 51;
    for (auto _ : state) benchmark::DoNotOptimize(store.history(q));
}
BENCHMARK(BM_query_history_newest_50)->Unit(benchmark::kMillisecond);

void BM_query_show(benchmark::State& state) {
    Store store = Store::open_or_throw(big_db(), StoreMode::read_only);
    AuthorityRef who = *Authorities::builtin().resolve("Walsall");
    for (auto _ : state) benchmark::DoNotOptimize(store.council(who));
}
BENCHMARK(BM_query_show)->Unit(benchmark::kMillisecond);

void run_process(benchmark::State& state, const std::string& args) {
    std::string cmd =
        "env -u CQCWATCH_CONFIG CQCWATCH_DATABASE='" + big_db() + "' " + CQCWATCH_BIN + " " + args + " >/dev/null 2>&1";
    for (auto _ : state) {
        int status = std::system(cmd.c_str());
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError(("failed: " + cmd).c_str());
    }
}

void BM_process_history_authority(benchmark::State& state) {
    run_process(state, "history --authority Walsall --limit 0");
}
BENCHMARK(BM_process_history_authority)->Unit(benchmark::kMillisecond);

void BM_process_history_rating_since(benchmark::State& state) {
    run_process(state, "history --rating inadequate --since 2026-06-01 --limit 0");
}
BENCHMARK(BM_process_history_rating_since)->Unit(benchmark::kMillisecond);

void BM_process_show(benchmark::State& state) { run_process(state, "show Walsall"); }
BENCHMARK(BM_process_show)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
