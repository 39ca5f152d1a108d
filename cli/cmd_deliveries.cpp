// `cqcwatch deliveries` lists the outbox; `cqcwatch redeliver ID…` puts dead
// deliveries back in the queue (by delivery number or by event id).

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace cqcwatch {

namespace {

struct DeliveriesOptions {
    std::string status;
    std::string format = "table";
    long limit = 100;
    std::string database;
};

struct RedeliverOptions {
    std::vector<std::string> ids;
    std::string database;
};

nlohmann::json delivery_json(const Delivery& d) {
    return {{"id", d.id},
            {"notifier", d.notifier},
            {"event_id", d.event.id},
            {"event_type", d.event.type},
            {"status", to_key(d.status)},
            {"held", d.held},
            {"attempts", d.attempts},
            {"created_at", rfc3339(d.created_at)},
            {"next_attempt_at", rfc3339(d.next_attempt_at)},
            {"finished_at", d.finished_at ? nlohmann::json(rfc3339(*d.finished_at)) : nlohmann::json()},
            {"last_error", d.last_error},
            {"summary", d.summary}};
}

// "No dead deliveries (12 in the outbox: 11 sent, 1 pending)" rather than a lone header.
int print_no_deliveries(const Store& store, const std::string& status) {
    const DeliveryCounts c = value_or_throw(store.delivery_counts());
    const std::int64_t total = c.pending + c.sent + c.dead;
    std::cout << "No " << (status.empty() ? "" : status + " ") << "deliveries";
    if (total == 0)
        std::cout << " (the outbox is empty: nothing has been sent to a notifier yet)\n";
    else
        std::cout << " (" << total << " in the outbox: " << c.sent << " sent, " << c.pending << " pending, " << c.dead
                  << " dead)\n";
    return 0;
}

int run_deliveries(const DeliveriesOptions& o, const GlobalOptions& global) {
    std::optional<DeliveryStatus> status;
    if (!o.status.empty() && !(status = delivery_status_from_key(o.status)))
        throw UsageError("--status: expected pending, dead or sent, got '" + o.status + "'");
    if (o.format != "table" && o.format != "json")
        throw UsageError("--format: expected table or json, got '" + o.format + "'");
    if (o.limit < 0) throw UsageError("--limit: expected 0 (no limit) or more");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    auto rows = value_or_throw(store.list_deliveries(status, static_cast<std::size_t>(o.limit)));
    if (o.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& d : rows) out.push_back(delivery_json(d));
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (rows.empty()) return print_no_deliveries(store, o.status);
    std::vector<std::vector<std::string>> cells;
    for (const auto& d : rows) {
        std::string state(to_key(d.status));
        if (d.held) state += " (held)";
        cells.push_back({std::to_string(d.id), d.notifier, d.event.id, d.event.type, state, std::to_string(d.attempts),
                         d.status == DeliveryStatus::pending ? utc_time(d.next_attempt_at) : "-",
                         d.status == DeliveryStatus::sent ? d.summary : d.last_error});
    }
    print_table(std::cout, {"ID", "NOTIFIER", "EVENT", "TYPE", "STATUS", "TRIES", "NEXT TRY", "RESULT"}, cells);
    return 0;
}

int run_redeliver(const RedeliverOptions& o, const GlobalOptions& global) {
    Store store = open_store(database_path(global, o.database), StoreMode::read_write);
    std::vector<std::int64_t> ids;
    for (const auto& id : o.ids) {
        if (id.rfind("evt_", 0) == 0) {
            auto of_event = value_or_throw(store.deliveries_of_event(id));
            if (of_event.empty()) throw UsageError("no deliveries for event " + id);
            ids.insert(ids.end(), of_event.begin(), of_event.end());
            continue;
        }
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("expected a delivery number or an event id (evt_…), got '" + id + "'");
        ids.push_back(std::stoll(id));
    }
    auto done = value_or_throw(store.requeue(ids, std::chrono::system_clock::now()));
    for (auto id : done) std::cout << "requeued delivery " << id << "\n";
    if (done.size() < ids.size())
        std::cerr << "cqcwatch: " << ids.size() - done.size() << " of " << ids.size()
                  << " deliveries were not dead (or do not exist) and were left as they are\n";
    return done.empty() ? 1 : 0;
}

}  // namespace

CommandRun setup_deliveries(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<DeliveriesOptions>();
    sub.footer(
        "The outbox, newest first: one row per event and notifier with its status (pending, held for "
        "an embargo, sent, dead), attempts, next try and the last answer or error.");
    sub.add_option("--status", o->status, "pending, dead or sent");
    sub.add_option("--format", o->format, "table (default) or json");
    sub.add_option("--limit", o->limit, "At most N rows (default 100; 0 = all)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_deliveries(*o, global); };
}

CommandRun setup_redeliver(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<RedeliverOptions>();
    sub.footer(
        "Put dead deliveries back in the queue: the running daemon sends them in order, with the same "
        "event id. ID is a delivery number (see `cqcwatch deliveries`) or an event id (all its "
        "deliveries). Exits 1 when none was requeued.");
    sub.add_option("ID", o->ids, "Delivery numbers or event ids")->required();
    add_database_option(sub, o->database);
    return [o, &global] { return run_redeliver(*o, global); };
}

}  // namespace cqcwatch
