// `cqcwatch compare A B …`: councils side by side — each one's latest rating,
// percentage and nine scores — with England (every council's latest
// assessment) as the last column: the mean per statement and the share of
// councils per rating.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/national.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct CompareOptions {
    std::vector<std::string> councils;
    std::string format = "table";
    std::string database;
};

struct Column {
    AuthorityRef authority;
    const SelectedRow* row = nullptr;  ///< nullptr: never assessed
};

std::vector<Column> columns_of(const std::vector<std::string>& names, const std::vector<SelectedRow>& latest) {
    std::vector<Column> out;
    for (const auto& n : names) {
        Column c{resolve_authority_or_throw(n), nullptr};
        for (const auto& r : latest)
            if (r.current.authority.code == c.authority.code) c.row = &r;
        out.push_back(c);
    }
    return out;
}

std::string score_cell(const Column& c, std::size_t i) {
    if (!c.row || !c.row->current.assessment.scores[i]) return "-";
    return std::to_string(*c.row->current.assessment.scores[i]);
}

std::string shares_text(const Picture& p) {
    std::string out;
    const char* abbrev[] = {"O", "G", "RI", "I"};
    for (std::size_t i = 0; i < 4; ++i) {
        auto s = p.share(k_ratings[i]);
        out += (i ? " " : "") + std::string(abbrev[i]) + " " + (s ? percent_text(*s * 100) : "-");
    }
    return out;
}

void print_compare_table(const std::vector<Column>& cols, const Picture& england) {
    std::vector<std::string> header{""};
    for (const auto& c : cols) header.push_back(c.authority.name);
    header.push_back("England (" + std::to_string(england.councils) + ")");
    std::vector<std::vector<std::string>> rows;
    auto add = [&](std::string label, auto cell, std::string last) {
        std::vector<std::string> r{std::move(label)};
        for (const auto& c : cols) r.push_back(cell(c));
        r.push_back(std::move(last));
        rows.push_back(std::move(r));
    };
    add(
        "Rating",
        [](const Column& c) {
            if (!c.row || !c.row->current.assessment.rating) return std::string("-");
            std::string mark = embargo_mark(c.row->current);
            return std::string(to_label(*c.row->current.assessment.rating)) + (mark.empty() ? "" : " " + mark);
        },
        shares_text(england));
    add(
        "Percentage",
        [](const Column& c) { return c.row ? percent_text(c.row->current.assessment.percentage()) : "-"; },
        percent_text(england.mean_percentage));
    add(
        "Published",
        [](const Column& c) {
            return c.row && c.row->current.published ? c.row->current.published->iso() : std::string("not assessed");
        },
        "");
    for (std::size_t i = 0; i < k_statement_count; ++i)
        add(
            std::string(to_label(statement_at(i))), [i](const Column& c) { return score_cell(c, i); },
            mean_text(england.mean[i]));
    print_table(std::cout, header, rows);
    std::cout << "(England: the latest assessment of each council assessed; mean score per statement, share of "
                 "councils per rating)\n";
}

nlohmann::json compare_json(const std::vector<Column>& cols, const Picture& england) {
    nlohmann::json councils = nlohmann::json::array();
    for (const auto& c : cols) {
        nlohmann::json j = c.row ? assessment_record_json(c.row->current)
                                 : nlohmann::json{{"authority", authority_json(c.authority)}, {"rating", nullptr}};
        add_geography(j);
        councils.push_back(std::move(j));
    }
    return {{"councils", councils}, {"england", picture_json(england)}};
}

void print_compare_csv(const std::vector<Column>& cols, const Picture& england) {
    std::string line = "field";
    for (const auto& c : cols) line += "," + csv_field(c.authority.name);
    std::cout << line << ",England\r\n";
    auto row = [&](const std::string& field, auto cell, const std::string& last) {
        std::string l = field;
        for (const auto& c : cols) l += "," + csv_field(cell(c));
        std::cout << l << "," << last << "\r\n";
    };
    row(
        "ons_code", [](const Column& c) { return c.authority.code; }, "E92000001");
    row(
        "rating",
        [](const Column& c) {
            return c.row && c.row->current.assessment.rating ? std::string(to_key(*c.row->current.assessment.rating))
                                                             : "";
        },
        "");
    row(
        "percentage",
        [](const Column& c) {
            auto p = c.row ? c.row->current.assessment.percentage() : std::nullopt;
            return p ? mean_text(*p) : std::string();
        },
        england.mean_percentage ? mean_text(*england.mean_percentage) : "");
    row(
        "published",
        [](const Column& c) {
            return c.row && c.row->current.published ? c.row->current.published->iso() : std::string();
        },
        "");
    for (std::size_t i = 0; i < k_statement_count; ++i)
        row(
            std::string(to_key(statement_at(i))),
            [i](const Column& c) {
                auto s = score_cell(c, i);
                return s == "-" ? std::string() : s;
            },
            england.mean[i] ? mean_text(england.mean[i]) : "");
    for (Rating r : k_ratings) {
        auto s = england.share(r);
        row(
            "share_" + std::string(to_key(r)), [](const Column&) { return std::string(); }, s ? mean_text(*s) : "");
    }
}

int run_compare(const CompareOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    SelectionOptions all;
    all.latest = true;
    std::vector<SelectedRow> latest = select_assessments(store, all, std::chrono::system_clock::now());
    std::vector<Column> cols = columns_of(o.councils, latest);
    Picture england = picture_of(latest);
    if (o.format == "json")
        std::cout << compare_json(cols, england).dump(2) << "\n";
    else if (o.format == "csv")
        print_compare_csv(cols, england);
    else
        print_compare_table(cols, england);
    return 0;
}

}  // namespace

CommandRun setup_compare(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<CompareOptions>();
    sub.footer("Each council's latest assessment (withdrawn reports skipped) beside the England figures.");
    sub.add_option("councils", o->councils, "Councils to compare: any name CQC uses, or ONS codes")->required();
    sub.add_option("--format", o->format, "table (default), json or csv (one row per field, one column per council)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_compare(*o, global); };
}

}  // namespace cqcwatch
