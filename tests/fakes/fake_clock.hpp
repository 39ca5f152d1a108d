#pragma once
// Test doubles for daemon/clock.hpp: a clock the test moves by hand and a
// jitter source that returns scripted values.

#include <chrono>
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "daemon/clock.hpp"

namespace cqcwatch::testing {

/// A clock that only moves when the test says so; wall and steady time move together.
class FakeClock final : public Clock {
public:
    /// Starts at `wall` (default: 2026-01-01T00:00:00Z) and an arbitrary steady epoch.
    explicit FakeClock(std::chrono::system_clock::time_point wall =
                           std::chrono::system_clock::time_point{std::chrono::seconds{1767225600}})
        : m_wall(wall) {}
    /// The wall time set by the test.
    std::chrono::system_clock::time_point now() const override { return m_wall; }
    /// The steady time set by the test.
    std::chrono::steady_clock::time_point steady_now() const override { return m_steady; }
    /// Moves both clocks forward by `d`.
    void advance(std::chrono::nanoseconds d) {
        m_wall += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
        m_steady += std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
    }
    /// Steps the wall clock only (like an NTP step or a manual `date -s`).
    void set_wall(std::chrono::system_clock::time_point wall) { m_wall = wall; }

private:
    std::chrono::system_clock::time_point m_wall;
    std::chrono::steady_clock::time_point m_steady{std::chrono::hours{1000}};
};

/// Jitter that returns the given values in turn, then repeats the last (0.0 if none).
class FakeJitter final : public Jitter {
public:
    /// `values` each in [0, 1).
    explicit FakeJitter(std::vector<double> values = {}) : m_values(std::move(values)) {}
    /// The next scripted value.
    double next() override {
        if (m_values.empty()) {
            return 0.0;
        }
        const double v = m_values[std::min(m_index, m_values.size() - 1)];
        ++m_index;
        return v;
    }

private:
    std::vector<double> m_values;
    std::size_t m_index = 0;
};

}  // namespace cqcwatch::testing
