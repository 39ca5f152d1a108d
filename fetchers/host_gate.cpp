#include "fetchers/host_gate.hpp"

#include <algorithm>

#include "fetchers/url_host.hpp"

namespace cqcwatch {

std::string server_key(std::string_view url) {
    // One server is one site ("www." or not) on one port: two ports on a host are two servers.
    std::string port;
    auto scheme_end = url.find("://");
    if (scheme_end != std::string_view::npos) {
        auto authority = url.substr(scheme_end + 3);
        authority = authority.substr(0, authority.find_first_of("/?#"));
        if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
        auto colon = authority.rfind(':');
        if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos)
            port = std::string(authority.substr(colon + 1));
        if (port.empty()) port = url.substr(0, scheme_end) == "https" ? "443" : "80";
    }
    return std::string(site_of(url_host(url))) + ":" + port;
}

using Clock = std::chrono::steady_clock;

PoliteHttpClient::PoliteHttpClient(asio::io_context& io, HttpClient& inner, PolitenessOptions options)
    : m_io(io), m_inner(inner), m_options(options) {
    m_options.per_host = std::max<std::size_t>(1, m_options.per_host);
}

PoliteHttpClient::~PoliteHttpClient() {
    for (auto& [id, active] : m_active) m_inner.cancel(active.inner_id);
}

std::uint64_t PoliteHttpClient::fetch(HttpRequest request, Done done) {
    std::uint64_t id = m_next_id++;
    std::string key = server_key(request.url);
    host(key).queue.push_back({id, std::move(request), std::move(done)});
    pump(key);
    return id;
}

void PoliteHttpClient::cancel(std::uint64_t id) {
    if (auto it = m_active.find(id); it != m_active.end()) {
        std::string key = it->second.host;
        m_inner.cancel(it->second.inner_id);
        m_active.erase(it);
        --host(key).active;
        pump(key);
        return;
    }
    for (auto& [key, h] : m_hosts) {
        auto it = std::find_if(h->queue.begin(), h->queue.end(), [id](const Pending& p) { return p.id == id; });
        if (it != h->queue.end()) {
            h->queue.erase(it);
            return;
        }
    }
}

std::size_t PoliteHttpClient::queued() const {
    std::size_t n = 0;
    for (const auto& [key, h] : m_hosts) n += h->queue.size();
    return n;
}

PoliteHttpClient::Host& PoliteHttpClient::host(const std::string& key) {
    auto& slot = m_hosts[key];
    if (!slot) slot = std::make_unique<Host>(m_io);
    return *slot;
}

// Starts what the host's limits allow now, and arms its timer for the rest.
void PoliteHttpClient::pump(const std::string& key) {
    Host& h = host(key);
    while (!h.queue.empty() && h.active < m_options.per_host) {
        if (Clock::now() < h.next_start) {
            if (h.timer_armed) return;
            h.timer_armed = true;
            h.timer.expires_at(h.next_start);
            h.timer.async_wait([this, key](const boost::system::error_code& ec) {
                if (ec) return;  // cancelled: we are being destroyed
                host(key).timer_armed = false;
                pump(key);
            });
            return;
        }
        Pending next = std::move(h.queue.front());
        h.queue.pop_front();
        launch(key, h, std::move(next));
    }
}

void PoliteHttpClient::launch(const std::string& key, Host& h, Pending pending) {
    ++h.active;
    h.next_start = Clock::now() + m_options.min_gap;
    std::uint64_t id = pending.id;
    m_active[id] = Active{key, 0};
    std::uint64_t inner_id = m_inner.fetch(std::move(pending.request),
                                           [this, key, id, done = std::move(pending.done)](FetchResult result) mutable {
                                               on_done(key, id, std::move(done), std::move(result));
                                           });
    // An inner client that answered inside fetch() has already removed the entry.
    if (auto it = m_active.find(id); it != m_active.end()) it->second.inner_id = inner_id;
}

void PoliteHttpClient::on_done(const std::string& key, std::uint64_t id, Done done, FetchResult result) {
    if (m_active.erase(id) == 0) return;
    Host& h = host(key);
    --h.active;
    h.next_start = std::max(h.next_start, Clock::now() + m_options.min_gap);
    done(std::move(result));
    pump(key);
}

}  // namespace cqcwatch
