#include "fetchers/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cqcwatch {

namespace {

// Query parameters whose values are credentials in the URLs people paste into configs.
constexpr std::array<std::string_view, 11> k_secret_params = {
    "token", "access_token", "api_key", "apikey", "key", "secret", "password", "pass", "sig", "signature", "auth"};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_secret_param(std::string_view name) {
    return std::any_of(k_secret_params.begin(), k_secret_params.end(),
                       [&](std::string_view s) { return iequals(s, name); });
}

// "a=1&token=x" -> "a=1&token=***"
std::string redact_query(std::string_view query) {
    std::string out;
    while (!query.empty()) {
        std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && is_secret_param(pair.substr(0, eq))) {
            out.append(pair.substr(0, eq + 1)).append("***");
        } else {
            out.append(pair);
        }
        if (amp == std::string_view::npos) break;
        out.push_back('&');
        query.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string out;
    std::size_t scheme_end = url.find("://");
    std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    std::size_t authority_end = url.find_first_of("/?#", authority_start);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::string_view authority = url.substr(authority_start, authority_end - authority_start);
    out.append(url.substr(0, authority_start));
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        out.append("***@").append(authority.substr(at + 1));
    } else {
        out.append(authority);
    }
    std::string_view rest = url.substr(authority_end);
    std::size_t q = rest.find('?');
    if (q == std::string_view::npos) return out.append(rest);
    std::size_t hash = rest.find('#', q);
    std::string_view query = rest.substr(q + 1, hash == std::string_view::npos ? hash : hash - q - 1);
    out.append(rest.substr(0, q + 1)).append(redact_query(query));
    if (hash != std::string_view::npos) out.append(rest.substr(hash));
    return out;
}

}  // namespace cqcwatch
