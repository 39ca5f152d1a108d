#pragma once
// A notifier's message template (template_file): Mustache (kainjow's
// header-only engine), in named parts, each rendered against an event's
// template data (notifiers/template_data) with the escaping its target needs.
//
// A file holds one part, or several, each begun by a line of its own:
//
//   {{! part: subject }}
//   CQC: {{council}} {{rating_short}}{{#previous_rating_label}} - was {{.}}{{/previous_rating_label}}
//   {{! part: text }}
//   ...
//
// Which parts a notifier takes (email: subject, text and optionally html; slack
// and teams: text; webhook format = "template" and exec: body) is its kind's to
// say (notifiers/factory). A file without part lines is the one part of a
// notifier that takes one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "events/event.hpp"
#include "notifiers/notifier_config.hpp"

namespace cqcwatch {

/// How values are escaped in {{name}} (never in {{{name}}} or {{&name}}).
enum class TemplateEscape {
    none,   ///< plain text: a mail's text part, a subject, a Teams TextBlock, a program's stdin
    html,   ///< &, <, >, " and '
    json,   ///< as inside a JSON string: quotes, backslashes, control characters
    slack,  ///< &, < and > (Slack mrkdwn)
};

/// One part a notifier takes.
struct TemplatePartSpec {
    std::string_view name;  ///< "subject"
    bool required;
    TemplateEscape escape;
};

/// What is wrong with a template, and where.
struct TemplateError {
    int line = 0;  ///< 1-based line in the template file
    std::string message;
    /// "desk.mustache:7: unknown variable 'councl' (did you mean 'council'?)".
    std::string text(const std::string& path) const;
};

class MessageTemplate {
public:
    /// Splits `text` into parts, compiles each and checks every name it uses against what events
    /// give (template_schema); every error is returned.
    static tl::expected<MessageTemplate, std::vector<TemplateError>> compile(
        const std::string& text, const std::vector<TemplatePartSpec>& parts);

    /// Whether the file has this part.
    bool has(std::string_view part) const;
    /// The part rendered for `event` ("" when the file lacks it).
    std::string render(std::string_view part, const Event& event) const;

private:
    struct Part {
        std::string name;
        std::string text;
        TemplateEscape escape = TemplateEscape::none;
    };
    std::vector<Part> m_parts;
};

/// The template of a notifier config, or nullopt when it has none; errors as compile() gives them.
/// Defined with the kind table (notifiers/factory), which knows the parts each kind takes.
tl::expected<std::optional<MessageTemplate>, std::vector<TemplateError>> notifier_template(
    const NotifierConfig& config);

}  // namespace cqcwatch
