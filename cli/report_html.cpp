// The report is built as one string: a page of a few hundred kilobytes for
// 153 councils. Colours follow CQC's own: green for good and outstanding,
// amber for requires improvement, red for inadequate; the same scale for the
// 1–4 scores. An embargoed assessment shows no figures, only when it lifts.
// The table fits 1280 px: long names wrap, the nine score columns are headed
// by short names that wrap onto two lines, and no cell refuses to wrap except
// dates and numbers.

#include "cli/report_html.hpp"

#include <algorithm>
#include <map>

#include "cli/national.hpp"
#include "cli/output.hpp"
#include "cli/report_parts.hpp"
#include "notifiers/render.hpp"
#include "parsers/dates.hpp"

namespace cqcwatch {

namespace {

bool embargoed(const StoredAssessment& a, TimePoint now) { return a.embargo_until && *a.embargo_until > now; }

constexpr const char* k_style = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#1b1b1b;background:#fff;max-width:1248px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
p.meta{color:#555;margin:0 0 16px}
table{border-collapse:collapse;font-size:13px}
table.latest{width:100%}
th,td{padding:3px 4px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
thead{position:sticky;top:0}
th{background:#f4f4f4;font-size:12px;font-weight:600}
th.q{text-align:center;font-size:11px;width:50px;vertical-align:bottom}
th.theme{text-align:center;font-size:11px;font-weight:normal;color:#444;border-left:2px solid #fff}
abbr{text-decoration:none;cursor:help}
td.d,td.n{white-space:nowrap}td.n{text-align:right}
td.r{color:#fff;font-weight:600}td.s{color:#fff;text-align:center;font-weight:600}
td.m{text-align:center;color:#333}
tfoot td{border-top:2px solid #bbb;font-weight:600;background:#fafafa}
.conflict{display:block;font-weight:normal;font-size:11px}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;border-radius:3px;font-size:12px}
dl.key{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px;margin:8px 0 16px}
dl.key dt{font-weight:600}dl.key dd{margin:0}
.charts{display:flex;flex-wrap:wrap;gap:14px}
.chart{border:1px solid #e4e4e4;padding:6px;width:190px}
.chart h3{font-size:12px;margin:0 0 4px;font-weight:600;min-height:30px}
.chart div{font-size:12px}
.emb{background:#444;color:#fff}
td.words{font-size:12px}
)css";

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

// A short name as a column head: the longest words may break (a soft hyphen), so nine columns stay narrow.
std::string head_label(Statement s) {
    std::string out = html_escape(short_label(s));
    for (const char* word : {"Partner|ships", "Safe|guarding", "Gover|nance", "Health|ier", "Pro|vision"}) {
        std::string w = word, plain = w;
        plain.erase(plain.find('|'), 1);
        if (auto at = out.find(plain); at != std::string::npos)
            out.replace(at, plain.size(), w.replace(w.find('|'), 1, "&shy;"));
    }
    return out;
}

// The key to the short names: each statement in full, under its theme.
std::string key() {
    std::string out = "<dl class=\"key\">";
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        const Statement s = statement_at(i);
        out += "<dt>" + html_escape(short_label(s)) + "</dt><dd>QS" + std::to_string(i + 1) + " " +
               html_escape(to_label(s)) + " <span style=\"color:#666\">(" + html_escape(to_label(theme_of(s))) +
               ")</span></dd>";
    }
    return out + "</dl>\n";
}

std::string council_row(const SelectedRow& row, TimePoint now) {
    const StoredAssessment& a = row.current;
    const Assessment& v = a.assessment;
    std::string out = "<tr><td>" + html_escape(a.authority.name) + "</td><td>" +
                      html_escape(region_of(a.authority.code)) + "</td><td>" + html_escape(type_of(a.authority.code)) +
                      "</td><td class=\"d\">" + (a.published ? a.published->iso() : "-") + "</td>";
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

std::string table_head() {
    std::string out =
        "<thead><tr><th colspan=\"6\"></th><th class=\"theme\" colspan=\"3\">Working with people</th>"
        "<th class=\"theme\" colspan=\"2\">Providing support</th><th class=\"theme\" colspan=\"2\">Ensuring "
        "safety</th><th class=\"theme\" colspan=\"2\">Leadership</th><th></th></tr>\n"
        "<tr><th>Council</th><th>Region</th><th>Type</th><th>Published</th><th>Rating</th><th>%</th>";
    for (std::size_t i = 0; i < k_statement_count; ++i)
        out += "<th class=\"q\"><abbr title=\"" + html_escape(statement_title(i)) + "\">" +
               head_label(statement_at(i)) + "</abbr></th>";
    return out + "<th>Previous</th></tr></thead>\n";
}

// The means under the table: the area's, and England's beside it when the area is part of England.
std::string means_row(const std::string& label, const Picture& p) {
    std::string out = "<tr><td colspan=\"5\">" + html_escape(label) + " mean (" + std::to_string(p.councils) +
                      " councils)</td><td class=\"n\">" + percent_text(p.mean_percentage) + "</td>";
    for (std::size_t i = 0; i < k_statement_count; ++i) out += "<td class=\"m\">" + mean_text(p.mean[i]) + "</td>";
    return out + "<td></td></tr>\n";
}

std::string latest_table(const ReportInput& in, const std::vector<SelectedRow>& latest, const Picture& area,
                         const Picture& england) {
    std::string out = "<table class=\"latest\">" + table_head() + "<tbody>\n";
    for (const auto& row : latest) out += council_row(row, in.generated_at);
    out += "</tbody><tfoot>\n" + means_row(in.area, area);
    if (in.area != "England") out += means_row("England", england);
    return out + "</tfoot></table>\n";
}

// Four bars (how many councils scored 1, 2, 3, 4), the count above each inside the drawing, and the mean.
std::string statement_chart(const Picture& p, std::size_t i, const std::string& beside) {
    const auto& counts = p.scores[i];
    std::size_t most = std::max<std::size_t>(1, *std::max_element(counts.begin(), counts.end()));
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"176\" height=\"92\" viewBox=\"0 0 176 92\" role=\"img\">";
    for (std::size_t s = 0; s < 4; ++s) {
        double h = 54.0 * static_cast<double>(counts[s]) / static_cast<double>(most);
        double x = 8 + static_cast<double>(s) * 42;
        svg += "<rect x=\"" + fmt("%.0f", x) + "\" y=\"" + fmt("%.1f", 70 - h) + "\" width=\"32\" height=\"" +
               fmt("%.1f", h) + "\" fill=\"" + score_colour(static_cast<int>(s + 1)) + "\"><title>score " +
               std::to_string(s + 1) + ": " + std::to_string(counts[s]) + " councils</title></rect>";
        svg += "<text x=\"" + fmt("%.0f", x + 16) + "\" y=\"86\" font-size=\"11\" text-anchor=\"middle\">" +
               std::to_string(s + 1) + "</text>";
        svg += "<text x=\"" + fmt("%.0f", x + 16) + "\" y=\"" + fmt("%.1f", 66 - h) +
               "\" font-size=\"10\" text-anchor=\"middle\">" + std::to_string(counts[s]) + "</text>";
    }
    svg += "</svg>";
    return "<div class=\"chart\"><h3><abbr title=\"" + html_escape(statement_title(i)) + "\">" +
           html_escape(to_label(statement_at(i))) + "</abbr></h3>" + svg + "<div>mean " + mean_text(p.mean[i]) +
           beside + "</div></div>\n";
}

std::string charts(const ReportInput& in, const Picture& area, const Picture& england) {
    const bool part = in.area != "England";
    std::string out = "<h2>" + html_escape(in.area) + ": distribution per statement</h2>\n";
    if (part)
        out += "<p>Bars: how many councils in " + html_escape(in.area) +
               " scored 1, 2, 3 and 4; England's mean beside the area's.</p>\n";
    out += "<div class=\"charts\">\n";
    for (std::size_t i = 0; i < k_statement_count; ++i)
        out += statement_chart(area, i, part ? " (England " + mean_text(england.mean[i]) + ")" : "");
    return out + "</div>\n";
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
    return svg + "</svg></td><td class=\"words\">" + html_escape(words);
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

std::string ratings_line(const std::string& label, const Picture& p) {
    std::string out = "<p>" + html_escape(label) + ": ";
    for (Rating r : k_ratings)
        out += std::string(to_label(r)) + " " + std::to_string(p.ratings[static_cast<std::size_t>(r)]) + ", ";
    return out + "mean " + percent_text(p.mean_percentage) + ".</p>\n";
}

}  // namespace

std::string report_html(const ReportInput& in) {
    std::vector<SelectedRow> latest = in.latest;
    std::sort(latest.begin(), latest.end(), [](const SelectedRow& a, const SelectedRow& b) {
        return a.current.authority.name < b.current.authority.name;
    });
    const bool part = in.area != "England";
    const Picture area = picture_of(latest);
    const Picture england = part ? picture_of(in.england) : area;
    const std::string title = part ? "CQC local authority assessments: " + in.area : "CQC local authority assessments";
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\">"
        "<title>" +
        html_escape(title) + "</title><style>" + std::string(k_style) + "</style></head><body>\n";
    out += "<h1>" + html_escape(title) + "</h1>\n<p class=\"meta\">" + std::to_string(area.councils) + " of " +
           std::to_string(in.area_councils) + " councils" + (part ? " in " + html_escape(in.area) : "") +
           " assessed; generated " + html_escape(uk_time(in.generated_at)) +
           " by cqcwatch from its local history.</p>\n";
    out += "<h2>Latest rating of every council</h2>\n" + legend();
    out += ratings_line(in.area, area);
    if (part) out += ratings_line("England", england);
    out += "<p>The nine quality statements, in CQC's order (hover a column's name for it in full):</p>\n" + key();
    out += latest_table(in, latest, area, england);
    out += charts(in, area, england);
    out += "<h2>Assessments over time</h2>\n" + over_time(in.history, in.generated_at);
    return out + "</body></html>\n";
}

}  // namespace cqcwatch
