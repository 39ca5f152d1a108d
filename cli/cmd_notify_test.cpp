// cqcwatch notify-test NAME: one clearly marked test event through one notifier.

#include <iostream>
#include <memory>

#include "cli/cmd_common.hpp"
#include "store/store.hpp"
#include "fetchers/curl_http_client.hpp"
#include "fetchers/curl_multi.hpp"
#include "notifiers/factory.hpp"

namespace cqcwatch {

namespace {

Event test_event(std::chrono::system_clock::time_point now) {
    Assessment sample;
    sample.rating = Rating::requires_improvement;
    sample.scores = {2, 2, 2, 2, 3, 2, 2, 2, 2};
    Event event;
    auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    event.id = "evt_test_" + std::to_string(stamp);
    event.type = event_type::test;
    event.occurred_at = rfc3339(now);
    event.body = {{"schema", "cqcwatch.event.v1"},
                  {"id", event.id},
                  {"type", event.type},
                  {"occurred_at", event.occurred_at},
                  {"test", true},
                  {"message", "This is a test alert from cqcwatch notify-test; no council was assessed."},
                  {"authority", {{"name", "Test Council (not real)"}, {"code", nullptr}}},
                  {"assessment", assessment_json(sample, std::nullopt)},
                  {"embargo", nullptr}};
    return event;
}

}  // namespace

CommandRun setup_notify_test(CLI::App& sub, const GlobalOptions& global) {
    auto name = std::make_shared<std::string>();
    sub.add_option("NOTIFIER", *name, "The notifier's name in the config")->required();
    sub.footer("Exit status: 0 when the receiver accepted the test event, 1 when it did not.");
    return [&global, name] {
        Config config = load_config_or_throw(global);
        setup_logging_for(global, config);
        const NotifierConfig* chosen = nullptr;
        for (const auto& n : config.notifiers)
            if (n.name == *name) chosen = &n;
        if (!chosen) {
            std::string known;
            for (const auto& n : config.notifiers) known += (known.empty() ? "" : ", ") + n.name;
            throw UsageError("notify-test: no notifier \"" + *name + "\" in " + config.path +
                             (known.empty() ? " (it has none)" : " (it has: " + known + ")"));
        }
        asio::io_context io;
        CurlMulti curl(io);
        CurlHttpClient http(curl);
        NotifierDeps deps{io, curl, http, [] {
                              return std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                  .count();
                          }};
        auto notifier = make_notifier(*chosen, deps);
        if (!notifier) throw ConfigError("notifier \"" + *name + "\": " + notifier.error());
        Event event = test_event(std::chrono::system_clock::now());
        std::optional<DeliveryResult> result;
        (*notifier)->send(event, [&](DeliveryResult r) { result = std::move(r); });
        io.run();
        if (result && *result) {
            std::cout << "notify-test " << *name << ": delivered " << event.id << " (" << **result << ")\n";
            return 0;
        }
        std::cerr << "cqcwatch: notify-test " << *name << ": "
                  << (result ? result->error().message : std::string("no answer")) << "\n";
        return 1;
    };
}

}  // namespace cqcwatch
