#pragma once
// Checks on single config values, shared by the key table's setters and the
// loader's cross-checks. Each returns success, or an error message saying what is wrong.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "parsers/edit_distance.hpp"

namespace cqcwatch::config_checks {

/// Success, or what is wrong with a value ("must be at least \"1s\", not \"0ms\"").
using Check = tl::expected<void, std::string>;
/// The failed Check with `message`.
inline tl::unexpected<std::string> fail(std::string message) { return tl::unexpected(std::move(message)); }

/// Edits (insert, delete, substitute) between two words.
using cqcwatch::edit_distance;
/// " (did you mean 'events'?)" when one of `known` is close to `word`; else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known);
/// `value` must be one of `allowed`.
Check check_one_of(std::string_view value, const std::vector<std::string_view>& allowed);
/// `d` must be at least `min`.
Check check_at_least(std::chrono::milliseconds d, std::chrono::milliseconds min);
/// An http:// or https:// URL with a host.
Check check_http_url(std::string_view url);
/// An ECMAScript regex that compiles.
Check check_regex(std::string_view pattern);
/// "127.0.0.1:9464", "[::1]:9464" or "" (off).
Check check_listen_address(std::string_view address);
/// Every entry one of `known` (with a suggestion when it is close to one).
Check check_names(const std::vector<std::string>& values, const std::vector<std::string_view>& known,
                  std::string_view what);

}  // namespace cqcwatch::config_checks
