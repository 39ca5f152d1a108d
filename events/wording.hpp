#pragma once
// Fields of an assessment in the words people use for them, for the store's
// parser.suspect reasons and the alerts that show them: "Rating", CQC's
// statement names ("Safeguarding"), scores out of 4.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cqcwatch {

/// "Rating" for "rating", a statement's name for its key ("safeguarding" → "Safeguarding"); else the key.
std::string field_label(std::string_view key);
/// "2/4": CQC scores each statement out of 4.
std::string out_of_4(int score);
/// "Safeguarding; Governance, management and sustainability": a JSON array of field keys by name.
std::string fields_text(const nlohmann::json& keys);
/// "Rating: Requires improvement in the press release, Good on the report page; Safeguarding: 2/4 …":
/// the store's press release / report page conflicts ({field, press_release, report_page}) in words.
std::string conflicts_text(const nlohmann::json& conflicts);

}  // namespace cqcwatch
