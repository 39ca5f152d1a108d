#pragma once
// An optional HTTP/1.1 listener (Boost.Beast) on the daemon's own io_context:
//   GET /metrics  → 200, Prometheus text format 0.0.4
//   GET /healthz  → 200 "ok" or 503 "unhealthy"
//   GET /feed.atom → 200, the events as Atom (when a feed is given; 503 if it fails), with a
//                    strong ETag and Last-Modified; 304 to a matching If-None-Match or If-Modified-Since
//   HEAD on any of them → the same status and headers without the body
//   anything else → 404 (405 for another method on those paths)
// Loopback only unless explicitly allowed: it has no authentication and no TLS.
// Every connection has a read deadline (slowloris) and their number is capped.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "fetchers/asio.hpp"

namespace cqcwatch {

struct Metrics;

/// What /feed.atom serves: the document, and when its newest entry happened (its
/// Last-Modified; nullopt for a feed without entries).
struct FeedDocument {
    std::string body;
    std::optional<std::chrono::system_clock::time_point> updated;
};

/// Where and how the metrics listener serves.
struct MetricsServerOptions {
    std::string listen = "127.0.0.1:9464";         ///< "host:port", "[v6]:port"; port 0 = any free port
    bool allow_non_loopback = false;               ///< serve on a non-loopback address anyway
    std::chrono::milliseconds read_timeout{5000};  ///< to read one whole request (and to write a reply)
    std::size_t max_connections = 16;              ///< past it, the oldest connection is closed for a new one
    std::function<void()> before_render;           ///< brings gauges up to date before each /metrics
    /// Renders /feed.atom for the request's Host header (its self link); empty = no feed (404).
    std::function<FeedDocument(const std::string& host)> feed;
};

/// The HTTP listener for /metrics, /healthz and /feed.atom.
class MetricsServer {
public:
    /// `metrics` must outlive the server; `healthy` is asked on each /healthz.
    MetricsServer(asio::io_context& io, MetricsServerOptions options, const Metrics& metrics,
                  std::function<bool()> healthy);
    /// Stops (closes the listener and every connection).
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    /// Validates the address, binds and starts accepting; the error says what and why.
    tl::expected<void, std::string> start();
    /// Closes the listener and every open connection.
    void stop();
    /// The bound port (the real one when listen asked for port 0); 0 before start().
    unsigned short port() const { return m_port; }

    struct Core;  ///< state shared with connections that may outlive a stop()

private:
    void accept();

    asio::io_context& m_io;
    MetricsServerOptions m_options;
    std::shared_ptr<Core> m_core;
    asio::ip::tcp::acceptor m_acceptor;
    asio::steady_timer m_retry;  ///< after an accept error (e.g. out of descriptors), pause instead of spinning
    unsigned short m_port = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

/// Parses "host:port" ("localhost", IPv4, "[IPv6]"); refuses non-loopback addresses unless allowed.
tl::expected<asio::ip::tcp::endpoint, std::string> parse_listen_address(const std::string& listen,
                                                                        bool allow_non_loopback);

}  // namespace cqcwatch
