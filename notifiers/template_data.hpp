#pragma once
// What a message template sees of an event: every field of the event body as
// it is (`{{authority.name}}`, `{{assessment.rating}}`, `{{embargo.until}}`)
// and, beside them, the words cqcwatch's own alerts use:
//
//   summary           the built-in headline ("CQC: Walsall rated Requires improvement (52.8%)")
//   council, council_code, rating_label ("Requires improvement"), rating_short ("RI"),
//   previous_rating_label, rating_changed, percentage_label ("53%"),
//   full_name         the council as CQC writes it ("Walsall Metropolitan Borough Council"), else council
//   previous_assessment_label  "Requires improvement (52%, 12 March 2024)" or "none (first assessment)"
//   first_assessment_label     "First assessment" when it is the council's first, else false
//   region_name ("West Midlands"), mean_percentages_label ("West Midlands 61.2% (14 councils), England 63% …")
//   withdrawn_label   assessment.withdrawn: "taken down from CQC's site (last on its listing …)"
//   embargo_uk ("Friday 23 January 2026 00:01 GMT"), embargo_uk_short, embargo_clock ("00:01 GMT"),
//   occurred_uk, link (the report, else the press release, else the source),
//   statements        nine {key, name, theme, score, score_text ("2/4"), previous_score_text, changed,
//                     region_mean ("2.6"), england_mean ("2.5"), means_label ("West Midlands mean 2.6, England 2.5")}
//   themes            four {name, statements}
//   facts, links      the built-in alert's {label, value} and {label, url} lines
//   has_context       the event carries the region's and England's means (its HTML has a third score column)
//   has_scores, scores_unread, is_test, type_is.<type with '_' for '.'> (type_is.embargo_lifted),
//   text, html        the built-in plain-text body and HTML fragment ({{{html}}})
//   footer            "Event evt_… (embargo.lifted) at …"
//
// A word with nothing to say is false, so {{#previous_rating_label}}…{{/previous_rating_label}} works.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace cqcwatch {

/// The event body with the words added: what a template renders against.
nlohmann::json template_json(const Event& event);

/// The names a template may use: an object's fields, or a list's item fields.
struct TemplateSchema {
    std::map<std::string, TemplateSchema> fields;
    bool list = false;
};

/// The names every event type can give (from a sample of each, and the fields only some events carry).
const TemplateSchema& template_schema();

}  // namespace cqcwatch
