#pragma once
// An HttpClient that records requests and answers only when the test says so.

#include <deque>
#include <map>

#include "fetchers/http_client.hpp"

namespace cqcwatch::test {

class FakeHttpClient : public HttpClient {
public:
    /// Records the request; completes later through complete().
    std::uint64_t fetch(HttpRequest request, Done done) override {
        auto id = m_next++;
        requests.push_back(request);
        m_pending.emplace(id, std::move(done));
        return id;
    }
    /// Forgets a pending request.
    void cancel(std::uint64_t id) override {
        cancelled.push_back(id);
        m_pending.erase(id);
    }
    /// Completes the oldest pending request with `result`; false if none is pending.
    bool complete(FetchResult result) {
        if (m_pending.empty()) return false;
        auto it = m_pending.begin();
        Done done = std::move(it->second);
        m_pending.erase(it);
        done(std::move(result));
        return true;
    }
    /// A response with just a status (and optional Retry-After).
    static FetchResult status(long code, std::optional<std::chrono::seconds> retry_after = std::nullopt) {
        HttpResponse r;
        r.status = code;
        r.retry_after = retry_after;
        return r;
    }
    std::size_t pending() const { return m_pending.size(); }

    std::vector<HttpRequest> requests;
    std::vector<std::uint64_t> cancelled;

private:
    std::uint64_t m_next = 1;
    std::map<std::uint64_t, Done> m_pending;
};

}  // namespace cqcwatch::test
