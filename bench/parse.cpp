// Parsers: a 200 KB CQC-like listing page through html_to_document, the listing
// extractor and parse_document, against libxml2's bare htmlReadMemory of the same bytes.

#include <string>

#include <benchmark/benchmark.h>
#include <libxml/HTMLparser.h>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"
#include "parsers/listing.hpp"
#include "parsers/parse.hpp"

namespace {

constexpr const char* k_url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";

/// About 200 KB: a header, a long nav, report items with dates, prose, and a footer.
std::string cqc_like_page() {
    std::string page =
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Local authority assessment "
        "reports | Care Quality Commission</title><script>var d = [1,2,3];</script></head><body>"
        "<header class='site-header'><a href='/'>CQC</a></header><nav class='main-menu'><ul>";
    for (int i = 0; i < 300; ++i) {
        page += "<li><a href='/section-" + std::to_string(i) + "'>Menu entry number " + std::to_string(i) + "</a></li>";
    }
    page += "</ul></nav><main><h1>Local authority assessment reports</h1><ul class='report-list'>";
    int n = 0;
    while (page.size() < 190 * 1024) {
        const std::string slug = "council" + std::to_string(n) + "-0525";
        page += "<li><h3><a href='/care-services/local-authority-assessment-reports/" + slug + "'>Council " +
                std::to_string(n) + ": local authority assessment</a></h3><p>Published: " + std::to_string(1 + n % 28) +
                " May 2025</p><p>We looked at how the council meets its duties under the Care Act (2014) and "
                "spoke with people who draw on care and support, unpaid carers and staff.</p></li>";
        ++n;
    }
    page +=
        "</ul><nav class='pager' aria-label='Pagination'><a href='?page=1'>Next \xE2\x80\xBA</a></nav></main>"
        "<footer><a href='/about-us'>About us</a></footer></body></html>";
    return page;
}

const std::string& page() {
    static const std::string p = cqc_like_page();
    return p;
}

void bm_libxml2_bare(benchmark::State& state) {
    for (auto _ : state) {
        htmlDocPtr doc = htmlReadMemory(
            page().data(), static_cast<int>(page().size()), k_url, "UTF-8",
            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
        benchmark::DoNotOptimize(doc);
        xmlFreeDoc(doc);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
}
BENCHMARK(bm_libxml2_bare)->Unit(benchmark::kMillisecond);

void bm_html_to_document(benchmark::State& state) {
    for (auto _ : state) {
        auto doc = cqcwatch::html_to_document(page(), k_url);
        benchmark::DoNotOptimize(doc);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
}
BENCHMARK(bm_html_to_document)->Unit(benchmark::kMillisecond);

void bm_html_and_listing(benchmark::State& state) {
    for (auto _ : state) {
        auto doc = cqcwatch::html_to_document(page(), k_url);
        auto result = cqcwatch::extract_listing(*doc, k_url, cqcwatch::k_default_report_link_pattern);
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
}
BENCHMARK(bm_html_and_listing)->Unit(benchmark::kMillisecond);

void bm_parse_document(benchmark::State& state) {
    cqcwatch::ParseOptions options;
    options.kind = cqcwatch::DocKind::listing;
    options.url = k_url;
    for (auto _ : state) {
        auto result = cqcwatch::parse_document(page(), options, cqcwatch::Authorities::builtin());
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
}
BENCHMARK(bm_parse_document)->Unit(benchmark::kMillisecond);

// Worst cases the parser's bounds (parsers/html_bounds.hpp) still let through, at the daemon's default
// max_body of 20 MiB: how long one hostile page holds the daemon's loop.
std::string worst_case(int which) {
    std::string page = "<html><body>";
    if (which == 0) {  // as many elements as allowed, in 20 MiB
        const std::string filler(36, 'x');
        for (int i = 0; i < 499'000; ++i) page += "<p>" + filler + "</p>";
    } else if (which == 1) {  // nested to the depth bound, then end tags that close nothing, to their budget
        for (int i = 0; i < 9'990; ++i) page += "<div>";
        for (int i = 0; i < 9'990; ++i) page += "</span>";
    } else {  // attributes to the per-element cap on as many elements as the comparison budget allows
        std::string attributes;
        for (int i = 0; i < 256; ++i) attributes += " a" + std::to_string(i);
        for (int i = 0; i < 1'500; ++i) page += "<p" + attributes + ">x</p>";
    }
    return page + "</body></html>";
}

void bm_worst_case(benchmark::State& state) {
    const std::string hostile = worst_case(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto doc = cqcwatch::html_to_document(hostile, k_url);
        if (!doc) state.SkipWithError(doc.error().message.c_str());
        benchmark::DoNotOptimize(doc);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * hostile.size()));
}
BENCHMARK(bm_worst_case)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
