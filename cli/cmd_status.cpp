// `cqcwatch status`: the store's view of the daemon — sources (last and next
// poll, failures), the outbox (undelivered, held, dead) and what is stored.

#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct StatusOptions {
    std::string format = "text";
    std::string database;
};

// Below this the next write of the database (a page, a WAL frame) can fail.
constexpr unsigned long long k_min_free_bytes = 64 * 1024;

/// Why the database cannot be written now (disk full, read-only), or "" when it can.
std::string storage_error(const std::string& db_path) {
    std::string dir = std::filesystem::absolute(db_path).parent_path().string();
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) return "";
    if ((fs.f_flag & ST_RDONLY) != 0 || ::access(dir.c_str(), W_OK) != 0)
        return dir +
               " is read-only: the daemon can store nothing (no new report, no delivery outcome); make it "
               "writable for the cqcwatch user (SQLite writes -wal and -shm files beside the database)";
    unsigned long long free = static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
    if (free < k_min_free_bytes)
        return dir + " is full (" + std::to_string(free / 1024) +
               " KiB free): the daemon can store nothing (no new report, no delivery outcome) and retries with "
               "back-off; free space there, nothing already stored is lost";
    return "";
}

std::string when(const std::optional<TimePoint>& t) { return t ? utc_time(*t) : "never"; }
nlohmann::json when_json(const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(rfc3339(*t)) : nlohmann::json();
}

nlohmann::json status_json(const StatusView& v, const std::string& storage) {
    nlohmann::json j{{"database", v.path},
                     {"storage", {{"ok", storage.empty()}, {"error", storage}}},
                     {"schema_version", v.schema_version},
                     {"assessments", v.assessments},
                     {"councils_assessed", v.councils_assessed},
                     {"events", v.events},
                     {"pending_embargoes", v.pending_embargoes},
                     {"deliveries",
                      {{"pending", v.deliveries.pending},
                       {"held", v.deliveries.held},
                       {"sent", v.deliveries.sent},
                       {"dead", v.deliveries.dead}}},
                     {"sources", nlohmann::json::array()}};
    j["oldest_pending_seconds"] =
        v.oldest_pending_age ? nlohmann::json(v.oldest_pending_age->count()) : nlohmann::json();
    for (const auto& s : v.sources)
        j["sources"].push_back({{"name", s.source},
                                {"failing", s.failing},
                                {"consecutive_failures", s.consecutive_failures},
                                {"last_attempt", when_json(s.last_attempt)},
                                {"last_success", when_json(s.last_success)},
                                {"next_poll", when_json(s.next_poll)},
                                {"baseline", when_json(s.baseline_at)},
                                {"last_error", s.last_error}});
    return j;
}

void print_status(const StatusView& v, const std::string& storage) {
    std::cout << "Database: " << v.path << " (schema " << v.schema_version << ")\n";
    if (!storage.empty()) std::cout << "Storage: ERROR: " << storage << "\n";
    std::cout << "Stored: " << v.assessments << " assessments of " << v.councils_assessed << " councils, " << v.events
              << " events, " << v.pending_embargoes << " pending embargoes\n"
              << "Deliveries: " << v.deliveries.pending - v.deliveries.held << " undelivered, " << v.deliveries.held
              << " held for an embargo, " << v.deliveries.dead << " dead, " << v.deliveries.sent << " sent";
    if (v.oldest_pending_age) std::cout << "; oldest undelivered " << v.oldest_pending_age->count() << " s";
    std::cout << "\n\n";
    if (v.sources.empty()) {
        std::cout << "No source polled yet.\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : v.sources)
        rows.push_back({s.source,
                        s.failing                    ? "FAILING"
                        : s.consecutive_failures > 0 ? "error"
                                                     : "ok",
                        std::to_string(s.consecutive_failures), when(s.last_success),
                        s.baseline_at ? "done" : "pending", when(s.next_poll), s.last_error});
    print_table(std::cout, {"SOURCE", "STATE", "FAILURES", "LAST SUCCESS", "BASELINE", "NEXT POLL", "LAST ERROR"},
                rows);
}

// Configured sources never polled yet still deserve a line.
void add_configured_sources(StatusView& v, const GlobalOptions& global) {
    auto config = config_if_present(global);
    if (!config) return;
    for (const auto& s : config->sources) {
        bool known = false;
        for (const auto& h : v.sources) known = known || h.source == s.name;
        if (known) continue;
        SourceHealth never;
        never.source = s.name;
        v.sources.push_back(never);
    }
}

int run_status(const StatusOptions& o, const GlobalOptions& global) {
    if (o.format != "text" && o.format != "json")
        throw UsageError("--format: expected text or json, got '" + o.format + "'");
    const std::string path = database_path(global, o.database);
    Store store = open_store(path, StoreMode::read_only);
    StatusView v = value_or_throw(store.status(std::chrono::system_clock::now()));
    if (o.database.empty()) add_configured_sources(v, global);
    const std::string storage = storage_error(path);
    if (o.format == "json")
        std::cout << status_json(v, storage).dump(2) << "\n";
    else
        print_status(v, storage);
    return 0;
}

}  // namespace

CommandRun setup_status(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<StatusOptions>();
    sub.footer(
        "What the daemon has recorded: each source's last success, next poll, failures in a row and "
        "last error; deliveries undelivered, held for an embargo, dead and sent; counts of what is "
        "stored.");
    sub.add_option("--format", o->format, "text (default) or json");
    add_database_option(sub, o->database);
    return [o, &global] { return run_status(*o, global); };
}

}  // namespace cqcwatch
