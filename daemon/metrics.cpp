#include "daemon/metrics.hpp"

#include <charconv>
#include <cmath>

namespace cqcwatch {

namespace {

std::string escape_help(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_sample_value(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

MetricFamily::MetricFamily(Type type, std::string name, std::string help, std::vector<std::string> label_names)
    : m_type(type), m_name(std::move(name)), m_help(std::move(help)), m_label_names(std::move(label_names)) {
    if (m_label_names.empty()) {
        m_series[{}] = 0.0;
    }
}

void MetricFamily::inc(const LabelValues& labels, double by) {
    if (labels.size() != m_label_names.size()) {
        return;  // a programming error; never worth stopping the daemon over
    }
    m_series[labels] += (m_type == Type::counter && by < 0) ? 0.0 : by;
}

void MetricFamily::set(const LabelValues& labels, double value) {
    if (labels.size() == m_label_names.size() && m_type == Type::gauge) {
        m_series[labels] = value;
    }
}

void MetricFamily::erase(const LabelValues& labels) { m_series.erase(labels); }

double MetricFamily::value(const LabelValues& labels) const {
    const auto it = m_series.find(labels);
    return it == m_series.end() ? 0.0 : it->second;
}

void MetricFamily::render(std::string& out) const {
    out += "# HELP " + m_name + " " + escape_help(m_help) + "\n";
    out += "# TYPE " + m_name + (m_type == Type::counter ? " counter\n" : " gauge\n");
    for (const auto& [labels, value] : m_series) {
        out += m_name;
        if (!labels.empty()) {
            out += '{';
            for (std::size_t i = 0; i < labels.size(); ++i) {
                out += (i ? "," : "") + m_label_names[i] + "=\"" + escape_label_value(labels[i]) + '"';
            }
            out += '}';
        }
        out += ' ' + format_sample_value(value) + '\n';
    }
}

std::string Metrics::render() const {
    std::string out;
    for (const MetricFamily* family :
         {&build_info, &polls_total, &fetch_failures_total, &bytes_total, &not_modified_total, &messages_total,
          &events_total,
          &baseline_records_total, &deliveries_total, &oldest_pending_delivery_age_seconds, &pending_embargoes,
          &next_embargo_lift_timestamp_seconds, &overdue_embargo_lifts, &embargo_lift_retrying,
          &last_success_timestamp_seconds}) {
        family->render(out);
    }
    return out;
}

}  // namespace cqcwatch
