// What the real binary tells a new user: with no config file, where the example
// is and how to start; and the man page (docs/cqcwatch.1) lists every option
// each command's --help has, in that command's entry.

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

// The subcommands `cqcwatch --help` lists.
std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> out;
    std::istringstream in(help);
    std::string line;
    bool listing = false;
    const std::regex entry("^  ([a-z][a-z-]*)( .*)?$");
    while (std::getline(in, line)) {
        if (std::regex_search(line, std::regex("^subcommands:", std::regex::icase))) {
            listing = true;
            continue;
        }
        std::smatch m;
        if (listing && std::regex_match(line, m, entry)) out.push_back(m[1]);
    }
    return out;
}

// The long options a command's --help lists ("  -h,--help", "  --limit UINT ...").
std::set<std::string> long_options(const std::string& help) {
    std::set<std::string> out;
    std::istringstream in(help);
    std::string line;
    const std::regex option("^\\s+(?:-[A-Za-z0-9],)?(--[a-z][a-z0-9-]*)");
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_search(line, m, option)) out.insert(m[1]);
    }
    return out;
}

// The man page's entry for `command` in COMMANDS (from its .TP tag to the next .TP or .SH), as plain
// text: "\-" is "-", font escapes dropped. Empty when there is none.
std::string man_entry(const std::string& man, const std::string& command) {
    std::string roff_name;
    for (char c : command) roff_name += c == '-' ? std::string("\\-") : std::string(1, c);
    const std::regex tag("\\n\\.TP\\n\\.B[IR]? \"?" + std::regex_replace(roff_name, std::regex("\\\\"), "\\\\") +
                         "([ \"\\n])");
    std::smatch m;
    if (!std::regex_search(man, m, tag)) return {};
    const auto from = static_cast<std::size_t>(m.position(0)) + 1;
    auto to = man.find("\n.TP\n", from + 1);
    to = std::min(to, man.find("\n.SH", from + 1));
    std::string text = man.substr(from, to == std::string::npos ? std::string::npos : to - from);
    text = std::regex_replace(text, std::regex("\\\\-"), "-");
    text = std::regex_replace(text, std::regex("\\\\f[BIRP]"), "");
    return text;
}

}  // namespace

TEST_CASE("cli docs: with no config file, check-config and run say where the example is and how to start",
          "[cli][config]") {
    t::TempDir dir("no-config");
    const std::string missing = dir.file("etc/config.toml");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"check-config", "--config", missing}, {"run", "--config", missing}}) {
        auto r = t::run_cqcwatch(args, dir, {}, 30s);
        INFO(args[0] << " stderr: " << r.err);
        CHECK(r.code == 2);
        CHECK(r.err.find(missing) != std::string::npos);
        CHECK(r.err.find("no config file at " + missing) != std::string::npos);
        CHECK(r.err.find("--config FILE") != std::string::npos);
        CHECK(r.err.find("cqcwatch check-config --print-defaults") != std::string::npos);
        // The example it names is there to copy.
        std::smatch m;
        REQUIRE(std::regex_search(r.err, m, std::regex("cp (/\\S+config\\.example\\.toml) ")));
        CHECK(std::filesystem::exists(m[1].str()));
        CHECK_FALSE(std::filesystem::exists(missing));  // nothing written on the user's behalf
    }
    // $CQCWATCH_CONFIG is the path it names when --config is not given.
    auto env = t::run_cqcwatch({"check-config"}, dir, {{"CQCWATCH_CONFIG", missing}}, 30s);
    INFO(env.err);
    CHECK(env.code == 2);
    CHECK(env.err.find("no config file at " + missing) != std::string::npos);

    // A config that exists but is wrong gets its errors, not the first-start hint.
    t::write_file(dir.file("bad.toml"), "[daemon]\npoll_interval = \n");
    auto bad = t::run_cqcwatch({"check-config", "--config", dir.file("bad.toml")}, dir, {}, 30s);
    INFO(bad.err);
    CHECK(bad.code == 2);
    CHECK(bad.err.find("no config file") == std::string::npos);
}

TEST_CASE("cli docs: the man page lists every option each command's --help has", "[cli][man]") {
    t::TempDir dir("man");
    const std::string man = t::read_file(std::string(CQCWATCH_SOURCE_DIR) + "/docs/cqcwatch.1");
    REQUIRE(man.find(".SH COMMANDS") != std::string::npos);
    auto top = t::run_cqcwatch({"--help"}, dir, {}, 30s);
    REQUIRE(top.code == 0);
    const auto commands = subcommands(top.out);
    INFO(top.out);
    REQUIRE(commands.size() >= 15);
    // Every command has these (the OPTIONS section says so once).
    const std::set<std::string> global{"--help", "--config", "--log-level"};
    for (const auto& g : global) CHECK(man.find(std::regex_replace(g, std::regex("-"), "\\-")) != std::string::npos);
    std::string missing;
    for (const auto& command : commands) {
        auto help = t::run_cqcwatch({command, "--help"}, dir, {}, 30s);
        INFO(command << " --help: " << help.out << help.err);
        CHECK(help.code == 0);
        const std::string entry = man_entry(man, command);
        if (entry.empty()) {
            missing += command + ": no entry in COMMANDS\n";
            continue;
        }
        for (const auto& option : long_options(help.out)) {
            if (global.count(option)) continue;
            const std::regex word(option + "([^a-z0-9-]|$)");
            if (!std::regex_search(entry, word)) missing += command + " " + option + "\n";
        }
    }
    INFO("in --help, not in the man page's entry for the command:\n" << missing);
    CHECK(missing.empty());
}
