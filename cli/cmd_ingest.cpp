// `cqcwatch ingest [FILE…]`: parse press releases, report pages or emails
// from files (stdin when none) and store them exactly as if fetched, routed
// to the notifiers of the config when there is one.
//
// An MTA pipes releases here, and what it does next follows the exit code:
// 75 (EX_TEMPFAIL) keeps the message and retries, anything else non-zero
// bounces it to the sender. So only a message that can never be used exits 1;
// a busy, locked, full or unreadable database, a broken config or a spool that
// cannot be written exit 75. With --spool, a message this process cannot
// store (the database belongs to the service) goes to the daemon's spool.

#include <sysexits.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/spool.hpp"
#include "config/config.hpp"
#include "notifiers/routing.hpp"
#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

namespace cqcwatch {

namespace {

struct IngestOptions {
    std::vector<std::string> files;
    std::string kind = "auto";
    std::string url;
    bool baseline = false;
    std::string database;
    std::string spool;
};

/// What became of one input, worst last: the run exits with the worst.
enum class Fate { stored, unusable, retry };

int exit_code(Fate f) { return f == Fate::stored ? 0 : f == Fate::unusable ? 1 : EX_TEMPFAIL; }

tl::expected<std::string, std::string> read_input(const std::string& file) {
    if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(file, std::ios::binary);
    if (!in) return tl::unexpected(file + ": cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string outcome_text(const RecordResult& r) {
    switch (r.outcome) {
        case RecordOutcome::created:
            return "created assessment " + std::to_string(r.assessment_id);
        case RecordOutcome::updated:
            return "updated assessment " + std::to_string(r.assessment_id);
        case RecordOutcome::unchanged:
            return "unchanged assessment " + std::to_string(r.assessment_id);
        case RecordOutcome::ignored:
            return "ignored: " + r.reason;
    }
    return "";
}

// Alerts are kept as long as the longest-lived notifier keeps them (48 h without a config):
// a release published before that is history.
std::chrono::seconds history_age(const std::optional<Config>& config) {
    if (!config || config->notifiers.empty()) return NotifierConfig{}.max_age;
    std::chrono::seconds age{0};
    for (const auto& n : config->notifiers) age = std::max(age, n.max_age);
    return age;
}

RouteFn route_for(const std::optional<Config>& config) {
    if (!config) return {};
    auto notifiers = std::make_shared<std::vector<NotifierConfig>>(config->notifiers);
    return [notifiers](const Event& e) { return route_names(*notifiers, e); };
}

/// The run's shared state: the store is opened at the first message that needs it, once.
class Ingest {
public:
    Ingest(IngestOptions options, std::optional<Config> config, std::string database)
        : m_o(std::move(options)), m_config(std::move(config)), m_database(std::move(database)) {}
    Fate one(const std::string& file);

private:
    Fate store_or_spool(const std::string& file, const std::string& bytes, const ParseResult& parsed);
    Fate spool_or_retry(const std::string& file, const std::string& bytes, const std::string& why);
    Store* store(std::string& why);

    IngestOptions m_o;
    std::optional<Config> m_config;
    std::string m_database;
    std::optional<Store> m_store;
    std::string m_store_error;
};

Store* Ingest::store(std::string& why) {
    if (!m_store && m_store_error.empty()) {
        auto opened = Store::open(m_database, StoreMode::read_write);
        if (opened)
            m_store.emplace(std::move(*opened));
        else
            m_store_error = opened.error().message;
    }
    why = m_store_error;
    return m_store ? &*m_store : nullptr;
}

Fate Ingest::one(const std::string& file) {
    auto bytes = read_input(file);
    if (!bytes) {
        std::cerr << "cqcwatch: " << bytes.error() << "\n";
        return Fate::retry;  // the message is not lost: whoever gave us the name can give it again
    }
    ParseOptions po;
    po.kind = doc_kind_from_key(m_o.kind).value_or(DocKind::unknown);
    po.url = m_o.url;
    auto parsed = parse_document(*bytes, po, Authorities::builtin());
    if (!parsed && parsed.error().retry) return spool_or_retry(file, *bytes, parsed.error().message);
    if (!parsed) {
        std::cerr << "cqcwatch: " << file << ": unusable: " << parsed.error().message << "\n";
        return Fate::unusable;
    }
    for (const auto& w : parsed->warnings) std::cerr << "cqcwatch: " << file << ": warning: " << w << "\n";
    if (auto reason = Store::unrecordable_reason(*parsed)) {
        std::cerr << "cqcwatch: " << file << ": unusable: " << *reason << "\n";
        return Fate::unusable;
    }
    return store_or_spool(file, *bytes, *parsed);
}

Fate Ingest::store_or_spool(const std::string& file, const std::string& bytes, const ParseResult& parsed) {
    std::string why;
    Store* s = store(why);
    if (s == nullptr) return spool_or_retry(file, bytes, why);
    RecordContext ctx;
    ctx.now = std::chrono::system_clock::now();
    ctx.source = "ingest";
    ctx.baseline = m_o.baseline;
    ctx.route = route_for(m_config);
    ctx.history_before = history_before(ctx.now, history_age(m_config));
    auto recorded = s->record_document(parsed, ctx);
    if (!recorded) return spool_or_retry(file, bytes, recorded.error().message);
    std::cout << file << ": " << outcome_text(*recorded);
    if (parsed.authority) std::cout << " (" << parsed.authority->name << ")";
    for (const auto& e : recorded->events) std::cout << " " << e.type;
    if (recorded->history) std::cout << "; stored as history: published " << recorded->history->iso() << ", no alert";
    std::cout << "\n";
    return Fate::stored;
}

Fate Ingest::spool_or_retry(const std::string& file, const std::string& bytes, const std::string& why) {
    if (m_o.spool.empty()) {
        std::cerr << "cqcwatch: " << file << ": not stored, try again later: " << why << "\n";
        return Fate::retry;
    }
    auto spooled = spool_message(m_o.spool, bytes);
    if (!spooled) {
        std::cerr << "cqcwatch: " << file << ": not stored, try again later: " << why << "; " << spooled.error()
                  << "\n";
        return Fate::retry;
    }
    std::cout << file << ": spooled to " << spooled->string() << " for the daemon (" << why << ")\n";
    return Fate::stored;
}

int run_ingest(IngestOptions o, const GlobalOptions& global) {
    if (!doc_kind_from_key(o.kind))
        throw UsageError("--kind: expected report, press-release, email or auto, got '" + o.kind + "'");
    std::optional<Config> config;
    std::string database;
    try {
        config = o.database.empty() ? config_if_present(global) : std::nullopt;
        database = database_path(global, o.database);
    } catch (const std::exception& e) {
        // A config being fixed is a passing cause: the MTA keeps the message, or the spool takes it.
        std::cerr << "cqcwatch: " << e.what() << "\n";
        if (o.spool.empty()) return EX_TEMPFAIL;
        database = o.database.empty() ? DaemonConfig{}.database : o.database;
    }
    if (o.files.empty()) o.files.push_back("-");
    Ingest ingest(o, std::move(config), std::move(database));
    Fate worst = Fate::stored;
    for (const auto& f : o.files) worst = std::max(worst, ingest.one(f));
    return exit_code(worst);
}

}  // namespace

CommandRun setup_ingest(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<IngestOptions>();
    sub.footer(
        "Parse press releases, report pages or emails from files (stdin when none, or '-') and store "
        "them exactly as if fetched: new assessments, changes, embargoes, and alerts for the notifiers "
        "of the config. An MTA can pipe a message to it: exit 1 only for a message that can never be used "
        "(the reason on stderr), 75 (EX_TEMPFAIL: the MTA keeps it and retries) when it could not be stored "
        "now. With --spool, a message that cannot be stored here is left in that Maildir for the daemon.");
    sub.add_option("FILE", o->files, "Files to read; none or '-' reads stdin");
    sub.add_option("--kind", o->kind, "report, press-release, email or auto (default)");
    sub.add_option("--url", o->url, "The page URL the file was saved from (for report pages)");
    sub.add_flag("--baseline", o->baseline,
                 "Record without alerting (a release published longer ago than max_age never alerts anyway)");
    sub.add_option("--spool", o->spool,
                   "A Maildir (or drop directory) the daemon watches: where a message goes when the database "
                   "cannot be written from here (an MTA's pipe user)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_ingest(*o, global); };
}

}  // namespace cqcwatch
