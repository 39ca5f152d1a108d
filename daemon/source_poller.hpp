#pragma once
// One pass over one listing or feed source. A listing is newest first, so what is
// new shows on page 1 and is fetched (and alerted) before any other page:
//
//   page 1 ──304/same hash──▶ done (nothing changed)
//     │ changed
//     ▼
//   page 1's new items (allowed hosts only, at most max_items) ──▶ item page (+ its summary) ──▶ parse ──▶ store
//     │
//     ├─ page 1 holds an item seen before (the boundary) and no walk is due ──▶ done
//     ▼ walk: page 1 all new, page 1 changed but shows nothing new, baseline, or a sweep
//   pages 2…max_pages (next-page links, allowed hosts only) ──▶ note_listing (withdrawals, suspect)
//     ▼
//   the other pages' new items ──▶ … ──▶ store
//     ▼
//   everything stored and this is the source's first complete pass ──▶ note_baseline
//
// Withdrawals are counted only from a walk that read every page. A walk is due on the
// poller's first changed pass, after a pass that left items unread, and as a sweep every
// walk_period(): then page 1 is fetched unconditionally so an unchanged page 1 still
// sweeps the others.
//
// Every request is conditional where the store has an ETag or Last-Modified;
// a 304 or an unchanged body costs no parsing. A failed item is retried next pass.
// A store that cannot write (disk full, read-only) fails the pass there: what was
// fetched and not stored is fetched again next pass, still as the baseline if the
// baseline was not done.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/clock.hpp"
#include "config/config.hpp"
#include "store/store.hpp"
#include "fetchers/http_client.hpp"
#include "parsers/model.hpp"

namespace cqcwatch {

/// How a pass went.
struct PollReport {
    bool ok = true;     ///< the source itself was read
    std::string error;  ///< why not
    std::optional<std::chrono::seconds> retry_after;
    int pages = 0;
    int items = 0;         ///< items the listing or feed yielded
    int fetched = 0;       ///< item pages fetched
    int not_modified = 0;  ///< 304s and unchanged bodies
    int item_failures = 0;
    int skipped_hosts = 0;       ///< items on hosts or ports this source does not allow
    bool capped = false;         ///< more new items than max_items: the rest wait for the next pass
    bool baseline = false;       ///< this pass was (part of) the source's baseline
    bool baseline_done = false;  ///< ...and it stored everything: the baseline is over
    int unread = 0;       ///< report pages recorded with values they should state but did not (read again next pass)
    bool walked = false;  ///< every listing page was read and noted (only then are misses counted)
    bool sweep = false;   ///< the walk was the periodic sweep (page 1 fetched unconditionally)
    std::uint64_t bytes = 0;
    std::vector<std::string> warnings;
    std::vector<Event> events;  ///< events committed during the pass (with their deliveries)
};

/// How one pass runs.
struct PassOptions {
    bool rebaseline = false;      ///< be the baseline even if the source had one (`poll --once --baseline`)
    bool alert_baseline = false;  ///< the baseline alerts too (`--alert-existing`, baseline_alert_existing)
};

/// Limits and identity for every request, from the [daemon] section.
FetchOptions make_fetch_options(const DaemonConfig& daemon);

/// A content hash that is stable across runs (FNV-1a 64, hex).
std::string content_hash(std::string_view bytes);

/// How often a listing's other pages are walked when page 1 alone shows what is new:
/// the sweep that counts withdrawals. An hour, or six intervals if that is longer.
std::chrono::milliseconds walk_period(const SourceConfig& source);

/// What to log about a report (landing and summary pages merged): its pages' warnings except
/// their notes of a field absent from that page, and one line naming, in CQC's words, what
/// the report as a whole lacks ("not read from the report …: Rating; Safeguarding").
std::vector<std::string> report_warnings(const ParseResult& report);

class SourcePoller {
public:
    /// `route` names the notifiers an event goes to; `clock` stamps what is stored.
    SourcePoller(const SourceConfig& source, const DaemonConfig& daemon, HttpClient& http, Store& store,
                 const Clock& clock, RouteFn route);
    ~SourcePoller();
    SourcePoller(const SourcePoller&) = delete;
    SourcePoller& operator=(const SourcePoller&) = delete;

    /// Runs as soon as a commit of a pass stored events, before the pass goes on (its other
    /// fetches, its bookkeeping), so that their alerts need not wait for the pass's end;
    /// `silent`: stored as a baseline, without alerts. PollReport::events lists them too.
    using CommittedFn = std::function<void(const std::vector<Event>& events, bool silent)>;
    void on_committed(CommittedFn committed) { m_committed = std::move(committed); }
    /// Alerts are kept this long (the notifiers' largest max_age): a page published before
    /// that is stored as history, without alerting.
    void set_history_age(std::chrono::seconds age) { m_history_age = age; }
    /// Starts one pass; `done` runs on the loop when it ends. One pass at a time.
    void poll(PassOptions options, std::function<void(PollReport)> done);
    /// Abandons a pass in flight; its `done` is not called.
    void cancel();
    /// True while a pass runs.
    bool busy() const { return static_cast<bool>(m_done); }

private:
    struct Fetched {
        ParseResult doc;
        FetchState state;  ///< stored once the document is recorded
    };
    struct Item {
        std::string url;
        std::optional<Fetched> report;  ///< the report page, while its summary is fetched
    };

    void send(const std::string& url, bool conditional, std::function<void(FetchResult)> then);
    void fetch_page(const std::string& url, bool conditional);
    void on_page(const std::string& url, FetchResult result);
    void on_first_page(std::size_t listed_before, std::optional<std::string> next);
    bool next_page_allowed(const std::string& next);
    void finish_listing();
    std::vector<std::string> listed() const;
    tl::expected<int, StoreError> queue_new(std::size_t from);
    void next_item();
    void items_done();
    void note_warnings();
    void fetch_item(const std::string& url, std::function<void(std::optional<Fetched>)> then);
    void on_item(Item item, std::optional<Fetched> fetched);
    bool record(const ParseResult& doc, const std::vector<FetchState>& states);
    bool follows(const std::string& url) const;
    void collect_items(const ParseResult& listing);
    RecordContext context() const;
    bool store_failed(const StoreError& error);
    HttpRequest request_for(const std::string& url, bool conditional) const;
    FetchState state_of(const std::string& url, const HttpResponse& response) const;
    void committed(const std::vector<Event>& events, bool history = false);
    void complete();
    void fail(std::string error, std::optional<std::chrono::seconds> retry_after = std::nullopt);

    const SourceConfig& m_source;
    const DaemonConfig& m_daemon;
    HttpClient& m_http;
    Store& m_store;
    const Clock& m_clock;
    RouteFn m_route;
    CommittedFn m_committed;
    std::function<void(PollReport)> m_done;
    bool m_silent = false;  ///< this pass stores without alerting (a baseline)
    std::chrono::seconds m_history_age{48 * 3600};
    PollReport m_report;
    std::vector<std::string> m_seen;  ///< item URLs this pass, listing order
    std::deque<Item> m_queue;         ///< items to fetch
    std::size_t m_page1_items = 0;    ///< m_seen's first entries, from page 1 (fetched before any other page)
    std::size_t m_queued = 0;         ///< items queued this pass (max_items)
    std::size_t m_waiting = 0;        ///< new items past max_items, left for the next pass
    bool m_walk = false;              ///< this pass reads every page
    bool m_listing_done = false;      ///< every page read (or this pass will not read more): items of the rest next
    std::optional<std::string> m_next_page;  ///< page 1's next page, walked after page 1's items
    std::vector<std::string> m_visited_pages;
    std::string m_first_skipped;            ///< the first item on a host this source does not allow
    std::vector<FetchState> m_page_states;  ///< listing pages, stored when the pass completes
    bool m_walked = false;                  ///< a walk over every page completed with everything stored
    bool m_owe_walk = false;                ///< a pass since then left items unread: walk at the next change
    std::chrono::steady_clock::time_point m_last_walk{};
    std::uint64_t m_request = 0;
    bool m_in_request = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace cqcwatch
