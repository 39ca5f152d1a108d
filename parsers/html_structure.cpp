// Rows are marked when they close, when every cell's column is known: a header
// row (in <thead>, or the first row made only of <th>) names the columns; a
// <th> in a body row, or a cell spanning down from the rows above, names the row.

#include "parsers/html_structure.hpp"

#include <algorithm>
#include <charconv>

namespace cqcwatch::detail {

namespace {

constexpr std::size_t k_max_columns = 64;  // a wider table is read as text beyond this
constexpr std::size_t k_max_rowspan = 1000;

std::size_t span_value(std::string_view s, std::size_t cap) {
    std::size_t v = 1;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    (void)p;
    if (ec != std::errc{} || v == 0) return 1;
    return std::min(v, cap);
}

std::string text_of(const std::vector<Block>& blocks, std::size_t first, std::size_t last) {
    std::string out;
    for (std::size_t i = first; i < last && i < blocks.size(); ++i) out += (out.empty() ? "" : " ") + blocks[i].text;
    return out;
}

}  // namespace

bool is_structural(std::string_view n) {
    return n == "table" || n == "thead" || n == "tbody" || n == "tfoot" || n == "tr" || n == "td" || n == "th" ||
           n == "dt" || n == "dd";
}

void StructureTracker::enter(std::string_view name, std::size_t block_count, std::string_view colspan,
                             std::string_view rowspan) {
    if (name == "table") {
        m_tables.emplace_back();
    } else if (name == "thead" || name == "tbody" || name == "tfoot") {
        if (!m_tables.empty()) m_tables.back().in_thead = name == "thead";
    } else if (name == "tr") {
        if (!m_tables.empty()) start_row(m_tables.back());
    } else if (name == "td" || name == "th") {
        Cell c;
        c.first_block = block_count;
        c.th = name == "th";
        c.colspan = span_value(colspan, k_max_columns);
        c.rowspan = span_value(rowspan, k_max_rowspan);
        if (!m_tables.empty() && m_tables.back().in_row) {
            Table& t = m_tables.back();
            std::size_t col = t.next_column;
            while (col < t.spans.size() && t.spans[col].rows_left > 0) ++col;
            c.column = col;
            t.next_column = col + c.colspan;
        }
        m_cells.push_back(c);
    } else if (name == "dt" || name == "dd") {
        m_firsts.push_back(block_count);
    }
}

void StructureTracker::leave(std::string_view name, std::vector<Block>& blocks) {
    if (name == "td" || name == "th") {
        if (m_cells.empty()) return;
        Cell c = m_cells.back();
        m_cells.pop_back();
        c.last_block = blocks.size();
        if (!m_tables.empty() && m_tables.back().in_row)
            m_tables.back().row.push_back(c);
        else
            mark(blocks, c, "", "", ++m_groups);
    } else if (name == "tr") {
        if (!m_tables.empty() && m_tables.back().in_row) finish_row(m_tables.back(), blocks);
    } else if (name == "table") {
        if (m_tables.empty()) return;
        if (m_tables.back().in_row) finish_row(m_tables.back(), blocks);
        m_tables.pop_back();
    } else if (name == "thead") {
        if (!m_tables.empty()) m_tables.back().in_thead = false;
    } else if (name == "dt" || name == "dd") {
        if (m_firsts.empty()) return;
        const std::size_t first = m_firsts.back();
        m_firsts.pop_back();
        if (name == "dt") {
            m_term = text_of(blocks, first, blocks.size());
            m_term_group = ++m_groups;
        }
        for (std::size_t i = first; i < blocks.size(); ++i) {
            if (blocks[i].group != 0) continue;
            blocks[i].kind = name == "dt" ? BlockKind::term : BlockKind::definition;
            blocks[i].group = m_term_group != 0 ? m_term_group : ++m_groups;
            if (name == "dd") blocks[i].header = m_term;
        }
    }
}

void StructureTracker::start_row(Table& t) {
    t.row.clear();
    t.next_column = 0;
    t.in_row = true;
}

void StructureTracker::finish_row(Table& t, std::vector<Block>& blocks) {
    t.in_row = false;
    const std::size_t group = ++m_groups;
    const bool all_th = !t.row.empty() && std::all_of(t.row.begin(), t.row.end(), [](const Cell& c) { return c.th; });
    const bool header_row = t.in_thead || (t.headers.empty() && all_th);
    std::string row_header;
    const Cell* header_cell = nullptr;
    if (!header_row) {
        auto th = std::find_if(t.row.begin(), t.row.end(), [](const Cell& c) { return c.th; });
        if (th != t.row.end()) {
            header_cell = &*th;
            row_header = text_of(blocks, th->first_block, th->last_block);
        } else if (!t.spans.empty() && t.spans[0].rows_left > 0) {
            row_header = t.spans[0].text;
        }
    }
    for (const Cell& c : t.row) {
        if (header_row) {
            const std::string text = text_of(blocks, c.first_block, c.last_block);
            for (std::size_t k = 0; k < c.colspan && c.column + k < k_max_columns; ++k) {
                if (t.headers.size() <= c.column + k) t.headers.resize(c.column + k + 1);
                t.headers[c.column + k] = text;
            }
        }
        const std::string header = !header_row && c.column < t.headers.size() ? t.headers[c.column] : "";
        mark(blocks, c, header, &c == header_cell ? "" : row_header, group);
    }
    for (auto& s : t.spans)
        if (s.rows_left > 0) --s.rows_left;
    for (const Cell& c : t.row) {
        if (c.rowspan <= 1) continue;
        const std::string text = text_of(blocks, c.first_block, c.last_block);
        for (std::size_t k = 0; k < c.colspan && c.column + k < k_max_columns; ++k) {
            if (t.spans.size() <= c.column + k) t.spans.resize(c.column + k + 1);
            t.spans[c.column + k] = Span{c.rowspan - 1, text};
        }
    }
    t.row.clear();
}

void StructureTracker::mark(std::vector<Block>& blocks, const Cell& c, const std::string& header,
                            const std::string& row_header, std::size_t group) const {
    for (std::size_t i = c.first_block; i < c.last_block && i < blocks.size(); ++i) {
        Block& b = blocks[i];
        if (b.group != 0) continue;  // a nested table's cell, marked by its own row
        b.group = group;
        b.column = c.column + 1;
        b.header = header;
        b.row_header = row_header;
    }
}

}  // namespace cqcwatch::detail
