#pragma once
// The network seam: an asynchronous HTTP client. The real one is libcurl on the
// shared multi handle (fetchers/curl_http_client); tests may pass a fake.

#include <chrono>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace cqcwatch {

/// Limits and identity applied to every request.
struct FetchOptions {
    std::string user_agent = "cqcwatch";  ///< "cqcwatch/0.1.0 (+ops@example.org)"
    std::string ca_file;                  ///< empty = system store
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds total_timeout{60000};
    std::size_t max_body_bytes = 20u << 20;  ///< counted after decompression
    long max_redirects = 5;
    std::vector<std::string> allowed_hosts;  ///< redirects only to these; empty = the request's host
};

/// One request.
struct HttpRequest {
    std::string url;
    std::string method = "GET";
    std::vector<std::string> headers;  ///< "Name: value"
    std::string body;
    std::string if_none_match;      ///< ETag from the last 200
    std::string if_modified_since;  ///< Last-Modified from the last 200
    FetchOptions options;
};

/// One response (any status: 304, 404 and 500 are responses, not errors).
struct HttpResponse {
    long status = 0;
    std::string body;
    std::string etag;
    std::string last_modified;
    std::string content_type;
    std::string final_url;
    std::optional<std::chrono::seconds> retry_after;
    std::chrono::milliseconds elapsed{0};
    std::size_t bytes_on_wire = 0;
};

/// Why a request got no response.
enum class FetchErrorKind { timeout, transient, tls, too_large, forbidden_redirect, permanent };

/// A failed request: the kind decides retry policy, the message is for humans.
struct FetchError {
    FetchErrorKind kind = FetchErrorKind::transient;
    std::string message;
};

using FetchResult = tl::expected<HttpResponse, FetchError>;

/// Asynchronous HTTP: `done` runs on the event loop exactly once, unless cancelled.
class HttpClient {
public:
    virtual ~HttpClient() = default;
    using Done = std::function<void(FetchResult)>;
    /// Starts a request; returns an id for cancel().
    virtual std::uint64_t fetch(HttpRequest request, Done done) = 0;
    /// Abandons a request; its `done` is not called.
    virtual void cancel(std::uint64_t id) = 0;
};

}  // namespace cqcwatch
