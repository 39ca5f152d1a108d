// `cqcwatch report --format html --output FILE`: the history as a page to
// look at (see cli/report_html.hpp); with one --authority, that council's
// card instead (cli/card.hpp), as HTML or, with --format svg, an image. A regular file is written to a temporary
// name beside it and renamed, so a browser or a web server never reads half a
// file; through a symlink, the file it points to is replaced and the link kept.
// Anything else (/dev/null, a FIFO, /dev/stdout) is written in place: renaming
// over it would put a regular file where a device was.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/card.hpp"
#include "cli/commands.hpp"
#include "cli/national.hpp"
#include "cli/output.hpp"
#include "cli/report_html.hpp"
#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

struct ReportOptions {
    SelectionOptions select;
    std::string format = "html";
    std::string output;
    std::string database;
};

std::string error_text(int error) { return std::string(std::strerror(error)); }

void write_stream(const std::string& path, const std::string& name, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(name + ": cannot write (" + error_text(errno) + ")");
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(name + ": write failed (" + error_text(errno) + ")");
}

void write_output(const std::string& path, const std::string& text) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);  // follows symlinks
    if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
        if (fs::is_directory(st)) throw std::runtime_error(path + ": is a directory");
        write_stream(path, path, text);
        return;
    }
    // A regular file, or none yet: replace the file a symlink points to, not the link.
    fs::path target = path;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
        target = fs::weakly_canonical(path, ec);
        if (ec) throw std::runtime_error(path + ": cannot resolve the link (" + ec.message() + ")");
    }
    const std::string tmp = target.string() + ".tmp";
    try {
        write_stream(tmp, path, text);
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
    if (std::rename(tmp.c_str(), target.c_str()) != 0) {
        const int error = errno;
        fs::remove(tmp, ec);
        throw std::runtime_error(path + ": cannot rename into place (" + error_text(error) + ")");
    }
}

/// A region's and England's means over the latest assessment of each council (unknown scores and
/// embargoed assessments left out). One function, so the shared one can take its place.
struct AreaMeans {
    Picture region;
    Picture england;
};
AreaMeans region_and_england_means(const std::vector<SelectedRow>& england_latest, std::string_view code) {
    const std::string_view region = region_of(code);
    std::vector<SelectedRow> in_region;
    for (const auto& row : england_latest)
        if (region_of(row.current.authority.code) == region) in_region.push_back(row);
    return {picture_of(in_region), picture_of(england_latest)};
}

/// What the council options select, for a heading: "England", "West Midlands", "West Midlands, London",
/// "Metropolitan borough councils", "3 chosen councils".
std::string area_of(const SelectionOptions& o) {
    if (!o.authorities.empty()) return std::to_string(o.authorities.size()) + " chosen councils";
    std::string out;
    for (const auto& r : o.regions) {
        const Region* region = find_region(r);
        out += (out.empty() ? "" : ", ") + std::string(region ? region->name : r);
    }
    std::string types;
    for (const auto& t : o.types) {
        auto type = find_council_type(t);
        types += (types.empty() ? "" : ", ") + std::string(type ? to_label(*type) : t);
    }
    if (!types.empty()) out += (out.empty() ? "" : ": ") + types + " councils";
    return out.empty() ? "England" : out;
}

std::vector<SelectedRow> england_latest(const Store& store, TimePoint now) {
    SelectionOptions all;
    all.latest = true;
    return select_assessments(store, all, now);
}

std::string card_of(const Store& store, const ReportOptions& o, TimePoint now) {
    CardInput in;
    in.authority = resolve_authority_or_throw(o.select.authorities.front());
    in.region = std::string(region_of(in.authority.code));
    in.type = std::string(type_of(in.authority.code));
    in.generated_at = now;
    const std::vector<SelectedRow> england = england_latest(store, now);
    for (const auto& row : england)
        if (row.current.authority.code == in.authority.code) in.latest = row;
    SelectionOptions one;
    one.authorities = {in.authority.code};
    for (auto& row : select_assessments(store, one, now)) in.history.push_back(std::move(row.current));
    AreaMeans means = region_and_england_means(england, in.authority.code);
    in.region_means = std::move(means.region);
    in.england_means = std::move(means.england);
    return o.format == "svg" ? card_svg(in) : card_html(in);
}

std::string report_of(const Store& store, const ReportOptions& o, TimePoint now) {
    ReportInput in;
    in.generated_at = now;
    SelectionOptions s = o.select;
    s.latest = true;
    in.latest = select_assessments(store, s, in.generated_at);
    s.latest = false;
    for (auto& row : select_assessments(store, s, in.generated_at)) in.history.push_back(std::move(row.current));
    in.area = area_of(o.select);
    in.area_councils = selected_councils(o.select).size();
    if (in.area != "England") in.england = england_latest(store, now);
    return report_html(in);
}

int run_report(const ReportOptions& o, const GlobalOptions& global) {
    const bool card = o.select.authorities.size() == 1 && o.select.regions.empty() && o.select.types.empty();
    if (o.format != "html" && o.format != "svg")
        throw UsageError("--format: expected html or svg, got '" + o.format + "'");
    if (o.format == "svg" && !card)
        throw UsageError("--format svg: the image is one council's card; name it with --authority NAME");
    if (card) resolve_authority_or_throw(o.select.authorities.front());  // a usage error before the database
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    const TimePoint now = std::chrono::system_clock::now();
    const std::string text = card ? card_of(store, o, now) : report_of(store, o, now);
    if (o.output.empty() || o.output == "-")
        std::cout << text;
    else
        write_output(o.output, text);
    return 0;
}

}  // namespace

CommandRun setup_report(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ReportOptions>();
    sub.footer(
        "One self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched). With one --authority "
        "(and no --region or --type): that council's card, as HTML or --format svg.");
    add_council_options(sub, o->select);
    sub.add_option("--format", o->format, "html (default), or svg for one council's card");
    sub.add_option("--output", o->output, "The file to write (default: stdout)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_report(*o, global); };
}

}  // namespace cqcwatch
