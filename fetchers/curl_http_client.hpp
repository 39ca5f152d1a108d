#pragma once
// The real HttpClient: libcurl easy handles on the shared CurlMulti, with TLS
// verification, timeouts, a body cap after decompression and redirects that may
// only go to allowed hosts (followed here, one hop at a time, so each is checked).

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "fetchers/curl_multi.hpp"
#include "fetchers/http_client.hpp"

namespace cqcwatch {

/// Running totals over every request a client made (for status lines and benchmarks).
struct FetchStats {
    std::uint64_t requests = 0;       ///< HTTP exchanges, one per redirect hop
    std::uint64_t bytes_on_wire = 0;  ///< response body bytes received, before decompression
    std::uint64_t body_bytes = 0;     ///< response body bytes kept, after decompression
    std::uint64_t header_bytes = 0;   ///< response header bytes received
    std::uint64_t request_bytes = 0;  ///< request bytes sent (headers and body)
};

class CurlHttpClient : public HttpClient {
public:
    /// Uses `multi` (which must outlive this client) for every transfer.
    explicit CurlHttpClient(CurlMulti& multi);
    /// Abandons transfers still in flight; their callbacks are not called.
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    /// Starts a request; `done` runs later on the loop, never inside fetch().
    std::uint64_t fetch(HttpRequest request, Done done) override;
    /// Abandons a request; its `done` is not called. Unknown ids are ignored.
    void cancel(std::uint64_t id) override;
    /// Requests in flight.
    std::size_t active() const { return m_transfers.size(); }
    /// Totals since construction.
    const FetchStats& stats() const { return m_stats; }

private:
    struct Transfer;
    void start_hop(Transfer& transfer);
    void on_hop_done(std::uint64_t id, CURLcode code);
    void count_hop(Transfer& transfer);
    bool follow_redirect(Transfer& transfer, long status);
    void finish(std::uint64_t id, FetchResult result);

    CurlMulti& m_multi;
    std::uint64_t m_next_id = 1;
    std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> m_transfers;
    FetchStats m_stats;
};

}  // namespace cqcwatch
