// What the key table offers beside its rows: type names, suggestions for
// misspelt keys and values, and the flat list of every key.

#include "config/table.hpp"

#include "parsers/parse.hpp"

namespace cqcwatch::config_table {

std::string_view describe(KeyType type) {
    switch (type) {
        case KeyType::string:
            return "a string";
        case KeyType::boolean:
            return "a boolean";
        case KeyType::integer:
            return "an integer";
        case KeyType::number:
            return "a number";
        case KeyType::duration:
            return "a duration string (\"30s\")";
        case KeyType::size:
            return "a size (\"20MiB\")";
        case KeyType::string_list:
            return "an array of strings";
        case KeyType::string_map:
            return "an inline table of strings";
        case KeyType::secret_file:
        case KeyType::text_file:
            return "a file name (string)";
    }
    return "a value";
}

std::string_view default_link_pattern(DocKind item) {
    if (item == DocKind::press_release) return "/press-release/[^/?#]+$";
    return k_default_report_link_pattern;
}

std::vector<KeyInfo> all_keys() {
    std::vector<KeyInfo> keys;
    for (const auto& r : daemon_rows())
        keys.push_back({"daemon", r.key, r.type, r.default_toml, r.kinds, r.help, r.required});
    for (const auto& r : source_rows())
        keys.push_back({"source", r.key, r.type, r.default_toml, r.kinds, r.help, r.required});
    for (const auto& r : notifier_rows())
        keys.push_back({"notifier", r.key, r.type, r.default_toml, r.kinds, r.help, r.required});
    return keys;
}

}  // namespace cqcwatch::config_table
