// `cqcwatch compare`: councils against their region and England. Named
// councils (`compare Walsall Dudley`) stand side by side, one column each,
// with each one's region and England after them; `--region`/`--type` alone
// list the councils they select as a league table, best percentage first.
// Means and ranks are over each council's latest assessment not withdrawn and
// not under embargo (events/means: the same code an alert uses).

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/national.hpp"
#include "cli/output.hpp"
#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

struct CompareOptions {
    std::vector<std::string> councils;
    SelectionOptions select;  ///< --authority (more councils), --region, --type
    std::string format = "table";
    std::string database;
};

struct Column {
    AuthorityRef authority;
    const SelectedRow* row = nullptr;  ///< nullptr: never assessed
    std::optional<RegionRank> rank;
    std::string region;  ///< "" when the data gives none
};

/// A region's figures, for its column (or row) of means.
struct Area {
    std::string name;
    std::string code;
    Picture picture;
};

std::string filter_words(const SelectionOptions& o) {
    std::string out;
    for (const auto& r : o.regions) out += (out.empty() ? "" : " ") + std::string("--region '") + r + "'";
    for (const auto& t : o.types) out += (out.empty() ? "" : " ") + std::string("--type '") + t + "'";
    return out;
}

std::string where_council_is(const AuthorityRef& a) {
    std::string type(type_of(a.code)), region(region_of(a.code));
    return a.name + " (" + (type.empty() ? "" : type + ", ") + (region.empty() ? "region unknown" : region) + ")";
}

// The councils named (in the order typed), kept to those --region/--type select; or, with
// none named, every council they select.
std::vector<AuthorityRef> chosen_councils(const CompareOptions& o) {
    std::vector<AuthorityRef> named;
    auto names = o.councils;
    names.insert(names.end(), o.select.authorities.begin(), o.select.authorities.end());
    for (const auto& n : names) {
        AuthorityRef a = resolve_authority_or_throw(n);
        bool dup = std::any_of(named.begin(), named.end(), [&](const AuthorityRef& b) { return b.code == a.code; });
        if (!dup) named.push_back(std::move(a));
    }
    const bool filtered = !o.select.regions.empty() || !o.select.types.empty();
    if (!filtered) {
        if (named.empty())
            throw UsageError("compare: name one or more councils, or select them with --region and/or --type (e.g. "
                             "cqcwatch compare Walsall, cqcwatch compare --region \"West Midlands\")");
        return named;
    }
    SelectionOptions geography;
    geography.regions = o.select.regions;
    geography.types = o.select.types;
    const std::set<std::string> allowed = selected_councils(geography);
    for (const auto& a : named)
        if (!allowed.count(a.code))
            throw UsageError("compare: " + where_council_is(a) + " is not among the councils " +
                             filter_words(o.select) + " selects");
    if (!named.empty()) return named;
    if (allowed.empty()) throw UsageError("compare: no council matches " + filter_words(o.select));
    for (const auto& e : Authorities::builtin().all())
        if (allowed.count(e.code)) named.push_back({e.name, e.code, e.name});
    return named;
}

std::vector<Column> columns_of(const std::vector<AuthorityRef>& councils, const std::vector<SelectedRow>& latest,
                               const std::vector<CouncilAssessment>& counted) {
    std::vector<Column> out;
    for (const auto& a : councils) {
        Column c{a, nullptr, region_rank(a.code, counted), std::string(region_of(a.code))};
        for (const auto& r : latest)
            if (r.current.authority.code == a.code) c.row = &r;
        out.push_back(std::move(c));
    }
    return out;
}

// Best percentage first; councils tied share a rank and stand in name order; those without a
// percentage (not assessed, unread or embargoed) last.
void order_by_rank(std::vector<Column>& cols) {
    std::stable_sort(cols.begin(), cols.end(), [](const Column& a, const Column& b) {
        if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();
        if (a.rank && a.rank->rank != b.rank->rank) return a.rank->rank < b.rank->rank;
        return a.authority.name < b.authority.name;
    });
}

std::vector<Area> areas_of(const std::vector<Column>& cols, const std::vector<SelectedRow>& latest) {
    std::vector<Area> out;
    for (const auto& c : cols) {
        if (c.region.empty()) continue;
        if (std::any_of(out.begin(), out.end(), [&](const Area& a) { return a.name == c.region; })) continue;
        std::vector<SelectedRow> in;
        for (const auto& r : latest)
            if (region_of(r.current.authority.code) == c.region) in.push_back(r);
        const Region* region = find_region(c.region);
        out.push_back({c.region, region ? std::string(region->code) : std::string(), picture_of(in)});
    }
    return out;
}

std::string score_cell(const Column& c, std::size_t i) {
    if (!c.row || !c.row->current.assessment.scores[i]) return "-";
    return std::to_string(*c.row->current.assessment.scores[i]);
}

std::string rating_cell(const Column& c) {
    if (!c.row) return "not assessed";
    if (!c.row->current.assessment.rating) return "-";
    std::string mark = embargo_mark(c.row->current);
    return std::string(to_label(*c.row->current.assessment.rating)) + (mark.empty() ? "" : " " + mark);
}

std::string percentage_cell(const Column& c) { return c.row ? percentage_text(c.row->current.assessment) : "-"; }

std::string rank_cell(const Column& c) {
    if (c.rank) return rank_text(*c.rank);
    if (c.row && under_embargo(c.row->current)) return "- (embargoed: not ranked)";
    return "-";
}

// A mean and, where fewer councils than the column counts gave the figure, over how many.
std::string mean_cell(const std::optional<double>& mean, std::size_t n, const Picture& p, bool percent) {
    if (!mean) return "-";
    std::string text = percent ? percent_text(*mean) : mean_text(mean);
    return n < p.councils ? text + " (n=" + std::to_string(n) + ")" : text;
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

void print_notes(const std::vector<Area>& areas) {
    std::cout << "(Means: over the latest assessment of each council assessed, not withdrawn and not under embargo; "
                 "a score not given is left out of its mean, \"n=\" says over how many when fewer. Percentages: "
                 "CQC's stated figure, else the nine scores' sum / 36, as a whole number; means to one decimal. "
                 "Rank: by percentage in the region, highest first; councils with the same percentage share the "
                 "rank (\"=4th\"), the next rank skips.)\n";
    for (const auto& a : areas)
        if (a.picture.embargoed)
            std::cout << "(" << a.name << ": " << a.picture.embargoed << " under embargo, not counted)\n";
}

void print_side_by_side(const std::vector<Column>& cols, const std::vector<Area>& areas, const Picture& england) {
    std::vector<std::string> header{""};
    for (const auto& c : cols) header.push_back(c.authority.name);
    for (const auto& a : areas) header.push_back(a.name + " (" + std::to_string(a.picture.councils) + ")");
    header.push_back("England (" + std::to_string(england.councils) + ")");
    std::vector<std::vector<std::string>> rows;
    auto add = [&](std::string label, auto cell, auto area_cell) {
        std::vector<std::string> r{std::move(label)};
        for (const auto& c : cols) r.push_back(cell(c));
        for (const auto& a : areas) r.push_back(area_cell(a.picture));
        r.push_back(area_cell(england));
        rows.push_back(std::move(r));
    };
    auto blank = [](const Picture&) { return std::string(); };
    add("Rating", rating_cell, shares_text);
    add("Percentage", percentage_cell, [](const Picture& p) {
        return mean_cell(p.mean_percentage, p.means.percentage_n, p, true);
    });
    add("Rank in region", rank_cell, blank);
    add(
        "Published",
        [](const Column& c) {
            return c.row && c.row->current.published ? c.row->current.published->iso() : std::string("-");
        },
        blank);
    for (std::size_t i = 0; i < k_statement_count; ++i)
        add(
            std::string(to_label(statement_at(i))), [i](const Column& c) { return score_cell(c, i); },
            [i](const Picture& p) { return mean_cell(p.mean[i], p.means.score_n[i], p, false); });
    print_table(std::cout, header, rows);
    std::cout << "(Regions and England: the mean score per statement and percentage, the share of councils per "
                 "rating)\n";
    print_notes(areas);
}

// Short headings for the nine score columns of the league table; the key under it names them.
constexpr const char* k_short[] = {"NEEDS", "LIVES", "EQUITY", "CARE", "PARTNERS", "PATHWAYS", "SAFEGUARD", "GOVERN",
                                   "LEARNING"};

void print_league(const std::vector<Column>& cols, const std::vector<Area>& areas, const Picture& england,
                  const std::string& selection) {
    std::vector<std::string> header{"RANK", "COUNCIL", "RATING", "%"};
    for (const char* s : k_short) header.emplace_back(s);
    header.emplace_back("PUBLISHED");
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : cols) {
        std::vector<std::string> r{c.rank ? (c.rank->tied > 1 ? "=" : "") + std::to_string(c.rank->rank) : "-",
                                   c.authority.name, rating_cell(c), percentage_cell(c)};
        for (std::size_t i = 0; i < k_statement_count; ++i) r.push_back(score_cell(c, i));
        r.push_back(c.row && c.row->current.published ? c.row->current.published->iso() : "-");
        rows.push_back(std::move(r));
    }
    auto mean_row = [&](const std::string& name, const Picture& p) {
        std::vector<std::string> r{"", name + " mean (" + std::to_string(p.councils) + ")", shares_text(p),
                                   mean_cell(p.mean_percentage, p.means.percentage_n, p, true)};
        for (std::size_t i = 0; i < k_statement_count; ++i)
            r.push_back(mean_cell(p.mean[i], p.means.score_n[i], p, false));
        r.emplace_back();
        rows.push_back(std::move(r));
    };
    for (const auto& a : areas) mean_row(a.name, a.picture);
    mean_row("England", england);
    std::size_t assessed = std::count_if(cols.begin(), cols.end(), [](const Column& c) { return c.row; });
    std::cout << assessed << " of " << cols.size() << " councils " << selection << " assessed\n";
    print_table(std::cout, header, rows);
    std::string key;
    for (std::size_t i = 0; i < k_statement_count; ++i)
        key += std::string(i ? ", " : "") + k_short[i] + " " + std::string(to_label(statement_at(i)));
    std::cout << "(Scores out of 4: " << key << ". RANK: in the council's region.)\n";
    print_notes(areas);
}

nlohmann::json rank_json(const std::optional<RegionRank>& r) {
    if (!r) return nullptr;
    return {{"rank", r->rank}, {"of", r->of}, {"tied", r->tied}, {"region", r->region}, {"text", rank_text(*r)}};
}

nlohmann::json compare_json(const std::vector<Column>& cols, const std::vector<Area>& areas, const Picture& england) {
    nlohmann::json councils = nlohmann::json::array();
    for (const auto& c : cols) {
        nlohmann::json j = c.row ? assessment_record_json(c.row->current)
                                 : nlohmann::json{{"authority", authority_json(c.authority)}, {"rating", nullptr}};
        add_geography(j);
        j["region_rank"] = rank_json(c.rank);
        councils.push_back(std::move(j));
    }
    nlohmann::json regions = nlohmann::json::array();
    for (const auto& a : areas) {
        nlohmann::json r = picture_json(a.picture);
        r["region"] = a.name;
        r["code"] = a.code;
        regions.push_back(std::move(r));
    }
    return {{"councils", councils}, {"regions", regions}, {"england", picture_json(england)}};
}

/// One CSV row: the field, a cell per council, England's, then one per region.
struct CsvRow {
    std::string field;
    std::function<std::string(const Column&)> council;
    std::function<std::string(const Picture&)> area;
};

std::string number_or_empty(const std::optional<double>& m) { return m ? mean_text(m) : std::string(); }

std::vector<CsvRow> csv_rows() {
    auto none = [](const auto&) { return std::string(); };
    std::vector<CsvRow> rows{
        {"ons_code", [](const Column& c) { return c.authority.code; }, none},
        {"rating",
         [](const Column& c) {
             const auto& r = c.row ? c.row->current.assessment.rating : std::nullopt;
             return r ? std::string(to_key(*r)) : std::string();
         },
         none},
        {"percentage",
         [](const Column& c) {
             auto p = c.row ? c.row->current.assessment.percentage() : std::nullopt;
             return p ? std::to_string(*p) : std::string();
         },
         [](const Picture& p) { return number_or_empty(p.mean_percentage); }},
        {"published",
         [](const Column& c) {
             return c.row && c.row->current.published ? c.row->current.published->iso() : std::string();
         },
         none}};
    for (std::size_t i = 0; i < k_statement_count; ++i)
        rows.push_back({std::string(to_key(statement_at(i))),
                        [i](const Column& c) {
                            auto s = score_cell(c, i);
                            return s == "-" ? std::string() : s;
                        },
                        [i](const Picture& p) { return number_or_empty(p.mean[i]); }});
    for (Rating r : k_ratings)
        rows.push_back({"share_" + std::string(to_key(r)), none, [r](const Picture& p) {
                            auto s = p.share(r);
                            return s ? mean_text(*s) : std::string();
                        }});
    return rows;
}

// Rows added after the first shape (the contract grows at the end): rank, basis and the n of each mean.
std::vector<CsvRow> csv_rows_added() {
    auto none = [](const auto&) { return std::string(); };
    std::vector<CsvRow> rows{
        {"region", [](const Column& c) { return c.region; }, none},
        {"region_rank", [](const Column& c) { return c.rank ? std::to_string(c.rank->rank) : std::string(); }, none},
        {"region_ranked", [](const Column& c) { return c.rank ? std::to_string(c.rank->of) : std::string(); }, none},
        {"region_rank_tied", [](const Column& c) { return c.rank ? std::to_string(c.rank->tied) : std::string(); },
         none},
        {"percentage_basis",
         [](const Column& c) {
             auto b = c.row ? c.row->current.assessment.percentage_basis() : std::nullopt;
             return b ? std::string(to_key(*b)) : std::string();
         },
         none},
        {"councils", none, [](const Picture& p) { return std::to_string(p.councils); }},
        {"n_percentage", none, [](const Picture& p) { return std::to_string(p.means.percentage_n); }}};
    for (std::size_t i = 0; i < k_statement_count; ++i)
        rows.push_back({"n_" + std::string(to_key(statement_at(i))), none,
                        [i](const Picture& p) { return std::to_string(p.means.score_n[i]); }});
    return rows;
}

void print_compare_csv(const std::vector<Column>& cols, const std::vector<Area>& areas, const Picture& england) {
    std::string line = "field";
    for (const auto& c : cols) line += "," + csv_field(c.authority.name);
    line += ",England";
    for (const auto& a : areas) line += "," + csv_field(a.name);
    std::cout << line << "\r\n";
    auto print = [&](const CsvRow& row) {
        std::string l = csv_field(row.field);
        for (const auto& c : cols) l += "," + csv_field(row.council(c));
        l += "," + csv_field(row.field == "ons_code" ? "E92000001" : row.area(england));
        for (const auto& a : areas) l += "," + csv_field(row.field == "ons_code" ? a.code : row.area(a.picture));
        std::cout << l << "\r\n";
    };
    for (const auto& row : csv_rows()) print(row);
    for (const auto& row : csv_rows_added()) print(row);
}

int run_compare(const CompareOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    const std::vector<AuthorityRef> chosen = chosen_councils(o);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    SelectionOptions all;
    all.latest = true;
    const std::vector<SelectedRow> latest = select_assessments(store, all, std::chrono::system_clock::now());
    const std::vector<CouncilAssessment> counted = public_assessments(latest);
    std::vector<Column> cols = columns_of(chosen, latest, counted);
    const bool league = o.councils.empty() && o.select.authorities.empty();
    if (league) order_by_rank(cols);
    const std::vector<Area> areas = areas_of(cols, latest);
    const Picture england = picture_of(latest);
    if (o.format == "json")
        std::cout << compare_json(cols, areas, england).dump(2) << "\n";
    else if (o.format == "csv")
        print_compare_csv(cols, areas, england);
    else if (league)
        print_league(cols, areas, england, "selected by " + filter_words(o.select));
    else
        print_side_by_side(cols, areas, england);
    return 0;
}

}  // namespace

CommandRun setup_compare(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<CompareOptions>();
    sub.footer(
        "Each council's latest assessment (withdrawn reports skipped) beside its region's and England's means, with "
        "its rank in its region by percentage (tied councils share a rank). Named councils stand side by side; "
        "--region/--type alone list the councils they select, best first. With both, the named councils must be "
        "among those selected.");
    sub.add_option("councils", o->councils, "Councils to compare: any name CQC uses, or ONS codes");
    add_council_options(sub, o->select);
    sub.add_option("--format", o->format, "table (default), json or csv (one row per field, one column per council)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_compare(*o, global); };
}

}  // namespace cqcwatch
