#pragma once
// An Atom document read the way a feed reader reads it: Debian's
// python3-feedparser (tests/tools/atom_check.py) says whether it is well-formed
// (bozo 0) and what the feed and its entries are.

#include <string>

#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"

namespace cqcwatch::test {

/// feedparser's view of `xml`: {bozo, bozo_exception, version, feed{…}, entries[{id, title, link, …}]}.
inline nlohmann::json feedparser_view(const TempDir& dir, const std::string& xml) {
    static int n = 0;
    std::string base = dir.file("feed-" + std::to_string(++n));
    write_file(base + ".xml", xml);
    pid_t pid = detail::spawn({"/usr/bin/timeout", "60", "/usr/bin/python3",
                               std::string(CQCWATCH_TOOLS_DIR) + "/atom_check.py", base + ".xml"},
                              base + ".out", base + ".err", {});
    int code = detail::reap(pid, Ms(90000)).value_or(-1);
    if (code != 0)
        throw std::runtime_error("atom_check.py exit " + std::to_string(code) + ": " + read_file(base + ".err"));
    return nlohmann::json::parse(read_file(base + ".out"));
}

}  // namespace cqcwatch::test
