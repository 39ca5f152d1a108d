// A TOML value converted by the type its key takes, with a message naming what
// was expected and what was found when it does not fit.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "config/reader.hpp"
#include "config/duration.hpp"
#include "config/secret_file.hpp"

namespace cqcwatch::config_reader {

namespace {

using config_table::KeyType;
using config_table::KeyValue;

std::string found(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// No value of ours spans lines: a CR or LF in an address, header, User-Agent contact or URL would
// reach the wire as an extra SMTP command or HTTP header, and a NUL cuts a C string short.
std::optional<std::string> line_break_in(std::string_view text) {
    const auto at = text.find_first_of(std::string_view("\r\n\0", 3));
    if (at == std::string_view::npos) return std::nullopt;
    const char* what = text[at] == '\r' ? "a carriage return (CR)" : text[at] == '\n' ? "a line feed (LF)" : "a NUL";
    return std::string("contains ") + what + " at character " + std::to_string(at + 1) +
           ": refused, it would end a header or an SMTP command early";
}

tl::unexpected<std::string> mismatch(const toml::node& node, KeyType type) {
    return tl::unexpected("expected " + std::string(config_table::describe(type)) + ", found " + found(node));
}

tl::expected<KeyValue, std::string> convert_list(const toml::node& node) {
    KeyValue v;
    const toml::array* array = node.as_array();
    if (!array) return mismatch(node, KeyType::string_list);
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (!text) return tl::unexpected("expected an array of strings, found " + found(element) + " in it");
        if (auto bad = line_break_in(text->get()))
            return tl::unexpected("'" + text->get().substr(0, 40) + "…' " + *bad);
        v.list.push_back(text->get());
    }
    return v;
}

tl::expected<KeyValue, std::string> convert_map(const toml::node& node) {
    KeyValue v;
    const toml::table* table = node.as_table();
    if (!table) return mismatch(node, KeyType::string_map);
    for (auto&& [key, element] : *table) {
        const auto* text = element.as_string();
        if (!text)
            return tl::unexpected("expected a string for '" + std::string(key.str()) + "', found " + found(element));
        if (auto bad = line_break_in(std::string(key.str()) + text->get()))
            return tl::unexpected("'" + std::string(key.str()) + "' " + *bad);
        v.map.emplace(std::string(key.str()), text->get());
    }
    return v;
}

tl::expected<KeyValue, std::string> convert_text(const toml::node& node, KeyType type,
                                                 const std::filesystem::path& config_dir) {
    const auto* text = node.as_string();
    if (!text) return mismatch(node, type);
    KeyValue v;
    v.text = text->get();
    if (auto bad = line_break_in(v.text)) return tl::unexpected(*bad);
    if (type == KeyType::duration) {
        auto d = parse_duration(v.text);
        if (!d) return tl::unexpected(d.error());
        v.duration = *d;
    } else if (type == KeyType::size) {
        auto s = parse_size(v.text);
        if (!s) return tl::unexpected(s.error());
        v.size = *s;
    } else if (type == KeyType::text_file) {
        const std::filesystem::path given{v.text};
        const std::filesystem::path path = given.is_absolute() || config_dir.empty() ? given : config_dir / given;
        std::ifstream in(path, std::ios::binary);
        if (!in) return tl::unexpected("cannot read '" + path.string() + "': " + std::strerror(errno));
        std::ostringstream content;
        content << in.rdbuf();
        v.text = path.string();
        v.file_text = content.str();
    } else if (type == KeyType::secret_file) {
        auto secret = read_secret_file(v.text, config_dir);
        if (!secret) return tl::unexpected(secret.error());
        v.secret = std::move(secret->secret);
        v.warning = std::move(secret->warning);
    }
    return v;
}

}  // namespace

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

tl::expected<KeyValue, std::string> convert_value(const toml::node& node, KeyType type,
                                                  const std::filesystem::path& config_dir) {
    KeyValue v;
    switch (type) {
        case KeyType::boolean:
            if (!node.is_boolean()) return mismatch(node, type);
            v.boolean = node.as_boolean()->get();
            return v;
        case KeyType::integer:
            if (!node.is_integer()) return mismatch(node, type);
            v.integer = node.as_integer()->get();
            return v;
        case KeyType::number:
            if (!node.is_number()) return mismatch(node, type);
            v.number =
                node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
            return v;
        case KeyType::size:
            if (!node.is_integer()) return convert_text(node, type, config_dir);
            if (node.as_integer()->get() < 0) return tl::unexpected(std::string("must not be negative"));
            v.size = static_cast<std::uint64_t>(node.as_integer()->get());
            return v;
        case KeyType::string_list:
            return convert_list(node);
        case KeyType::string_map:
            return convert_map(node);
        case KeyType::string:
        case KeyType::duration:
        case KeyType::secret_file:
        case KeyType::text_file:
            return convert_text(node, type, config_dir);
    }
    return mismatch(node, type);
}

}  // namespace cqcwatch::config_reader
