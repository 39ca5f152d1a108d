// `cqcwatch stats`: the national picture from each council's latest
// assessment — how many councils hold each rating, the mean and spread of
// each statement's scores — for England and for each region.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/national.hpp"
#include "cli/output.hpp"
#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

struct StatsOptions {
    SelectionOptions select;
    std::string format = "table";
    std::string database;
};

struct Area {
    std::string name;
    std::string code;
    std::size_t councils_total = 0;
    Picture picture;
};

std::vector<Area> regional(const std::vector<SelectedRow>& latest, const std::set<std::string>& chosen) {
    std::vector<Area> out;
    for (const auto& region : regions()) {
        Area a{std::string(region.name), std::string(region.code), 0, {}};
        std::vector<SelectedRow> in;
        for (const auto& e : Authorities::builtin().all())
            if (e.region == region.code && chosen.count(e.code)) ++a.councils_total;
        for (const auto& r : latest)
            if (region_of(r.current.authority.code) == region.name) in.push_back(r);
        a.picture = picture_of(in);
        if (a.councils_total) out.push_back(std::move(a));
    }
    return out;
}

std::string count_share(std::size_t n, const Picture& p) {
    if (!p.councils) return std::to_string(n);
    return std::to_string(n) + " (" + percent_text(100.0 * static_cast<double>(n) / static_cast<double>(p.councils)) +
           ")";
}

void print_stats_table(const Area& england, const std::vector<Area>& areas) {
    const Picture& p = england.picture;
    if (!p.councils) {
        std::cout << "0 councils assessed of the " << england.councils_total
                  << " chosen: no latest assessment to count (history --latest lists what there is)\n";
        return;
    }
    std::cout << "Councils assessed: " << p.councils << " of " << england.councils_total
              << " (the latest assessment of each; mean " << percent_text(p.mean_percentage) << ")\n\n";
    std::vector<std::vector<std::string>> ratings;
    for (Rating r : k_ratings)
        ratings.push_back({std::string(to_label(r)), count_share(p.ratings[static_cast<std::size_t>(r)], p)});
    print_table(std::cout, {"RATING", "COUNCILS"}, ratings);
    std::cout << "\n";
    std::vector<std::vector<std::string>> statements;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        std::vector<std::string> row{std::string(to_label(statement_at(i))), mean_text(p.mean[i])};
        for (std::size_t s = 0; s < 4; ++s) row.push_back(std::to_string(p.scores[i][s]));
        statements.push_back(std::move(row));
    }
    print_table(std::cout, {"STATEMENT", "MEAN", "1", "2", "3", "4"}, statements);
    std::cout << "\n";
    std::vector<std::vector<std::string>> regions_rows;
    for (const auto& a : areas) {
        std::vector<std::string> row{a.name,
                                     std::to_string(a.picture.councils) + "/" + std::to_string(a.councils_total)};
        for (Rating r : k_ratings) row.push_back(std::to_string(a.picture.ratings[static_cast<std::size_t>(r)]));
        row.push_back(percent_text(a.picture.mean_percentage));
        regions_rows.push_back(std::move(row));
    }
    print_table(std::cout, {"REGION", "ASSESSED", "OUTSTANDING", "GOOD", "REQ. IMPROVEMENT", "INADEQUATE", "MEAN %"},
                regions_rows);
}

nlohmann::json area_json(const Area& a) {
    nlohmann::json j = picture_json(a.picture);
    j["area"] = a.name;
    j["code"] = a.code;
    j["councils_total"] = a.councils_total;
    return j;
}

// Tidy CSV: one value per row, so a spreadsheet pivot or pandas takes it as it is.
void print_stats_csv(const Area& england, const std::vector<Area>& areas) {
    std::cout << "area,area_code,measure,key,value\r\n";
    auto emit = [](const Area& a) {
        auto line = [&](const std::string& measure, const std::string& key, const std::string& value) {
            std::cout << csv_field(a.name) << "," << a.code << "," << measure << "," << key << "," << value << "\r\n";
        };
        const Picture& p = a.picture;
        line("councils_assessed", "", std::to_string(p.councils));
        line("councils_total", "", std::to_string(a.councils_total));
        line("mean_percentage", "", p.mean_percentage ? mean_text(*p.mean_percentage) : "");
        for (Rating r : k_ratings)
            line("rating_count", std::string(to_key(r)), std::to_string(p.ratings[static_cast<std::size_t>(r)]));
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            std::string key(to_key(statement_at(i)));
            line("statement_mean", key, p.mean[i] ? mean_text(p.mean[i]) : "");
            for (std::size_t s = 0; s < 4; ++s)
                line("score_" + std::to_string(s + 1) + "_count", key, std::to_string(p.scores[i][s]));
        }
    };
    emit(england);
    for (const auto& a : areas) emit(a);
}

int run_stats(const StatsOptions& o, const GlobalOptions& global) {
    check_format_or_throw(o.format);
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    SelectionOptions s = o.select;
    s.latest = true;
    std::vector<SelectedRow> latest = select_assessments(store, s, std::chrono::system_clock::now());
    std::set<std::string> chosen = selected_councils(s);
    Area england{"England", "E92000001", chosen.size(), picture_of(latest)};
    std::vector<Area> areas = regional(latest, chosen);
    if (o.format == "json") {
        nlohmann::json regions_json = nlohmann::json::array();
        for (const auto& a : areas) regions_json.push_back(area_json(a));
        std::cout << nlohmann::json{{"england", area_json(england)}, {"regions", regions_json}}.dump(2) << "\n";
    } else if (o.format == "csv") {
        print_stats_csv(england, areas);
    } else {
        print_stats_table(england, areas);
    }
    return 0;
}

}  // namespace

CommandRun setup_stats(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<StatsOptions>();
    sub.footer("From each council's latest assessment (withdrawn reports skipped). --region/--type narrow the set.");
    add_council_options(sub, o->select);
    sub.add_option("--format", o->format, "table (default), json or csv (tidy: area, measure, key, value)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_stats(*o, global); };
}

}  // namespace cqcwatch
