#include "fetchers/url_host.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <curl/curl.h>

namespace cqcwatch {

std::string url_host(std::string_view url) {
    CURLU* u = curl_url();
    if (!u) return {};
    std::string text(url);
    std::string host;
    char* part = nullptr;
    if (curl_url_set(u, CURLUPART_URL, text.c_str(), 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK && part) {
        host = part;
        curl_free(part);
    }
    curl_url_cleanup(u);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    while (!host.empty() && host.back() == '.') host.pop_back();  // "localhost." is "localhost"
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return host;
}

long url_port(std::string_view url) {
    CURLU* u = curl_url();
    if (!u) return 0;
    std::string text(url);
    long port = 0;
    char* part = nullptr;
    if (curl_url_set(u, CURLUPART_URL, text.c_str(), 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK && part) {
        port = std::strtol(part, nullptr, 10);
        curl_free(part);
    }
    curl_url_cleanup(u);
    return port;
}

std::string_view site_of(std::string_view host) {
    if (host.size() > 4 && host.substr(0, 4) == "www.") host.remove_prefix(4);
    return host;
}

bool redirect_allowed(std::string_view host, std::string_view origin_host, const std::vector<std::string>& allowed) {
    if (host.empty()) return false;
    if (allowed.empty()) return site_of(host) == site_of(origin_host);
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
        std::string lower(a);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return site_of(lower) == site_of(host);
    });
}

}  // namespace cqcwatch

namespace cqcwatch {

namespace {

bool is_default_port(long port) { return port == 80 || port == 443; }

}  // namespace

bool url_allowed(std::string_view url, std::string_view origin_url, const std::vector<std::string>& allowed) {
    if (!redirect_allowed(url_host(url), url_host(origin_url), allowed)) return false;
    long port = url_port(url);
    long origin_port = url_port(origin_url);
    if (port == 0 || origin_port == 0) return false;
    return port == origin_port || (is_default_port(port) && is_default_port(origin_port));
}

}  // namespace cqcwatch
