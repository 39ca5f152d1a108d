#pragma once
// Builds the notifier a config block asks for: the kind is data, not code elsewhere.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "fetchers/asio.hpp"
#include "fetchers/curl_multi.hpp"
#include "fetchers/http_client.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// What notifiers run on; every member must outlive the notifiers built with it.
struct NotifierDeps {
    asio::io_context& io;
    CurlMulti& multi;
    HttpClient& http;
    std::function<std::int64_t()> unix_now;  ///< seconds since the epoch (wall clock)
    std::string user_agent = "cqcwatch/" CQCWATCH_VERSION;
};

/// The kinds make_notifier knows: "webhook", "email", "exec".
const std::vector<std::string>& notifier_kinds();
/// A notifier for `config`, or an error naming it and what is wrong (unknown kind, missing key).
tl::expected<std::unique_ptr<Notifier>, std::string> make_notifier(const NotifierConfig& config,
                                                                   const NotifierDeps& deps);

}  // namespace cqcwatch
