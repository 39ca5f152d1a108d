#include "config/duration.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <optional>
#include <utility>

namespace cqcwatch {

namespace {

struct Unit {
    std::string_view name;
    std::uint64_t factor;
};

// Longest names first, so "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 5> k_duration_units{
    {{"ms", 1}, {"s", 1'000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

constexpr std::array<Unit, 8> k_size_units{{{"KiB", 1ull << 10},
                                            {"MiB", 1ull << 20},
                                            {"GiB", 1ull << 30},
                                            {"KB", 1'000},
                                            {"MB", 1'000'000},
                                            {"GB", 1'000'000'000},
                                            {"B", 1},
                                            {"", 1}}};

// Reads leading digits into `out`; returns how many were read (0 on none or overflow).
std::size_t read_number(std::string_view text, std::uint64_t& out) {
    std::size_t i = 0;
    out = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        const std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
        if (out > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return 0;
        out = out * 10 + digit;
    }
    return i;
}

template <std::size_t N>
std::optional<Unit> read_unit(std::string_view text, const std::array<Unit, N>& units) {
    for (const Unit& unit : units)
        if (!unit.name.empty() && text.substr(0, unit.name.size()) == unit.name) return unit;
    return std::nullopt;
}

bool multiply_adds(std::uint64_t& total, std::uint64_t n, std::uint64_t factor) {
    const std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (n != 0 && factor > max / n) return false;
    if (total > max - n * factor) return false;
    total += n * factor;
    return true;
}

std::string bad_duration(std::string_view text) {
    return "bad duration '" + std::string(text) +
           "' (expected a number and a unit: ms, s, m, h or d, e.g. \"30s\" or \"1h30m\")";
}

}  // namespace

tl::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
    if (text.empty()) return tl::unexpected(bad_duration(text));
    std::uint64_t total = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
        std::uint64_t n = 0;
        const std::size_t digits = read_number(rest, n);
        if (digits == 0) return tl::unexpected(bad_duration(text));
        rest.remove_prefix(digits);
        const auto unit = read_unit(rest, k_duration_units);
        if (!unit) return tl::unexpected(bad_duration(text));
        rest.remove_prefix(unit->name.size());
        if (!multiply_adds(total, n, unit->factor))
            return tl::unexpected("duration '" + std::string(text) + "' is too long");
    }
    return std::chrono::milliseconds{static_cast<std::int64_t>(total)};
}

tl::expected<std::uint64_t, std::string> parse_size(std::string_view text) {
    std::uint64_t n = 0;
    const std::size_t digits = read_number(text, n);
    const std::string_view suffix = text.substr(digits);
    const auto exact = [&]() -> std::optional<Unit> {
        for (const Unit& unit : k_size_units)
            if (unit.name == suffix) return unit;
        return std::nullopt;
    }();
    if (digits == 0 || !exact)
        return tl::unexpected("bad size '" + std::string(text) +
                              "' (expected a number and a unit: B, KiB, MiB, GiB, KB, MB or GB, e.g. \"20MiB\")");
    std::uint64_t total = 0;
    if (!multiply_adds(total, n, exact->factor)) return tl::unexpected("size '" + std::string(text) + "' is too large");
    return total;
}

std::string format_duration(std::chrono::milliseconds d) {
    std::uint64_t left = static_cast<std::uint64_t>(d.count() < 0 ? 0 : d.count());
    if (left == 0) return "0s";
    std::string out;
    for (auto it = k_duration_units.rbegin(); it != k_duration_units.rend(); ++it) {
        if (left < it->factor) continue;
        out += std::to_string(left / it->factor) + std::string(it->name);
        left %= it->factor;
    }
    return out;
}

}  // namespace cqcwatch
