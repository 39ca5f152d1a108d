#include "fetchers/curl_http_client.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "fetchers/backoff.hpp"
#include "fetchers/redact.hpp"
#include "fetchers/url_host.hpp"

namespace cqcwatch {

namespace {

using Clock = std::chrono::steady_clock;

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string size_text(std::size_t bytes) {
    constexpr std::size_t k_mib = 1u << 20;
    if (bytes % k_mib == 0) return std::to_string(bytes / k_mib) + " MiB";
    return std::to_string(bytes) + " bytes";
}

std::string header_value(CURL* easy, const char* name) {
    curl_header* h = nullptr;
    if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h) return {};
    return h->value;
}

// A libcurl failure in our words: which kind (decides retry policy) and what happened.
FetchError map_error(CURLcode code, const char* curl_detail, long os_errno) {
    std::string detail = curl_detail[0] ? curl_detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return {FetchErrorKind::timeout, "timed out: " + detail};
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return {FetchErrorKind::tls, "certificate did not verify: " + detail};
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_USE_SSL_FAILED:
            return {FetchErrorKind::tls, "TLS error: " + detail};
        case CURLE_COULDNT_CONNECT:
            if (os_errno == ECONNREFUSED) return {FetchErrorKind::transient, "connection refused"};
            return {FetchErrorKind::transient, "could not connect: " + detail};
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING:
        case CURLE_WEIRD_SERVER_REPLY:
            return {FetchErrorKind::transient, detail};
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_BAD_FUNCTION_ARGUMENT:
        case CURLE_NOT_BUILT_IN:
        case CURLE_FAILED_INIT:
        case CURLE_OUT_OF_MEMORY:
            return {FetchErrorKind::permanent, detail};
        default:
            return {FetchErrorKind::transient, detail};
    }
}

}  // namespace

struct CurlHttpClient::Transfer {
    Transfer(std::uint64_t id_, HttpRequest request_, Done done_)
        : id(id_),
          request(std::move(request_)),
          done(std::move(done_)),
          url(request.url),
          method(request.method),
          started(Clock::now()) {}
    ~Transfer() {
        if (easy) curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    std::string where() const { return method + " " + redact_url(url); }
    FetchError error(FetchErrorKind kind, const std::string& what) const { return {kind, where() + ": " + what}; }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
        auto* self = static_cast<Transfer*>(user);
        std::size_t n = size * count;
        // libcurl has already decoded gzip/deflate/br here, so the cap bounds memory, not the wire.
        if (self->response.body.size() + n > self->request.options.max_body_bytes) {
            self->too_large = true;
            return n == 0 ? 1 : 0;
        }
        self->response.body.append(data, n);
        return n;
    }

    std::uint64_t id;
    HttpRequest request;
    Done done;
    CURL* easy = curl_easy_init();
    curl_slist* headers = nullptr;
    std::string url;     // this hop's URL
    std::string method;  // this hop's method (a 303 turns POST into GET)
    HttpResponse response;
    bool too_large = false;
    long redirects = 0;
    Clock::time_point started;
    char curl_error[CURL_ERROR_SIZE] = {};
};

namespace {

curl_slist* build_headers(const HttpRequest& request) {
    curl_slist* list = nullptr;
    for (const auto& h : request.headers) list = curl_slist_append(list, h.c_str());
    if (!request.if_none_match.empty())
        list = curl_slist_append(list, ("If-None-Match: " + request.if_none_match).c_str());
    if (!request.if_modified_since.empty())
        list = curl_slist_append(list, ("If-Modified-Since: " + request.if_modified_since).c_str());
    // No "Expect: 100-continue" round trip before webhook bodies.
    return curl_slist_append(list, "Expect:");
}

// Options that hold for every hop of one request.
void configure(CURL* easy, const HttpRequest& request, curl_slist* headers, curl_write_callback on_body, void* transfer,
               char* error_buffer) {
    const FetchOptions& o = request.options;
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, o.ca_file.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_USERAGENT, o.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
}

void set_method(CURL* easy, const std::string& method, const std::string& body) {
    if (method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
        if (method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

}  // namespace

CurlHttpClient::CurlHttpClient(CurlMulti& multi) : m_multi(multi) {}

CurlHttpClient::~CurlHttpClient() {
    // The multi handle must forget our easy handles before they are freed.
    for (auto& [id, transfer] : m_transfers) m_multi.cancel(transfer->easy);
}

std::uint64_t CurlHttpClient::fetch(HttpRequest request, Done done) {
    std::uint64_t id = m_next_id++;
    auto transfer = std::make_unique<Transfer>(id, std::move(request), std::move(done));
    Transfer& t = *transfer;
    m_transfers.emplace(id, std::move(transfer));
    if (!t.easy) {
        asio::post(m_multi.io(), [this, id] {
            if (auto it = m_transfers.find(id); it != m_transfers.end())
                finish(id, tl::make_unexpected(
                               it->second->error(FetchErrorKind::permanent, "could not create a curl handle")));
        });
        return id;
    }
    t.headers = build_headers(t.request);
    configure(t.easy, t.request, t.headers, &Transfer::on_body, &t, t.curl_error);
    set_method(t.easy, t.method, t.request.body);
    start_hop(t);
    return id;
}

void CurlHttpClient::cancel(std::uint64_t id) {
    auto it = m_transfers.find(id);
    if (it == m_transfers.end()) return;
    m_multi.cancel(it->second->easy);
    m_transfers.erase(it);
}

void CurlHttpClient::start_hop(Transfer& t) {
    auto left = t.request.options.total_timeout -
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t.started);
    t.response.body.clear();
    t.too_large = false;
    t.curl_error[0] = '\0';
    curl_easy_setopt(t.easy, CURLOPT_URL, t.url.c_str());
    // The total timeout covers every hop; 1 ms is the least libcurl reads as a limit.
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, left.count())));
    std::uint64_t id = t.id;
    m_multi.start(t.easy, [this, id](CURLcode code) { on_hop_done(id, code); });
}

void CurlHttpClient::count_hop(Transfer& t) {
    curl_off_t wire = 0;
    long header_size = 0, request_size = 0;
    curl_easy_getinfo(t.easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
    curl_easy_getinfo(t.easy, CURLINFO_HEADER_SIZE, &header_size);
    curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_size);
    ++m_stats.requests;
    m_stats.bytes_on_wire += static_cast<std::uint64_t>(wire);
    m_stats.body_bytes += t.response.body.size();
    m_stats.header_bytes += static_cast<std::uint64_t>(header_size);
    m_stats.request_bytes += static_cast<std::uint64_t>(request_size);
    t.response.bytes_on_wire += static_cast<std::size_t>(wire);
}

void CurlHttpClient::on_hop_done(std::uint64_t id, CURLcode code) {
    auto it = m_transfers.find(id);
    if (it == m_transfers.end()) return;
    Transfer& t = *it->second;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    count_hop(t);
    if (code == CURLE_WRITE_ERROR && t.too_large) {
        std::string what = "body exceeds " + size_text(t.request.options.max_body_bytes);
        return finish(id, tl::make_unexpected(t.error(FetchErrorKind::too_large, what)));
    }
    if (code != CURLE_OK) {
        long os_errno = 0;
        curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &os_errno);
        FetchError e = map_error(code, t.curl_error, os_errno);
        return finish(id, tl::make_unexpected(t.error(e.kind, e.message)));
    }
    if (follow_redirect(t, status)) return;
    HttpResponse& r = t.response;
    r.status = status;
    r.etag = header_value(t.easy, "ETag");
    r.last_modified = header_value(t.easy, "Last-Modified");
    r.content_type = header_value(t.easy, "Content-Type");
    r.final_url = t.url;
    if (std::string ra = header_value(t.easy, "Retry-After"); !ra.empty())
        r.retry_after = parse_retry_after(ra, std::chrono::system_clock::now());
    finish(id, std::move(r));
}

// Returns true when the response was a redirect and has been dealt with.
bool CurlHttpClient::follow_redirect(Transfer& t, long status) {
    char* target = nullptr;
    if (!is_redirect(status) || curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &target) != CURLE_OK || !target)
        return false;
    std::string next = target;
    std::string host = url_host(next);
    if (!url_allowed(next, t.request.url, t.request.options.allowed_hosts)) {
        bool same_host = redirect_allowed(host, url_host(t.request.url), t.request.options.allowed_hosts);
        std::string what = (same_host ? "redirect to another port refused ("
                                      : "redirect to another host " + (host.empty() ? "(none)" : host) + " refused (") +
                           redact_url(next) + ")";
        finish(t.id, tl::make_unexpected(t.error(FetchErrorKind::forbidden_redirect, what)));
        return true;
    }
    if (t.redirects >= t.request.options.max_redirects) {
        std::string what = "too many redirects (more than " + std::to_string(t.request.options.max_redirects) + ")";
        finish(t.id, tl::make_unexpected(t.error(FetchErrorKind::permanent, what)));
        return true;
    }
    ++t.redirects;
    t.url = std::move(next);
    if (status == 303 || ((status == 301 || status == 302) && t.method == "POST")) {
        t.method = "GET";
        set_method(t.easy, t.method, t.request.body);
    }
    start_hop(t);
    return true;
}

void CurlHttpClient::finish(std::uint64_t id, FetchResult result) {
    auto it = m_transfers.find(id);
    if (it == m_transfers.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    m_transfers.erase(it);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t->started);
    if (result) {
        result->elapsed = elapsed;
        spdlog::debug("{} -> {} ({} ms)", t->where(), result->status, elapsed.count());
    } else {
        spdlog::info("{} ({} ms)", result.error().message, elapsed.count());
    }
    Done done = std::move(t->done);
    t.reset();  // the easy handle is out of the multi already; free it before the callback runs
    done(std::move(result));
}

}  // namespace cqcwatch
