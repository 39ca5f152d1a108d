#pragma once
// Politeness towards each host: at most N requests in flight and a minimum gap
// between requests, with the rest queued in order. Wraps any HttpClient.
//
//   fetch ──▶ host queue ──(slot free and gap passed)──▶ inner client ──▶ done
//                 ▲                                                  │
//                 └──────────── next in queue after the gap ◀────────┘

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "fetchers/asio.hpp"
#include "fetchers/http_client.hpp"

namespace cqcwatch {

/// How gently to treat one host ("www.x" and "x" count as one).
struct PolitenessOptions {
    std::size_t per_host = 1;                 ///< requests in flight per host
    std::chrono::milliseconds min_gap{1000};  ///< from a request's start or end to the next start
};

/// The queue a URL waits in: its site (with or without "www.") and port ("cqc.org.uk:443").
std::string server_key(std::string_view url);

class PoliteHttpClient : public HttpClient {
public:
    /// Gates requests to `inner` (which must outlive this); timers run on `io`.
    PoliteHttpClient(asio::io_context& io, HttpClient& inner, PolitenessOptions options = {});
    /// Cancels what is in flight; queued requests are dropped without callbacks.
    ~PoliteHttpClient() override;
    PoliteHttpClient(const PoliteHttpClient&) = delete;
    PoliteHttpClient& operator=(const PoliteHttpClient&) = delete;

    /// Queues a request behind others to the same host; `done` runs on the loop.
    std::uint64_t fetch(HttpRequest request, Done done) override;
    /// Drops a queued request or abandons one in flight; its `done` is not called.
    void cancel(std::uint64_t id) override;
    /// Requests waiting for their turn, over all hosts.
    std::size_t queued() const;
    /// Requests handed to the inner client and not yet finished.
    std::size_t in_flight() const { return m_active.size(); }

private:
    struct Pending {
        std::uint64_t id;
        HttpRequest request;
        Done done;
    };
    struct Host {
        explicit Host(asio::io_context& io) : timer(io) {}
        std::deque<Pending> queue;
        std::size_t active = 0;
        std::chrono::steady_clock::time_point next_start{};
        asio::steady_timer timer;
        bool timer_armed = false;
    };
    struct Active {
        std::string host;
        std::uint64_t inner_id = 0;
    };

    Host& host(const std::string& key);
    void pump(const std::string& key);
    void launch(const std::string& key, Host& h, Pending pending);
    void on_done(const std::string& key, std::uint64_t id, Done done, FetchResult result);

    asio::io_context& m_io;
    HttpClient& m_inner;
    PolitenessOptions m_options;
    std::uint64_t m_next_id = 1;
    std::unordered_map<std::string, std::unique_ptr<Host>> m_hosts;
    std::unordered_map<std::uint64_t, Active> m_active;
};

}  // namespace cqcwatch
