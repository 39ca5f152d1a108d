// cqcwatch check-config: load the config as `run` would and say what is wrong,
// every error on its own line; or print the key table (--print-defaults).

#include <iostream>

#include "cli/cmd_common.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "config/table.hpp"

namespace cqcwatch {

namespace {

std::string counted(std::size_t n, const char* noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

// The key table as commented TOML: every key with its default and help.
void print_defaults(std::ostream& out) {
    std::string_view section;
    for (const auto& key : config_table::all_keys()) {
        if (key.section != section) {
            section = key.section;
            out << (section == "daemon" ? "\n[daemon]\n" : "\n[[" + std::string(section) + "]]\n");
        }
        out << "# " << key.help;
        if (!key.kinds.empty()) out << " (kind: " << key.kinds << ")";
        if (key.required) out << " Required.";
        out << "\n";
        if (key.default_toml.empty())
            out << "# " << key.key << " = ...  (" << config_table::describe(key.type) << ", no default)\n";
        else
            out << key.key << " = " << key.default_toml << "\n";
    }
}

int check(const std::string& path) {
    const ConfigResult config = load_config(path);
    if (!config) {
        for (const ConfigDiagnostic& d : config.error()) std::cerr << d.text() << "\n";
        if (auto hint = missing_config_hint(path); !hint.empty()) std::cerr << hint << "\n";
        return 2;
    }
    for (const ConfigDiagnostic& d : config->warnings) std::cerr << d.text() << "\n";
    std::cout << path << ": OK (" << counted(config->sources.size(), "source") << ", "
              << counted(config->notifiers.size(), "notifier") << ")\n";
    return 0;
}

}  // namespace

CommandRun setup_check_config(CLI::App& sub, const GlobalOptions& global) {
    auto print = std::make_shared<bool>(false);
    sub.add_flag("--print-defaults", *print, "Print every key with its default and help, as TOML, and exit");
    return [print, &global]() {
        if (*print) {
            print_defaults(std::cout);
            return 0;
        }
        return check(global.resolved_config_path());
    };
}

}  // namespace cqcwatch
