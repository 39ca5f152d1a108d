#include "config/checks.hpp"

#include "parsers/edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>

#include <arpa/inet.h>

#include "config/duration.hpp"
#include "fetchers/url_host.hpp"

namespace cqcwatch::config_checks {

namespace {

std::string join_quoted(const std::vector<std::string_view>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
        out += "'" + std::string(words[i]) + "'";
    }
    return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

bool is_ip_literal(const std::string& host) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// 127.0.0.0/8 or ::1.
bool is_loopback_literal(const std::string& host) {
    unsigned char buffer[16];
    if (inet_pton(AF_INET, host.c_str(), buffer) == 1) return buffer[0] == 127;
    static constexpr unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return inet_pton(AF_INET6, host.c_str(), buffer) == 1 && std::memcmp(buffer, v6_loopback, 16) == 0;
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known) {
    std::string_view best;
    std::size_t best_distance = 3;  // more than two edits away is not a typo
    for (std::string_view candidate : known) {
        const std::size_t d = config_checks::edit_distance(word, candidate);
        if (d < best_distance && d < std::max<std::size_t>(candidate.size() / 2, 1)) {
            best = candidate;
            best_distance = d;
        }
    }
    return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

Check check_one_of(std::string_view value, const std::vector<std::string_view>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
    std::string hint = did_you_mean(value, allowed);
    if (hint.empty()) hint = " (expected " + join_quoted(allowed) + ")";
    return fail("unknown value '" + std::string(value) + "'" + hint);
}

Check check_at_least(std::chrono::milliseconds d, std::chrono::milliseconds min) {
    if (d >= min) return {};
    return fail("must be at least \"" + format_duration(min) + "\", not \"" + format_duration(d) + "\"");
}

Check check_http_url(std::string_view url) {
    const bool scheme_ok = starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://");
    const bool has_space = std::any_of(url.begin(), url.end(), [](unsigned char c) { return std::isspace(c); });
    if (!scheme_ok || has_space || url_host(url).empty())
        return fail("'" + std::string(url) + "' is not an http:// or https:// URL with a host");
    return {};
}

Check check_regex(std::string_view pattern) {
    try {
        std::regex compiled(pattern.begin(), pattern.end(), std::regex::ECMAScript);
        return {};
    } catch (const std::regex_error& e) {
        return fail("'" + std::string(pattern) + "' is not a valid regular expression: " + e.what());
    }
}

Check check_listen_address(std::string_view address) {
    if (address.empty()) return {};
    const Check expected = fail("'" + std::string(address) + "' is not an address and port like \"127.0.0.1:9464\"");
    const std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == address.size()) return expected;
    std::string host(address.substr(0, colon));
    const std::string_view port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const bool digits = std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || port.size() > 5 || std::stoi(std::string(port)) > 65535 || !is_ip_literal(host)) return expected;
    // As `run` refuses it: the endpoints have no authentication.
    if (!is_loopback_literal(host))
        return fail("'" + std::string(address) +
                    "' is not a loopback address: /metrics and /healthz have no authentication or TLS; listen on "
                    "127.0.0.1 (or [::1]) and put a proxy in front for remote scrapes");
    return {};
}

Check check_names(const std::vector<std::string>& values, const std::vector<std::string_view>& known,
                  std::string_view what) {
    for (const std::string& value : values) {
        if (std::find(known.begin(), known.end(), value) != known.end()) continue;
        std::string hint = did_you_mean(value, known);
        if (hint.empty()) hint = " (expected " + join_quoted(known) + ")";
        return fail("unknown " + std::string(what) + " '" + value + "'" + hint);
    }
    return {};
}

}  // namespace cqcwatch::config_checks
