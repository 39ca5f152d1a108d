// The card as a standalone SVG image, for a briefing that takes pictures
// rather than HTML. SVG text does not wrap, so every line is placed here:
// widths are planned for DejaVu Sans (wider than Arial or Helvetica, so the
// text fits wherever the image is opened), long notes are wrapped by
// character count, and the height grows with the council's history. The
// Chromium test measures every text's box against the image's.

#include <vector>

#include "cli/card.hpp"
#include "cli/output.hpp"
#include "cli/report_parts.hpp"
#include "notifiers/render.hpp"

namespace cqcwatch {

namespace {

constexpr int k_width = 720;
constexpr int k_left = 24;
constexpr int k_score_x = 470;    // centre of the council's score column
constexpr int k_region_x = 565;   // centre of the region's mean column
constexpr int k_england_x = 655;  // centre of England's mean column

// Lines of at most `max_chars` bytes, broken at spaces; a word longer than that (a URL) is cut.
std::vector<std::string> wrap(const std::string& text, std::size_t max_chars) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find(' ', at);
        std::string word = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? text.size() : end + 1;
        while (word.size() > max_chars) {
            if (!line.empty()) lines.push_back(std::move(line)), line.clear();
            lines.push_back(word.substr(0, max_chars));
            word.erase(0, max_chars);
        }
        if (!line.empty() && line.size() + 1 + word.size() > max_chars) lines.push_back(std::move(line)), line.clear();
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

// SVG text, built top to bottom; `y` is the baseline of the next line.
class Drawing {
public:
    void text(int x, const std::string& s, int size, const std::string& extra = "") {
        m_out += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(m_y) + "\" font-size=\"" +
                 std::to_string(size) + "\"" + (extra.empty() ? "" : " " + extra) + ">" + html_escape(s) + "</text>";
    }
    void raw(const std::string& s) { m_out += s; }
    void down(int dy) { m_y += dy; }
    int y() const { return m_y; }
    /// Wrapped lines at `size` px, `max_chars` to a line, `extra` attributes on each.
    void paragraph(const std::string& s, int size, std::size_t max_chars, const std::string& extra = "") {
        for (const auto& line : wrap(s, max_chars)) {
            text(k_left, line, size, extra);
            down(size + 4);
        }
    }
    const std::string& body() const { return m_out; }

private:
    std::string m_out;
    int m_y = 0;
};

void header(Drawing& d, const CardInput& in) {
    d.down(36);
    d.text(k_left, in.authority.name, 22, "font-weight=\"700\"");
    d.down(22);
    d.text(k_left, card_text::capitalised(in.type) + " in " + in.region + " · ONS " + in.authority.code, 12,
           "fill=\"#555\"");
    d.down(14);
    d.raw("<rect x=\"" + std::to_string(k_left) + "\" y=\"" + std::to_string(d.y()) +
          "\" width=\"236\" height=\"30\" rx=\"4\" fill=\"" + card_text::badge_colour(in) + "\"/>");
    d.down(21);
    d.text(k_left + 10, card_text::badge(in), 15, "font-weight=\"700\" fill=\"#fff\"");
    d.text(k_left + 250, card_text::detail(in), 13);
    d.down(28);
    if (auto prev = card_text::previous(in); !prev.empty()) {
        d.text(k_left, prev, 13);
        d.down(20);
    }
    if (in.latest && !in.latest->current.conflicts.empty())
        d.paragraph(card_text::capitalised(conflict_note(in.latest->current)), 11, 108, "fill=\"#555\"");
}

void score_line(Drawing& d, const std::string& label, const std::string& cell, const char* colour,
                const std::string& region, const std::string& england) {
    const std::string y = std::to_string(d.y());
    if (colour)
        d.raw("<rect x=\"" + std::to_string(k_score_x - 20) + "\" y=\"" + std::to_string(d.y() - 14) +
              "\" width=\"40\" height=\"19\" rx=\"3\" fill=\"" + colour + "\"/>");
    d.text(k_left, label, 13);
    d.text(k_score_x, cell, 13,
           std::string("text-anchor=\"middle\" font-weight=\"700\"") + (colour ? " fill=\"#fff\"" : ""));
    d.text(k_region_x, region, 13, "text-anchor=\"middle\"");
    d.text(k_england_x, england, 13, "text-anchor=\"middle\"");
    d.raw("<line x1=\"" + std::to_string(k_left) + "\" y1=\"" + std::to_string(d.y() + 7) + "\" x2=\"" +
          std::to_string(k_width - k_left) + "\" y2=\"" + std::to_string(d.y() + 7) + "\" stroke=\"#e4e4e4\"/>");
    d.down(24);
}

void scores(Drawing& d, const CardInput& in) {
    const bool figures = card_text::shows_figures(in);
    d.down(12);
    d.text(k_left, "Scores (1 to 4) against the means of " + in.region + " and England", 13, "font-weight=\"700\"");
    d.down(22);
    d.text(k_left, "Quality statement", 11, "fill=\"#555\"");
    d.text(k_score_x, "Score", 11, "fill=\"#555\" text-anchor=\"middle\"");
    d.text(k_region_x, "Region mean", 11, "fill=\"#555\" text-anchor=\"middle\"");
    d.text(k_england_x, "England mean", 11, "fill=\"#555\" text-anchor=\"middle\"");
    d.down(20);
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        const Statement s = statement_at(i);
        if (theme != theme_of(s)) {
            theme = theme_of(s);
            d.text(k_left, std::string(to_label(*theme)), 11, "fill=\"#555\" font-weight=\"700\"");
            d.down(20);
        }
        auto score = figures ? in.latest->current.assessment.scores[i] : std::nullopt;
        score_line(d, std::string(to_label(s)), score ? std::to_string(*score) : "-",
                   score ? score_colour(score) : nullptr, mean_text(in.region_means.mean[i]),
                   mean_text(in.england_means.mean[i]));
    }
    auto pct = figures ? in.latest->current.assessment.percentage() : std::nullopt;
    score_line(d, "Overall percentage", percentage_text(pct), nullptr, percent_text(in.region_means.mean_percentage),
               percent_text(in.england_means.mean_percentage));
}

void history(Drawing& d, const CardInput& in) {
    d.down(8);
    d.text(k_left, "Ratings over time", 13, "font-weight=\"700\"");
    d.down(20);
    if (in.history.empty()) {
        d.text(k_left, "None: CQC has not assessed this council yet.", 12);
        d.down(18);
    }
    for (const auto& a : in.history) {
        const bool figures = !(a.embargo_until && *a.embargo_until > in.generated_at);
        d.raw("<circle cx=\"" + std::to_string(k_left + 6) + "\" cy=\"" + std::to_string(d.y() - 4) +
              "\" r=\"6\" fill=\"" + rating_colour(figures ? a.assessment.rating : std::nullopt) + "\"/>");
        d.text(k_left + 20, card_text::history_line(a, in.generated_at), 12, "xml:space=\"preserve\"");
        d.down(18);
    }
}

void link(Drawing& d, const std::string& label, const std::string& url) {
    d.text(k_left, label, 11, "fill=\"#555\"");
    d.down(15);
    d.raw("<a href=\"" + html_escape(url) + "\">");
    d.paragraph(url, 11, 100, "fill=\"#0b57a4\"");
    d.raw("</a>");
}

void footer(Drawing& d, const CardInput& in) {
    d.down(8);
    if (auto url = card_text::report_url(in); !url.empty()) link(d, "CQC's report", url);
    if (in.latest && in.latest->current.press_release_url)
        link(d, "Press release", *in.latest->current.press_release_url);
    link(d, "Every council's report", k_cqc_listing_url);
    d.down(4);
    d.paragraph(card_text::means_note(in) + " Generated " + uk_time(in.generated_at) + " by cqcwatch.", 11, 100,
                "fill=\"#555\"");
}

}  // namespace

std::string card_svg(const CardInput& in) {
    Drawing d;
    header(d, in);
    scores(d, in);
    history(d, in);
    footer(d, in);
    const std::string w = std::to_string(k_width), h = std::to_string(d.y() + 8);
    const std::string label = in.authority.name + ": " + card_text::badge(in) + ", " + card_text::detail(in);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w +
           "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-label=\"" +
           html_escape(label) +
           "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" fill=\"#1b1b1b\">\n<title>" +
           html_escape(label) + "</title>\n<rect x=\"0.5\" y=\"0.5\" width=\"" + std::to_string(k_width - 1) +
           "\" height=\"" + std::to_string(d.y() + 7) + "\" rx=\"6\" fill=\"#fff\" stroke=\"#d0d0d0\"/>\n" + d.body() +
           "\n</svg>\n";
}

}  // namespace cqcwatch
