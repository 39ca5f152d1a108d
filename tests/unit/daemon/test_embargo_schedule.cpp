#include "daemon/embargo_schedule.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

#include "fakes/fake_clock.hpp"

using namespace std::chrono_literals;
using cqcwatch::EmbargoPlan;
using cqcwatch::FastPollWindow;
using cqcwatch::PendingEmbargo;
using cqcwatch::plan_embargoes;
using TimePoint = std::chrono::system_clock::time_point;

namespace {

// A UK wall-clock time as the instant it names.
TimePoint london(date::year_month_day day, std::chrono::minutes time_of_day) {
    const auto local = date::local_days{day} + time_of_day;
    return date::make_zoned("Europe/London", local).get_sys_time();
}

TimePoint utc(date::year_month_day day, std::chrono::minutes time_of_day) { return date::sys_days{day} + time_of_day; }

std::vector<std::int64_t> lifted_ids(const EmbargoPlan& plan) {
    std::vector<std::int64_t> ids;
    for (const auto& lift : plan.due_to_lift) {
        ids.push_back(lift.id);
    }
    return ids;
}

}  // namespace

TEST_CASE("embargo_schedule: a GMT lift is due at its instant and not a nanosecond before", "[embargo_schedule]") {
    using namespace date::literals;
    const TimePoint until = london(2026_y / date::January / 23, 1min);
    REQUIRE(until == utc(2026_y / date::January / 23, 1min));
    cqcwatch::testing::FakeClock clock{until - 1h};

    std::vector<PendingEmbargo> pending{{5, until, true}};
    clock.advance(1h - 1ns);
    EmbargoPlan before = plan_embargoes(pending, clock.now());
    CHECK(before.due_to_lift.empty());
    REQUIRE(before.next_wake == until);

    clock.advance(1ns);
    EmbargoPlan at = plan_embargoes(pending, clock.now());
    REQUIRE(lifted_ids(at) == std::vector<std::int64_t>{5});
    CHECK(at.due_to_lift[0].lateness == 0ns);
    CHECK_FALSE(at.due_to_lift[0].late);
    CHECK_FALSE(at.next_wake.has_value());
}

TEST_CASE("embargo_schedule: BST lifts fall an hour earlier in UTC, either side of the changes", "[embargo_schedule]") {
    using namespace date::literals;
    // Summer: 00:01 BST is 23:01 UTC the evening before.
    CHECK(london(2026_y / date::July / 10, 1min) == utc(2026_y / date::July / 9, 23h + 1min));
    // Last Sunday of March 2026 is the 29th: 00:01 is still GMT, the next night is BST.
    CHECK(london(2026_y / date::March / 29, 1min) == utc(2026_y / date::March / 29, 1min));
    CHECK(london(2026_y / date::March / 30, 1min) == utc(2026_y / date::March / 29, 23h + 1min));
    // Last Sunday of October 2026 is the 25th: 00:01 is still BST, the next night is GMT.
    CHECK(london(2026_y / date::October / 25, 1min) == utc(2026_y / date::October / 24, 23h + 1min));
    CHECK(london(2026_y / date::October / 26, 1min) == utc(2026_y / date::October / 26, 1min));

    const TimePoint until = london(2026_y / date::July / 10, 1min);
    std::vector<PendingEmbargo> pending{{1, until, true}};
    CHECK(plan_embargoes(pending, utc(2026_y / date::July / 9, 23h)).due_to_lift.empty());
    CHECK(lifted_ids(plan_embargoes(pending, utc(2026_y / date::July / 9, 23h + 1min))) ==
          std::vector<std::int64_t>{1});
}

TEST_CASE("embargo_schedule: a lift missed while stopped fires once, marked late with how late", "[embargo_schedule]") {
    using namespace date::literals;
    const TimePoint until = london(2026_y / date::January / 23, 1min);
    std::vector<PendingEmbargo> pending{{4, until, false}, {3, until + 24h, false}};

    const TimePoint start = until + 3h;
    EmbargoPlan plan = plan_embargoes(pending, start);
    REQUIRE(plan.due_to_lift.size() == 1);
    CHECK(plan.due_to_lift[0].id == 4);
    CHECK(plan.due_to_lift[0].late);
    CHECK(plan.due_to_lift[0].lateness == 3h);
    CHECK(plan.due_to_prepare.empty());
    CHECK(plan.next_wake == until + 24h - 30s);

    // The caller records the lift; the next plan no longer holds it.
    pending.erase(pending.begin());
    CHECK(plan_embargoes(pending, start + 1s).due_to_lift.empty());
}

TEST_CASE("embargo_schedule: within the tolerance a lift is not late", "[embargo_schedule]") {
    const TimePoint until{std::chrono::seconds{1800000000}};
    std::vector<PendingEmbargo> pending{{2, until, true}};
    CHECK_FALSE(plan_embargoes(pending, until + 2s).due_to_lift.at(0).late);
    CHECK(plan_embargoes(pending, until + 2s + 1ns).due_to_lift.at(0).late);
    cqcwatch::EmbargoScheduleOptions strict;
    strict.late_tolerance = 0ns;
    CHECK(plan_embargoes(pending, until + 1ms, strict).due_to_lift.at(0).late);
}

TEST_CASE("embargo_schedule: the prepare window opens at until minus the lead", "[embargo_schedule]") {
    const TimePoint until{std::chrono::seconds{1800000000}};
    std::vector<PendingEmbargo> pending{{2, until, false}};

    EmbargoPlan early = plan_embargoes(pending, until - 31s);
    CHECK(early.due_to_prepare.empty());
    CHECK(early.next_wake == until - 30s);

    EmbargoPlan in_window = plan_embargoes(pending, until - 30s);
    REQUIRE(in_window.due_to_prepare == std::vector<std::int64_t>{2});
    CHECK(in_window.next_wake == until);
    CHECK(in_window.due_to_lift.empty());

    pending[0].prepared = true;
    EmbargoPlan prepared = plan_embargoes(pending, until - 10s);
    CHECK(prepared.due_to_prepare.empty());
    CHECK(prepared.next_wake == until);

    cqcwatch::EmbargoScheduleOptions longer;
    longer.prepare_lead = 2min;
    pending[0].prepared = false;
    CHECK(plan_embargoes(pending, until - 90s, longer).due_to_prepare.size() == 1);
}

TEST_CASE("embargo_schedule: several embargoes come out earliest first", "[embargo_schedule]") {
    const TimePoint base{std::chrono::seconds{1800000000}};
    std::vector<PendingEmbargo> pending{{3, base + 3s, false},  {1, base + 1s, false},   {2, base + 1s, false},
                                        {4, base + 20s, false}, {5, base + 5min, false}, {26, base - 1h, false}};
    EmbargoPlan plan = plan_embargoes(pending, base + 2s);
    CHECK(lifted_ids(plan) == std::vector<std::int64_t>{26, 1, 2});
    CHECK(plan.due_to_lift[0].late);
    CHECK_FALSE(plan.due_to_lift[1].late);
    CHECK(plan.due_to_prepare == std::vector<std::int64_t>{3, 4});
    CHECK(plan.next_wake == base + 3s);

    CHECK_FALSE(plan_embargoes({}, base).next_wake.has_value());
}

TEST_CASE("embargo_schedule: fast polls every interval after a lift, then none", "[embargo_schedule]") {
    cqcwatch::testing::FakeClock clock;
    const TimePoint lift = clock.now() + 10s;
    FastPollWindow window{lift, 15s, 60min};

    CHECK(window.next_fast_poll(clock.now()) == lift);
    clock.advance(10s);
    CHECK(window.next_fast_poll(clock.now()) == lift + 15s);
    clock.advance(15s + 3ms);  // woke a little late: the grid does not drift
    CHECK(window.next_fast_poll(clock.now()) == lift + 30s);

    int polls = 0;
    for (auto next = window.next_fast_poll(clock.now()); next && polls < 1000; next = window.next_fast_poll(*next)) {
        ++polls;
    }
    CHECK(polls == 240 - 1);  // lift+30s … lift+60min inclusive
    CHECK(window.next_fast_poll(lift + 60min - 1ns) == lift + 60min);
    CHECK_FALSE(window.next_fast_poll(lift + 60min).has_value());
    CHECK(window.expired(lift + 60min));
    CHECK_FALSE(window.expired(lift + 59min));
}
