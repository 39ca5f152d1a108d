// The daemon's mail drops and embargo lifts.

#include <algorithm>

#include <spdlog/spdlog.h>

#include "daemon/daemon_impl.hpp"
#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

namespace cqcwatch {

void Daemon::Impl::start_maildirs() {
    for (const auto& source : config.sources) {
        if (!source.enabled || source.kind != SourceKind::maildir) continue;
        MaildirOptions opts;
        opts.path = source.path;
        opts.done_dir = source.done_dir;
        opts.failed_dir = source.failed_dir;
        auto watcher = std::make_unique<MaildirWatcher>(
            io, opts, [this, &source](const std::string& path, const std::string& bytes) {
                return on_message(source, path, bytes);
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
        return tl::make_unexpected(parsed.error().message);
    }
    for (const auto& w : parsed->warnings) spdlog::warn("maildir {}: {}: {}", source.name, path, w);
    auto recorded = store.record_document(*parsed, context(source.name, false));
    if (!recorded) {
        spdlog::error("maildir {}: {}: {}", source.name, path, recorded.error().message);
        return tl::make_unexpected(recorded.error().message);
    }
    if (recorded->outcome == RecordOutcome::ignored) {
        spdlog::warn("maildir {}: {}: nothing recorded: {}", source.name, path, recorded->reason);
        return tl::make_unexpected("nothing recorded: " + recorded->reason);
    }
    spdlog::info("maildir {}: {}: {}", source.name, path,
                 parsed->authority ? parsed->authority->name : std::string("(no council)"));
    // A handled message is the mail drop's success (`cqcwatch status`: last success).
    auto noted = store.note_source_result(true, "", context(source.name, false), config.daemon.failure_threshold);
    if (!noted) spdlog::error("maildir {}: {}", source.name, noted.error().message);
    on_events(recorded->events);
    if (noted) on_events(*noted);
    return {};
}

void Daemon::Impl::rearm_embargoes() {
    if (stopping) return;
    auto pending = store.pending_embargoes();
    if (!pending) {
        spdlog::error("embargoes: {}", pending.error().message);
        return;
    }
    std::vector<PendingEmbargo> list;
    for (const auto& e : *pending) {
        auto until = std::chrono::system_clock::time_point(std::chrono::seconds(e.embargo.until_unix));
        list.push_back(PendingEmbargo{e.id, until, prepared.count(e.id) > 0});
    }
    EmbargoScheduleOptions opts;
    opts.prepare_lead = config.daemon.embargo_prepare;
    auto plan = plan_embargoes(list, clock.now(), opts);
    for (const auto& due : plan.due_to_lift) lift(due);
    for (auto id : plan.due_to_prepare) {
        auto it = std::find_if(list.begin(), list.end(), [id](const PendingEmbargo& e) { return e.id == id; });
        if (it != list.end()) prepare_lift(id, it->until);
    }
    embargo_wake = plan.next_wake;
    recheck_embargoes();
    if (plan.next_wake) {
        embargo_timer.async_wait_until(*plan.next_wake, [this](bool fired) {
            if (fired) rearm_embargoes();
        });
    } else {
        embargo_timer.cancel();
    }
}

void Daemon::Impl::log_pending_embargoes() {
    // At start-up the operator sees what is armed (and would lift late if the daemon stayed down).
    auto pending = store.pending_embargoes();
    if (!pending) return;
    for (const auto& e : *pending)
        spdlog::info("embargo armed: {} lifts at {}{}", e.authority.name.empty() ? "(no council)" : e.authority.name,
                     e.embargo.until_utc, e.press_release_url ? " (" + *e.press_release_url + ")" : std::string());
}

void Daemon::Impl::recheck_embargoes() {
    // The WallTimer fires at the instant and on a clock step; while an embargo is
    // pending this also looks every few seconds, should a wake-up ever be missed.
    // Embargoes stored by another process arrive through the StoreWatcher.
    if (embargo_recheck_armed || !embargo_wake || stopping) return;
    embargo_recheck_armed = true;
    embargo_recheck.expires_after(std::chrono::seconds(3));
    embargo_recheck.async_wait([this](const boost::system::error_code& ec) {
        embargo_recheck_armed = false;
        if (ec || stopping) return;
        if (embargo_wake && clock.now() >= *embargo_wake) rearm_embargoes();
        recheck_embargoes();
    });
}

LiftKind Daemon::Impl::lift_kind(const DueLift& due) const {
    if (!due.late) return LiftKind::on_time;
    // Missed while stopped: news while a notifier would still deliver it, history after.
    std::chrono::seconds newest_max_age{0};
    for (const auto& n : config.notifiers) newest_max_age = std::max(newest_max_age, n.max_age);
    return due.lateness <= newest_max_age ? LiftKind::late : LiftKind::history;
}

void Daemon::Impl::lift(const DueLift& due) {
    LiftKind kind = lift_kind(due);
    auto lifted = store.lift_embargo(due.id, context("embargo", false), kind);
    auto preview = prepared.extract(due.id);
    if (!lifted) {
        spdlog::error("embargo {}: {}", due.id, lifted.error().message);
        return;
    }
    auto late_ms = std::chrono::duration_cast<std::chrono::milliseconds>(due.lateness).count();
    if (kind == LiftKind::history)
        spdlog::warn("embargo {} lifted {} s before the daemon ran: recorded as history, no alert", due.id,
                     late_ms / 1000);
    if (!*lifted) return;  // lifted already (by an earlier run), or history
    // Delivery first: a newsdesk is waiting for this one.
    if (outbox) outbox->kick();
    const Event& event = **lifted;
    if (kind == LiftKind::late)
        spdlog::warn("embargo {} lifted late, {} ms after its instant (the daemon was not running)", event.id, late_ms);
    else
        spdlog::info("embargo lifted: {} ({} ms after the instant)", event.id, late_ms);
    if (!preview.empty()) {
        bool same = preview.mapped().id == event.id && preview.mapped().body == event.body;
        spdlog::info("embargo {}: lift alert {} {}", due.id, event.id,
                     same ? "as rendered ahead" : "changed since it was rendered ahead: rendered again");
    }
    start_fast_polls(due.until);
}

void Daemon::Impl::prepare_lift(std::int64_t embargo_id, std::chrono::system_clock::time_point until) {
    // Renders the lift alert (the real one, rolled back) and opens connections ahead
    // of the lift, so the lift costs only the send.
    RecordContext ctx = context("embargo", false);
    ctx.now = until;
    auto preview = store.preview_lift(embargo_id, ctx);
    if (!preview || !*preview) {
        if (!preview) spdlog::error("embargo {}: {}", embargo_id, preview.error().message);
        prepared.emplace(embargo_id, Event{});
        return;
    }
    const Event& event = **preview;
    std::vector<std::string> names = ctx.route ? ctx.route(event) : std::vector<std::string>{};
    for (auto& n : notifiers)
        if (std::find(names.begin(), names.end(), n->name()) != names.end()) n->prepare(event);
    spdlog::debug("embargo {}: lift alert {} rendered ahead for {} notifiers", embargo_id, event.id, names.size());
    prepared.emplace(embargo_id, event);
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

}  // namespace cqcwatch
