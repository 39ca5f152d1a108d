#include "daemon/metrics_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <future>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/metrics.hpp"

using namespace std::chrono_literals;
namespace asio = cqcwatch::asio;
using cqcwatch::MetricsServer;
using cqcwatch::MetricsServerOptions;

namespace {

struct Reply {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    std::string content_type;
    std::string headers;  ///< the raw response head
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

Reply http_get(unsigned short port, const std::string& path, const std::vector<std::string>& headers = {},
               const std::string& method = "GET") {
    Reply reply;
    CURL* curl = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (method != "HEAD" && method != "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    reply.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    char* type = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
        reply.content_type = type;
    }
    curl_easy_cleanup(curl);
    curl_slist_free_all(list);
    return reply;
}

// The value of a response header ("" when absent); names compared without case.
std::string header_of(const Reply& r, const std::string& name) {
    std::string lower = r.headers;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string key = "\r\n" + name + ":";
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    auto at = lower.find(key);
    if (at == std::string::npos) return {};
    auto from = r.headers.find_first_not_of(' ', at + key.size());
    return r.headers.substr(from, r.headers.find("\r\n", from) - from);
}

// The server's loop on its own thread; the test thread talks to it over HTTP and through post().
class LoopThread {
public:
    LoopThread() : m_guard(asio::make_work_guard(m_io)), m_thread([this] { m_io.run(); }) {}
    ~LoopThread() {
        m_guard.reset();
        m_io.stop();
        m_thread.join();
    }
    LoopThread(const LoopThread&) = delete;
    LoopThread& operator=(const LoopThread&) = delete;
    asio::io_context& io() { return m_io; }

    // Runs `f` on the loop and waits for it (so the test never races the server).
    template <typename F>
    auto on_loop(F f) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        asio::post(m_io, [&task] { task(); });
        return result.get();
    }

private:
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_guard;
    std::thread m_thread;
};

struct Fixture {
    explicit Fixture(MetricsServerOptions options = {}) {
        options.listen = "127.0.0.1:0";
        auto started = loop.on_loop([&] {
            server = std::make_unique<MetricsServer>(loop.io(), options, metrics, [this] { return healthy.load(); });
            return server->start();
        });
        INFO((started ? std::string() : started.error()));
        REQUIRE(started);
        port = server->port();
    }
    ~Fixture() {
        loop.on_loop([this] {
            server.reset();
            return 0;
        });
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    cqcwatch::Metrics metrics;
    std::atomic<bool> healthy{true};
    LoopThread loop;
    std::unique_ptr<MetricsServer> server;
    unsigned short port = 0;
};

// A raw TCP connection, for what an HTTP client would not do.
int connect_raw(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

// True when the server closed the connection (read returns 0) within a bound.
bool closed_by_server(int fd) {
    pollfd p{fd, POLLIN, 0};
    char buf[256];
    for (int i = 0; i < 100; ++i) {
        if (::poll(&p, 1, 100) == 1) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

TEST_CASE("metrics_server: /metrics serves the text format and values move", "[metrics_server]") {
    Fixture f;
    REQUIRE(f.port != 0);
    Reply before = http_get(f.port, "/metrics");
    REQUIRE(before.code == CURLE_OK);
    CHECK(before.status == 200);
    CHECK(before.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(before.body.find("cqcwatch_polls_total{source=\"reports\"}") == std::string::npos);

    f.loop.on_loop([&] {
        f.metrics.polls_total.inc({"reports"});
        f.metrics.polls_total.inc({"reports"});
        f.metrics.bytes_total.inc({"reports"}, 5120);
        f.metrics.pending_embargoes.set(1);
        return 0;
    });
    Reply after = http_get(f.port, "/metrics");
    REQUIRE(after.status == 200);
    CHECK(after.body.find("\ncqcwatch_polls_total{source=\"reports\"} 2\n") != std::string::npos);
    CHECK(after.body.find("\ncqcwatch_bytes_total{source=\"reports\"} 5120\n") != std::string::npos);
    CHECK(after.body.find("\ncqcwatch_pending_embargoes 1\n") != std::string::npos);
}

TEST_CASE("metrics_server: /healthz follows the health check, other paths are 404", "[metrics_server]") {
    Fixture f;
    Reply ok = http_get(f.port, "/healthz");
    CHECK(ok.status == 200);
    CHECK(ok.body == "ok\n");
    f.healthy = false;
    Reply bad = http_get(f.port, "/healthz");
    CHECK(bad.status == 503);
    CHECK(bad.body == "unhealthy\n");
    CHECK(http_get(f.port, "/").status == 404);
    CHECK(http_get(f.port, "/metrics/../etc").status == 404);
}

TEST_CASE("metrics_server: /feed.atom serves the given feed for the Host asked, 503 when it fails, 404 without one",
          "[metrics_server]") {
    CHECK(http_get(Fixture().port, "/feed.atom").status == 404);
    std::atomic<bool> fail{false};
    MetricsServerOptions options;
    options.feed = [&fail](const std::string& host) {
        if (fail) throw std::runtime_error("database is locked");
        return cqcwatch::FeedDocument{"<feed>" + host + "</feed>", std::nullopt};
    };
    Fixture f(options);
    Reply ok = http_get(f.port, "/feed.atom");
    CHECK(ok.status == 200);
    CHECK(ok.content_type == "application/atom+xml; charset=utf-8");
    CHECK(ok.body == "<feed>127.0.0.1:" + std::to_string(f.port) + "</feed>");
    fail = true;
    Reply down = http_get(f.port, "/feed.atom");
    CHECK(down.status == 503);
    CHECK(down.body == "feed unavailable: database is locked\n");
    CHECK(http_get(f.port, "/healthz").status == 200);
}

TEST_CASE("metrics_server: /feed.atom answers HEAD, carries ETag and Last-Modified, and 304 when unchanged",
          "[metrics_server]") {
    std::string body = "<feed>one entry</feed>";
    // Tue, 01 Dec 2026 15:20:17 GMT
    auto updated = std::chrono::system_clock::time_point(std::chrono::seconds(1796138417));
    MetricsServerOptions options;
    options.feed = [&](const std::string&) { return cqcwatch::FeedDocument{body, updated}; };
    Fixture f(options);
    Reply first = http_get(f.port, "/feed.atom");
    REQUIRE(first.status == 200);
    CHECK(first.body == body);
    const std::string etag = header_of(first, "ETag");
    CHECK(etag.size() == 18);  // a strong tag: 16 hex digits in quotes
    CHECK(etag.front() == '"');
    CHECK(header_of(first, "Last-Modified") == "Tue, 01 Dec 2026 15:20:17 GMT");
    CHECK(header_of(first, "Cache-Control") == "no-cache");

    Reply head = http_get(f.port, "/feed.atom", {}, "HEAD");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(header_of(head, "Content-Length") == std::to_string(body.size()));
    CHECK(header_of(head, "ETag") == etag);
    CHECK(http_get(f.port, "/healthz", {}, "HEAD").status == 200);

    Reply post = http_get(f.port, "/feed.atom", {}, "POST");
    CHECK(post.status == 405);
    CHECK(header_of(post, "Allow") == "GET, HEAD");

    Reply same = http_get(f.port, "/feed.atom", {"If-None-Match: " + etag});
    CHECK(same.status == 304);
    CHECK(same.body.empty());
    CHECK(header_of(same, "ETag") == etag);
    CHECK(http_get(f.port, "/feed.atom", {"If-None-Match: \"other\", W/" + etag}).status == 304);
    CHECK(http_get(f.port, "/feed.atom", {"If-None-Match: \"other\""}).status == 200);
    CHECK(http_get(f.port, "/feed.atom", {"If-Modified-Since: Tue, 01 Dec 2026 15:20:17 GMT"}).status == 304);
    CHECK(http_get(f.port, "/feed.atom", {"If-Modified-Since: Tue, 01 Dec 2026 15:20:16 GMT"}).status == 200);
    CHECK(http_get(f.port, "/feed.atom", {"If-Modified-Since: not a date"}).status == 200);
    // If-None-Match decides when both are sent: a changed tag is a new document whatever the date.
    CHECK(
        http_get(f.port, "/feed.atom", {"If-None-Match: \"other\"", "If-Modified-Since: Tue, 01 Dec 2026 15:20:17 GMT"})
            .status == 200);

    body = "<feed>two entries</feed>";  // a new entry: the old tag no longer matches
    Reply changed = http_get(f.port, "/feed.atom", {"If-None-Match: " + etag});
    CHECK(changed.status == 200);
    CHECK(changed.body == body);
    CHECK(header_of(changed, "ETag") != etag);

    // A feed without entries has no Last-Modified, so If-Modified-Since cannot match.
    options.feed = [&](const std::string&) { return cqcwatch::FeedDocument{body, std::nullopt}; };
    Fixture empty(options);
    Reply none = http_get(empty.port, "/feed.atom", {"If-Modified-Since: Tue, 01 Dec 2026 15:20:17 GMT"});
    CHECK(none.status == 200);
    CHECK(header_of(none, "Last-Modified").empty());
}

TEST_CASE("metrics_server: a request that never finishes is cut off at the read deadline", "[metrics_server]") {
    MetricsServerOptions options;
    options.read_timeout = 200ms;
    Fixture f{options};
    const int fd = connect_raw(f.port);
    const char partial[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n";  // and then nothing (slowloris)
    REQUIRE(::send(fd, partial, sizeof partial - 1, 0) > 0);
    CHECK(closed_by_server(fd));
    ::close(fd);
    CHECK(http_get(f.port, "/healthz").status == 200);
}

TEST_CASE("metrics_server: past the limit the oldest connection makes room so /healthz answers", "[metrics_server]") {
    MetricsServerOptions options;
    options.max_connections = 1;
    Fixture f{options};
    const int idle = connect_raw(f.port);  // accepted first: the listen queue is in order
    CHECK(http_get(f.port, "/healthz").status == 200);
    CHECK(closed_by_server(idle));
    ::close(idle);
}

TEST_CASE("metrics_server: non-loopback listen addresses are refused unless allowed", "[metrics_server]") {
    using cqcwatch::parse_listen_address;
    auto remote = parse_listen_address("0.0.0.0:9464", false);
    REQUIRE_FALSE(remote);
    CHECK(remote.error() ==
          "metrics listen address \"0.0.0.0:9464\": refusing a non-loopback address: /metrics and /healthz have no "
          "authentication or TLS and reveal the sources and notifiers; listen on 127.0.0.1 and put a proxy in front "
          "for remote scrapes");
    CHECK(parse_listen_address("0.0.0.0:9464", true));
    CHECK(parse_listen_address("localhost:9464", false)->address().to_string() == "127.0.0.1");
    CHECK(parse_listen_address("[::1]:0", false)->port() == 0);
    CHECK(parse_listen_address("127.0.0.1:99999", false).error() ==
          "metrics listen address \"127.0.0.1:99999\": the port must be a number from 0 to 65535");
    CHECK(parse_listen_address("metrics.example.org:9464", false).error() ==
          "metrics listen address \"metrics.example.org:9464\": the host must be an IP address or localhost");
    CHECK_FALSE(parse_listen_address("9464", false));
}
