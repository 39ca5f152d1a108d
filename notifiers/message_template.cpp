#include "notifiers/message_template.hpp"

#include <algorithm>
#include <regex>

#include <kainjow/mustache.hpp>

#include "notifiers/render.hpp"
#include "parsers/edit_distance.hpp"
#include "notifiers/template_data.hpp"

namespace cqcwatch {

namespace {

namespace mstch = kainjow::mustache;
using Component = mstch::component<std::string>;
using nlohmann::json;

int line_at(const std::string& text, std::size_t offset, int first_line) {
    offset = std::min(offset, text.size());
    return first_line + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// Checks the names a part uses against the schema, resolving as the engine does: the whole
// dotted name from the innermost section outwards.
class NameCheck {
public:
    NameCheck(const std::string& text, int first_line, std::vector<TemplateError>& errors)
        : m_text(text), m_first_line(first_line), m_errors(errors) {
        m_scopes.push_back(&template_schema());
    }

    void walk(const std::vector<Component>& children) {
        for (const Component& c : children) visit(c);
    }

private:
    void visit(const Component& c) {
        using mstch::tag_type;
        switch (c.tag.type) {
            case tag_type::variable:
            case tag_type::unescaped_variable:
                resolve(c, "variable");
                return;
            case tag_type::section_begin: {
                const TemplateSchema* inner = resolve(c, "section");
                m_scopes.push_back(inner ? inner : &m_unknown);
                walk(c.children);
                m_scopes.pop_back();
                return;
            }
            case tag_type::section_begin_inverted:
                resolve(c, "section");
                walk(c.children);
                return;
            case tag_type::partial:
                error(c, "partials ({{> " + c.tag.name + "}}) are not supported: write the text in place");
                return;
            default:
                return;
        }
    }

    const TemplateSchema* resolve(const Component& c, const char* what) {
        const std::string& name = c.tag.name;
        if (name == ".") return m_scopes.back();
        for (auto it = m_scopes.rbegin(); it != m_scopes.rend(); ++it) {
            if (*it == &m_unknown) return &m_unknown;  // inside an unknown section: already reported
            if (const TemplateSchema* found = follow(**it, name)) return found;
        }
        error(c, std::string("unknown ") + what + " '" + name + "'" + suggestion(name));
        return nullptr;
    }

    static const TemplateSchema* follow(const TemplateSchema& from, const std::string& dotted) {
        const TemplateSchema* at = &from;
        std::size_t start = 0;
        while (start <= dotted.size()) {
            const std::size_t end = std::min(dotted.find('.', start), dotted.size());
            auto it = at->fields.find(dotted.substr(start, end - start));
            if (it == at->fields.end()) return nullptr;
            at = &it->second;
            start = end + 1;
        }
        return at;
    }

    std::string suggestion(const std::string& name) const {
        std::string best;
        std::size_t best_distance = 3;
        for (const TemplateSchema* scope : m_scopes)
            for (const auto& [field, unused] : scope->fields) {
                const std::size_t d = edit_distance(name, field);
                if (d < best_distance) best_distance = d, best = field;
            }
        return best.empty() ? "" : " (did you mean '" + best + "'?)";
    }

    void error(const Component& c, std::string message) {
        m_errors.push_back({line_at(m_text, c.position, m_first_line), std::move(message)});
    }

    const std::string& m_text;
    int m_first_line;
    std::vector<TemplateError>& m_errors;
    std::vector<const TemplateSchema*> m_scopes;
    TemplateSchema m_unknown;
};

// "Unclosed section \"x\" at 12" -> line of offset 12, "unclosed section \"x\"".
TemplateError engine_error(const std::string& message, const std::string& text, int first_line) {
    static const std::regex at(R"((.*) at (\d+)$)");
    std::smatch m;
    std::string what = message;
    int line = first_line;
    if (std::regex_match(message, m, at)) {
        what = m[1];
        line = line_at(text, std::stoul(m[2]), first_line);
    }
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    return {line, what};
}

void compile_part(const std::string& text, int first_line, std::vector<TemplateError>& errors) {
    mstch::context<std::string> ctx;
    mstch::context_internal<std::string> internal{ctx};
    Component root;
    std::string message;
    mstch::parser<std::string> parse{text, internal, root, message};
    if (!message.empty()) {
        errors.push_back(engine_error(message, text, first_line));
        return;
    }
    NameCheck(text, first_line, errors).walk(root.children);
}

// The name of an always-true section the renderer adds (see mark_standalone_lines).
constexpr const char* k_line_mark = "cqcwatch_standalone_line";

// A line holding only a section or comment tag is dropped whole ("standalone", in the spec's
// words). kainjow 4.1 drops it only when it saw a section tag on the line: not after a
// section that does not render (false, an empty list) nor after a comment, where the line
// break stayed. An empty always-true section after such a tag marks the line for it.
std::string mark_standalone_lines(const std::string& text) {
    if (text.find("{{=") != std::string::npos) return text;  // other delimiters: left as written
    static const std::regex standalone(R"(^([ \t]*\{\{[/!][^}]*\}\})([ \t]*\r?)$)");
    const std::string mark = std::string("{{#") + k_line_mark + "}}{{/" + k_line_mark + "}}";
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string line = text.substr(start, end - start);
        std::smatch m;
        if (std::regex_match(line, m, standalone))
            out += std::string(m[1]) + mark + std::string(m[2]) + (end < text.size() ? "\n" : "");
        else
            out += text.substr(start, end + 1 - start);
        start = end + 1;
    }
    return out;
}

struct RawPart {
    std::string name;
    int line = 0;  ///< of the part's first line of text
    std::string text;
};

// The file cut at its part lines; a file without any is one part named "".
std::vector<RawPart> split_parts(const std::string& text, std::vector<TemplateError>& errors) {
    static const std::regex marker(R"(^\s*\{\{!\s*part:\s*([A-Za-z_]+)\s*\}\}\s*$)");
    std::vector<RawPart> parts{{"", 1, ""}};
    std::size_t start = 0;
    int line = 1;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string content = text.substr(start, end - start);
        std::smatch m;
        if (std::regex_match(content, m, marker)) {
            if (parts.size() == 1 && content.find_first_not_of(" \t\r\n") != std::string::npos &&
                parts[0].text.find_first_not_of(" \t\r\n") != std::string::npos)
                errors.push_back({1, "text before the first part line ({{! part: NAME }})"});
            parts.push_back({m[1], line + 1, ""});
        } else {
            parts.back().text += text.substr(start, end + 1 - start);
        }
        start = end + 1;
        ++line;
    }
    if (parts.size() > 1) parts.erase(parts.begin());
    return parts;
}

std::string names_of(const std::vector<TemplatePartSpec>& specs) {
    std::string out;
    for (std::size_t i = 0; i < specs.size(); ++i)
        out += (i == 0 ? "" : i + 1 == specs.size() ? " or " : ", ") + std::string(specs[i].name);
    return out;
}

std::string json_string_body(const std::string& s) {
    const std::string quoted = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

std::function<std::string(const std::string&)> escaper(TemplateEscape e) {
    switch (e) {
        case TemplateEscape::html:
            return [](const std::string& s) { return html_escape(s); };
        case TemplateEscape::json:
            return json_string_body;
        case TemplateEscape::slack:
            return [](const std::string& s) { return slack_escape(s); };
        case TemplateEscape::none:
            break;
    }
    return [](const std::string& s) { return s; };
}

mstch::data to_data(const json& j) {
    switch (j.type()) {
        case json::value_t::object: {
            mstch::data d{mstch::data::type::object};
            for (const auto& [k, v] : j.items()) d.set(k, to_data(v));
            return d;
        }
        case json::value_t::array: {
            mstch::data d{mstch::data::type::list};
            for (const auto& v : j) d.push_back(to_data(v));
            return d;
        }
        case json::value_t::string:
            return mstch::data{j.get<std::string>()};
        case json::value_t::boolean:
            return mstch::data{j.get<bool>()};
        case json::value_t::null:
        case json::value_t::discarded:
            return mstch::data{false};
        default:
            return mstch::data{j.dump()};
    }
}

}  // namespace

std::string TemplateError::text(const std::string& path) const {
    return path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message;
}

tl::expected<MessageTemplate, std::vector<TemplateError>> MessageTemplate::compile(
    const std::string& text, const std::vector<TemplatePartSpec>& specs) {
    std::vector<TemplateError> errors;
    MessageTemplate t;
    for (RawPart& raw : split_parts(text, errors)) {
        if (raw.name.empty()) {
            const auto required = std::count_if(specs.begin(), specs.end(), [](const auto& s) { return s.required; });
            if (required != 1 || specs.empty()) {
                errors.push_back(
                    {1, "this notifier takes parts " + names_of(specs) + ": begin each with a line {{! part: NAME }}"});
                continue;
            }
            raw.name = std::find_if(specs.begin(), specs.end(), [](const auto& s) { return s.required; })->name;
        }
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == raw.name; });
        if (spec == specs.end()) {
            errors.push_back(
                {raw.line - 1, "unknown part '" + raw.name + "' (this notifier takes " + names_of(specs) + ")"});
            continue;
        }
        if (t.has(raw.name)) {
            errors.push_back({raw.line - 1, "part '" + raw.name + "' appears twice"});
            continue;
        }
        compile_part(raw.text, raw.line, errors);
        t.m_parts.push_back({raw.name, mark_standalone_lines(raw.text), spec->escape});
    }
    for (const auto& s : specs)
        if (s.required && !t.has(s.name) && errors.empty())
            errors.push_back({0, "missing part '" + std::string(s.name) + "' (a line {{! part: " + std::string(s.name) +
                                     " }} and its text)"});
    if (!errors.empty()) return tl::unexpected(std::move(errors));
    return t;
}

bool MessageTemplate::has(std::string_view part) const {
    return std::any_of(m_parts.begin(), m_parts.end(), [&](const Part& p) { return p.name == part; });
}

std::string MessageTemplate::render(std::string_view part, const Event& event) const {
    const auto it = std::find_if(m_parts.begin(), m_parts.end(), [&](const Part& p) { return p.name == part; });
    if (it == m_parts.end()) return {};
    mstch::mustache engine{it->text};
    engine.set_custom_escape(escaper(it->escape));
    mstch::data data = to_data(template_json(event));
    data.set(k_line_mark, mstch::data{true});
    return engine.render(data);
}

}  // namespace cqcwatch
