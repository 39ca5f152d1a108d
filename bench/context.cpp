// What the alert context (events/context.hpp) costs per event: the previous
// assessment and the region's and England's means, read in the transaction that
// commits an assessment alert. A history of N synthetic assessments across the
// 153 councils (3 000 and 30 000), then: the context alone, and recording a new
// report with its assessment.published (context included) against the same
// record as baseline (no alert, so no context).

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "parsers/authorities.hpp"
#include "store/sql.hpp"  // alert_context: the one function measured on its own
#include "store/store.hpp"

using namespace cqcwatch;

namespace {

const std::string k_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

// Assessment i: council i % 153, published over 2023–2026, scores from a small LCG.
ParseResult synthetic(std::size_t i) {
    const auto& councils = Authorities::builtin().all();
    const auto& c = councils[i % councils.size()];
    ParseResult r;
    r.kind = DocKind::report;
    r.url = k_base + "context-" + std::to_string(i);
    r.authority = AuthorityRef{c.name, c.code, c.name};
    Assessment a;
    std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u + 12345u;
    for (auto& s : a.scores) {
        x = x * 1664525u + 1013904223u;
        s = 1 + static_cast<int>((x >> 24) % 4);
    }
    a.rating = Rating::good;
    r.assessment = a;
    int day = static_cast<int>(i % 1400);
    r.published =
        Date{2023 + day / 365, static_cast<unsigned>(1 + (day % 365) / 31 % 12), static_cast<unsigned>(1 + day % 28)};
    return r;
}

RecordContext ctx(bool baseline) {
    RecordContext c;
    c.now = std::chrono::system_clock::now();
    c.source = "bench";
    c.baseline = baseline;
    c.route = [](const Event&) { return std::vector<std::string>{"newsdesk"}; };
    return c;
}

// A fresh database of n assessments (baseline: stored without alerts).
std::string history_db(std::size_t n) {
    std::string p =
        (std::filesystem::temp_directory_path() / ("cqcwatch-bench-context-" + std::to_string(n) + ".db")).string();
    std::filesystem::remove(p);
    Store store = Store::open_or_throw(p, StoreMode::read_write);
    for (std::size_t i = 0; i < n; ++i) store.record_document(synthetic(i), ctx(true)).value();
    return p;
}

void BM_alert_context(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    Store store = Store::open_or_throw(history_db(n), StoreMode::read_write);
    const auto id = static_cast<std::int64_t>(n);  // the newest record
    for (auto _ : state) benchmark::DoNotOptimize(store_detail::alert_context(store.handle(), id));
}
BENCHMARK(BM_alert_context)->Arg(3000)->Arg(30000)->Unit(benchmark::kMicrosecond);

// Recording one new report: alerted (with its context) or baseline (without).
void record_new(benchmark::State& state, bool baseline) {
    const auto n = static_cast<std::size_t>(state.range(0));
    Store store = Store::open_or_throw(history_db(n), StoreMode::read_write);
    std::size_t i = n;
    for (auto _ : state) store.record_document(synthetic(i++), ctx(baseline)).value();
}
void BM_record_alerted(benchmark::State& state) { record_new(state, false); }
void BM_record_baseline(benchmark::State& state) { record_new(state, true); }
BENCHMARK(BM_record_alerted)->Arg(3000)->Arg(30000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_record_baseline)->Arg(3000)->Arg(30000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
