// `cqcwatch ingest [FILE…]`: parse press releases, report pages or emails
// from files (stdin when none) and store them exactly as if fetched, routed
// to the notifiers of the config when there is one.

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "cli/output.hpp"
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
};

std::string read_input(const std::string& file) {
    if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file + ": cannot be read");
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

RouteFn route_for(const std::optional<Config>& config) {
    if (!config) return {};
    auto notifiers = std::make_shared<std::vector<NotifierConfig>>(config->notifiers);
    return [notifiers](const Event& e) {
        std::vector<std::string> names;
        for (const auto& n : *notifiers)
            if (routes(n, e)) names.push_back(n.name);
        return names;
    };
}

// One file: parse, record, say what happened. False when it could not be stored.
bool ingest_one(Store& store, const std::string& file, const IngestOptions& o, const RecordContext& ctx) {
    ParseOptions po;
    po.kind = doc_kind_from_key(o.kind).value_or(DocKind::unknown);
    po.url = o.url;
    auto parsed = parse_document(read_input(file), po, Authorities::builtin());
    if (!parsed) {
        std::cerr << "cqcwatch: " << file << ": " << parsed.error().message << "\n";
        return false;
    }
    auto recorded = store.record_document(*parsed, ctx);
    if (!recorded) throw std::runtime_error(recorded.error().message);
    std::cout << file << ": " << outcome_text(*recorded);
    if (parsed->authority) std::cout << " (" << parsed->authority->name << ")";
    for (const auto& e : recorded->events) std::cout << " " << e.type;
    std::cout << "\n";
    for (const auto& w : parsed->warnings) std::cerr << "cqcwatch: " << file << ": warning: " << w << "\n";
    return recorded->outcome != RecordOutcome::ignored;
}

int run_ingest(IngestOptions o, const GlobalOptions& global) {
    if (!doc_kind_from_key(o.kind))
        throw UsageError("--kind: expected report, press-release, email or auto, got '" + o.kind + "'");
    std::optional<Config> config = o.database.empty() ? config_if_present(global) : std::nullopt;
    std::string path = database_path(global, o.database);
    Store store = open_store(path, StoreMode::read_write);
    RecordContext ctx;
    ctx.now = std::chrono::system_clock::now();
    ctx.source = "ingest";
    ctx.baseline = o.baseline;
    ctx.route = route_for(config);
    if (o.files.empty()) o.files.push_back("-");
    bool all_ok = true;
    for (const auto& f : o.files) all_ok = ingest_one(store, f, o, ctx) && all_ok;
    return all_ok ? 0 : 1;
}

}  // namespace

CommandRun setup_ingest(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<IngestOptions>();
    sub.footer(
        "Parse press releases, report pages or emails from files (stdin when none, or '-') and store "
        "them exactly as if fetched: new assessments, changes, embargoes, and alerts for the notifiers "
        "of the config. An MTA can pipe a message to it. Exits 1 when any input could not be stored.");
    sub.add_option("FILE", o->files, "Files to read; none or '-' reads stdin");
    sub.add_option("--kind", o->kind, "report, press-release, email or auto (default)");
    sub.add_option("--url", o->url, "The page URL the file was saved from (for report pages)");
    sub.add_flag("--baseline", o->baseline, "Record without alerting");
    add_database_option(sub, o->database);
    return [o, &global] { return run_ingest(*o, global); };
}

}  // namespace cqcwatch
