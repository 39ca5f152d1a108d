#pragma once
// Where a block stood in the page's structure: the table row and column it
// came from (with the column's header and the row's header, rowspan and
// colspan counted), or the term a definition defines. The HTML walker feeds
// this tracker every structural element it opens and closes, and the tracker
// marks the blocks those elements produced, so extractors read label/value
// pairs without knowing any markup.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/document.hpp"

namespace cqcwatch::detail {

/// True for the elements StructureTracker follows (table parts, dt, dd).
bool is_structural(std::string_view name);

class StructureTracker {
public:
    /// A structural element opened; `blocks` is the document so far; span attributes as written.
    void enter(std::string_view name, std::size_t block_count, std::string_view colspan, std::string_view rowspan);
    /// The same element closed: marks the blocks produced since it opened.
    void leave(std::string_view name, std::vector<Block>& blocks);

private:
    struct Cell {
        std::size_t first_block = 0;
        std::size_t last_block = 0;
        std::size_t column = 0;  // 0-based
        std::size_t colspan = 1;
        std::size_t rowspan = 1;
        bool th = false;
    };
    struct Span {
        std::size_t rows_left = 0;
        std::string text;
    };
    struct Table {
        std::vector<std::string> headers;  // by column
        std::vector<Span> spans;           // rowspan cells still covering a column
        std::vector<Cell> row;             // cells of the open row
        std::size_t next_column = 0;
        bool in_thead = false;
        bool in_row = false;
    };

    void start_row(Table& t);
    void finish_row(Table& t, std::vector<Block>& blocks);
    void mark(std::vector<Block>& blocks, const Cell& c, const std::string& header, const std::string& row_header,
              std::size_t group) const;

    std::vector<Table> m_tables;
    std::vector<Cell> m_cells;          // open td/th (nested tables stack)
    std::vector<std::size_t> m_firsts;  // open dt/dd: first block
    std::string m_term;
    std::size_t m_term_group = 0;
    std::size_t m_groups = 0;
};

}  // namespace cqcwatch::detail
