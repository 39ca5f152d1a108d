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

/// Pending embargoes more than 2 s past their instant: alerts that are late (the daemon's "late").
struct Overdue {
    std::vector<StoredEmbargo> lifts;
    std::string why;  ///< what holds them back, as far as this process can see
};

std::vector<StoredEmbargo> overdue_lifts(const Store& store, TimePoint now) {
    auto pending = value_or_throw(store.pending_embargoes());
    std::vector<StoredEmbargo> out;
    for (auto& e : pending)
        if (e.embargo.resolved && (e.embargo.until_unix + 2) * 1000 < to_unix_ms(now)) out.push_back(std::move(e));
    return out;
}

// Probed with the store closed: closing the probe's descriptor would drop our own locks.
std::string overdue_why(const std::string& path, const std::string& storage) {
    if (auto holder = write_lock_holder(path))
        return "the database is locked by another process (pid " + std::to_string(holder->pid) +
               (holder->program.empty() ? "" : ", " + holder->program) +
               "): a running daemon lifts it as soon as that process lets go";
    if (!storage.empty()) return "the database cannot be written (see Storage): a running daemon retries until it can";
    return "a running daemon lifts it within seconds: is `cqcwatch run` running? (it lifts a missed one at start-up)";
}

std::string when(const std::optional<TimePoint>& t) { return t ? utc_time(*t) : "never"; }
nlohmann::json when_json(const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(rfc3339(*t)) : nlohmann::json();
}

nlohmann::json overdue_json(const Overdue& overdue, TimePoint now) {
    nlohmann::json lifts = nlohmann::json::array();
    for (const auto& e : overdue.lifts)
        lifts.push_back({{"id", e.id},
                         {"authority", e.authority.name},
                         {"until", e.embargo.until_utc},
                         {"overdue_seconds", to_unix_ms(now) / 1000 - e.embargo.until_unix}});
    return {{"lifts", lifts}, {"reason", overdue.lifts.empty() ? nlohmann::json() : nlohmann::json(overdue.why)}};
}

void print_overdue(const Overdue& overdue, TimePoint now) {
    for (const auto& e : overdue.lifts)
        std::cout << "Embargo: OVERDUE: " << (e.authority.name.empty() ? "(no council)" : e.authority.name)
                  << " was due at " << e.embargo.until_utc << " (" << to_unix_ms(now) / 1000 - e.embargo.until_unix
                  << " s ago) and is not lifted yet: " << overdue.why << "\n";
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
    const auto now = std::chrono::system_clock::now();
    StatusView v;
    Overdue overdue;
    {
        Store store = open_store(path, StoreMode::read_only);
        v = value_or_throw(store.status(now));
        overdue.lifts = overdue_lifts(store, now);
    }
    if (o.database.empty()) add_configured_sources(v, global);
    const std::string storage = storage_error(path);
    if (!overdue.lifts.empty()) overdue.why = overdue_why(path, storage);
    if (o.format == "json") {
        auto j = status_json(v, storage);
        j["overdue_lifts"] = overdue_json(overdue, now);
        std::cout << j.dump(2) << "\n";
    } else {
        print_overdue(overdue, now);
        print_status(v, storage);
    }
    return 0;
}

}  // namespace

CommandRun setup_status(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<StatusOptions>();
    sub.footer(
        "What the daemon has recorded: each source's last success, next poll, failures in a row and "
        "last error; deliveries undelivered, held for an embargo, dead and sent; counts of what is "
        "stored; an embargo lift that is overdue, and what holds it back (a process holding the "
        "database's lock, a full disk).");
    sub.add_option("--format", o->format, "text (default) or json");
    add_database_option(sub, o->database);
    return [o, &global] { return run_status(*o, global); };
}

}  // namespace cqcwatch
