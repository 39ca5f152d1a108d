#include "daemon/source_poller.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "events/wording.hpp"
#include "fetchers/redact.hpp"
#include "fetchers/url_host.hpp"
#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"
#include "parsers/report_url.hpp"
#include "parsers/report.hpp"

namespace cqcwatch {

std::string content_hash(std::string_view bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

namespace {

// A page's own note that it lacks a field ("scores: none found in the text", "not read from
// this page: …") is about that page alone: the report's other page may give the field.
bool about_absence(std::string w) {
    std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* note : {"none found", "not read", "not found", " found; none for", "no score", "missing"})
        if (w.find(note) != std::string::npos) return true;
    return false;
}

}  // namespace

std::vector<std::string> report_warnings(const ParseResult& report) {
    std::vector<std::string> out;
    for (const auto& w : report.warnings)
        if (!about_absence(w)) out.push_back(w);
    nlohmann::json missing = nlohmann::json::array();
    const Assessment a = report.assessment.value_or(Assessment{});
    if (!a.rating) missing.push_back("rating");
    for (std::size_t i = 0; i < k_statement_count; ++i)
        if (!a.scores[i]) missing.push_back(to_key(statement_at(i)));
    if (!missing.empty())
        out.push_back("not read from the report" + std::string(report.summary_url ? " (landing and summary pages)" : "") +
                      ": " + fields_text(missing));
    return out;
}

std::chrono::milliseconds walk_period(const SourceConfig& source) {
    return std::max<std::chrono::milliseconds>(std::chrono::hours(1), 6 * source.interval);
}

FetchOptions make_fetch_options(const DaemonConfig& daemon) {
    FetchOptions options;
    options.user_agent = user_agent(daemon);
    options.ca_file = daemon.ca_file;
    options.connect_timeout = daemon.connect_timeout;
    options.total_timeout = daemon.request_timeout;
    options.max_body_bytes = daemon.max_body;
    return options;
}

SourcePoller::SourcePoller(const SourceConfig& source, const DaemonConfig& daemon, HttpClient& http, Store& store,
                           const Clock& clock, RouteFn route)
    : m_source(source), m_daemon(daemon), m_http(http), m_store(store), m_clock(clock), m_route(std::move(route)) {}

RecordContext SourcePoller::context() const {
    RecordContext ctx;
    ctx.now = m_clock.now();
    ctx.source = m_source.name;
    ctx.baseline = m_silent;
    ctx.route = m_route;
    ctx.history_before = history_before(ctx.now, m_history_age);
    return ctx;
}

bool SourcePoller::follows(const std::string& url) const {
    return url_allowed(url, m_source.url, m_source.allowed_hosts);
}

SourcePoller::~SourcePoller() { cancel(); }

void SourcePoller::cancel() {
    *m_alive = false;
    m_alive = std::make_shared<bool>(true);
    if (m_in_request) m_http.cancel(m_request);
    m_in_request = false;
    m_done = nullptr;
}

void SourcePoller::poll(PassOptions options, std::function<void(PollReport)> done) {
    m_done = std::move(done);
    m_report = {};
    m_seen.clear();
    m_queue.clear();
    m_visited_pages.clear();
    m_page_states.clear();
    m_first_skipped.clear();
    m_page1_items = m_queued = m_waiting = 0;
    m_listing_done = false;
    m_next_page.reset();
    auto baseline = m_store.baseline_of(m_source.name);
    if (!baseline) return fail(baseline.error().message);
    // Until a pass has stored everything the source lists, every pass is its baseline.
    m_report.baseline = options.rebaseline || !*baseline;
    m_silent = m_report.baseline && !options.alert_baseline;
    m_report.sweep = m_walked && m_clock.steady_now() - m_last_walk >= walk_period(m_source);
    m_walk = m_report.baseline || m_report.sweep || !m_walked || m_owe_walk;
    fetch_page(m_source.url, !m_report.sweep);
}

HttpRequest SourcePoller::request_for(const std::string& url, bool conditional) const {
    HttpRequest request;
    request.url = url;
    request.options = make_fetch_options(m_daemon);
    request.options.allowed_hosts = m_source.allowed_hosts;
    if (conditional) {
        if (auto state = m_store.fetch_state(strip_userinfo(url)); state && *state) {
            request.if_none_match = (*state)->etag;
            request.if_modified_since = (*state)->last_modified;
        }
    }
    return request;
}

void SourcePoller::send(const std::string& url, bool conditional, std::function<void(FetchResult)> then) {
    m_in_request = true;
    m_request = m_http.fetch(request_for(url, conditional),
                             [this, alive = m_alive, then = std::move(then)](FetchResult result) {
                                 if (!*alive) return;
                                 m_in_request = false;
                                 if (result) m_report.bytes += result->bytes_on_wire;
                                 then(std::move(result));
                             });
}

void SourcePoller::fetch_page(const std::string& url, bool conditional) {
    m_visited_pages.push_back(url);
    send(url, conditional, [this, url](FetchResult result) { on_page(url, std::move(result)); });
}

void SourcePoller::on_page(const std::string& url, FetchResult result) {
    if (!result) return fail(result.error().message);
    const HttpResponse& response = *result;
    bool first = m_report.pages == 0;
    ++m_report.pages;
    if (response.status == 304 && first) {
        ++m_report.not_modified;
        return complete();
    }
    if (response.status == 429 || response.status == 503)
        return fail("HTTP " + std::to_string(response.status) + " from " + redact_url(url), response.retry_after);
    if (response.status != 200) return fail("HTTP " + std::to_string(response.status) + " from " + redact_url(url));
    FetchState state = state_of(url, response);
    if (first && !m_report.sweep) {
        auto old = m_store.fetch_state(state.url);
        if (old && *old && (*old)->content_hash == state.content_hash) {
            ++m_report.not_modified;
            m_page_states.push_back(state);
            return complete();
        }
    }
    m_page_states.push_back(state);
    ParseOptions options;
    options.kind = m_source.kind == SourceKind::feed ? DocKind::feed : DocKind::listing;
    options.url = response.final_url.empty() ? url : response.final_url;
    options.link_pattern = m_source.link_pattern;
    auto parsed = parse_document(response.body, options, Authorities::builtin());
    if (!parsed) return fail(redact_url(url) + ": " + parsed.error().message);
    for (const auto& w : parsed->warnings) m_report.warnings.push_back(redact_url(url) + ": " + w);
    std::size_t listed_before = m_seen.size();
    collect_items(*parsed);
    std::optional<std::string> next;
    if (parsed->next_page && next_page_allowed(*parsed->next_page)) next = *parsed->next_page;
    if (first) return on_first_page(listed_before, std::move(next));
    if (next) return fetch_page(*next, false);
    finish_listing();
}

void SourcePoller::on_first_page(std::size_t listed_before, std::optional<std::string> next) {
    m_page1_items = m_seen.size();
    // Page 1's items are seen (so one published now can be withdrawn later); nothing is
    // missed until a walk has read every page.
    if (m_source.kind == SourceKind::listing)
        if (auto r = m_store.note_listed(listed(), context()); !r) return (void)store_failed(r.error());
    auto known = queue_new(listed_before);
    if (!known) return fail(known.error().message);
    // The first item seen before is the boundary: what follows it on the other pages is
    // older. With no boundary on page 1 (all new), page 2 may hold new items too; a page 1
    // that changed and shows nothing new lost or reordered items: walk to learn which.
    std::size_t fresh = m_page1_items - static_cast<std::size_t>(*known);
    if (*known == 0 || fresh == 0) m_walk = true;
    m_next_page = std::move(next);
    // Without a next page, page 1 is the whole listing: this pass reads every page.
    if (!m_next_page) m_walk = true;
    next_item();
}

void SourcePoller::collect_items(const ParseResult& listing) {
    for (const auto& item : listing.items) {
        if (!follows(item.url)) {
            if (m_report.skipped_hosts++ == 0) m_first_skipped = item.url;
            continue;
        }
        if (std::find(m_seen.begin(), m_seen.end(), item.url) == m_seen.end()) m_seen.push_back(item.url);
    }
    m_report.items = static_cast<int>(m_seen.size());
}

bool SourcePoller::next_page_allowed(const std::string& next) {
    if (m_report.pages >= m_daemon.max_pages) return false;
    if (std::find(m_visited_pages.begin(), m_visited_pages.end(), next) != m_visited_pages.end()) return false;
    if (!follows(next)) {
        m_report.warnings.push_back("next page " + redact_url(next) +
                                    " is on a host or port this source does not allow");
        return false;
    }
    return true;
}

tl::expected<int, StoreError> SourcePoller::queue_new(std::size_t from) {
    int known = 0;
    for (std::size_t i = from; i < m_seen.size(); ++i) {
        auto state = m_store.fetch_state(strip_userinfo(m_seen[i]));
        if (!state) return tl::unexpected(state.error());
        if (*state) {
            ++known;
        } else if (m_queued < static_cast<std::size_t>(m_daemon.max_items)) {
            m_queue.push_back(Item{m_seen[i], std::nullopt});
            ++m_queued;
        } else {
            ++m_waiting;
        }
    }
    return known;
}

std::vector<std::string> SourcePoller::listed() const {
    std::vector<std::string> urls;
    for (const auto& url : m_seen) urls.push_back(strip_userinfo(url));
    return urls;
}

void SourcePoller::finish_listing() {
    m_listing_done = true;
    if (m_source.kind == SourceKind::listing) {
        // Feeds drop old items by design; only a listing's misses can mean a withdrawal.
        auto noted =
            m_store.note_listing(listed(), context(), m_daemon.withdraw_after_misses, strip_userinfo(m_source.url));
        if (!noted) return fail(noted.error().message);
        committed(noted->events);
    }
    m_report.walked = true;
    // Page 1's items were queued (and fetched) before the walk; now the other pages'.
    if (auto queued = queue_new(m_page1_items); !queued) return fail(queued.error().message);
    next_item();
}

void SourcePoller::next_item() {
    if (m_queue.empty()) return items_done();
    Item item = std::move(m_queue.front());
    m_queue.pop_front();
    fetch_item(item.url,
               [this, item](std::optional<Fetched> fetched) mutable { on_item(std::move(item), std::move(fetched)); });
}

void SourcePoller::items_done() {
    if (m_listing_done) return complete();
    if (!m_walk) return complete();
    if (m_next_page) return fetch_page(*m_next_page, false);
    finish_listing();
}

void SourcePoller::note_warnings() {
    if (m_report.skipped_hosts > 0)
        m_report.warnings.push_back(std::to_string(m_report.skipped_hosts) +
                                    " listed links go to hosts or ports this source does not allow (allowed_hosts) and "
                                    "were not followed, first " +
                                    redact_url(m_first_skipped));
    if (m_waiting > 0) {
        m_report.capped = true;
        m_report.warnings.push_back(std::to_string(m_queued + m_waiting) + " new items; following " +
                                    std::to_string(m_queued) + " this poll (max_items), the other " +
                                    std::to_string(m_waiting) + " next poll");
    }
}

void SourcePoller::fetch_item(const std::string& url, std::function<void(std::optional<Fetched>)> then) {
    send(url, false, [this, url, then = std::move(then)](FetchResult result) {
        ++m_report.fetched;
        auto failed = [&](const std::string& why) {
            ++m_report.item_failures;
            m_report.warnings.push_back(why);
            then(std::nullopt);
        };
        if (!result) return failed(result.error().message);
        if (result->status != 200) return failed("HTTP " + std::to_string(result->status) + " from " + redact_url(url));
        ParseOptions options;
        options.kind = m_source.item;
        options.url = result->final_url.empty() ? url : result->final_url;
        auto parsed = parse_document(result->body, options, Authorities::builtin());
        if (!parsed) return failed(redact_url(url) + ": " + parsed.error().message);
        // A report's pages are read together: their warnings are logged once, with its record.
        if (m_source.item != DocKind::report)
            for (const auto& w : parsed->warnings) m_report.warnings.push_back(redact_url(url) + ": " + w);
        then(Fetched{std::move(*parsed), state_of(url, *result)});
    });
}

void SourcePoller::on_item(Item item, std::optional<Fetched> fetched) {
    if (!fetched) return next_item();
    if (item.report) {  // this was the summary page of item.report
        ParseResult merged = merge_report_pages(std::move(item.report->doc), fetched->doc);
        if (record(merged, {item.report->state, fetched->state})) next_item();
        return;
    }
    const ParseResult& doc = fetched->doc;
    bool complete_scores = doc.assessment && doc.assessment->rating &&
                           std::all_of(doc.assessment->scores.begin(), doc.assessment->scores.end(),
                                       [](const auto& s) { return s.has_value(); });
    if (m_source.item == DocKind::report && !complete_scores) {
        auto link = std::find_if(doc.links.begin(), doc.links.end(),
                                 [&](const Link& l) { return is_summary_of(l.url, item.url) && follows(l.url); });
        if (link != doc.links.end()) {
            std::string summary_url = link->url;
            item.report = std::move(fetched);
            return fetch_item(summary_url, [this, item = std::move(item)](std::optional<Fetched> summary) mutable {
                if (!summary) {
                    // Keep what the landing page says, but remember neither page: the
                    // failed summary is an item failure, so both are read again next pass.
                    if (record(item.report->doc, {})) next_item();
                    return;
                }
                on_item(std::move(item), std::move(summary));
            });
        }
    }
    if (record(doc, {fetched->state})) next_item();
}

bool SourcePoller::record(const ParseResult& doc, const std::vector<FetchState>& states) {
    if (m_source.item == DocKind::report)
        for (auto& w : report_warnings(doc)) m_report.warnings.push_back(redact_url(doc.url) + ": " + std::move(w));
    auto recorded = m_store.record_document(doc, context());
    if (!recorded) return store_failed(recorded.error());
    if (recorded->outcome == RecordOutcome::ignored)
        m_report.warnings.push_back(redact_url(doc.url) + ": nothing recorded: " + recorded->reason);
    committed(recorded->events, recorded->history.has_value());
    // A page that no longer reads is read again next pass (the store raises its alarm once),
    // so it recovers as soon as CQC or a new parser makes it readable.
    if (doc.assessment && !doc.assessment->unread.empty()) {
        ++m_report.unread;
        return true;
    }
    // Only now is the page "seen": a page whose record failed is fetched again next pass.
    for (const auto& state : states)
        if (auto r = m_store.put_fetch_state(state); !r) return store_failed(r.error());
    return true;
}

void SourcePoller::committed(const std::vector<Event>& events, bool history) {
    m_report.events.insert(m_report.events.end(), events.begin(), events.end());
    // Called before this pass goes on: the hook may send (the events are stored), not poll.
    if (m_committed && !events.empty()) m_committed(events, m_silent || history);
}

bool SourcePoller::store_failed(const StoreError& error) {
    // Nothing more can be kept this pass: stop, and let the owner back off as for a failed poll.
    fail(error.message);
    return false;
}

FetchState SourcePoller::state_of(const std::string& url, const HttpResponse& response) const {
    FetchState state;
    state.url = strip_userinfo(url);
    state.etag = response.etag;
    state.last_modified = response.last_modified;
    state.content_hash = content_hash(response.body);
    state.last_status = static_cast<int>(response.status);
    state.last_fetch = m_clock.now();
    return state;
}

void SourcePoller::complete() {
    note_warnings();
    // The listing pages are remembered only when every new item was read, so a
    // failed or capped item is looked for again next pass even if the listing is unchanged; so is
    // a report page that no longer reads (but the baseline still ends: its alarm is raised).
    bool everything = m_report.item_failures == 0 && !m_report.capped;
    if (everything && m_report.unread == 0)
        for (const auto& state : m_page_states)
            if (auto r = m_store.put_fetch_state(state); !r) return (void)store_failed(r.error());
    if (everything && m_report.baseline) {
        if (auto r = m_store.note_baseline(m_source.name, m_clock.now()); !r) return (void)store_failed(r.error());
        m_report.baseline_done = true;
    }
    // An unread item may have moved past page 1 by the next pass: walk then.
    if (!everything) m_owe_walk = true;
    if (everything && m_report.walked) {
        m_walked = true;
        m_owe_walk = false;
        m_last_walk = m_clock.steady_now();
    }
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done) done(m_report);
}

void SourcePoller::fail(std::string error, std::optional<std::chrono::seconds> retry_after) {
    m_report.ok = false;
    m_report.error = std::move(error);
    m_report.retry_after = retry_after;
    m_owe_walk = true;
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done) done(m_report);
}

}  // namespace cqcwatch
