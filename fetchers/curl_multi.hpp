#pragma once
// One libcurl multi handle driven by the Asio io_context through the
// socket-action API (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION):
// no thread per request, no blocking call on the loop. Fetchers and notifiers share it.

#include <functional>
#include <memory>

#include <curl/curl.h>

#include "fetchers/asio.hpp"

namespace cqcwatch {

class CurlMulti {
public:
    /// Runs on the loop when a transfer ends, with libcurl's result code.
    using Done = std::function<void(CURLcode)>;

    explicit CurlMulti(asio::io_context& io);
    ~CurlMulti();
    CurlMulti(const CurlMulti&) = delete;
    CurlMulti& operator=(const CurlMulti&) = delete;

    /// Starts a transfer on a configured easy handle (which stays the caller's).
    void start(CURL* easy, Done done);
    /// Abandons a transfer; its `done` is not called.
    void cancel(CURL* easy);
    /// Transfers in flight.
    std::size_t active() const;
    /// The loop it runs on.
    asio::io_context& io() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cqcwatch
