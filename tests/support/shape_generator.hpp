#pragma once
// A seeded generator of report pages and release mails in shapes no fixture
// has: container × label form × score form × rating sentence × order × noise ×
// transfer encoding and charset, each with the truth it states, so a test can
// count fields read right, left missing and read wrong.
//
// Every case is consistent (the rating is the band of sum/36, the stated
// percentage is sum/36) unless it is one of the few written to contradict
// itself, whose truth is then "withhold": the figures the page cannot vouch
// for must come back null.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parsers/model.hpp"

namespace cqcwatch::test::shapes {

/// What a case states, field by field; nullopt where the reader must give null.
struct Truth {
    std::optional<Rating> rating;
    Scores scores{};
    std::optional<int> percent;  ///< the stated percentage, when the case states one and it stands
    std::string council;         ///< the council's canonical name (as the authorities data has it)
    std::optional<std::int64_t> embargo_unix;  ///< mail: the embargo instant
    bool expect_suspect = false;               ///< the case contradicts itself: a warning must say so
};

struct Case {
    std::string bytes;
    std::string url;      ///< the page URL (empty for mail)
    bool mail = false;
    std::string shape;    ///< the choices made, "page table-rows label=drift score=out-of …"
    Truth truth;
};

/// A small deterministic generator (SplitMix64): the same seed gives the same cases on every machine.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    std::uint64_t m_state;
};

/// Case number `index` of the page family (report summary pages) for `seed`.
Case page_case(std::uint64_t seed, std::size_t index);
/// Case number `index` of the mail family (embargoed press releases) for `seed`.
Case mail_case(std::uint64_t seed, std::size_t index);

}  // namespace cqcwatch::test::shapes
