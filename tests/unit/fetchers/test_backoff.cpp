#include <catch2/catch.hpp>

#include <curl/curl.h>

#include "fetchers/backoff.hpp"

using cqcwatch::backoff_delay;
using cqcwatch::parse_retry_after;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("backoff: doubles from the base up to the cap", "[fetchers][backoff]") {
    milliseconds base{1000}, cap{60000};
    CHECK(backoff_delay(0, base, cap, 0.0) == milliseconds{0});
    CHECK(backoff_delay(1, base, cap, 0.0) == milliseconds{1000});
    CHECK(backoff_delay(2, base, cap, 0.0) == milliseconds{2000});
    CHECK(backoff_delay(4, base, cap, 0.0) == milliseconds{8000});
    CHECK(backoff_delay(6, base, cap, 0.0) == milliseconds{32000});
    CHECK(backoff_delay(7, base, cap, 0.0) == cap);
    CHECK(backoff_delay(1000, base, cap, 0.0) == cap);  // no overflow however many failures
}

TEST_CASE("backoff: jitter takes away up to its fraction", "[fetchers][backoff]") {
    milliseconds base{1000}, cap{60000};
    CHECK(backoff_delay(3, base, cap, 0.5) == milliseconds{2000});
    CHECK(backoff_delay(3, base, cap, 0.25) == milliseconds{3000});
    CHECK(backoff_delay(10, base, cap, 0.1) == milliseconds{54000});
    CHECK(backoff_delay(3, base, cap, 1.0) == milliseconds{0});
    CHECK(backoff_delay(3, base, cap, 7.0) == milliseconds{0});      // clamped
    CHECK(backoff_delay(3, base, cap, -1.0) == milliseconds{4000});  // clamped
}

TEST_CASE("retry-after: delay-seconds", "[fetchers][backoff]") {
    auto now = std::chrono::system_clock::now();
    CHECK(parse_retry_after("120", now) == seconds{120});
    CHECK(parse_retry_after(" 0 ", now) == seconds{0});
    CHECK(!parse_retry_after("-5", now));
    CHECK(!parse_retry_after("", now));
    CHECK(!parse_retry_after("soon", now));
    CHECK(!parse_retry_after("99999999999999999999999", now));
}

TEST_CASE("retry-after: HTTP-date in all three forms, relative to now", "[fetchers][backoff]") {
    // 2015-10-21 07:28:00 UTC
    auto date = std::chrono::system_clock::from_time_t(curl_getdate("21 Oct 2015 07:28:00 GMT", nullptr));
    auto now = date - seconds{90};
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == seconds{90});
    CHECK(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now) == seconds{90});
    CHECK(parse_retry_after("Wed Oct 21 07:28:00 2015", now) == seconds{90});
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date + seconds{30}) == seconds{0});
}
