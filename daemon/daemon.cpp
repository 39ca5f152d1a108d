#include "daemon/daemon.hpp"

#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <iostream>

#include <spdlog/spdlog.h>

#include "daemon/daemon_impl.hpp"
#include "daemon/lift_trouble.hpp"
#include "fetchers/redact.hpp"
#include "notifiers/atom_feed.hpp"
#include "notifiers/factory.hpp"
#include "notifiers/routing.hpp"
#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

namespace cqcwatch {

namespace {

// A write waits this long for another process's lock, then fails and is retried from
// the loop: a lock held for minutes (a `sqlite3` session, a backup job) stalls the loop,
// /healthz and the timers by at most this per write, not by SQLite's 5 s.
constexpr std::chrono::milliseconds k_loop_busy_timeout{500};

Store open_store(const std::string& path) {
    auto store = Store::open(path, StoreMode::read_write);
    if (!store) throw std::runtime_error(store.error().message);
    store->set_busy_timeout(k_loop_busy_timeout);
    return std::move(*store);
}

std::string plural(std::size_t n, const std::string& word, const std::string& words = "") {
    return std::to_string(n) + " " + (n == 1 ? word : words.empty() ? word + "s" : words);
}

}  // namespace

Daemon::Impl::Impl(Config config_, DaemonOptions options_, const Clock& clock_, Jitter& jitter_)
    : config(std::move(config_)),
      options(std::move(options_)),
      clock(clock_),
      jitter(jitter_),
      store(open_store(config.daemon.database)) {
    for (const auto& w : config.warnings) spdlog::warn("{}", w.text());
}

RecordContext Daemon::Impl::context(const std::string& source, bool baseline) const {
    RecordContext ctx;
    ctx.now = clock.now();
    ctx.source = source;
    ctx.baseline = baseline;
    ctx.route = route();
    ctx.history_before = history_before(ctx.now, history_age());
    return ctx;
}

std::chrono::seconds Daemon::Impl::history_age() const {
    if (config.notifiers.empty()) return NotifierConfig{}.max_age;
    std::chrono::seconds age{0};
    for (const auto& n : config.notifiers) age = std::max(age, n.max_age);
    return age;
}

RouteFn Daemon::Impl::route() const {
    return [this](const Event& event) {
        std::vector<std::string> names;
        for (const auto& n : config.notifiers)
            if (routes(n, event)) names.push_back(n.name);
        return names;
    };
}

PassOptions Daemon::Impl::pass_options() const {
    return PassOptions{options.baseline, options.alert_existing || config.daemon.baseline_alert_existing};
}

tl::expected<Notifiers, std::string> Daemon::Impl::make_notifiers(const Config& next) {
    NotifierDeps deps{
        io, curl, http,
        [this] { return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count(); },
        user_agent(next.daemon)};
    Notifiers made;
    for (const auto& n : next.notifiers) {
        auto one = make_notifier(n, deps);
        if (!one) return tl::unexpected("notifier \"" + n.name + "\": " + one.error());
        made.push_back(std::move(*one));
    }
    return made;
}

void Daemon::Impl::build(Notifiers made) {
    notifiers = std::move(made);
    std::map<std::string, Notifier*> by_name;
    for (const auto& n : notifiers) by_name[n->name()] = n.get();
    OutboxObserver observer;
    observer.on_attempt = [this](const std::string& notifier, std::string_view status) {
        status_dirty = true;
        metrics.deliveries_total.inc({notifier, std::string(status)});
        update_status();
    };
    outbox = std::make_unique<Outbox>(io, store, clock, jitter, std::move(by_name), std::move(observer));
    for (const auto& source : config.sources) {
        if (!source.enabled || source.kind == SourceKind::maildir) continue;
        runners.push_back(std::make_unique<SourceRunner>(source, config.daemon, polite, store, clock, route(), io));
        // An alert goes out as soon as it is stored, not when its pass ends.
        runners.back()->poller.on_committed(
            [this](const std::vector<Event>& events, bool silent) { on_events(events, silent, true); });
        runners.back()->poller.set_history_age(history_age());
    }
    EmbargoLifterOptions lifts;
    lifts.prepare_lead = config.daemon.embargo_prepare;
    for (const auto& n : config.notifiers) lifts.newest_max_age = std::max(lifts.newest_max_age, n.max_age);
    embargoes.configure(lifts);
    seed_metric_series();
}

Notifiers Daemon::Impl::make_notifiers_or_throw() {
    auto made = make_notifiers(config);
    if (!made) throw std::runtime_error(made.error());
    return std::move(*made);
}

void Daemon::Impl::teardown() {
    for (auto& runner : runners) {
        runner->timer.cancel();
        runner->poller.cancel();
    }
    runners.clear();
    for (auto& watcher : watchers) watcher->stop();
    watchers.clear();
    if (outbox) outbox->stop();
    outbox.reset();
    notifiers.clear();
    embargoes.clear();
}

void Daemon::Impl::start_sources() {
    for (auto& runner : runners) {
        schedule(*runner, std::chrono::milliseconds{0});
        if (auto r = store.set_next_poll(runner->source.name, clock.now()); !r) spdlog::error("{}", r.error().message);
    }
}

void Daemon::Impl::schedule(SourceRunner& runner, std::chrono::milliseconds delay) {
    runner.timer.expires_after(delay);
    runner.timer.async_wait([this, &runner](const boost::system::error_code& ec) {
        if (ec || stopping) return;
        poll(runner);
    });
}

void Daemon::Impl::poll(SourceRunner& runner, std::function<void()> after) {
    auto started = clock.steady_now();
    runner.poller.poll(pass_options(), [this, &runner, started, after = std::move(after)](PollReport report) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - started).count();
        // An unchanged listing is the daemon's steady state, not an event worth a line at info.
        bool quiet = report.ok && report.pages == 1 && report.not_modified == 1 && report.warnings.empty();
        if (report.ok)
            spdlog::log(quiet ? spdlog::level::debug : spdlog::level::info,
                        "poll {}: {} pages, {} items, {} fetched, {} not modified ({} ms)", runner.source.name,
                        report.pages, report.items, report.fetched, report.not_modified, ms);
        else
            spdlog::warn("poll {}: {} ({} ms)", runner.source.name, report.error, ms);
        for (const auto& w : report.warnings) spdlog::warn("poll {}: {}", runner.source.name, w);
        if (report.baseline_done)
            spdlog::info("poll {}: baseline done: what it lists now is recorded, and only changes alert from now on",
                         runner.source.name);
        on_polled(runner, report, std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - started));
        if (after) after();
    });
}

void Daemon::Impl::on_polled(SourceRunner& runner, const PollReport& report, std::chrono::milliseconds elapsed) {
    if (!report.ok || runner.failures > 0) status_dirty = true;
    runner.failures = report.ok ? 0 : runner.failures + 1;
    const std::vector<std::string> label{runner.source.name};
    metrics.polls_total.inc(label);
    metrics.bytes_total.inc(label, static_cast<double>(report.bytes));
    metrics.not_modified_total.inc(label, report.not_modified);
    if (!report.ok)
        metrics.fetch_failures_total.inc(label);
    else
        metrics.last_success_timestamp_seconds.set(
            label, std::chrono::duration<double>(clock.now().time_since_epoch()).count());
    runner.last = report;
    // A pass that parsed pages leaves glibc's heap holding what it freed (8.9 MiB after
    // a 10 000-report baseline): give it back, so the resident set stays that of an idle daemon.
    // Posted: the pass's report, warnings and last response are freed only after this returns.
    if (report.fetched > 0 || report.pages > report.not_modified) asio::post(io, [] { ::malloc_trim(0); });
    SourceTiming timing{runner.source.interval, config.daemon.backoff_base, config.daemon.backoff_cap,
                        config.daemon.jitter};
    PollOutcomeTiming outcome{report.ok, runner.failures, report.retry_after, fast_interval(), elapsed};
    auto delay = next_poll_delay(timing, outcome, jitter.next());
    if (runner.poll_again) {
        runner.poll_again = false;
        delay = std::chrono::milliseconds{0};
    }
    auto noted = store.note_poll(report.ok, report.error, context(runner.source.name, false),
                                 config.daemon.failure_threshold, clock.now() + delay);
    if (noted)
        on_events(*noted);
    else
        spdlog::error("{}", noted.error().message);
    if (stopping) return;
    if (!once) schedule(runner, delay);
    update_status();
}

void Daemon::Impl::seed_metric_series() {
    // Every series a counter can have exists from the start at 0, so that a
    // rate() over the first increase sees it; the version is a label.
    metrics.build_info.set({CQCWATCH_VERSION}, 1);
    for (const auto& s : config.sources) {
        if (!s.enabled) continue;
        if (s.kind == SourceKind::maildir) {  // read on inotify, not polled: counted by message
            for (const char* outcome : {"stored", "failed", "kept"}) metrics.messages_total.inc({s.name, outcome}, 0);
            continue;
        }
        for (MetricFamily* f :
             {&metrics.polls_total, &metrics.fetch_failures_total, &metrics.bytes_total, &metrics.not_modified_total})
            f->inc({s.name}, 0);
    }
    for (const char* type :
         {event_type::assessment_published, event_type::assessment_updated, event_type::assessment_withdrawn,
          event_type::embargo_scheduled, event_type::embargo_lifted, event_type::source_failing,
          event_type::source_recovered, event_type::parser_suspect, event_type::parser_recovered}) {
        metrics.events_total.inc({type}, 0);
        metrics.baseline_records_total.inc({type}, 0);
    }
    for (const auto& n : config.notifiers)
        for (const char* status : {"sent", "failed", "dead"}) metrics.deliveries_total.inc({n.name, status}, 0);
}

void Daemon::Impl::on_events(const std::vector<Event>& events, bool baseline, bool send_now) {
    bool embargo = false;
    if (!events.empty()) status_dirty = true;
    for (const auto& e : events) {
        spdlog::info("event {} {}{}{}", e.type, e.id, event_about(e), baseline ? " (baseline)" : "");
        (baseline ? metrics.baseline_records_total : metrics.events_total).inc({e.type});
        embargo = embargo || e.type == event_type::embargo_scheduled;
    }
    if (outbox && !events.empty()) {
        if (send_now)
            outbox->send_due();
        else
            outbox->kick();
    }
    if (embargo) embargoes.rearm();
    update_status();  // the embargo and delivery counts change now, not at the next poll
}

void Daemon::Impl::handle_signal(int signal) {
    if (signal == SIGHUP) {
        reload();
    } else {
        spdlog::info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        stop();
        return;
    }
    signals.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (!ec) handle_signal(sig);
    });
}

void Daemon::Impl::reload() {
    (void)sd.reloading();
    auto loaded = load_config(config.path);
    if (!loaded) {
        for (const auto& d : loaded.error()) spdlog::error("{}", d.text());
        spdlog::error("reload: {} has errors; keeping the running config", config.path);
        (void)sd.ready();
        return;
    }
    if (loaded->daemon.database != config.daemon.database)
        spdlog::warn("reload: [daemon] database changed; it takes effect at the next restart");
    if (loaded->daemon.metrics_listen != config.daemon.metrics_listen)
        spdlog::warn("reload: [daemon] metrics_listen changed; it takes effect at the next restart");
    loaded->daemon.database = config.daemon.database;
    loaded->daemon.metrics_listen = config.daemon.metrics_listen;
    // What can fail is made before anything running is touched: a config that loads but cannot
    // be built leaves the old one running, as a config that does not load does.
    auto made = make_notifiers(*loaded);
    if (!made) {
        spdlog::error("reload: {}: {}; keeping the running config", config.path, made.error());
        (void)sd.ready();
        return;
    }
    teardown();
    config = std::move(*loaded);
    for (const auto& w : config.warnings) spdlog::warn("{}", w.text());
    build(std::move(*made));
    start_sources();
    start_maildirs();
    embargoes.rearm();
    outbox->kick();
    spdlog::info("reloaded {}: {}, {}", config.path, plural(config.sources.size(), "source"),
                 plural(config.notifiers.size(), "notifier"));
    (void)sd.ready();
}

void Daemon::Impl::stop() {
    if (stopping) return;
    stopping = true;
    (void)sd.stopping();
    teardown();
    watchdog.cancel();
    embargoes.stop();
    if (store_watcher) store_watcher->stop();
    signals.cancel();
    if (metrics_server) metrics_server->stop();
    io.stop();
}

void Daemon::Impl::fail(const std::string& why) {
    if (stopping) return;
    spdlog::error("stopping: {}", why);
    exit_code = 1;  // a runtime failure (systemd's Restart=on-failure starts it again)
    stop();
}

void Daemon::Impl::start_watchdog() {
    auto interval = sd.watchdog_interval();
    if (!interval) return;
    auto half = std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2);
    watchdog.expires_after(half);
    watchdog.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping) return;
        (void)sd.watchdog();
        start_watchdog();
    });
}

void Daemon::Impl::update_status() {
    // The line costs three queries: asked again when something it shows may have
    // changed here, and at least once a minute for what other processes changed.
    auto now = clock.steady_now();
    if (!status_dirty && now - status_at < std::chrono::minutes(1)) return;
    status_dirty = false;
    status_at = now;
    std::size_t failing = 0;
    for (const auto& r : runners)
        if (r->failures > 0) ++failing;
    auto counts = store.delivery_counts();
    auto pending = store.pending_embargoes();
    // Every source kind counts: listings and feeds are runners, mail drops watchers.
    std::string line = plural(runners.size() + watchers.size(), "source") + " (" + std::to_string(failing) +
                       " failing), " + std::to_string(counts ? counts->pending : 0) + " pending deliveries, " +
                       plural(pending ? pending->size() : 0, "embargo", "embargoes");
    if (pending && !pending->empty()) line += ", next lift " + pending->front().embargo.until_utc;
    if (pending) {
        auto late = overdue_lifts(*pending, clock.now());
        if (!late.empty()) line += ", " + overdue_clause(late, embargoes.trouble());
    }
    (void)sd.status(line);
}

void Daemon::Impl::refresh_store_gauges() {
    // Read at each scrape rather than after each poll: nobody looks in between.
    auto pending = store.pending_embargoes();
    metrics.pending_embargoes.set(pending ? static_cast<double>(pending->size()) : 0.0);
    if (pending && !pending->empty())
        metrics.next_embargo_lift_timestamp_seconds.set(static_cast<double>(pending->front().embargo.until_unix));
    else
        metrics.next_embargo_lift_timestamp_seconds.set(0.0);
    metrics.overdue_embargo_lifts.set(pending ? static_cast<double>(overdue_lifts(*pending, clock.now()).size()) : 0.0);
    for (const auto& key : trouble_keys()) metrics.embargo_lift_retrying.erase({key});
    if (const auto& trouble = embargoes.trouble()) metrics.embargo_lift_retrying.set({trouble_key(*trouble)}, 1);
    auto oldest = store.oldest_pending_age(clock.now());
    metrics.oldest_pending_delivery_age_seconds.set(oldest && *oldest ? static_cast<double>((*oldest)->count()) : 0.0);
}

bool Daemon::Impl::healthy() const {
    if (stopping) return false;
    if (runners.empty()) return true;
    for (const auto& r : runners)
        if (r->failures < config.daemon.failure_threshold) return true;
    return false;  // every source is failing
}

namespace {

// The listing an emailed release's feed entry links to: the first listing source, else CQC's own.
std::string feed_listing_url(const Config& config) {
    for (const auto& s : config.sources)
        if (s.enabled && s.kind == SourceKind::listing && !s.url.empty()) return s.url;
    return k_cqc_listing_url;
}

}  // namespace

void Daemon::Impl::start_metrics() {
    if (config.daemon.metrics_listen.empty()) return;
    MetricsServerOptions opts;
    opts.listen = config.daemon.metrics_listen;
    opts.before_render = [this] { refresh_store_gauges(); };
    opts.feed = [this](const std::string& host) {
        // The self link names the address the reader used (the Host header), escaped by the renderer.
        AtomFeedInfo info{host.empty() ? std::string() : "http://" + host + "/feed.atom", rfc3339(clock.now())};
        info.listing_url = feed_listing_url(config);
        auto events = store.feed_events(k_atom_feed_entries);
        if (!events) throw std::runtime_error(events.error().message);  // the server answers 503 with it
        FeedDocument doc{render_atom_feed(*events, info), std::nullopt};
        if (!events->empty()) doc.updated = parse_rfc3339(events->front().occurred_at);
        return doc;
    };
    metrics_server = std::make_unique<MetricsServer>(io, opts, metrics, [this] { return healthy(); });
    if (auto started = metrics_server->start(); !started)
        throw std::runtime_error("metrics_listen \"" + opts.listen + "\": " + started.error());
    // The real port: listen may ask for port 0 (any free one).
    const std::string host = opts.listen.substr(0, opts.listen.rfind(':'));
    spdlog::info("metrics on http://{}:{}/metrics", host, metrics_server->port());
}

std::optional<std::chrono::milliseconds> Daemon::Impl::fast_interval() const {
    if (!fast_window || fast_window->expired(clock.now())) return std::nullopt;
    return config.daemon.fast_poll_interval;
}

Daemon::Daemon(Config config, DaemonOptions options, const Clock& clock, Jitter& jitter)
    : m_impl(std::make_unique<Impl>(std::move(config), std::move(options), clock, jitter)) {}

Daemon::~Daemon() = default;

int Daemon::run() {
    Impl& d = *m_impl;
    d.build(d.make_notifiers_or_throw());
    d.signals.add(SIGTERM);
    d.signals.add(SIGINT);
    d.signals.add(SIGHUP);
    d.signals.async_wait([&d](const boost::system::error_code& ec, int sig) {
        if (!ec) d.handle_signal(sig);
    });
    for (const auto& runner : d.runners)
        if (auto b = d.store.baseline_of(runner->source.name); b && !*b)
            spdlog::info(
                "source {} has no baseline yet: its first complete pass records what is published without "
                "alerting",
                runner->source.name);
    d.start_metrics();
    d.start_sources();
    d.start_maildirs();
    d.embargoes.rearm();
    d.store_watcher = std::make_unique<StoreWatcher>(d.io, d.store, [&d] {
        if (auto why = d.store_watcher->replaced()) return d.fail(*why);
        d.status_dirty = true;
        if (d.outbox) d.outbox->kick();
        d.embargoes.rearm();
        d.update_status();
    });
    d.store_watcher->start();
    d.outbox->kick();
    d.start_watchdog();
    spdlog::info("cqcwatch {} running: {}, {}", CQCWATCH_VERSION, plural(d.config.sources.size(), "source"),
                 plural(d.config.notifiers.size(), "notifier"));
    d.embargoes.log_pending();
    (void)d.sd.ready();
    d.update_status();
    d.io.run();
    return d.exit_code;
}

void Daemon::Impl::start_maildirs() {
    for (const auto& source : config.sources) {
        if (!source.enabled || source.kind != SourceKind::maildir) continue;
        MaildirOptions opts;
        opts.path = source.path;
        opts.done_dir = source.done_dir;
        opts.failed_dir = source.failed_dir;
        auto watcher = std::make_unique<MaildirWatcher>(
            io, opts, [this, &source](const std::string& path, const std::string& bytes) {
                auto result = on_message(source, path, bytes);
                metrics.messages_total.inc(
                    {source.name, result ? "stored" : result.error().keep ? "kept" : "failed"});
                return result;
            });
        if (auto started = watcher->start(); !started) {
            spdlog::error("maildir {}: {}", source.name, started.error());
            continue;
        }
        spdlog::info("maildir {}: watching {}", source.name, watcher->incoming_dir().string());
        watchers.push_back(std::move(watcher));
    }
}

MessageResult Daemon::Impl::on_message(const SourceConfig& source, const std::string& path, const std::string& bytes) {
    ParseOptions parse_options;
    parse_options.kind = DocKind::unknown;
    auto parsed = parse_document(bytes, parse_options, Authorities::builtin());
    if (!parsed) {
        spdlog::warn("maildir {}: {}: {}", source.name, path, parsed.error().message);
        return tl::make_unexpected(MessageFailure(parsed.error().message, parsed.error().retry));
    }
    for (const auto& w : parsed->warnings) spdlog::warn("maildir {}: {}: {}", source.name, path, w);
    auto recorded = store.record_document(*parsed, context(source.name, false));
    if (!recorded) {
        spdlog::error("maildir {}: {}: {}", source.name, path, recorded.error().message);
        return tl::make_unexpected(recorded.error().message);
    }
    if (recorded->history)
        spdlog::info("maildir {}: {}: stored as history: published {}", source.name, path, recorded->history->iso());
    if (recorded->outcome == RecordOutcome::ignored) {
        spdlog::warn("maildir {}: {}: nothing recorded: {}", source.name, path, recorded->reason);
        return tl::make_unexpected("nothing recorded: " + recorded->reason);
    }
    spdlog::info("maildir {}: {}: {}", source.name, path,
                 parsed->authority ? parsed->authority->name : std::string("(no council)"));
    // A handled message is the mail drop's success (`cqcwatch status`: last success).
    auto noted = store.note_source_result(true, "", context(source.name, false), config.daemon.failure_threshold);
    metrics.last_success_timestamp_seconds.set(
        {source.name}, std::chrono::duration<double>(clock.now().time_since_epoch()).count());
    if (!noted) spdlog::error("maildir {}: {}", source.name, noted.error().message);
    on_events(recorded->events, recorded->history.has_value());
    if (noted) on_events(*noted);
    return {};
}

EmbargoLifterHooks Daemon::Impl::embargo_hooks() {
    EmbargoLifterHooks hooks;
    hooks.route = route();
    hooks.prepare = [this](const Event& event, const std::vector<std::string>& names) {
        for (auto& n : notifiers)
            if (std::find(names.begin(), names.end(), n->name()) != names.end()) n->prepare(event);
    };
    hooks.lifted = [this](const Event& event, std::chrono::system_clock::time_point until) {
        // The lift's alert is committed by the lifter, not through on_events: count it here.
        metrics.events_total.inc({event.type});
        if (outbox) outbox->kick();
        start_fast_polls(until);
        status_dirty = true;
    };
    hooks.on_trouble = [this] {
        status_dirty = true;
        update_status();  // the STATUS= line says a lift is overdue and why, or that it no longer is
    };
    return hooks;
}

void Daemon::Impl::start_fast_polls(std::chrono::system_clock::time_point lift_at) {
    fast_window.emplace(lift_at, config.daemon.fast_poll_interval, config.daemon.fast_poll_duration);
    for (auto& runner : runners) {
        if (runner->source.kind != SourceKind::listing) continue;
        if (runner->poller.busy()) {
            runner->poll_again = true;
            continue;
        }
        schedule(*runner, std::chrono::milliseconds{0});
    }
}

void Daemon::Impl::stop_when_drained(int rounds) {
    // Bounded: a receiver that hangs is timed out by its notifier, and this gives up after `rounds`.
    if (outbox->drained() || rounds <= 0) {
        stopping = true;
        embargoes.stop();
        teardown();
        io.stop();
        return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(50));
    drain_timer.async_wait([this, rounds](const boost::system::error_code& ec) {
        if (!ec) stop_when_drained(rounds - 1);
    });
}

int Daemon::poll_once() {
    // The daemon's own pass (the same poll, metrics and store writes), once per source,
    // then what is due is delivered and it stops.
    Impl& d = *m_impl;
    d.once = true;
    d.build(d.make_notifiers_or_throw());
    d.start_maildirs();
    std::size_t left = d.runners.size();
    std::vector<std::string> failures;  // collected as passes end: the runners go at teardown
    auto all_done = [&d] {
        d.embargoes.rearm();
        d.outbox->kick();
        d.stop_when_drained(20 * 60 * 5);
    };
    for (auto& runner : d.runners)
        d.poll(*runner, [&left, &failures, all_done, r = runner.get()] {
            if (r->last && !r->last->ok) failures.push_back(r->source.name + ": " + r->last->error);
            if (--left == 0) all_done();
        });
    if (d.runners.empty()) all_done();
    d.io.run();
    for (const auto& f : failures) std::cerr << "cqcwatch: poll: " << f << "\n";
    return failures.empty() ? 0 : 1;
}

}  // namespace cqcwatch
