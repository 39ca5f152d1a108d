// `cqcwatch feed`: the events as an Atom feed on stdout, the same document the
// daemon serves at /feed.atom. Nothing embargoed shows before its lift: the
// store leaves out every event an embargo still holds.

#include <filesystem>
#include <iostream>

#include "cli/cmd_common.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "notifiers/atom_feed.hpp"

namespace cqcwatch {

namespace {

// The listing an emailed release's feed entry links to: the first listing source, else CQC's own.
std::string feed_listing_url(const Config& config) {
    for (const auto& s : config.sources)
        if (s.enabled && s.kind == SourceKind::listing && !s.url.empty()) return s.url;
    return k_cqc_listing_url;
}

struct FeedOptions {
    std::size_t limit = k_atom_feed_entries;
    std::string self_url;
    std::string database;
};

int run_feed(const FeedOptions& o, const GlobalOptions& global) {
    if (o.limit == 0) throw UsageError("--limit: expected at least 1 entry");
    Store store = open_store(database_path(global, o.database), StoreMode::read_only);
    AtomFeedInfo info{o.self_url, rfc3339(std::chrono::system_clock::now())};
    // The config, when there is one, names the listing an emailed release's entry links to (as the daemon's).
    std::error_code ec;
    if (std::filesystem::exists(global.resolved_config_path(), ec)) {
        try {
            info.listing_url = feed_listing_url(load_config_or_throw(global));
        } catch (const ConfigError&) {  // a feed needs no config: CQC's own listing then
        }
    }
    std::cout << render_atom_feed(value_or_throw(store.feed_events(o.limit)), info);
    return 0;
}

}  // namespace

CommandRun setup_feed(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<FeedOptions>();
    sub.footer(
        "Prints an Atom feed of the events, newest first (the daemon serves the same at /feed.atom on its "
        "metrics listener). Entry ids are urn:cqcwatch:event:<event id>. Events an embargo still holds are "
        "left out until the lift; the embargo.scheduled entry says when it lifts, with no figures.");
    sub.add_option("--limit", o->limit, "Entries at most (default 50)");
    sub.add_option("--self-url", o->self_url, "The address the feed is published at (its rel=\"self\" link)");
    add_database_option(sub, o->database);
    return [o, &global] { return run_feed(*o, global); };
}

}  // namespace cqcwatch
