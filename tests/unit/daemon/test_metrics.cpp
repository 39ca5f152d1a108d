#include "daemon/metrics.hpp"

#include <limits>

#include <catch2/catch.hpp>

using cqcwatch::MetricFamily;

TEST_CASE("metrics: a labelled counter renders HELP, TYPE and sorted series", "[metrics]") {
    MetricFamily polls{MetricFamily::Type::counter, "cqcwatch_polls_total", "Polls made, by source.", {"source"}};
    std::string empty;
    polls.render(empty);
    CHECK(empty == "# HELP cqcwatch_polls_total Polls made, by source.\n# TYPE cqcwatch_polls_total counter\n");

    polls.inc({"reports"});
    polls.inc({"reports"});
    polls.inc({"press"}, 3);
    polls.inc({"press"}, -5);    // counters never go down
    polls.inc({"too", "many"});  // wrong label count: ignored
    std::string out;
    polls.render(out);
    CHECK(out ==
          "# HELP cqcwatch_polls_total Polls made, by source.\n"
          "# TYPE cqcwatch_polls_total counter\n"
          "cqcwatch_polls_total{source=\"press\"} 3\n"
          "cqcwatch_polls_total{source=\"reports\"} 2\n");
    CHECK(polls.value({"reports"}) == 2);
    CHECK(polls.value({"absent"}) == 0);
}

TEST_CASE("metrics: label values and help text are escaped", "[metrics]") {
    MetricFamily d{MetricFamily::Type::counter, "d_total", "line one\nback\\slash", {"notifier", "status"}};
    d.inc({"news \"desk\"\\a\nb", "ok"});
    std::string out;
    d.render(out);
    CHECK(out ==
          "# HELP d_total line one\\nback\\\\slash\n"
          "# TYPE d_total counter\n"
          "d_total{notifier=\"news \\\"desk\\\"\\\\a\\nb\",status=\"ok\"} 1\n");
}

TEST_CASE("metrics: gauges set, erase, and print timestamps and special values exactly", "[metrics]") {
    MetricFamily next{MetricFamily::Type::gauge, "next_ts", "Next."};
    CHECK(next.value() == 0);
    next.set(1769126460.25);
    std::string out;
    next.render(out);
    CHECK(out == "# HELP next_ts Next.\n# TYPE next_ts gauge\nnext_ts 1769126460.25\n");
    next.erase();
    out.clear();
    next.render(out);
    CHECK(out == "# HELP next_ts Next.\n# TYPE next_ts gauge\n");

    CHECK(cqcwatch::format_sample_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    CHECK(cqcwatch::format_sample_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(cqcwatch::format_sample_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(cqcwatch::format_sample_value(0) == "0");
    CHECK(cqcwatch::format_sample_value(123456789012.0) == "123456789012");
}

TEST_CASE("metrics: the daemon's set renders every family once", "[metrics]") {
    cqcwatch::Metrics m;
    m.events_total.inc({"embargo.lifted"});
    m.deliveries_total.inc({"newsdesk", "ok"});
    m.pending_embargoes.set(2);
    const std::string text = m.render();
    for (const char* name :
         {"cqcwatch_polls_total", "cqcwatch_fetch_failures_total", "cqcwatch_bytes_total",
          "cqcwatch_not_modified_total", "cqcwatch_events_total", "cqcwatch_baseline_records_total",
          "cqcwatch_deliveries_total", "cqcwatch_build_info", "cqcwatch_oldest_pending_delivery_age_seconds",
          "cqcwatch_pending_embargoes", "cqcwatch_next_embargo_lift_timestamp_seconds",
          "cqcwatch_overdue_embargo_lifts", "cqcwatch_embargo_lift_retrying",
          "cqcwatch_last_success_timestamp_seconds"}) {
        INFO(name);
        CHECK(text.find(std::string("# TYPE ") + name + " ") != std::string::npos);
    }
    CHECK(text.find("cqcwatch_events_total{type=\"embargo.lifted\"} 1\n") != std::string::npos);
    CHECK(text.find("cqcwatch_deliveries_total{notifier=\"newsdesk\",status=\"ok\"} 1\n") != std::string::npos);
    CHECK(text.find("\ncqcwatch_pending_embargoes 2\n") != std::string::npos);
}
