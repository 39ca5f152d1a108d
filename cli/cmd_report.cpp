// `cqcwatch report --format html --output FILE`: the history as a page to
// look at (see cli/report_html.hpp). A regular file is written to a temporary
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
        write_output(o.output, html);
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
