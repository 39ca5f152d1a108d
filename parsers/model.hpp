#pragma once
// The plain records every parser returns and every other folder consumes.
// Nothing here knows of the network, the clock or the database.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqcwatch {

/// CQC's four overall ratings.
enum class Rating { outstanding, good, requires_improvement, inadequate };

/// The nine quality statements, in CQC's order (QS1 … QS9).
enum class Statement {
    assessing_needs,
    healthier_lives,
    equity,
    care_provision,
    partnerships,
    safe_pathways,
    safeguarding,
    governance,
    learning
};

/// The four themes the statements sit in.
enum class Theme { working_with_people, providing_support, ensuring_safety, leadership };

inline constexpr std::size_t k_statement_count = 9;

/// Where an assessment's overall percentage comes from: stated in CQC's text, or computed from the
/// nine scores (sum / 36).
enum class PercentageBasis { stated, computed };

/// The contract key of a percentage's basis ("stated", "computed").
std::string_view to_key(PercentageBasis b);
/// A percentage as cqcwatch gives an assessment's: a whole number, rounded half up (52.5 → 53, 52.49 → 52).
int whole_percent(double pct);

/// The contract key of a rating ("requires_improvement").
std::string_view to_key(Rating r);
/// The contract key of a statement ("assessing_needs").
std::string_view to_key(Statement s);
/// The contract key of a theme ("working_with_people").
std::string_view to_key(Theme t);
/// A rating for humans ("Requires improvement").
std::string_view to_label(Rating r);
/// A statement for humans ("Assessing needs").
std::string_view to_label(Statement s);
/// A theme for humans ("Working with people").
std::string_view to_label(Theme t);
/// The rating for a contract key, or nullopt.
std::optional<Rating> rating_from_key(std::string_view key);
/// The theme a statement belongs to.
Theme theme_of(Statement s);
/// Statement number i (0-based) in CQC's order.
Statement statement_at(std::size_t i);

/// Nine scores in CQC's order; nullopt where the text gives none.
using Scores = std::array<std::optional<int>, k_statement_count>;

/// A calendar date without time zone (YYYY-MM-DD).
struct Date {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    /// "2026-01-23".
    std::string iso() const;
    friend bool operator==(const Date&, const Date&) = default;
    friend auto operator<=>(const Date&, const Date&) = default;
};
/// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<Date> parse_iso_date(std::string_view s);

/// A council as resolved against the authorities data.
struct AuthorityRef {
    std::string name;          ///< canonical name from the data file ("Walsall")
    std::string code;          ///< ONS code ("E08000030"); empty if unknown
    std::string name_in_text;  ///< the name as the text gave it ("Walsall Council")
};

/// One assessment as a text states it.
struct Assessment {
    std::optional<Rating> rating;
    bool indicative = false;                  ///< true for the 2023 pilots
    std::optional<double> stated_percentage;  ///< what the text says (64 for "64%")
    Scores scores{};
    std::optional<std::string> report_url;
    /// What the page should state but could not be read: "rating" and/or statement keys, in CQC's order.
    /// Empty when everything expected was read (or nothing was expected, as from a press release).
    std::vector<std::string> unread;
    /// Figures the text gave but contradicted (its stated percentage against its scores, its rating
    /// against either), now null: one sentence each, both sides in words. Never stored as fact.
    std::vector<std::string> doubts;
    /// sum/36*100 when all nine scores are known.
    std::optional<double> computed_percentage() const;
    /// The one overall percentage, the same in every output and alert: the stated one when the
    /// text gives one, else computed from the nine scores; a whole number (whole_percent).
    std::optional<int> percentage() const;
    /// Which of the two percentage() is; nullopt when there is none.
    std::optional<PercentageBasis> percentage_basis() const;
};

/// The rating band CQC gives a whole-percent score (25–38 inadequate … 88+ outstanding).
std::optional<Rating> rating_for_percent(int whole_percent);

/// An embargo resolved to an instant.
struct Embargo {
    std::int64_t until_unix = 0;  ///< seconds since the epoch, UTC
    std::string until_utc;        ///< "2026-01-23T00:01:00Z"
    std::string until_uk;         ///< "2026-01-23 00:01 GMT"
    std::string line;             ///< the text it came from
    bool resolved = true;         ///< false: stored for a human, never scheduled
};

/// A link found in a document, resolved against the page URL.
struct Link {
    std::string url;
    std::string text;
    std::string rel;  ///< the rel attribute ("next"), when the source gives one
};

/// One entry in a listing or feed.
struct ListingItem {
    std::string url;
    std::string title;
    std::optional<AuthorityRef> authority;
    std::optional<Date> published;
};

/// What a document is.
enum class DocKind { listing, report, press_release, feed, email, unknown };
/// The contract key of a kind ("press-release").
std::string_view to_key(DocKind k);
/// The kind for a key ("listing", "report", "press-release", "feed", "email", "auto"→unknown).
std::optional<DocKind> doc_kind_from_key(std::string_view key);

/// Everything one document yields.
struct ParseResult {
    DocKind kind = DocKind::unknown;
    std::string title;
    std::string url;  ///< the page URL given by the caller
    std::optional<AuthorityRef> authority;
    std::optional<Assessment> assessment;
    std::optional<Embargo> embargo;
    std::optional<Date> published;
    std::optional<Date> updated;             ///< "Page last updated"
    std::vector<ListingItem> items;          ///< listings and feeds
    std::optional<std::string> summary_url;  ///< reports: the summary page merged in (merge_report_pages)
    std::vector<Link> links;                 ///< listings: next page; reports: summary, themes, PDF
    std::optional<std::string> next_page;    ///< listings: the next page's URL
    std::vector<std::string> warnings;
};

/// Why a document could not be read: where, what was expected, what was found.
struct ParseError {
    std::string message;
    /// Not the input's fault (the mail module cannot be loaded): keep the input and try it again later.
    bool retry = false;
};

}  // namespace cqcwatch
