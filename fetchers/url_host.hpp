#pragma once
// Hosts of URLs, compared the way a source's allowed hosts are: "www.x" and "x" are one site.

#include <string>
#include <string_view>
#include <vector>

namespace cqcwatch {

/// The URL's host in lower case, without brackets, port or trailing dot; empty when it has none.
/// Numeric forms are read as curl reads them ("2130706434" is "127.0.0.2").
std::string url_host(std::string_view url);

/// The URL's port, the scheme's default when none is written; 0 when the URL has none.
long url_port(std::string_view url);

/// The host without a leading "www.", so both spellings of a site compare equal.
std::string_view site_of(std::string_view host);

/// Whether a redirect may go to `host`: one of `allowed`, or `origin_host` when `allowed` is empty.
bool redirect_allowed(std::string_view host, std::string_view origin_host, const std::vector<std::string>& allowed);

/// Whether the daemon may follow `url` (an item, a next page, a summary, a redirect) from a source
/// at `origin_url`: its host passes redirect_allowed, and its port is the origin's, or both are
/// default ports (http and https of one site). Another port on an allowed host is another service.
bool url_allowed(std::string_view url, std::string_view origin_url, const std::vector<std::string>& allowed);

}  // namespace cqcwatch
