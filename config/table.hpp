#pragma once
// The one table of config keys: for each section, every key with its type,
// default (as a TOML literal), the source/notifier kinds it applies to, help,
// and the setter that checks a value and stores it in the typed struct. The
// loader, `check-config --print-defaults` and the docs test all read it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/checks.hpp"
#include "config/config.hpp"

namespace cqcwatch::config_table {

/// What TOML value a key takes.
enum class KeyType { string, boolean, integer, number, duration, size, string_list, string_map, secret_file, text_file };
/// How a key type is named in messages and docs ("a duration").
std::string_view describe(KeyType type);

/// A TOML value converted by its key's type; only the member for that type is set.
struct KeyValue {
    std::string text;  ///< string, secret_file (the file name)
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0;
    std::chrono::milliseconds duration{0};
    std::uint64_t size = 0;
    std::vector<std::string> list;
    std::map<std::string, std::string> map;
    std::optional<Secret> secret;  ///< secret_file: what the file holds
    std::string warning;           ///< secret_file: what is wrong with the file, though it was read
    std::string file_text;         ///< text_file: what the file holds (text is then its path, resolved)
};

/// The value was stored, or why not (config_checks::fail("must not be empty")).
using SetResult = config_checks::Check;

/// One key of one section.
template <class T>
struct KeyRow {
    std::string_view key;
    KeyType type;
    std::string_view default_toml;  ///< TOML literal; empty = none or computed (help says how)
    std::string_view kinds;         ///< space-separated kinds it applies to; empty = all
    std::string_view help;
    std::function<SetResult(T&, const KeyValue&)> set;
    bool required = false;
};

/// The [daemon] keys.
const std::vector<KeyRow<DaemonConfig>>& daemon_rows();
/// The [[source]] keys.
const std::vector<KeyRow<SourceConfig>>& source_rows();
/// The [[notifier]] keys.
const std::vector<KeyRow<NotifierConfig>>& notifier_rows();

/// One key of any section, without its setter.
struct KeyInfo {
    std::string_view section;  ///< "daemon", "source" or "notifier"
    std::string_view key;
    KeyType type;
    std::string_view default_toml;
    std::string_view kinds;
    std::string_view help;
    bool required;
};
/// Every key of every section, in table order.
std::vector<KeyInfo> all_keys();

/// The link pattern a listing of `item` gets when it names none.
std::string_view default_link_pattern(DocKind item);

}  // namespace cqcwatch::config_table
