#pragma once
// An Atom document read the way a feed reader reads it: Debian's
// python3-feedparser (tests/tools/atom_check.py) says whether it is well-formed
// (bozo 0) and what the feed and its entries are; and a reader's conditional
// polls of a served feed (tests/tools/feed_poll.py, urllib and feedparser).

#include <string>
#include <vector>

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

/// A feed reader's polls of `url` (tests/tools/feed_poll.py): {first, head, if_none_match,
/// if_modified_since, old_tag: {status, headers, body_length}, feedparser: {status, entries}}.
/// `old_tag` is an ETag from an earlier poll (the reply to it is under "old_tag").
inline nlohmann::json feed_poll(const TempDir& dir, const std::string& url, const std::string& old_tag = "") {
    static int n = 0;
    std::string base = dir.file("poll-" + std::to_string(++n));
    std::vector<std::string> argv{"/usr/bin/timeout", "90", "/usr/bin/python3",
                                  std::string(CQCWATCH_TOOLS_DIR) + "/feed_poll.py", url};
    if (!old_tag.empty()) argv.push_back(old_tag);
    pid_t pid = detail::spawn(argv, base + ".out", base + ".err", {});
    int code = detail::reap(pid, Ms(120000)).value_or(-1);
    if (code != 0)
        throw std::runtime_error("feed_poll.py exit " + std::to_string(code) + ": " + read_file(base + ".err"));
    return nlohmann::json::parse(read_file(base + ".out"));
}

}  // namespace cqcwatch::test
