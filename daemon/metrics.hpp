#pragma once
// The daemon's live figures, rendered in the Prometheus text exposition format
// 0.0.4. The daemon owns one Metrics and passes it by reference (no globals);
// everything runs on the one loop thread, so nothing here is atomic.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cqcwatch {

/// Label values in the order of the family's label names.
using LabelValues = std::vector<std::string>;

/// One metric name with its HELP, TYPE and a series per distinct label set.
class MetricFamily {
public:
    /// counter: only goes up; gauge: set to any value.
    enum class Type { counter, gauge };

    /// `name` must match [a-zA-Z_:][a-zA-Z0-9_:]*; a family without labels starts with one series at 0.
    MetricFamily(Type type, std::string name, std::string help, std::vector<std::string> label_names = {});
    /// Adds `by` (>= 0 for counters) to the series with these label values, creating it at 0.
    void inc(const LabelValues& labels = {}, double by = 1.0);
    /// Sets a gauge series.
    void set(const LabelValues& labels, double value);
    /// Sets the unlabelled gauge.
    void set(double value) { set({}, value); }
    /// Removes a series (a gauge with nothing to report, e.g. no pending embargo).
    void erase(const LabelValues& labels = {});
    /// The series' value, 0 when it does not exist.
    double value(const LabelValues& labels = {}) const;
    /// Appends "# HELP", "# TYPE" and one line per series (sorted by labels).
    void render(std::string& out) const;
    /// The metric name.
    const std::string& name() const { return m_name; }

private:
    Type m_type;
    std::string m_name;
    std::string m_help;
    std::vector<std::string> m_label_names;
    std::map<LabelValues, double> m_series;
};

/// Every figure the daemon exports; names carry the cqcwatch_ prefix.
struct Metrics {
    using T = MetricFamily::Type;
    MetricFamily polls_total{T::counter, "cqcwatch_polls_total", "Polls made, by source.", {"source"}};
    MetricFamily fetch_failures_total{
        T::counter, "cqcwatch_fetch_failures_total", "Fetches that got no usable response, by source.", {"source"}};
    MetricFamily bytes_total{T::counter, "cqcwatch_bytes_total", "Bytes received on the wire, by source.", {"source"}};
    MetricFamily not_modified_total{T::counter,
                                    "cqcwatch_not_modified_total",
                                    "Fetches answered 304 Not Modified (or an unchanged body), by source.",
                                    {"source"}};
    MetricFamily messages_total{T::counter,
                                "cqcwatch_messages_total",
                                "Messages read from a mail drop (maildir source), by source and outcome "
                                "(stored; failed: moved to failed/; kept: left to read again, e.g. no mail module).",
                                {"source", "outcome"}};
    MetricFamily events_total{
        T::counter, "cqcwatch_events_total", "Events raised, by type (not the baseline).", {"type"}};
    MetricFamily baseline_records_total{T::counter,
                                        "cqcwatch_baseline_records_total",
                                        "Records stored silently as the first run's baseline, by event type.",
                                        {"type"}};
    MetricFamily deliveries_total{
        T::counter, "cqcwatch_deliveries_total", "Delivery attempts, by notifier and status.", {"notifier", "status"}};
    MetricFamily oldest_pending_delivery_age_seconds{
        T::gauge, "cqcwatch_oldest_pending_delivery_age_seconds",
        "Age of the oldest delivery still waiting in the outbox (0 when none)."};
    MetricFamily pending_embargoes{T::gauge, "cqcwatch_pending_embargoes", "Embargoes not yet lifted."};
    MetricFamily next_embargo_lift_timestamp_seconds{T::gauge, "cqcwatch_next_embargo_lift_timestamp_seconds",
                                                     "Unix time of the next embargo lift (0 when none is pending)."};
    MetricFamily overdue_embargo_lifts{
        T::gauge, "cqcwatch_overdue_embargo_lifts",
        "Embargoes more than 2 s past their instant and not lifted yet (each an alert that is late)."};
    MetricFamily embargo_lift_retrying{T::gauge,
                                       "cqcwatch_embargo_lift_retrying",
                                       "1 while a lift or its pre-render is retried because the store refuses it, "
                                       "by reason (database_locked, disk_full, read_only, store_error).",
                                       {"reason"}};
    MetricFamily build_info{
        T::gauge, "cqcwatch_build_info", "Always 1; the running version is the label.", {"version"}};
    MetricFamily last_success_timestamp_seconds{T::gauge,
                                                "cqcwatch_last_success_timestamp_seconds",
                                                "Unix time of the last successful poll, by source.",
                                                {"source"}};

    /// The whole exposition, text format 0.0.4.
    std::string render() const;
};

/// A label value escaped for the exposition format (\\, \", \n).
std::string escape_label_value(std::string_view value);
/// A sample value: shortest round-trip decimal, or NaN, +Inf, -Inf.
std::string format_sample_value(double value);

}  // namespace cqcwatch
