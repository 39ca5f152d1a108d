// What a lift held back by the store says: the late reason and the STATUS= clause.

#include <catch2/catch.hpp>

#include "daemon/lift_trouble.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;

namespace {

using Sys = std::chrono::system_clock;

StoredEmbargo pending_at(std::int64_t until_unix, const std::string& utc) {
    StoredEmbargo e;
    e.id = 1;
    e.embargo.until_unix = until_unix;
    e.embargo.until_utc = utc;
    e.embargo.resolved = true;
    e.status = "pending";
    return e;
}

const StoreError k_locked{StoreError::Kind::locked, "/db: database is locked by another process"};

}  // namespace

TEST_CASE("lift_trouble: a late lift says whether the daemon was down or the store held it", "[lift_trouble]") {
    const Sys::time_point until{std::chrono::seconds{1'800'000'000}};
    CHECK(late_reason(until, until + 60s, std::nullopt) == "the daemon was not running");
    CHECK(late_reason(until, until - 60s, k_locked) == "the database was locked by another process");
    CHECK(late_reason(until, until + 60s, StoreError{StoreError::Kind::full, "x"}) ==
          "the daemon was not running, then the disk was full");
    CHECK(late_reason(until, until - 60s, std::nullopt) ==
          "the daemon did not wake in time (was the machine suspended, or the clock stepped?)");
    CHECK(trouble_text(StoreError{StoreError::Kind::other, "/db: database error: disk I/O error"}, false) ==
          "the store fails: /db: database error: disk I/O error");
    CHECK(trouble_key(k_locked) == "database_locked");
}

TEST_CASE("lift_trouble: a lift is overdue 2 s after its instant, and the STATUS= clause says why", "[lift_trouble]") {
    const Sys::time_point now{std::chrono::seconds{1'800'000'100}};
    std::vector<StoredEmbargo> pending{pending_at(1'800'000'099, "2027-01-15T08:01:39Z"),
                                       pending_at(1'800'000'050, "2027-01-15T08:00:50Z"),
                                       pending_at(1'800'000'200, "2027-01-15T08:03:20Z")};
    auto late = overdue_lifts(pending, now);
    REQUIRE(late.size() == 1);
    CHECK(late[0].embargo.until_utc == "2027-01-15T08:00:50Z");
    CHECK(overdue_clause(late, k_locked) ==
          "1 lift overdue (due 2027-01-15T08:00:50Z): the database is locked by another process; retrying");
    CHECK(overdue_clause(late, std::nullopt) == "1 lift overdue (due 2027-01-15T08:00:50Z): not lifted yet; retrying");
    CHECK(overdue_clause({}, k_locked).empty());
}
