#pragma once
// The columns `cqcwatch history` can show: the default set (the nine scores
// packed in one SCORES column), --wide (the nine named, one column each) and
// --columns a,b,c (any of them, in that order; csv too).

#include <string>
#include <string_view>
#include <vector>

#include "cli/query.hpp"

namespace cqcwatch {

/// One column: its name for --columns, its table header, and its text in each format.
struct HistoryColumn {
    std::string_view name;    ///< "published", "safeguarding", …
    std::string_view header;  ///< "PUBLISHED", "SAFEGUARDING", …
    std::string (*table)(const SelectedRow&);
    std::string (*csv)(const SelectedRow&);
    int statement = -1;  ///< index in CQC's order for a score column, else -1
};

using ColumnList = std::vector<const HistoryColumn*>;

/// The columns as --columns lists them; UsageError naming the closest valid one and every name.
ColumnList parse_columns_or_throw(std::string_view list);
/// PUBLISHED COUNCIL CODE RATING % SCORES (PREVIOUS with --latest).
ColumnList default_columns(bool latest);
/// PUBLISHED COUNCIL RATING % and the nine statements by name (PREVIOUS with --latest).
ColumnList wide_columns(bool latest);
/// The short names' meaning, one line per theme, for the score columns among `columns` ("" if none).
std::string statement_key(const ColumnList& columns);
/// "Good (indicative) [withdrawn]": the rating and its marks, as the table shows it.
std::string rating_text(const StoredAssessment& a);

}  // namespace cqcwatch
