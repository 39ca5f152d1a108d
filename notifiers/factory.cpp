#include "notifiers/factory.hpp"

#include <algorithm>

#include "notifiers/email.hpp"
#include "notifiers/exec.hpp"
#include "notifiers/webhook.hpp"

namespace cqcwatch {

namespace {

template <class T>
std::unique_ptr<Notifier> build(const NotifierConfig& c, const NotifierDeps& deps);

template <>
std::unique_ptr<Notifier> build<WebhookNotifier>(const NotifierConfig& c, const NotifierDeps& deps) {
    return std::make_unique<WebhookNotifier>(c, deps.http, deps.unix_now, deps.user_agent);
}
template <>
std::unique_ptr<Notifier> build<EmailNotifier>(const NotifierConfig& c, const NotifierDeps& deps) {
    return std::make_unique<EmailNotifier>(c, deps.multi, deps.unix_now);
}
template <>
std::unique_ptr<Notifier> build<ExecNotifier>(const NotifierConfig& c, const NotifierDeps& deps) {
    return std::make_unique<ExecNotifier>(c, deps.io);
}

}  // namespace

// clang-format off
const std::vector<NotifierKindRow>& notifier_kind_table() {
    static const std::vector<NotifierKindRow> rows{
        {NotifierKind::webhook, "webhook", "webhook (HTTP POST)",
         {"url", "format", "secret_file", "signature", "headers", "ca_file"}, {"url"},
         webhook_config_problem, webhook_template_parts, webhook_template_problem,
         build<WebhookNotifier>},
        {NotifierKind::email, "email", "email (SMTP)",
         {"smtp_url", "username", "password_file", "from", "to", "tls", "message_id_domain", "ca_file"},
         {"smtp_url", "from", "to"},
         email_config_problem, email_template_parts, nullptr, build<EmailNotifier>},
        {NotifierKind::exec, "exec", "exec (runs a program with the event on stdin)",
         {"command"}, {"command"},
         exec_config_problem, exec_template_parts, nullptr, build<ExecNotifier>},
    };
    return rows;
}
// clang-format on

const NotifierKindRow& kind_row(NotifierKind kind) {
    for (const auto& row : notifier_kind_table())
        if (row.kind == kind) return row;
    return notifier_kind_table().front();
}

const NotifierKindRow* kind_row(std::string_view key) {
    for (const auto& row : notifier_kind_table())
        if (row.key == key) return &row;
    return nullptr;
}

std::string_view to_key(NotifierKind kind) { return kind_row(kind).key; }

std::vector<std::string_view> notifier_kind_keys() {
    std::vector<std::string_view> keys;
    for (const auto& row : notifier_kind_table()) keys.push_back(row.key);
    return keys;
}

std::string kinds_using(std::string_view key) {
    std::string out;
    for (const auto& row : notifier_kind_table())
        if (std::find(row.keys.begin(), row.keys.end(), key) != row.keys.end())
            out += (out.empty() ? "" : " ") + std::string(row.key);
    return out;
}

std::string template_file_problem(const NotifierConfig& config) {
    const NotifierKindRow& row = kind_row(config.kind);
    return row.template_problem ? row.template_problem(config) : std::string();
}

tl::expected<std::optional<MessageTemplate>, std::vector<TemplateError>> notifier_template(
    const NotifierConfig& config) {
    if (config.template_text.empty() && config.template_file.empty()) return std::nullopt;
    const auto parts = kind_row(config.kind).template_parts(config);
    if (parts.empty()) return tl::unexpected(std::vector<TemplateError>{{0, "this notifier takes no template"}});
    auto compiled = MessageTemplate::compile(config.template_text, parts);
    if (!compiled) return tl::unexpected(std::move(compiled.error()));
    return std::optional<MessageTemplate>(std::move(*compiled));
}

tl::expected<std::unique_ptr<Notifier>, std::string> make_notifier(const NotifierConfig& config,
                                                                   const NotifierDeps& deps) {
    const NotifierKindRow& row = kind_row(config.kind);
    const std::string where = "notifier \"" + config.name + "\": ";
    if (auto why = row.problem(config); !why.empty()) return tl::unexpected(where + why);
    if (auto why = template_file_problem(config); !why.empty()) return tl::unexpected(where + why);
    if (auto t = notifier_template(config); !t)
        return tl::unexpected(where + "template_file: " + t.error().front().text(config.template_file));
    return row.make(config, deps);
}

}  // namespace cqcwatch
