#pragma once
// Durations and sizes as the config writes them: "500ms", "30s", "1h30m",
// "20MiB". Errors are messages a config diagnostic can show as they are.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace cqcwatch {

/// Parses "500ms", "30s", "5m", "1h", "2d" or a sequence of them ("1h30m").
tl::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);
/// Parses "20MiB", "512KiB", "1GiB", "10MB", "4096B" or plain digits (bytes).
tl::expected<std::uint64_t, std::string> parse_size(std::string_view text);
/// The shortest exact spelling of `d` in the same units ("1h30m", "500ms", "0s").
std::string format_duration(std::chrono::milliseconds d);

}  // namespace cqcwatch
