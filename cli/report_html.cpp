// The report is built as one string: a page of a few hundred kilobytes for
// 153 councils. Colours follow CQC's own: green for good and outstanding,
// amber for requires improvement, red for inadequate; the same scale for the
// 1–4 scores. An embargoed assessment shows no figures, only when it lifts.

#include "cli/report_html.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "cli/national.hpp"
#include "cli/output.hpp"
#include "notifiers/render.hpp"
#include "parsers/dates.hpp"

namespace cqcwatch {

namespace {

const char* rating_colour(std::optional<Rating> r) {
    if (!r) return "#d9d9d9";
    switch (*r) {
        case Rating::outstanding:
            return "#1a7f37";
        case Rating::good:
            return "#6fb06f";
        case Rating::requires_improvement:
            return "#f0a830";
        case Rating::inadequate:
            return "#d1352b";
    }
    return "#d9d9d9";
}

const char* score_colour(std::optional<int> s) {
    if (!s) return "#d9d9d9";
    static const char* k[] = {"#d1352b", "#f0a830", "#8cc68f", "#1a7f37"};
    return *s >= 1 && *s <= 4 ? k[*s - 1] : "#d9d9d9";
}

bool embargoed(const StoredAssessment& a, TimePoint now) { return a.embargo_until && *a.embargo_until > now; }

constexpr const char* k_style = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
p.meta{color:#555;margin:0 0 16px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:3px 6px;border-bottom:1px solid #e4e4e4;text-align:left;white-space:nowrap}
th{background:#f4f4f4;position:sticky;top:0}
td.r{color:#fff;font-weight:600}td.s{color:#fff;text-align:center;width:18px;font-weight:600}
td.n{text-align:right}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;border-radius:3px;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:14px}
.chart{border:1px solid #e4e4e4;padding:6px;width:190px}
.chart h3{font-size:12px;margin:0 0 4px;font-weight:600;height:30px}
.emb{background:#444;color:#fff}
)css";

std::string fmt(const char* f, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string legend() {
    std::string out = "<p class=\"legend\">";
    for (Rating r : k_ratings)
        out +=
            "<span style=\"background:" + std::string(rating_colour(r)) + "\">" + std::string(to_label(r)) + "</span>";
    out += " Scores: ";
    for (int s = 1; s <= 4; ++s)
        out += "<span style=\"background:" + std::string(score_colour(s)) + "\">" + std::to_string(s) + "</span>";
    return out + "</p>\n";
}

std::string council_row(const SelectedRow& row, TimePoint now) {
    const StoredAssessment& a = row.current;
    const Assessment& v = a.assessment;
    std::string out = "<tr><td>" + html_escape(a.authority.name) + "</td><td>" +
                      html_escape(region_of(a.authority.code)) + "</td><td>" + html_escape(type_of(a.authority.code)) +
                      "</td><td>" + (a.published ? a.published->iso() : "-") + "</td>";
    if (embargoed(a, now)) {
        out += "<td class=\"emb\" colspan=\"11\">embargoed until " + html_escape(uk_time(*a.embargo_until)) + "</td>";
    } else {
        const std::string conflict =
            a.conflicts.empty() ? "" : " <span class=\"conflict\">[conflict: " + html_escape(conflict_note(a)) + "]</span>";
        out += "<td class=\"r\" style=\"background:" + std::string(rating_colour(v.rating)) + "\">" +
               (v.rating ? std::string(to_label(*v.rating)) : "-") + conflict + "</td><td class=\"n\">" +
               percentage_text(v) + "</td>";
        for (const auto& s : v.scores)
            out += "<td class=\"s\" style=\"background:" + std::string(score_colour(s)) + "\">" +
                   (s ? std::to_string(*s) : "-") + "</td>";
    }
    std::string prev =
        row.previous && row.previous->assessment.rating ? std::string(to_label(*row.previous->assessment.rating)) : "-";
    return out + "<td>" + prev + "</td></tr>\n";
}

std::string latest_table(const std::vector<SelectedRow>& latest, TimePoint now) {
    std::string out =
        "<table><thead><tr><th>Council</th><th>Region</th><th>Type</th><th>Published</th>"
        "<th>Rating</th><th>%</th>";
    for (std::size_t i = 0; i < k_statement_count; ++i)
        out += "<th title=\"" + html_escape(to_label(statement_at(i))) + "\">Q" + std::to_string(i + 1) + "</th>";
    out += "<th>Previous</th></tr></thead><tbody>\n";
    for (const auto& row : latest) out += council_row(row, now);
    return out + "</tbody></table>\n";
}

// Four bars (how many councils scored 1, 2, 3, 4) and the mean.
std::string statement_chart(const Picture& p, std::size_t i) {
    const auto& counts = p.scores[i];
    std::size_t most = std::max<std::size_t>(1, *std::max_element(counts.begin(), counts.end()));
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"176\" height=\"84\" role=\"img\">";
    for (std::size_t s = 0; s < 4; ++s) {
        double h = 56.0 * static_cast<double>(counts[s]) / static_cast<double>(most);
        double x = 8 + static_cast<double>(s) * 42;
        svg += "<rect x=\"" + fmt("%.0f", x) + "\" y=\"" + fmt("%.1f", 62 - h) + "\" width=\"32\" height=\"" +
               fmt("%.1f", h) + "\" fill=\"" + score_colour(static_cast<int>(s + 1)) + "\"><title>score " +
               std::to_string(s + 1) + ": " + std::to_string(counts[s]) + " councils</title></rect>";
        svg += "<text x=\"" + fmt("%.0f", x + 16) + "\" y=\"76\" font-size=\"11\" text-anchor=\"middle\">" +
               std::to_string(s + 1) + "</text>";
        svg += "<text x=\"" + fmt("%.0f", x + 16) + "\" y=\"" + fmt("%.1f", 60 - h) +
               "\" font-size=\"10\" text-anchor=\"middle\">" + std::to_string(counts[s]) + "</text>";
    }
    svg += "</svg>";
    return "<div class=\"chart\"><h3>" + html_escape(to_label(statement_at(i))) + "</h3>" + svg + "<div>mean " +
           mean_text(p.mean[i]) + "</div></div>\n";
}

// Dots along the years of the whole history, coloured by rating; the list below says the same in words.
std::string timeline(const std::vector<const StoredAssessment*>& items, long first_day, long last_day, TimePoint now) {
    const double span = static_cast<double>(std::max(1L, last_day - first_day));
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"260\" height=\"20\">"
        "<line x1=\"6\" y1=\"10\" x2=\"254\" y2=\"10\" stroke=\"#bbb\"/>";
    std::string words;
    for (const auto* a : items) {
        if (!a->published) continue;
        bool held = embargoed(*a, now);
        double x = 6 + 248.0 * static_cast<double>(days_from_civil(*a->published) - first_day) / span;
        auto rating = held ? std::nullopt : a->assessment.rating;
        svg += "<circle cx=\"" + fmt("%.1f", x) + "\" cy=\"10\" r=\"6\" fill=\"" + rating_colour(rating) + "\"/>";
        std::string what = held ? "embargoed" : rating ? std::string(to_label(*rating)) : "rating unknown";
        if (!held) what += " " + percentage_text(a->assessment);
        if (a->withdrawn) what += " (withdrawn)";
        words += (words.empty() ? "" : "; ") + a->published->iso() + " " + what;
    }
    return svg + "</svg></td><td>" + html_escape(words);
}

std::string over_time(const std::vector<StoredAssessment>& history, TimePoint now) {
    std::map<std::string, std::vector<const StoredAssessment*>> by_council;  // name order
    long first = 0, last = 0;
    bool any = false;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {  // oldest first
        by_council[it->authority.name].push_back(&*it);
        if (!it->published) continue;
        long d = days_from_civil(*it->published);
        first = any ? std::min(first, d) : d;
        last = any ? std::max(last, d) : d;
        any = true;
    }
    std::string out = "<table><thead><tr><th>Council</th><th>Assessments</th><th>In words</th></tr></thead><tbody>\n";
    for (const auto& [name, items] : by_council)
        out += "<tr><td>" + html_escape(name) + "</td><td>" + timeline(items, first, last, now) + "</td></tr>\n";
    return out + "</tbody></table>\n";
}

}  // namespace

std::string report_html(const ReportInput& in) {
    std::vector<SelectedRow> latest = in.latest;
    std::sort(latest.begin(), latest.end(), [](const SelectedRow& a, const SelectedRow& b) {
        return a.current.authority.name < b.current.authority.name;
    });
    Picture england = picture_of(latest);
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\">"
        "<title>CQC local authority assessments</title><style>" +
        std::string(k_style) + "</style></head><body>\n";
    out += "<h1>CQC local authority assessments</h1>\n<p class=\"meta\">" + std::to_string(england.councils) +
           " of 153 councils assessed; generated " + html_escape(uk_time(in.generated_at)) +
           " by cqcwatch from its local history.</p>\n";
    out += "<h2>Latest rating of every council</h2>\n" + legend();
    out += "<p>";
    for (Rating r : k_ratings)
        out += std::string(to_label(r)) + ": " + std::to_string(england.ratings[static_cast<std::size_t>(r)]) + ". ";
    out += "Mean " + percent_text(england.mean_percentage) + ".</p>\n";
    out += latest_table(latest, in.generated_at);
    out += "<h2>National distribution per statement</h2>\n<div class=\"charts\">\n";
    for (std::size_t i = 0; i < k_statement_count; ++i) out += statement_chart(england, i);
    out += "</div>\n<h2>Assessments over time</h2>\n" + over_time(in.history, in.generated_at);
    return out + "</body></html>\n";
}

}  // namespace cqcwatch
