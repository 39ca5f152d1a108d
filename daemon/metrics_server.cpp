#include "daemon/metrics_server.hpp"

#include <charconv>
#include <ctime>
#include <list>
#include <optional>
#include <string_view>

#include "fetchers/asio.hpp"  // before Beast: it carries the Boost 1.74 + GCC 12 fix

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "daemon/metrics.hpp"
#include "daemon/source_poller.hpp"  // content_hash
#include "fetchers/http_text.hpp"

namespace cqcwatch {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

}  // namespace

struct MetricsServer::Core {
    const Metrics* metrics = nullptr;
    std::function<bool()> healthy;
    std::function<void()> before_render;
    std::function<FeedDocument(const std::string&)> feed;
    std::chrono::milliseconds timeout{5000};
    std::size_t max_connections = 16;
    std::size_t connections = 0;
    bool stopped = false;
    std::list<std::weak_ptr<Session>> sessions;
};

namespace {

bool ask_healthy(const std::function<bool()>& healthy) {
    try {
        return !healthy || healthy();
    } catch (...) {
        return false;  // a failing health check is an unhealthy daemon, not a dead loop
    }
}

// RFC 9110's IMF-fixdate, "Tue, 01 Dec 2026 15:20:17 GMT" (the daemon keeps the C locale).
std::string http_date(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110 13.1.2).
bool etag_matches(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view tag = trim_ows(header.substr(0, comma));
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
    return false;
}

// If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.1.3).
bool not_modified(const http::request<http::string_body>& request, std::string_view etag,
                  const std::optional<std::chrono::system_clock::time_point>& updated) {
    if (auto inm = request.find(http::field::if_none_match); inm != request.end())
        return etag_matches(std::string_view(inm->value().data(), inm->value().size()), etag);
    auto ims = request.find(http::field::if_modified_since);
    if (ims == request.end() || !updated) return false;
    const std::time_t since = curl_getdate(std::string(ims->value()).c_str(), nullptr);
    return since != -1 &&
           std::chrono::floor<std::chrono::seconds>(*updated) <= std::chrono::system_clock::from_time_t(since);
}

// The feed, or 503 with why: a store that cannot be read must not take the listener down.
// Readers poll it: a strong ETag (a hash of the document) and Last-Modified (its newest
// entry) let them ask "changed?" and get 304 with no body when it has not.
void answer_feed(const MetricsServer::Core& core, const http::request<http::string_body>& request,
                 http::response<http::string_body>& res) {
    FeedDocument doc;
    try {
        doc = core.feed(std::string(request[http::field::host]));
    } catch (const std::exception& e) {
        res.result(http::status::service_unavailable);
        res.body() = std::string("feed unavailable: ") + e.what() + "\n";
        spdlog::warn("GET /feed.atom -> 503: {}", e.what());
        return;
    }
    const std::string etag = "\"" + content_hash(doc.body) + "\"";
    res.set(http::field::content_type, "application/atom+xml; charset=utf-8");
    res.set(http::field::cache_control, "no-cache");  // keep it, but ask again each time
    res.set(http::field::etag, etag);
    if (doc.updated) res.set(http::field::last_modified, http_date(*doc.updated));
    if (not_modified(request, etag, doc.updated))
        res.result(http::status::not_modified);
    else
        res.body() = std::move(doc.body);
}

http::response<http::string_body> respond(const MetricsServer::Core& core,
                                          const http::request<http::string_body>& request) {
    http::response<http::string_body> res{http::status::ok, request.version()};
    res.set(http::field::server, "cqcwatch");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.keep_alive(request.keep_alive());
    const beast::string_view target = request.target();
    const bool known = target == "/metrics" || target == "/healthz" || (target == "/feed.atom" && core.feed);
    if (!known) {
        res.result(http::status::not_found);
        res.body() = "not found\n";
    } else if (request.method() != http::verb::get && request.method() != http::verb::head) {
        res.result(http::status::method_not_allowed);
        res.set(http::field::allow, "GET, HEAD");
        res.body() = "method not allowed\n";
    } else if (target == "/metrics") {
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        if (core.before_render) core.before_render();
        res.body() = core.metrics->render();
    } else if (target == "/feed.atom") {
        answer_feed(core, request, res);
    } else if (ask_healthy(core.healthy)) {
        res.body() = "ok\n";
    } else {
        res.result(http::status::service_unavailable);
        res.body() = "unhealthy\n";
    }
    res.prepare_payload();
    // A 304 sends no Content-Length: one would have to be the 200's length (RFC 9110 §8.6), and "0" makes
    // readers (rss2email) take the unchanged feed for an empty page.
    if (res.result() == http::status::not_modified) res.erase(http::field::content_length);
    if (request.method() == http::verb::head && res.result() != http::status::not_modified) {
        const auto length = res.body().size();  // HEAD: the GET's headers, Content-Length included
        res.body().clear();
        res.content_length(length);
    }
    return res;
}

// One connection: read a request under a deadline, answer, repeat while kept alive.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<MetricsServer::Core> core)
        : m_stream(std::move(socket)), m_core(std::move(core)) {
        ++m_core->connections;
    }
    ~Session() { --m_core->connections; }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void read() {
        m_parser.emplace();
        m_parser->header_limit(8 * 1024);
        m_parser->body_limit(1024);
        m_stream.expires_after(m_core->timeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void close() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        m_stream.close();
    }

private:
    void on_read(beast::error_code ec) {
        if (ec || m_core->stopped) {
            return;  // eof, timeout (slowloris), bad request or stopping: drop the connection
        }
        m_response = respond(*m_core, m_parser->get());
        m_stream.expires_after(m_core->timeout);
        http::async_write(m_stream, m_response, [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
            self->on_write(write_ec);
        });
    }

    void on_write(beast::error_code ec) {
        if (ec || m_core->stopped) {
            return;
        }
        if (!m_response.keep_alive()) {
            beast::error_code ignored;
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            return;
        }
        m_buffer.consume(m_buffer.size());
        read();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    http::response<http::string_body> m_response;
    std::shared_ptr<MetricsServer::Core> m_core;
};

std::optional<unsigned short> parse_port(std::string_view text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value > 65535) {
        return std::nullopt;
    }
    return static_cast<unsigned short>(value);
}

}  // namespace

tl::expected<tcp::endpoint, std::string> parse_listen_address(const std::string& listen, bool allow_non_loopback) {
    const std::string where = "metrics listen address \"" + listen + "\": ";
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        return tl::make_unexpected(where + "expected host:port, e.g. 127.0.0.1:9464");
    }
    std::string host = listen.substr(0, colon);
    const auto port = parse_port(std::string_view(listen).substr(colon + 1));
    if (!port) {
        return tl::make_unexpected(where + "the port must be a number from 0 to 65535");
    }
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host == "localhost") {
        host = "127.0.0.1";
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        return tl::make_unexpected(where + "the host must be an IP address or localhost");
    }
    if (!address.is_loopback() && !allow_non_loopback) {
        return tl::make_unexpected(where +
                                   "refusing a non-loopback address: /metrics and /healthz have no authentication "
                                   "or TLS and reveal the sources and notifiers; listen on 127.0.0.1 and put a "
                                   "proxy in front for remote scrapes");
    }
    return tcp::endpoint{address, *port};
}

MetricsServer::MetricsServer(asio::io_context& io, MetricsServerOptions options, const Metrics& metrics,
                             std::function<bool()> healthy)
    : m_io(io), m_options(std::move(options)), m_core(std::make_shared<Core>()), m_acceptor(io), m_retry(io) {
    m_core->metrics = &metrics;
    m_core->healthy = std::move(healthy);
    m_core->before_render = m_options.before_render;
    m_core->feed = m_options.feed;
    m_core->timeout = m_options.read_timeout;
    m_core->max_connections = m_options.max_connections;
}

MetricsServer::~MetricsServer() {
    *m_alive = false;
    stop();
}

tl::expected<void, std::string> MetricsServer::start() {
    auto endpoint = parse_listen_address(m_options.listen, m_options.allow_non_loopback);
    if (!endpoint) {
        return tl::make_unexpected(endpoint.error());
    }
    boost::system::error_code ec;
    m_acceptor.open(endpoint->protocol(), ec);
    if (!ec) {
        m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        m_acceptor.bind(*endpoint, ec);
    }
    if (!ec) {
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        return tl::make_unexpected("metrics listen address \"" + m_options.listen + "\": " + ec.message());
    }
    m_port = m_acceptor.local_endpoint(ec).port();
    m_core->stopped = false;
    accept();
    return {};
}

void MetricsServer::stop() {
    m_core->stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    m_retry.cancel();
    for (auto& weak : m_core->sessions) {
        if (auto session = weak.lock()) {
            session->close();
        }
    }
    m_core->sessions.clear();
}

void MetricsServer::accept() {
    m_acceptor.async_accept([this, alive = m_alive](boost::system::error_code ec, tcp::socket socket) {
        if (!*alive || m_core->stopped || ec == asio::error::operation_aborted) {
            return;
        }
        if (!ec) {
            m_core->sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
            // At the limit the oldest connection makes room: idle keep-alive
            // connections must not keep /healthz from answering for a whole timeout.
            if (m_core->connections >= m_core->max_connections && !m_core->sessions.empty()) {
                if (auto oldest = m_core->sessions.front().lock()) oldest->close();
                m_core->sessions.pop_front();
            }
            auto session = std::make_shared<Session>(std::move(socket), m_core);
            m_core->sessions.push_back(session);
            session->read();
            accept();
            return;
        }
        spdlog::warn("metrics: accept: {}", ec.message());
        m_retry.expires_after(std::chrono::milliseconds{500});
        m_retry.async_wait([this, alive](boost::system::error_code wait_ec) {
            if (*alive && !wait_ec && !m_core->stopped) {
                accept();
            }
        });
    });
}

}  // namespace cqcwatch
