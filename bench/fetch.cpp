// The cost of one poll cycle when nothing changed: N conditional GETs, each answered
// 304 by the loopback CQC site, through CurlHttpClient on one CurlMulti and one loop.
// Prints CPU time (getrusage of this process: user + system) and wall time per
// request, and bytes per request. The site runs in its own process, so its CPU is
// not counted; wall time includes its (Python) response time.
//
// Usage: bench_fetch [N...]   (default 10 100 1000)

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fetchers/curl_http_client.hpp"
#include "tests/support/cqc_site.hpp"

using namespace cqcwatch;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

struct Page {
    std::string url;
    std::string etag;
};

// Fetches every page, `in_flight` at a time; returns how many were 304 (or 200 on the first pass).
int fetch_all(asio::io_context& io, CurlHttpClient& client, std::vector<Page>& pages, std::size_t in_flight) {
    std::size_t next = 0, done = 0;
    int ok = 0;
    std::function<void()> launch = [&] {
        if (next >= pages.size()) return;
        Page& page = pages[next++];
        HttpRequest request;
        request.url = page.url;
        request.if_none_match = page.etag;
        request.options.user_agent = "cqcwatch-bench/" CQCWATCH_VERSION;
        client.fetch(std::move(request), [&, &page = page](FetchResult r) {
            ++done;
            if (r && (r->status == 304 || r->status == 200)) ++ok;
            if (r && r->status == 200) page.etag = r->etag;
            launch();
        });
    };
    for (std::size_t i = 0; i < in_flight; ++i) launch();
    auto deadline = Clock::now() + std::chrono::minutes(5);
    io.restart();
    while (done < pages.size() && Clock::now() < deadline) io.run_one_for(std::chrono::seconds(1));
    return ok;
}

struct Figures {
    double cpu_us = 0, wall_us = 0, bytes = 0;
};

Figures measure(asio::io_context& io, CurlHttpClient& client, std::vector<Page>& pages, std::size_t in_flight) {
    FetchStats before = client.stats();
    double cpu0 = cpu_seconds();
    auto wall0 = Clock::now();
    int ok = fetch_all(io, client, pages, in_flight);
    double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
    double cpu = cpu_seconds() - cpu0;
    const FetchStats& after = client.stats();
    if (ok != static_cast<int>(pages.size())) std::fprintf(stderr, "only %d of %zu answered 304\n", ok, pages.size());
    double n = static_cast<double>(pages.size());
    double bytes =
        static_cast<double>((after.request_bytes - before.request_bytes) + (after.header_bytes - before.header_bytes) +
                            (after.bytes_on_wire - before.bytes_on_wire));
    return {cpu / n * 1e6, wall / n * 1e6, bytes / n};
}

void run(test::CqcSite& site, std::size_t n, std::size_t in_flight) {
    asio::io_context io;
    CurlMulti multi(io);
    CurlHttpClient client(multi);
    std::vector<Page> pages;
    for (std::size_t i = 1; i <= n; ++i)
        pages.push_back({site.url(test::k_listing_path + "?page=" + std::to_string(i)), ""});
    fetch_all(io, client, pages, in_flight);  // first pass: 200s, learn the ETags, warm the connections
    std::vector<Figures> runs;
    for (int rep = 0; rep < 3; ++rep) runs.push_back(measure(io, client, pages, in_flight));
    std::sort(runs.begin(), runs.end(), [](const Figures& a, const Figures& b) { return a.cpu_us < b.cpu_us; });
    const Figures& median = runs[1];
    std::printf("| %5zu | %2zu | %8.1f | %8.1f | %6.0f |\n", n, in_flight, median.cpu_us, median.wall_us, median.bytes);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(std::atol(argv[i])));
    if (sizes.empty()) sizes = {10, 100, 1000};
    test::CqcSite site({"--page-size", "2"});
    std::printf("| URLs | in flight | CPU µs/request | wall µs/request | bytes/request |\n");
    std::printf("| ---: | ---: | ---: | ---: | ---: |\n");
    for (std::size_t n : sizes)
        for (std::size_t in_flight : {std::size_t{1}, std::size_t{8}}) run(site, n, in_flight);
    return 0;
}
