#pragma once
// The escape hatch: run a configured command (argv, no shell) with the event
// JSON on stdin. Exit 0 is delivered; another exit is transient with the first
// line of stderr; a command that cannot be started is permanent; past the
// timeout the whole process group is killed (transient).

#include <memory>
#include <set>

#include "fetchers/asio.hpp"
#include "notifiers/message_template.hpp"
#include "notifiers/notifier.hpp"

namespace cqcwatch {

/// What keeps an exec config from working ("exec needs 'command'"), or "".
std::string exec_config_problem(const NotifierConfig& c);
/// The template part an exec takes: "body", its stdin instead of the event JSON.
std::vector<TemplatePartSpec> exec_template_parts(const NotifierConfig& c);

class ExecNotifier : public Notifier {
public:
    /// Runs children on `io`; ignores SIGPIPE process-wide (a child may close stdin early).
    ExecNotifier(NotifierConfig config, asio::io_context& io);
    /// Kills (SIGKILL) and reaps children still running; their callbacks are not called.
    ~ExecNotifier() override;
    ExecNotifier(const ExecNotifier&) = delete;
    ExecNotifier& operator=(const ExecNotifier&) = delete;

    const std::string& name() const override { return m_config.name; }
    const NotifierConfig& config() const override { return m_config; }
    std::string rendered(const Event& event) const override;
    /// Starts the command; `done` runs once it has exited (or been killed).
    void send(const Event& event, Done done) override;

    struct Run;

private:
    NotifierConfig m_config;
    std::optional<MessageTemplate> m_template;
    asio::io_context& m_io;
    std::set<std::shared_ptr<Run>> m_runs;
};

}  // namespace cqcwatch
