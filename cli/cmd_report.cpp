// `cqcwatch report --format html --output FILE`: the history as a page to
// look at (see cli/report_html.hpp). Written to a temporary name and renamed,
// so a browser or a web server never reads half a file.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/report_html.hpp"

namespace cqcwatch {

namespace {

struct ReportOptions {
    SelectionOptions select;
    std::string format = "html";
    std::string output;
    std::string database;
};

void write_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(path + ": cannot write (" + std::string(std::strerror(errno)) + ")");
        out << text;
        out.flush();
        if (!out) throw std::runtime_error(path + ": write failed");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error(path + ": cannot rename into place (" + std::string(std::strerror(errno)) + ")");
}

int run_report(const ReportOptions& o, const GlobalOptions& global) {
    if (o.format != "html") throw UsageError("--format: expected html, got '" + o.format + "'");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    ReportInput in;
    in.generated_at = std::chrono::system_clock::now();
    SelectionOptions s = o.select;
    s.latest = true;
    in.latest = select_assessments(store, s, in.generated_at);
    s.latest = false;
    for (auto& row : select_assessments(store, s, in.generated_at)) in.history.push_back(std::move(row.current));
    std::string html = report_html(in);
    if (o.output.empty() || o.output == "-")
        std::cout << html;
    else
        write_atomically(o.output, html);
    return 0;
}

}  // namespace

CommandRun setup_report(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<ReportOptions>();
    sub.footer("One self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched).");
    add_council_options(sub, o->select);
    sub.add_option("--format", o->format, "html (the only format)");
    sub.add_option("--output", o->output, "The file to write (default: stdout)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_report(*o, global); };
}

}  // namespace cqcwatch
