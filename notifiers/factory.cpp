#include "notifiers/factory.hpp"

#include <algorithm>

#include "notifiers/email.hpp"
#include "notifiers/exec.hpp"
#include "notifiers/webhook.hpp"

namespace cqcwatch {

namespace {

std::string where(const NotifierConfig& c) { return "notifier \"" + c.name + "\": "; }

std::string missing(const NotifierConfig& c) {
    if (c.kind == "webhook") {
        if (c.url.empty()) return "webhook needs 'url'";
        if (c.format != "json" && c.format != "slack")
            return "unknown format '" + c.format + "' (expected json or slack)";
    } else if (c.kind == "email") {
        if (c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
            return "email needs 'smtp_url' starting smtp:// or smtps://";
        if (c.from.empty()) return "email needs 'from'";
        if (c.to.empty()) return "email needs at least one address in 'to'";
        if (!c.username.empty() && !c.password) return "email has 'username' but no 'password_file'";
    } else if (c.kind == "exec") {
        if (c.command.empty()) return "exec needs 'command'";
    }
    return {};
}

}  // namespace

const std::vector<std::string>& notifier_kinds() {
    static const std::vector<std::string> kinds{"webhook", "email", "exec"};
    return kinds;
}

tl::expected<std::unique_ptr<Notifier>, std::string> make_notifier(const NotifierConfig& config,
                                                                   const NotifierDeps& deps) {
    if (std::find(notifier_kinds().begin(), notifier_kinds().end(), config.kind) == notifier_kinds().end())
        return tl::unexpected(where(config) + "unknown kind '" + config.kind + "' (expected webhook, email or exec)");
    if (auto why = missing(config); !why.empty()) return tl::unexpected(where(config) + why);
    std::unique_ptr<Notifier> n;
    if (config.kind == "webhook")
        n = std::make_unique<WebhookNotifier>(config, deps.http, deps.unix_now, deps.user_agent);
    else if (config.kind == "email")
        n = std::make_unique<EmailNotifier>(config, deps.multi, deps.unix_now);
    else
        n = std::make_unique<ExecNotifier>(config, deps.io);
    return n;
}

}  // namespace cqcwatch
