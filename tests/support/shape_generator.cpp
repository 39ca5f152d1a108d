// The shape generator: see shape_generator.hpp. Each dimension is a list of
// writers; a case picks one of each with the seeded RNG and records the
// choice in `shape`, so a failing case names what it was made of.

#include "support/shape_generator.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>

#include "parsers/consistency.hpp"

namespace cqcwatch::test::shapes {

namespace {

using Writer = std::function<std::string(int)>;

struct Council {
    std::string written;    ///< as the text writes it
    std::string short_name; ///< "Walsall" in "Overall rating for Walsall"
    std::string canonical;  ///< as the authorities data names it
    std::string slug;
};

const std::vector<Council>& councils() {
    static const std::vector<Council> c{
        {"Walsall Council", "Walsall", "Walsall", "walsall"},
        {"Dudley Metropolitan Borough Council", "Dudley", "Dudley", "dudley"},
        {"London Borough of Croydon", "Croydon", "Croydon", "croydon"},
        {"City of York Council", "York", "York", "york"},
        {"Kent County Council", "Kent", "Kent", "kent"},
        {"London Borough of Hammersmith & Fulham", "Hammersmith and Fulham", "Hammersmith and Fulham",
         "hammersmithfulham"},
        {"Isle of Wight Council", "Isle of Wight", "Isle of Wight", "isleofwight"},
        {"Bath and North East Somerset Council", "Bath and North East Somerset", "Bath and North East Somerset",
         "bathnes"},
        {"Cornwall Council", "Cornwall", "Cornwall", "cornwall"},
        {"Herefordshire Council", "Herefordshire", "Herefordshire", "herefordshire"},
    };
    return c;
}

// The nine statements as CQC has written them, and the small drifts between pages and years.
const std::array<std::vector<std::string>, k_statement_count>& label_forms() {
    static const std::array<std::vector<std::string>, k_statement_count> l{{
        {"Assessing needs", "Assessing people's needs", "Assessing need", "Assessing people’s needs"},
        {"Supporting people to lead healthier lives", "Supporting people to live healthier lives",
         "Helping people to live healthier lives", "Healthier lives"},
        {"Equity in experience and outcomes", "Equity in experiences and outcomes", "Equity in experience & outcomes",
         "Equity"},
        {"Care provision, integration and continuity", "Care provision, integration & continuity",
         "Care provision, integration and continuity of care", "Care provision"},
        {"Partnerships and communities", "Partnership and communities", "Partnerships & communities",
         "Working in partnership with communities"},
        {"Safe pathways, systems and transitions", "Safe pathways, systems & transitions", "Safe systems, pathways and transitions",
         "Safe pathways"},
        {"Safeguarding", "Safeguarding people", "Safeguarding adults", "Keeping people safe from abuse (safeguarding)"},
        {"Governance, management and sustainability", "Governance, management & sustainability", "Governance",
         "Governance, management, and sustainability"},
        {"Learning, improvement and innovation", "Learning, improvement & innovation", "Learning, innovation and improvement",
         "Learning, improvement, innovation"},
    }};
    return l;
}

const std::array<const char*, 4> k_themes{"Working with people", "Providing support", "How the local authority ensures safety within the system",
                                          "Leadership"};
std::size_t theme_index(std::size_t statement) { return statement < 3 ? 0 : statement < 5 ? 1 : statement < 7 ? 2 : 3; }

const char* k_words[] = {"", "one", "two", "three", "four"};
const char* k_descriptors[] = {"", "Evidence shows significant shortfalls", "Evidence shows some shortfalls",
                               "Evidence shows a good standard", "Evidence shows an exceptional standard"};

std::string rating_words(Rating r) {
    switch (r) {
        case Rating::outstanding: return "Outstanding";
        case Rating::good: return "Good";
        case Rating::requires_improvement: return "Requires improvement";
        case Rating::inadequate: return "Inadequate";
    }
    return "";
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
std::string capitalised(std::string s) {
    s = lower(std::move(s));
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string dots(int v, const char* on, const char* off) {
    std::string out;
    for (int i = 1; i <= 4; ++i) out += i <= v ? on : off;
    return out;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

// ---- score forms ------------------------------------------------------------------------------

struct ScoreForm {
    std::string name;
    Writer write;
    bool html_only = false;
};

const std::vector<ScoreForm>& score_forms() {
    static const std::vector<ScoreForm> f{
        {"digit", [](int v) { return std::to_string(v); }},
        {"score-colon", [](int v) { return "Score: " + std::to_string(v); }},
        {"score-space", [](int v) { return "Score " + std::to_string(v); }},
        {"out-of", [](int v) { return std::to_string(v) + " out of 4"; }},
        {"slash", [](int v) { return std::to_string(v) + "/4"; }},
        {"word", [](int v) { return std::string(k_words[v]); }},
        {"word-out-of", [](int v) { return capitalised(k_words[v]) + " out of four"; }},
        {"descriptor", [](int v) { return std::string(k_descriptors[v]); }},
        {"digit-descriptor", [](int v) { return std::to_string(v) + " - " + k_descriptors[v]; }},
        {"score-descriptor", [](int v) { return "Score: " + std::to_string(v) + " – " + k_descriptors[v]; }},
        {"scored", [](int v) { return "Scored " + std::to_string(v) + " out of 4"; }},
        {"paren-out-of", [](int v) { return std::to_string(v) + " (out of 4)"; }},
        {"dots-hidden",
         [](int v) {
             return "<span class=\"dots\" aria-hidden=\"true\">" + dots(v, "●", "○") +
                    "</span><span class=\"govuk-visually-hidden\">" + std::to_string(v) + " out of 4</span>";
         },
         true},
        {"dots-visible-hidden",
         [](int v) {
             return "<span class=\"dots\">" + dots(v, "●", "○") + "</span> <span class=\"visually-hidden\">Score " +
                    std::to_string(v) + " out of 4</span>";
         },
         true},
        {"aria-label",
         [](int v) {
             return "<span role=\"img\" aria-label=\"Score: " + std::to_string(v) + " out of 4\">" +
                    dots(v, "●", "○") + "</span>";
         },
         true},
        {"img-alt",
         [](int v) {
             return "<img src=\"/images/score-" + std::to_string(v) + ".svg\" alt=\"" + std::to_string(v) +
                    " out of 4\">";
         },
         true},
        {"title-attr",
         [](int v) {
             return "<span class=\"score\" title=\"Score " + std::to_string(v) + " out of 4\">" +
                    dots(v, "&#9679;", "&#9675;") + "</span>";
         },
         true},
        {"meter", [](int v) { return "<meter min=\"1\" max=\"4\" value=\"" + std::to_string(v) + "\"></meter>"; },
         true},
        {"stars", [](int v) { return dots(v, "★", "☆"); }, true},
        {"svg-title",
         [](int v) {
             std::string circles;
             for (int i = 1; i <= 4; ++i)
                 circles += "<circle cx=\"" + std::to_string(i * 10) + "\" cy=\"5\" r=\"4\" class=\"" +
                            (i <= v ? "on" : "off") + "\"/>";
             return "<svg role=\"img\" viewBox=\"0 0 50 10\"><title>Score " + std::to_string(v) + " out of 4</title>" +
                    circles + "</svg>";
         },
         true},
        {"svg-aria",
         [](int v) {
             return "<svg role=\"img\" aria-label=\"" + capitalised(k_words[v]) +
                    " out of four\" viewBox=\"0 0 50 10\"><rect width=\"" + std::to_string(v * 12) +
                    "\" height=\"10\"/></svg>";
         },
         true},
        {"img-title", [](int v) { return "<img src=\"/i/s" + std::to_string(v) + ".png\" title=\"" + std::to_string(v) + "/4\">"; },
         true},
        {"dots-only", [](int v) { return dots(v, "●", "○"); }, true},
        {"squares-sr", [](int v) {
             return "<span aria-hidden=\"true\">" + dots(v, "■", "□") + "</span><span class=\"sr-only\">" +
                    capitalised(k_words[v]) + " out of four</span>";
         }, true},
    };
    return f;
}

// ---- label forms -----------------------------------------------------------------------------

struct LabelForm {
    std::string name;
    std::function<std::string(std::size_t statement, const std::string& base)> write;
};

const std::vector<LabelForm>& label_decor() {
    static const std::vector<LabelForm> f{
        {"plain", [](std::size_t, const std::string& b) { return b; }},
        {"lower", [](std::size_t, const std::string& b) { return lower(b); }},
        {"upper", [](std::size_t, const std::string& b) { return upper(b); }},
        {"numbered", [](std::size_t i, const std::string& b) { return std::to_string(i + 1) + ". " + b; }},
        {"qs", [](std::size_t i, const std::string& b) { return "QS" + std::to_string(i + 1) + ": " + b; }},
        {"quality-statement",
         [](std::size_t i, const std::string& b) { return "Quality statement " + std::to_string(i + 1) + " - " + b; }},
        {"theme-prefix",
         [](std::size_t i, const std::string& b) { return std::string(k_themes[theme_index(i)]) + ": " + b; }},
    };
    return f;
}

// ---- rating sentences ------------------------------------------------------------------------

struct Said {
    std::string html;  ///< for pages
    std::string text;  ///< for mail bodies
};

using RatingWriter = std::function<Said(const Council&, Rating, std::optional<int> percent)>;

struct RatingForm {
    std::string name;
    RatingWriter write;
    bool states_percent = false;  ///< the form itself carries the percentage
};

std::string pct(int p) { return std::to_string(p) + "%"; }

const std::vector<RatingForm>& page_rating_forms() {
    static const std::vector<RatingForm> f{
        {"has-rated",
         [](const Council& c, Rating r, std::optional<int>) {
             std::string s = "CQC has rated " + c.written + " as " + lower(rating_words(r)) +
                             " in how well it meets its duties under the Care Act.";
             return Said{"<p>" + html_escape(s) + "</p>", s};
         }},
        {"dl-overall",
         [](const Council&, Rating r, std::optional<int>) {
             return Said{"<dl><dt>Overall rating</dt><dd>" + rating_words(r) + "</dd></dl>", ""};
         }},
        {"badge",
         [](const Council&, Rating r, std::optional<int>) {
             return Said{"<h2>Overall rating</h2><p><strong class=\"govuk-tag\">" + upper(rating_words(r)) +
                             "</strong></p>",
                         ""};
         }},
        {"overall-paren",
         [](const Council&, Rating r, std::optional<int> p) {
             return Said{"<p class=\"lead\">Overall: " + rating_words(r) + " (" + pct(*p) + ")</p>", ""};
         },
         true},
        {"rating-colon",
         [](const Council&, Rating r, std::optional<int>) {
             return Said{"<p><b>Rating:</b> " + rating_words(r) + "</p>", ""};
         }},
        {"is-rated",
         [](const Council& c, Rating r, std::optional<int>) {
             return Said{"<p>" + html_escape(c.written) + " is rated " + rating_words(r) + ".</p>", ""};
         }},
        {"been-rated",
         [](const Council& c, Rating r, std::optional<int>) {
             return Said{"<p>" + html_escape(c.written) + " has been rated as ‘" + lower(rating_words(r)) +
                             "’ overall.</p>",
                         ""};
         }},
        {"our-rating",
         [](const Council& c, Rating r, std::optional<int>) {
             return Said{"<p>Our overall rating for " + html_escape(c.short_name) + ": <span class=\"rating\">" +
                             rating_words(r) + "</span></p>",
                         ""};
         }},
        {"croydon-block",
         [](const Council& c, Rating r, std::optional<int>) {
             return Said{"<h2>Local authority rating and score</h2><ul><li><span>" + html_escape(c.written) +
                             "</span><br><span>" + rating_words(r) + "</span></li></ul>",
                         ""};
         }},
        {"table-rating",
         [](const Council&, Rating r, std::optional<int>) {
             return Said{"<table><tr><th scope=\"row\">Overall rating</th><td>" + rating_words(r) + "</td></tr></table>",
                         ""};
         }},
        {"overall-is",
         [](const Council&, Rating r, std::optional<int>) {
             return Said{"<p>The local authority’s overall rating is " + lower(rating_words(r)) + ".</p>", ""};
         }},
        {"rating-and-percent",
         [](const Council&, Rating r, std::optional<int> p) {
             return Said{"<div class=\"rating-card\"><p class=\"label\">Overall rating</p><p class=\"value\">" +
                             rating_words(r) + " – " + pct(*p) + "</p></div>",
                         ""};
         },
         true},
    };
    return f;
}

const std::vector<std::function<std::string(const Council&, int)>>& page_percent_forms() {
    static const std::vector<std::function<std::string(const Council&, int)>> f{
        [](const Council& c, int p) { return "<p>Overall rating for " + html_escape(c.short_name) + ": " + pct(p) + "</p>"; },
        [](const Council&, int p) { return "<p>Overall score: " + pct(p) + "</p>"; },
        [](const Council&, int p) { return "<dl><dt>Overall score</dt><dd>" + pct(p) + "</dd></dl>"; },
        [](const Council&, int p) { return "<p>The overall score was " + std::to_string(p) + " per cent.</p>"; },
    };
    return f;
}

const std::vector<RatingForm>& mail_rating_forms() {
    static const std::vector<RatingForm> f{
        {"has-rated",
         [](const Council& c, Rating r, std::optional<int>) {
             std::string s = "The Care Quality Commission (CQC) has rated " + c.written + " as " +
                             lower(rating_words(r)) +
                             ", in how well they are meeting their responsibilities under the Care Act (2014).";
             return Said{"<p>" + html_escape(s) + "</p>", s};
         }},
        {"has-rated-caps",
         [](const Council& c, Rating r, std::optional<int>) {
             std::string s = "CQC has rated " + c.written + " as " + rating_words(r) +
                             " following its assessment of how the council meets its duties.";
             return Said{"<p>" + html_escape(s) + "</p>", s};
         }},
        {"has-rated-quoted",
         [](const Council& c, Rating r, std::optional<int>) {
             std::string s = "CQC has rated " + c.written + " as '" + lower(rating_words(r)) +
                             "' for how it meets its adult social care duties.";
             return Said{"<p>" + html_escape(s) + "</p>", s};
         }},
    };
    return f;
}

// ---- noise --------------------------------------------------------------------------------------

std::string page_header() {
    return "<header class=\"govuk-header\"><a href=\"/\">Care Quality Commission</a><nav><ul><li><a "
           "href=\"/about\">About us</a></li><li><a href=\"/news\">News</a></li></ul></nav></header>";
}
std::string page_footer() {
    return "<footer><p>© Care Quality Commission 2026</p><p>Call 03000 616161</p></footer>";
}
std::string legend_html() {
    return "<div class=\"key\"><h3>How we score</h3><ul><li>1 - Evidence shows significant shortfalls</li><li>2 - "
           "Evidence shows some shortfalls</li><li>3 - Evidence shows a good standard</li><li>4 - Evidence shows an "
           "exceptional standard</li></ul></div>";
}
std::string people_html() {
    return "<p>We spoke with 3 people who use services, 4 carers and 2 providers during our 3 site visits.</p>";
}

// ---- one statement in a container --------------------------------------------------------------

struct Entry {
    std::size_t statement;
    std::string label;  ///< as written (plain text; escaped by the writers)
    std::string score;  ///< the score's markup (or text)
    std::string previous;  ///< noise: a previous score's markup, when the container shows one
};

struct Container {
    std::string name;
    std::function<std::string(const std::vector<Entry>&, Rng&)> write;
    bool shows_previous = false;
};

std::string row_cells(const Entry& e) { return "<td>" + html_escape(e.label) + "</td><td>" + e.score + "</td>"; }

const std::vector<Container>& containers() {
    static const std::vector<Container> c{
        {"table-rows",
         [](const std::vector<Entry>& es, Rng& rng) {
             const bool theme_col = rng.chance(50);
             std::string h = "<table class=\"scores\"><caption>Quality statement scores</caption><thead><tr>";
             if (theme_col) h += "<th>Theme</th>";
             h += "<th>Quality statement</th><th>Score</th></tr></thead><tbody>";
             for (const auto& e : es) {
                 h += "<tr>";
                 if (theme_col) h += "<td>" + std::string(k_themes[theme_index(e.statement)]) + "</td>";
                 h += row_cells(e) + "</tr>";
             }
             return h + "</tbody></table>";
         }},
        {"table-row-headers",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<table><tr><th>Quality statement</th><th>Score</th></tr>";
             for (const auto& e : es) h += "<tr><th scope=\"row\">" + html_escape(e.label) + "</th><td>" + e.score + "</td></tr>";
             return h + "</table>";
         }},
        {"table-previous",
         [](const std::vector<Entry>& es, Rng& rng) {
             const bool previous_first = rng.chance(50);
             std::string h = "<table><thead><tr><th>Quality statement</th>";
             h += previous_first ? "<th>Previous score (2024)</th><th>Score</th>" : "<th>Score</th><th>Last assessment</th>";
             h += "</tr></thead><tbody>";
             for (const auto& e : es) {
                 h += "<tr><td>" + html_escape(e.label) + "</td>";
                 h += previous_first ? "<td>" + e.previous + "</td><td>" + e.score + "</td>"
                                     : "<td>" + e.score + "</td><td>" + e.previous + "</td>";
                 h += "</tr>";
             }
             return h + "</tbody></table>";
         },
         true},
        {"table-transposed",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<table><tr>";
             for (const auto& e : es) h += "<th>" + html_escape(e.label) + "</th>";
             h += "</tr><tr>";
             for (const auto& e : es) h += "<td>" + e.score + "</td>";
             return h + "</tr></table>";
         }},
        {"dl",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<dl class=\"scores\">";
             for (const auto& e : es) h += "<dt>" + html_escape(e.label) + "</dt><dd>" + e.score + "</dd>";
             return h + "</dl>";
         }},
        {"summary-list",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<dl class=\"govuk-summary-list\">";
             for (const auto& e : es)
                 h += "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">" +
                      html_escape(e.label) + "</dt><dd class=\"govuk-summary-list__value\">" + e.score + "</dd></div>";
             return h + "</dl>";
         }},
        {"list-inline",
         [](const std::vector<Entry>& es, Rng& rng) {
             const char* sep = rng.pick(std::vector<const char*>{": ", " – ", " - "});
             std::string h = "<ul>";
             for (const auto& e : es) h += "<li>" + html_escape(e.label) + sep + e.score + "</li>";
             return h + "</ul>";
         }},
        {"list-spans",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<ul class=\"statements\">";
             for (const auto& e : es)
                 h += "<li class=\"statement\"><span class=\"name\">" + html_escape(e.label) +
                      "</span> <span class=\"value\">" + e.score + "</span></li>";
             return h + "</ul>";
         }},
        {"list-split",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<ul>";
             for (const auto& e : es) h += "<li><p>" + html_escape(e.label) + "</p><p>" + e.score + "</p></li>";
             return h + "</ul>";
         }},
        {"cards",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<div class=\"cards\">";
             for (const auto& e : es)
                 h += "<div class=\"card\"><h3 class=\"card__title\">" + html_escape(e.label) +
                      "</h3><div class=\"card__body\"><p>" + e.score + "</p></div></div>";
             return h + "</div>";
         }},
        {"cards-score-first",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<section class=\"grid\">";
             for (const auto& e : es)
                 h += "<article class=\"tile\"><div class=\"tile__score\">" + e.score + "</div><h4>" +
                      html_escape(e.label) + "</h4><p>Read the findings for this quality statement.</p></article>";
             return h + "</section>";
         }},
        {"table-described",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<table><thead><tr><th>Quality statement</th><th>Score (out of 4)</th></tr></thead><tbody>";
             for (const auto& e : es)
                 h += "<tr><td><strong>" + html_escape(e.label) +
                      "</strong><br><span class=\"hint\">What we looked at and what people told us about it</span></td><td>" +
                      e.score + "</td></tr>";
             return h + "</tbody></table>";
         }},
        {"grid",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<div class=\"govuk-grid\">";
             for (const auto& e : es)
                 h += "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><p>" + html_escape(e.label) +
                      "</p></div><div class=\"govuk-grid-column-one-third\"><p>" + e.score + "</p></div></div>";
             return h + "</div>";
         }},
        {"details",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h;
             for (const auto& e : es)
                 h += "<details class=\"govuk-details\"><summary>" + html_escape(e.label) +
                      "</summary><div class=\"govuk-details__text\"><p>" + e.score +
                      "</p><p>Read more about this quality statement.</p></div></details>";
             return h;
         }},
        {"headings",
         [](const std::vector<Entry>& es, Rng&) {
             std::string h = "<div>";
             for (const auto& e : es) h += "<h3>" + html_escape(e.label) + "</h3><p>" + e.score + "</p>";
             return h + "</div>";
         }},
    };
    return c;
}

// Prose: one sentence per statement, the score written into it.
const std::vector<std::function<std::string(const std::string&, int)>>& prose_forms() {
    static const std::vector<std::function<std::string(const std::string&, int)>> f{
        [](const std::string& l, int v) { return "For " + l + ", the local authority scored " + std::to_string(v) + " out of 4."; },
        [](const std::string& l, int v) { return l + " was given a score of " + std::string(k_words[v]) + "."; },
        [](const std::string& l, int v) { return "We scored " + l + " " + std::to_string(v) + "/4."; },
        [](const std::string& l, int v) { return "The score for " + l + " was " + std::to_string(v) + "."; },
    };
    return f;
}

// ---- bytes on the wire -----------------------------------------------------------------------

/// UTF-8 → one-byte charset, for the few non-ASCII characters the generator writes.
std::string to_single_byte(const std::string& s, bool windows) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += s[i];
            continue;
        }
        auto at = [&](const char* u) { return s.compare(i, std::strlen(u), u) == 0; };
        if (at("’")) out += windows ? "\x92" : "'", i += 2;
        else if (at("‘")) out += windows ? "\x91" : "'", i += 2;
        else if (at("–")) out += windows ? "\x96" : "-", i += 2;
        else if (at("©")) out += "\xA9", i += 1;
        else if (at("£")) out += "\xA3", i += 1;
        else {
            // anything else: skip the whole UTF-8 sequence (the generator writes no other)
            std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
            out += '?';
            i += len - 1;
        }
    }
    return out;
}

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out, line;
    std::size_t i = 0;
    while (i < in.size()) {
        std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
        const std::size_t k = std::min<std::size_t>(3, in.size() - i);
        if (k > 1) n |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (k > 2) n |= static_cast<unsigned char>(in[i + 2]);
        line += t[(n >> 18) & 63];
        line += t[(n >> 12) & 63];
        line += k > 1 ? t[(n >> 6) & 63] : '=';
        line += k > 2 ? t[n & 63] : '=';
        i += 3;
        if (line.size() >= 76) out += line + "\r\n", line.clear();
    }
    return out + line + (line.empty() ? "" : "\r\n");
}

std::string quoted_printable(const std::string& in) {
    static const char* hex = "0123456789ABCDEF";
    std::string out, line;
    auto emit = [&](const std::string& piece) {
        if (line.size() + piece.size() > 75) out += line + "=\r\n", line.clear();
        line += piece;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '\n') {
            if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
                const char last = line.back();
                line.pop_back();
                line += std::string("=") + hex[last >> 4] + hex[last & 15];
            }
            out += line + "\r\n";
            line.clear();
        } else if (c == '\r') {
        } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ') {
            emit(std::string(1, static_cast<char>(c)));
        } else {
            emit(std::string("=") + hex[c >> 4] + hex[c & 15]);
        }
    }
    return out + line + (line.empty() ? "" : "\r\n");
}

/// RFC 3676: long lines broken after a space, the space left at the line's end (soft break);
/// lines starting with space, '>' or "From " space-stuffed. delsp: the break may fall inside a word.
std::string flowed(const std::string& text, std::size_t width, bool delsp) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(start, nl - start);
        while (true) {
            std::string piece;
            if (line.size() <= width) {
                piece = line;
                line.clear();
            } else if (delsp) {
                // A client breaks between characters, never inside one's UTF-8 bytes.
                std::size_t at = width;
                while (at > 1 && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) --at;
                piece = line.substr(0, at) + " ";
                line = line.substr(at);
            } else {
                auto sp = line.rfind(' ', width);
                if (sp == std::string::npos || sp == 0) sp = line.find(' ', width);
                if (sp == std::string::npos) {
                    piece = line;
                    line.clear();
                } else {
                    piece = line.substr(0, sp + 1);
                    line = line.substr(sp + 1);
                }
            }
            if (!piece.empty() && (piece[0] == ' ' || piece[0] == '>' || piece.starts_with("From "))) piece = " " + piece;
            out += piece + "\n";
            if (line.empty()) break;
        }
        if (nl == text.size()) break;
        start = nl + 1;
    }
    return out;
}

/// Hard wrapping as a client without format=flowed does it: the breaks are real.
std::string hard_wrapped(const std::string& text, std::size_t width) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(start, nl - start);
        while (line.size() > width) {
            auto sp = line.rfind(' ', width);
            if (sp == std::string::npos || sp == 0) break;
            out += line.substr(0, sp) + "\n";
            line = line.substr(sp + 1);
        }
        out += line + "\n";
        if (nl == text.size()) break;
        start = nl + 1;
    }
    return out;
}

std::string crlf(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
        out += s[i];
    }
    return out;
}

// ---- dates ---------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

const char* k_weekdays[] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};  // 1970-01-01 was a Thursday
const char* k_months[] = {"", "January", "February", "March", "April", "May", "June",
                          "July", "August", "September", "October", "November", "December"};
const char* k_short_days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

std::string ordinal(unsigned d) {
    const char* suffix = (d % 10 == 1 && d != 11) ? "st" : (d % 10 == 2 && d != 12) ? "nd" : (d % 10 == 3 && d != 13) ? "rd" : "th";
    return std::to_string(d) + suffix;
}

std::string two(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }

struct Day {
    int year;
    unsigned month, day;
    bool bst;  ///< British Summer Time on that day (months chosen far from the changes)
    std::int64_t days;
    const char* weekday() const { return k_weekdays[((days % 7) + 7) % 7]; }
};

Day pick_day(Rng& rng) {
    static const std::vector<unsigned> months{1, 2, 6, 7, 8, 9, 11, 12};
    Day d{};
    d.year = 2025 + static_cast<int>(rng.below(3));
    d.month = rng.pick(months);
    d.day = 2 + static_cast<unsigned>(rng.below(26));
    d.bst = d.month >= 6 && d.month <= 9;
    d.days = days_from_civil(d.year, d.month, d.day);
    return d;
}

// Embargo lines for 00:01 UK time on `d`; each with whether it carries the year.
struct EmbargoForm {
    std::string name;
    std::function<std::string(const Day&)> write;
};

const std::vector<EmbargoForm>& embargo_forms() {
    static const std::vector<EmbargoForm> f{
        {"cqc", [](const Day& d) { return "Press release embargoed until 00.01hrs on " + std::string(d.weekday()) + " " + std::to_string(d.day) + " " + k_months[d.month]; }},
        {"caps-year", [](const Day& d) { return "EMBARGOED UNTIL 00:01 " + upper(d.weekday()) + " " + std::to_string(d.day) + " " + upper(k_months[d.month]) + " " + std::to_string(d.year); }},
        {"zone-ordinal", [](const Day& d) { return "Embargo: 00:01 " + std::string(d.bst ? "BST" : "GMT") + " " + d.weekday() + " " + ordinal(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
        {"am", [](const Day& d) { return "Under embargo until 12.01am " + std::string(d.weekday()) + " " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
        {"not-before", [](const Day& d) { return "Not for publication or broadcast before 00:01 on " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
        {"numeric", [](const Day& d) { return "EMBARGOED: 00.01 " + two(d.day) + "/" + two(d.month) + "/" + std::to_string(d.year); }},
        {"hrs-compact", [](const Day& d) { return "Embargoed to 0001hrs " + std::string(d.weekday()) + " " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
        {"uk-time-comma", [](const Day& d) { return "Strictly embargoed until 00:01 (UK time) on " + std::string(d.weekday()) + ", " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
        {"date-first", [](const Day& d) { return "Embargoed until " + std::string(d.weekday()) + " " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year) + " at 00:01"; }},
        {"short-month", [](const Day& d) { return "EMBARGO: 00:01 hours, " + std::string(k_short_days[((d.days % 7) + 7) % 7]) + " " + std::to_string(d.day) + " " + std::string(k_months[d.month]).substr(0, 3) + " " + std::to_string(d.year); }},
        {"iso", [](const Day& d) { return "Embargo: " + std::to_string(d.year) + "-" + two(d.month) + "-" + two(d.day) + " 00:01 " + (d.bst ? "BST" : "GMT"); }},
        {"one-minute", [](const Day& d) { return "Embargoed until 00:01 " + std::string(d.bst ? "BST" : "GMT") + " on " + std::to_string(d.day) + " " + k_months[d.month] + " " + std::to_string(d.year); }},
    };
    return f;
}

// ---- the scores a case states ----------------------------------------------------------------

std::array<int, k_statement_count> draw_scores(Rng& rng) {
    std::array<int, k_statement_count> s{};
    const int centre = 1 + static_cast<int>(rng.below(4));
    for (auto& v : s) {
        const int step = static_cast<int>(rng.below(3)) - 1;
        v = std::clamp(centre + step, 1, 4);
    }
    return s;
}

int percent_of(const std::array<int, k_statement_count>& s) {
    const int sum = std::accumulate(s.begin(), s.end(), 0);
    return (sum * 100 * 2 + 36) / 72;
}

std::vector<std::size_t> order_of(Rng& rng, std::string& name) {
    std::vector<std::size_t> o(k_statement_count);
    std::iota(o.begin(), o.end(), 0);
    const auto which = rng.below(4);
    if (which == 1) {
        std::reverse(o.begin(), o.end());
        name = "reversed";
    } else if (which == 2) {
        for (std::size_t i = o.size() - 1; i > 0; --i) std::swap(o[i], o[rng.below(i + 1)]);
        name = "shuffled";
    } else {
        name = "cqc";
    }
    return o;
}

/// Statement `statement`'s label: CQC's current name half the time, else one of its drifts; then decorated.
std::string label_for(Rng& rng, std::size_t statement, const LabelForm& decor) {
    const auto& forms = label_forms()[statement];
    return decor.write(statement, rng.chance(50) ? forms[0] : forms[rng.below(forms.size())]);
}

}  // namespace

Case page_case(std::uint64_t seed, std::size_t index) {
    Rng rng(seed * 1000003ULL + index);
    Case c;
    const Council& council = rng.pick(councils());
    const auto values = draw_scores(rng);
    const int percent = percent_of(values);
    const Rating rating = *rating_for_percent(percent);
    const auto& container = rng.pick(containers());
    const bool prose = rng.chance(8);
    // Symbol-only forms need a sighted reader's count; they stand alone in cells, not in prose.
    std::vector<const ScoreForm*> forms;
    for (const auto& f : score_forms()) forms.push_back(&f);
    const ScoreForm& score = *forms[rng.below(forms.size())];
    const auto& decor = rng.pick(label_decor());
    std::string order_name;
    const auto order = order_of(rng, order_name);

    const bool contradict = rng.chance(5);
    int stated = percent;
    Rating stated_rating = rating;
    if (contradict) {
        // The page's headline figure was not made from these scores (a copy-and-paste slip, a restyle
        // misread): it stands apart from sum/36 by more than any weighting explains.
        stated = percent >= 60 ? percent - 20 - static_cast<int>(rng.below(10)) : percent + 20 + static_cast<int>(rng.below(10));
        stated_rating = *rating_for_percent(stated);
    }
    const auto& rating_form = rng.pick(page_rating_forms());
    const bool states_percent = contradict || rating_form.states_percent || rng.chance(60);

    std::vector<Entry> entries;
    for (const auto i : order) {
        Entry e;
        e.statement = i;
        e.label = label_for(rng, i, decor);
        e.score = score.write(values[i]);
        int previous = values[i] == 4 ? 3 : values[i] + 1;
        e.previous = std::to_string(previous);
        entries.push_back(std::move(e));
    }

    std::string body;
    const bool noise = rng.chance(70);
    body += rating_form.write(council, stated_rating, stated).html;
    if (states_percent && !rating_form.states_percent) body += rng.pick(page_percent_forms())(council, stated);
    if (noise && rng.chance(50)) body += legend_html();
    if (noise && rng.chance(30)) {
        // The assessment before this one, as pages that track change show it: never this one's rating.
        const Rating before = stated_rating == Rating::good ? Rating::requires_improvement : Rating::good;
        body += rng.pick(std::vector<std::string>{
            "<p>Previous rating: " + rating_words(before) + "</p>",
            "<p>In 2023 the council was rated " + lower(rating_words(before)) + ".</p>",
            "<dl><dt>Last rating</dt><dd>" + rating_words(before) + "</dd></dl>"});
    }
    body += "<h2>Quality statement scores</h2>";
    std::string container_name = container.name;
    if (prose) {
        container_name = "prose";
        const auto& form = rng.pick(prose_forms());
        body += "<div class=\"narrative\">";
        for (const auto& e : entries) body += "<p>" + html_escape(form(e.label, values[e.statement])) + "</p>";
        body += "</div>";
    } else {
        body += container.write(entries, rng);
    }
    if (noise && rng.chance(50)) body += people_html();

    const auto charset = rng.below(4);  // 0 utf-8 meta, 1 no meta, 2 windows-1252 meta, 3 utf-8 BOM
    std::string head = "<head>";
    if (charset == 0 || charset == 3) head += "<meta charset=\"utf-8\">";
    if (charset == 2) head += "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">";
    head += "<title>" + html_escape(council.written) + ": local authority assessment - Care Quality Commission</title></head>";
    std::string html = "<!DOCTYPE html><html lang=\"en\">" + head + "<body>" + (noise ? page_header() : "") +
                       "<main><h1>" + html_escape(council.written) + ": local authority assessment</h1>" +
                       "<p>Published: 23 January 2026</p>" + body + "</main>" + (noise ? page_footer() : "") +
                       "</body></html>";
    if (charset == 2) {
        // Symbols a one-byte charset cannot hold are written as character references, as an editor would.
        std::string refs;
        for (std::size_t i = 0; i < html.size(); ++i) {
            auto at = [&](const char* u) { return html.compare(i, std::strlen(u), u) == 0; };
            if (at("●")) refs += "&#9679;", i += 2;
            else if (at("○")) refs += "&#9675;", i += 2;
            else if (at("★")) refs += "&#9733;", i += 2;
            else if (at("☆")) refs += "&#9734;", i += 2;
            else if (at("■")) refs += "&#9632;", i += 2;
            else if (at("□")) refs += "&#9633;", i += 2;
            else refs += html[i];
        }
        html = to_single_byte(refs, true);
    }
    if (charset == 3) html = "\xEF\xBB\xBF" + html;

    c.bytes = std::move(html);
    c.url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/" + council.slug + "-0126/summary";
    c.shape = "page container=" + container_name + " labels=" + decor.name + " score=" + score.name + " rating=" +
              rating_form.name + (states_percent ? " percent" : "") + " order=" + order_name +
              (noise ? " noise" : "") + " charset=" + std::to_string(charset) + (contradict ? " CONTRADICTS" : "");
    c.truth.council = council.canonical;
    c.truth.rating = stated_rating;
    if (states_percent) c.truth.percent = stated;
    if (contradict) {
        c.truth.expect_suspect = true;  // the scores cannot be vouched for: null, and a warning
    } else {
        for (std::size_t i = 0; i < k_statement_count; ++i) c.truth.scores[i] = values[i];
    }
    return c;
}

Case mail_case(std::uint64_t seed, std::size_t index) {
    Rng rng(seed * 1000033ULL + index + 7);
    Case c;
    c.mail = true;
    const Council& council = rng.pick(councils());
    const auto values = draw_scores(rng);
    const int percent = percent_of(values);
    const Rating rating = *rating_for_percent(percent);
    const Day day = pick_day(rng);
    const auto& embargo = rng.pick(embargo_forms());
    const auto& rating_form = rng.pick(mail_rating_forms());
    const auto& decor = rng.pick(label_decor());
    std::string order_name;
    const auto order = order_of(rng, order_name);
    std::vector<const ScoreForm*> forms;
    for (const auto& f : score_forms())
        if (!f.html_only) forms.push_back(&f);
    const ScoreForm& score = *forms[rng.below(forms.size())];

    std::vector<Entry> entries;
    for (const auto i : order) {
        Entry e;
        e.statement = i;
        e.label = label_for(rng, i, decor);
        e.score = score.write(values[i]);
        entries.push_back(std::move(e));
    }

    // The text body: the release's paragraphs, the table flattened one of the ways clients flatten it.
    static const std::vector<std::string> flattenings{"pipes", "pipes-theme", "tabs", "cell-lines", "colon", "padded",
                                                      "dotted", "markdown", "bullets"};
    const std::string flattening = rng.pick(flattenings);
    std::string table;
    if (flattening == "pipes" || flattening == "pipes-theme") {
        table += flattening == "pipes-theme" ? "Theme | Quality statement | Score\n" : "Quality statement | Score\n";
        for (const auto& e : entries)
            table += (flattening == "pipes-theme" ? std::string(k_themes[theme_index(e.statement)]) + " | " : "") +
                     e.label + " | " + e.score + "\n";
    } else if (flattening == "tabs") {
        table += "Quality statement\tScore\n";
        for (const auto& e : entries) table += e.label + "\t" + e.score + "\n";
    } else if (flattening == "cell-lines") {
        table += "Quality statement\n\nScore\n\n";
        for (const auto& e : entries) table += e.label + "\n\n" + e.score + "\n\n";
    } else if (flattening == "colon") {
        for (const auto& e : entries) table += e.label + ": " + e.score + "\n";
    } else if (flattening == "padded") {
        for (const auto& e : entries) table += e.label + std::string(e.label.size() < 56 ? 58 - e.label.size() : 2, ' ') + e.score + "\n";
    } else if (flattening == "dotted") {
        for (const auto& e : entries) table += e.label + " " + std::string(e.label.size() < 50 ? 52 - e.label.size() : 3, '.') + " " + e.score + "\n";
    } else if (flattening == "markdown") {
        table += "| Quality statement | Score |\n|---|---|\n";
        for (const auto& e : entries) table += "| " + e.label + " | " + e.score + " |\n";
    } else {
        for (const auto& e : entries) table += "* " + e.label + " – " + e.score + "\n";
    }

    const auto embargo_at = rng.below(4);  // 0 first line, 1 after the headline, 2 at the end, 3 subject only
    const std::string embargo_line = embargo.write(day);
    const Said said = rating_form.write(council, rating, std::nullopt);
    std::string text;
    if (embargo_at == 0) text += embargo_line + "\n\n";
    text += "CQC publishes its assessment of " + council.written + "\n\n";
    if (embargo_at == 1) text += embargo_line + "\n\n";
    text += said.text + "\n\n";
    text += "The assessment looked at nine quality statements across four themes. Each was given a score from 1 to 4, where 4 means evidence shows an exceptional standard.\n\n";
    text += table + "\n";
    text += "James Bullion, CQC’s chief inspector of adult social care and integrated care, said: “We found staff who were committed to the people they support.”\n\n";
    text += "ENDS\n\nFor further information, please contact the CQC press office on 020 7448 9401 or email press@cqc.org.uk.\n\n";
    if (embargo_at == 2) text += embargo_line + "\n\n";
    text += "About the Care Quality Commission\nThe Care Quality Commission (CQC) is the independent regulator of health and social care in England.\n";

    // How it travels.
    static const std::vector<std::string> bodies{"plain", "plain-flowed", "plain-flowed-delsp", "plain-wrapped", "html",
                                                 "alternative"};
    const std::string body_form = rng.pick(bodies);
    const auto charset_index = rng.below(3);
    const char* charset = charset_index == 0 ? "utf-8" : charset_index == 1 ? "iso-8859-1" : "windows-1252";
    const auto cte_index = rng.below(3);
    const char* cte = cte_index == 0 ? "8bit" : cte_index == 1 ? "quoted-printable" : "base64";
    auto encode = [&](const std::string& utf8) {
        const std::string bytes = charset_index == 0 ? utf8 : to_single_byte(utf8, charset_index == 2);
        return cte_index == 0 ? crlf(bytes) : cte_index == 1 ? quoted_printable(bytes) : base64(bytes);
    };
    auto part = [&](const std::string& type, const std::string& extra, const std::string& utf8) {
        return "Content-Type: " + type + "; charset=" + charset + extra + "\r\nContent-Transfer-Encoding: " + cte +
               "\r\n\r\n" + encode(utf8);
    };
    std::string plain_part;
    if (body_form == "plain-flowed")
        plain_part = part("text/plain", "; format=flowed", flowed(text, 66, false));
    else if (body_form == "plain-flowed-delsp")
        plain_part = part("text/plain", "; format=flowed; delsp=yes", flowed(text, 70, true));
    else if (body_form == "plain-wrapped")
        plain_part = part("text/plain", "", hard_wrapped(text, 72));
    else
        plain_part = part("text/plain", "", text);
    // The HTML part: paragraphs, and the table as a table.
    std::string html = "<html><head><meta charset=\"" + std::string(charset) + "\"></head><body>";
    {
        std::string rows;
        for (const auto& e : entries)
            rows += "<tr><td>" + html_escape(e.label) + "</td><td>" + html_escape(e.score) + "</td></tr>";
        const std::string html_table = "<table border=\"1\"><tr><th>Quality statement</th><th>Score</th></tr>" + rows + "</table>";
        const std::string before_table = text.substr(0, text.find(table));
        const std::string after_table = text.substr(text.find(table) + table.size());
        auto paragraphs = [&](const std::string& t) {
            std::string out;
            std::size_t s = 0;
            while (s < t.size()) {
                auto e = t.find("\n\n", s);
                if (e == std::string::npos) e = t.size();
                std::string p = t.substr(s, e - s);
                if (!p.empty() && p != "\n") out += "<p>" + html_escape(p) + "</p>";
                s = e + 2;
            }
            return out;
        };
        html += paragraphs(before_table) + html_table + paragraphs(after_table) + "</body></html>";
    }
    const std::string html_part = part("text/html", "", html);

    const std::int64_t embargo_unix = day.days * 86400 + 60 - (day.bst ? 3600 : 0);
    const std::int64_t sent_days = day.days - 1;
    // the day before, for the Date header
    std::int64_t z = sent_days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    const int yy = static_cast<int>(yoe) + static_cast<int>(era * 400) + (mm <= 2);
    const std::string date_header = std::string(k_short_days[((sent_days % 7) + 7) % 7]) + ", " + std::to_string(dd) +
                                    " " + std::string(k_months[mm]).substr(0, 3) + " " + std::to_string(yy) +
                                    " 10:30:00 " + (day.bst ? "+0100" : "+0000");

    std::string subject = "CQC rates " + council.written + "’s adult social care as " + lower(rating_words(rating));
    if (embargo_at == 3) subject = embargo_line + ": " + subject;
    else if (rng.chance(50)) subject = "EMBARGOED: " + subject;
    std::string subject_header;
    {
        bool ascii = std::all_of(subject.begin(), subject.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
        if (ascii) subject_header = subject;
        else {
            std::string b = base64(subject);
            std::erase(b, '\r');
            std::erase(b, '\n');
            subject_header = "=?UTF-8?B?" + b + "?=";
        }
    }
    std::string msg = "From: CQC Press Office <press@cqc.org.uk>\r\nTo: newsdesk@example.org\r\nSubject: " + subject_header +
                      "\r\nDate: " + date_header + "\r\nMessage-ID: <gen-" + std::to_string(seed) + "-" +
                      std::to_string(index) + "@cqc.org.uk>\r\nMIME-Version: 1.0\r\n";
    if (body_form == "html") {
        msg += html_part;
    } else if (body_form == "alternative") {
        msg += "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\n" + plain_part + "\r\n--b1\r\n" +
               html_part + "\r\n--b1--\r\n";
    } else {
        msg += plain_part;
    }

    c.bytes = std::move(msg);
    c.shape = "mail body=" + body_form + " charset=" + charset + " cte=" + cte + " table=" + flattening +
              " labels=" + decor.name + " score=" + score.name + " rating=" + rating_form.name + " embargo=" +
              embargo.name + "@" + std::to_string(embargo_at) + " order=" + order_name;
    c.truth.council = council.canonical;
    c.truth.rating = rating;
    for (std::size_t i = 0; i < k_statement_count; ++i) c.truth.scores[i] = values[i];
    c.truth.embargo_unix = embargo_unix;
    return c;
}

}  // namespace cqcwatch::test::shapes
