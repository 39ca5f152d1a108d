#pragma once
// Seams for time and randomness: the daemon takes these by reference so that
// scheduling and embargo logic can be driven by tests (tests/fakes/fake_clock.hpp).

#include <chrono>
#include <random>

namespace cqcwatch {

/// Source of "now": wall time for embargo instants, steady time for intervals.
class Clock {
public:
    virtual ~Clock() = default;
    /// Current wall-clock time (embargo instants, timestamps stored and shown).
    virtual std::chrono::system_clock::time_point now() const = 0;
    /// Current monotonic time (poll intervals, back-off, deadlines).
    virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

/// The real clocks.
class SystemClock final : public Clock {
public:
    /// std::chrono::system_clock::now().
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
    /// std::chrono::steady_clock::now().
    std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
};

/// Source of jitter for poll intervals and retry back-off.
class Jitter {
public:
    virtual ~Jitter() = default;
    /// A value uniformly distributed in [0, 1).
    virtual double next() = 0;
};

/// Jitter from std::mt19937_64 seeded once from std::random_device.
class RandomJitter final : public Jitter {
public:
    /// Seeds the engine from std::random_device.
    RandomJitter() : m_engine(std::random_device{}()) {}
    /// A value uniformly distributed in [0, 1).
    double next() override { return m_dist(m_engine); }

private:
    std::mt19937_64 m_engine;
    std::uniform_real_distribution<double> m_dist{0.0, 1.0};
};

}  // namespace cqcwatch
