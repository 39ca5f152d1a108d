// The card's words, and its HTML. The HTML is one page with inline CSS, no
// scripts and nothing to fetch, 720 px wide at most so it pastes into a
// document or an e-mail; links are plain anchors to CQC's pages.

#include "cli/card.hpp"

#include "cli/output.hpp"
#include "cli/report_parts.hpp"
#include "notifiers/render.hpp"

namespace cqcwatch {

namespace {

bool held(const StoredAssessment& a, TimePoint now) { return a.embargo_until && *a.embargo_until > now; }

std::string rating_text(const Assessment& a) { return a.rating ? std::string(to_label(*a.rating)) : "Rating not read"; }

}  // namespace

namespace card_text {

std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

bool shows_figures(const CardInput& in) { return in.latest && !held(in.latest->current, in.generated_at); }

std::string badge(const CardInput& in) {
    if (!in.latest) return in.history.empty() ? "Not assessed" : "Withdrawn";
    if (!shows_figures(in)) return "Embargoed";
    return rating_text(in.latest->current.assessment);
}

const char* badge_colour(const CardInput& in) {
    if (!shows_figures(in)) return in.latest ? "#444444" : "#9a9a9a";
    return rating_colour(in.latest->current.assessment.rating);
}

std::string detail(const CardInput& in) {
    if (!in.latest)
        return in.history.empty() ? "CQC has not assessed this council yet"
                                  : "the last assessment was withdrawn from CQC's site";
    const StoredAssessment& a = in.latest->current;
    if (!shows_figures(in)) return "until " + uk_time(*a.embargo_until) + ": no figures before then";
    std::string out = percentage_text(a.assessment);
    if (a.published) out += ", published " + a.published->iso();
    if (a.assessment.indicative) out += " (indicative: a 2023 pilot)";
    return out;
}

std::string previous(const CardInput& in) {
    if (!in.latest) return "";
    const auto& p = in.latest->previous;
    if (!p) return "First assessment";
    std::string out = "Previous: " + rating_text(p->assessment) + ", " + percentage_text(p->assessment);
    if (p->published) out += ", published " + p->published->iso();
    return out;
}

std::string history_line(const StoredAssessment& a, TimePoint now) {
    std::string out = (a.published ? a.published->iso() : std::string("undated")) + "  ";
    if (held(a, now)) return out + "embargoed until " + uk_time(*a.embargo_until);
    out += rating_text(a.assessment) + "  " + percentage_text(a.assessment);
    if (a.withdrawn) out += "  (withdrawn from CQC's site)";
    return out;
}

std::string means_note(const CardInput& in) {
    return "Means over the latest assessment of each council: " + std::to_string(in.region_means.councils) + " in " +
           in.region + ", " + std::to_string(in.england_means.councils) + " in England; unknown scores left out.";
}

std::string report_url(const CardInput& in) {
    if (!in.latest) return "";
    const StoredAssessment& a = in.latest->current;
    if (a.assessment.report_url) return *a.assessment.report_url;
    return a.summary_url.value_or("");
}

}  // namespace card_text

namespace {

constexpr const char* k_card_style = R"css(
body{margin:16px;background:#fff;color:#1b1b1b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.card{max-width:688px;border:1px solid #d0d0d0;border-radius:6px;padding:16px}
h1{font-size:22px;margin:0}p{margin:4px 0}
.sub{color:#555;font-size:13px}
.head{display:flex;align-items:center;gap:12px;margin:12px 0 4px;flex-wrap:wrap}
.badge{color:#fff;font-weight:700;padding:4px 10px;border-radius:4px;font-size:15px}
table{border-collapse:collapse;font-size:13px;width:100%;margin-top:10px}
th,td{padding:3px 6px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f4f4f4;font-size:12px}
th.n,td.n{text-align:center;width:92px}
td.s{color:#fff;font-weight:700;text-align:center}
tr.theme td{background:#fafafa;font-size:11px;color:#555;font-weight:600}
h2{font-size:15px;margin:14px 0 4px}
ol{margin:0;padding-left:20px;font-size:13px}
.links{font-size:13px;margin-top:10px;overflow-wrap:anywhere}
.note{font-size:11px;color:#555;margin-top:8px}
abbr{text-decoration:none}
)css";

std::string score_rows(const CardInput& in) {
    const bool figures = card_text::shows_figures(in);
    std::string out;
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        const Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            out += "<tr class=\"theme\"><td colspan=\"4\">" + html_escape(to_label(*theme)) + "</td></tr>\n";
        }
        auto score = figures ? in.latest->current.assessment.scores[i] : std::nullopt;
        out += "<tr><td><abbr title=\"" + html_escape(statement_title(i)) + "\">" + html_escape(to_label(s)) +
               "</abbr></td><td class=\"n s\" style=\"background:" + score_colour(score) + "\">" +
               (score ? std::to_string(*score) : "-") + "</td><td class=\"n\">" + mean_text(in.region_means.mean[i]) +
               "</td><td class=\"n\">" + mean_text(in.england_means.mean[i]) + "</td></tr>\n";
    }
    auto pct = figures ? in.latest->current.assessment.percentage() : std::nullopt;
    out += "<tr><td>Overall percentage</td><td class=\"n\">" + percentage_text(pct) + "</td><td class=\"n\">" +
           percent_text(in.region_means.mean_percentage) + "</td><td class=\"n\">" +
           percent_text(in.england_means.mean_percentage) + "</td></tr>\n";
    return out;
}

std::string links(const CardInput& in) {
    std::string out = "<p class=\"links\">";
    auto link = [&](const std::string& text, const std::string& url) {
        out += text + ": <a href=\"" + html_escape(url) + "\">" + html_escape(url) + "</a><br>";
    };
    if (auto url = card_text::report_url(in); !url.empty()) link("CQC's report", url);
    if (in.latest && in.latest->current.press_release_url) link("Press release", *in.latest->current.press_release_url);
    link("Every council's report", k_cqc_listing_url);
    return out + "</p>\n";
}

}  // namespace

std::string card_html(const CardInput& in) {
    const std::string& name = in.authority.name;
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\"><title>" +
        html_escape(name) + ": CQC assessment</title><style>" + k_card_style +
        "</style></head><body>\n<div class=\"card\">\n";
    out += "<h1>" + html_escape(name) + "</h1>\n<p class=\"sub\">" + html_escape(card_text::capitalised(in.type)) +
           " in " + html_escape(in.region) + " · ONS " + html_escape(in.authority.code) +
           " · CQC assessment of adult social care (Care Act 2014)</p>\n";
    out += "<div class=\"head\"><span class=\"badge\" style=\"background:" + std::string(card_text::badge_colour(in)) +
           "\">" + html_escape(card_text::badge(in)) + "</span><span>" + html_escape(card_text::detail(in)) +
           "</span></div>\n";
    if (auto prev = card_text::previous(in); !prev.empty()) out += "<p>" + html_escape(prev) + "</p>\n";
    if (in.latest && !in.latest->current.conflicts.empty())
        out += "<p class=\"note\">" + html_escape(card_text::capitalised(conflict_note(in.latest->current))) + "</p>\n";
    out += "<table><thead><tr><th>Quality statement</th><th class=\"n\">" + html_escape(name) +
           "</th><th class=\"n\">" + html_escape(in.region) +
           " mean</th><th class=\"n\">England mean</th></tr></thead><tbody>\n" + score_rows(in) + "</tbody></table>\n";
    out += "<h2>Ratings over time</h2>\n";
    if (in.history.empty()) {
        out += "<p>None: CQC has not assessed this council yet.</p>\n";
    } else {
        out += "<ol reversed>\n";
        for (const auto& a : in.history)
            out += "<li>" + html_escape(card_text::history_line(a, in.generated_at)) + "</li>\n";
        out += "</ol>\n";
    }
    out += links(in);
    out += "<p class=\"note\">" + html_escape(card_text::means_note(in)) + " Generated " +
           html_escape(uk_time(in.generated_at)) + " by cqcwatch from its local history.</p>\n";
    return out + "</div>\n</body></html>\n";
}

}  // namespace cqcwatch
