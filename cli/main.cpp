// cqcwatch: a switchboard. Parse the command line, find the subcommand in one
// table, run it, and map errors to exit codes (0 ok, 1 runtime, 2 usage/config).

#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/commands.hpp"

namespace {

struct CommandEntry {
    const char* name;
    const char* help;
    cqcwatch::CommandSetup setup;
};

// One line per subcommand: the name, its line in --help, its setup function.
const CommandEntry k_commands[] = {
    {"run", "Run the daemon in the foreground (systemd Type=notify)", cqcwatch::setup_run},
    {"poll", "One pass over every source, deliver what is due, exit (--once)", cqcwatch::setup_poll},
    {"route-test", "Which notifiers an event would go to, and why not the others (nothing is sent)",
     cqcwatch::setup_route_test},
    {"notify-test", "Send a clearly marked test alert through one notifier", cqcwatch::setup_notify_test},
    {"parse", "Print what a saved page, feed or message yields, as JSON", cqcwatch::setup_parse},
    {"ingest", "Store press releases, report pages or emails from files or stdin", cqcwatch::setup_ingest},
    {"history", "Query the stored assessments (table, json or csv)", cqcwatch::setup_history},
    {"show", "One council: every assessment, scores by theme, changes", cqcwatch::setup_show},
    {"compare", "Councils against their region and England: means, rank in region (table, json or csv)",
     cqcwatch::setup_compare},
    {"changes", "What changed: new, updated (before -> after) and withdrawn assessments", cqcwatch::setup_changes},
    {"stats", "The national picture: ratings, scores per statement, per region", cqcwatch::setup_stats},
    {"report", "One self-contained HTML page of every council's ratings and scores", cqcwatch::setup_report},
    {"feed", "The events as an Atom feed (embargoed figures only after the lift)", cqcwatch::setup_feed},
    {"embargoes", "Embargoes pending and lifted, in UK time and UTC", cqcwatch::setup_embargoes},
    {"status", "Sources, last and next polls, failures, undelivered alerts", cqcwatch::setup_status},
    {"deliveries", "List the outbox: deliveries pending, dead or sent", cqcwatch::setup_deliveries},
    {"redeliver", "Put dead deliveries back in the queue", cqcwatch::setup_redeliver},
    {"export", "Everything in the history, as json or csv", cqcwatch::setup_export},
    {"check-config", "Validate the config; errors name file, line and key", cqcwatch::setup_check_config},
};

}  // namespace

std::string cqcwatch::GlobalOptions::resolved_config_path() const {
    if (!config_path.empty()) return config_path;
    if (const char* env = std::getenv("CQCWATCH_CONFIG"); env && *env) return env;
    return "/etc/cqcwatch/config.toml";
}

int main(int argc, char** argv) {
    CLI::App app{"cqcwatch: watches CQC for local authority assessments and alerts when they are public"};
    app.set_version_flag("--version", std::string("cqcwatch ") + CQCWATCH_VERSION);
    app.require_subcommand(1);
    cqcwatch::GlobalOptions global;
    std::map<CLI::App*, cqcwatch::CommandRun> runs;
    for (const auto& entry : k_commands) {
        CLI::App* sub = app.add_subcommand(entry.name, entry.help);
        sub->add_option("--config", global.config_path,
                        "Config file (default $CQCWATCH_CONFIG, else /etc/cqcwatch/config.toml)");
        sub->add_option("--log-level", global.log_level, "trace, debug, info, warn, error or off");
        runs[sub] = entry.setup(*sub, global);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        for (auto& [sub, run] : runs)
            if (sub->parsed()) return run();
        return 2;
    } catch (const cqcwatch::UsageError& e) {
        std::cerr << "cqcwatch: " << e.what() << "\n";
        return 2;
    } catch (const cqcwatch::ConfigError& e) {
        std::cerr << "cqcwatch: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cqcwatch: " << e.what() << "\n";
        return 1;
    }
}
