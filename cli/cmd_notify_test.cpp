// cqcwatch notify-test NAME [--event TYPE] [--print]: one clearly marked test
// event (or a sample of another type) through one notifier, or printed as it
// would be sent.

#include <iostream>
#include <memory>

#include "cli/cmd_common.hpp"
#include "events/samples.hpp"
#include "fetchers/curl_http_client.hpp"
#include "fetchers/curl_multi.hpp"
#include "notifiers/factory.hpp"

namespace cqcwatch {

namespace {

struct NotifyTestOptions {
    std::string name;
    std::string event = event_type::test;
    bool print = false;
};

const NotifierConfig& find_notifier(const Config& config, const std::string& name) {
    for (const auto& n : config.notifiers)
        if (n.name == name) return n;
    std::string known;
    for (const auto& n : config.notifiers) known += (known.empty() ? "" : ", ") + n.name;
    throw UsageError("notify-test: no notifier \"" + name + "\" in " + config.path +
                     (known.empty() ? " (it has none)" : " (it has: " + known + ")"));
}

Event chosen_event(const std::string& type) {
    if (auto e = sample_event(type, std::chrono::system_clock::now())) return *e;
    std::string known;
    for (auto t : sample_event_types()) known += (known.empty() ? "" : ", ") + std::string(t);
    throw UsageError("notify-test: --event: no event type '" + type + "' (expected one of " + known + ")");
}

int deliver(Notifier& notifier, asio::io_context& io, const Event& event) {
    std::optional<DeliveryResult> result;
    notifier.send(event, [&](DeliveryResult r) { result = std::move(r); });
    io.run();
    if (result && *result) {
        std::cout << "notify-test " << notifier.name() << ": delivered " << event.id << " (" << **result << ")\n";
        return 0;
    }
    std::cerr << "cqcwatch: notify-test " << notifier.name() << ": "
              << (result ? result->error().message : std::string("no answer")) << "\n";
    return 1;
}

}  // namespace

CommandRun setup_notify_test(CLI::App& sub, const GlobalOptions& global) {
    auto o = std::make_shared<NotifyTestOptions>();
    sub.add_option("NOTIFIER", o->name, "The notifier's name in the config")->required();
    sub.add_option("--event", o->event,
                   "Send a sample of this event type (assessment.published, embargo.lifted, source.failing, ...), "
                   "marked [TEST], instead of the test event");
    sub.add_flag("--print", o->print, "Print what would be sent (body, mail message) to stdout and send nothing");
    sub.footer("Exit status: 0 when the receiver accepted the test event (or --print printed it), 1 when it did not.");
    return [&global, o] {
        Config config = load_config_or_throw(global);
        setup_logging_for(global, config);
        const NotifierConfig& chosen = find_notifier(config, o->name);
        const Event event = chosen_event(o->event);
        asio::io_context io;
        CurlMulti curl(io);
        CurlHttpClient http(curl);
        NotifierDeps deps{io, curl, http, [] {
                              return std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                  .count();
                          }};
        auto notifier = make_notifier(chosen, deps);
        if (!notifier) throw ConfigError(notifier.error());
        if (o->print) {
            std::cout << (*notifier)->rendered(event) << "\n";
            return 0;
        }
        return deliver(**notifier, io, event);
    };
}

}  // namespace cqcwatch
