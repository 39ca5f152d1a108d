#pragma once
// Hosts of URLs, compared the way a source's allowed hosts are: "www.x" and "x" are one site.

#include <string>
#include <string_view>
#include <vector>

namespace cqcwatch {

/// The URL's host in lower case, without brackets or port; empty when it has none.
std::string url_host(std::string_view url);

/// The host without a leading "www.", so both spellings of a site compare equal.
std::string_view site_of(std::string_view host);

/// Whether a redirect may go to `host`: one of `allowed`, or `origin_host` when `allowed` is empty.
bool redirect_allowed(std::string_view host, std::string_view origin_host, const std::vector<std::string>& allowed);

}  // namespace cqcwatch
