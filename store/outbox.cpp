// The outbox: one delivery row per (event, notifier). At least once, in event
// order per notifier: only the head of a notifier's released queue can be due.

#include <algorithm>

#include "store/sql.hpp"

namespace cqcwatch {

using namespace store_detail;

namespace {

const std::string k_delivery_columns =
    std::string(
        "SELECT d.id, d.notifier, ev.id, ev.type, ev.occurred_ms, ev.body, d.event_seq, d.status, d.attempts, "
        "d.created_ms, d.not_before_ms, d.next_attempt_ms, ") +
    k_held_by_embargo +
    ", d.finished_ms, d.last_error, d.summary FROM deliveries d JOIN events ev ON ev.seq = d.event_seq ";

Delivery read_delivery(const Stmt& s) {
    Delivery d;
    d.id = s.integer(0);
    d.notifier = s.text(1);
    d.event = {s.text(2), s.text(3), rfc3339(from_unix_ms(s.integer(4))), nlohmann::json::parse(s.text(5))};
    d.event_seq = s.integer(6);
    d.status = delivery_status_from_key(s.text(7)).value_or(DeliveryStatus::pending);
    d.attempts = static_cast<int>(s.integer(8));
    d.created_at = from_unix_ms(s.integer(9));
    d.not_before = from_unix_ms(s.integer(10));
    d.next_attempt_at = from_unix_ms(s.integer(11));
    d.held = s.integer(12) != 0;
    if (auto f = s.opt_integer(13)) d.finished_at = from_unix_ms(*f);
    d.last_error = s.text(14);
    d.summary = s.text(15);
    return d;
}

std::vector<std::string> notifiers_with_pending(Connection& db) {
    Stmt s(db, "SELECT DISTINCT notifier FROM deliveries WHERE status = 'pending'");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

// The first released pending delivery of each notifier: where the embargo is enforced.
std::vector<Delivery> queue_heads(Connection& db) {
    Stmt head(db, k_delivery_columns + "WHERE d.notifier = ? AND d.status = 'pending' AND NOT " + k_held_by_embargo +
                      " ORDER BY d.order_seq LIMIT 1");
    std::vector<Delivery> out;
    for (const auto& name : notifiers_with_pending(db)) {
        head.bind(1, name);
        if (head.step()) out.push_back(read_delivery(head));
        head.reset();
    }
    return out;
}

TimePoint due_at(const Delivery& d) { return std::max(d.not_before, d.next_attempt_at); }

}  // namespace

tl::expected<std::vector<Delivery>, StoreError> Store::due_deliveries(TimePoint now, std::size_t limit) const {
    return guarded(m_path, [&] {
        std::vector<Delivery> heads = queue_heads(*m_db);
        std::vector<Delivery> due;
        for (auto& d : heads)
            if (due_at(d) <= now) due.push_back(std::move(d));
        std::sort(due.begin(), due.end(),
                  [](const Delivery& a, const Delivery& b) { return a.event_seq < b.event_seq; });
        if (due.size() > limit) due.resize(limit);
        return due;
    });
}

tl::expected<std::optional<TimePoint>, StoreError> Store::next_due_time() const {
    return guarded(m_path, [&] {
        std::optional<TimePoint> next;
        for (const auto& d : queue_heads(*m_db))
            if (!next || due_at(d) < *next) next = due_at(d);
        return next;
    });
}

tl::expected<void, StoreError> Store::mark_sent(std::int64_t id, TimePoint now, std::string_view summary) {
    return guarded(m_path, [&] {
        Stmt s(*m_db,
               "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, finished_ms = ?, "
               "summary = ?, last_error = '' WHERE id = ?");
        s.bind(1, to_unix_ms(now)).bind(2, summary).bind(3, id).run();
    });
}

tl::expected<void, StoreError> Store::mark_failed(std::int64_t id, TimePoint now, std::string_view error,
                                                  TimePoint next_attempt_at) {
    (void)now;
    return guarded(m_path, [&] {
        Stmt s(*m_db,
               "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ? "
               "WHERE id = ? AND status = 'pending'");
        s.bind(1, error).bind(2, to_unix_ms(next_attempt_at)).bind(3, id).run();
    });
}

tl::expected<void, StoreError> Store::mark_dead(std::int64_t id, TimePoint now, std::string_view error) {
    return guarded(m_path, [&] {
        Stmt s(*m_db,
               "UPDATE deliveries SET status = 'dead', attempts = attempts + 1, finished_ms = ?, "
               "last_error = ? WHERE id = ?");
        s.bind(1, to_unix_ms(now)).bind(2, error).bind(3, id).run();
    });
}

tl::expected<std::vector<std::int64_t>, StoreError> Store::requeue(const std::vector<std::int64_t>& ids,
                                                                   TimePoint now) {
    return guarded(m_path, [&] {
        Transaction txn(*m_db);
        Stmt s(*m_db,
               "UPDATE deliveries SET status = 'pending', finished_ms = NULL, next_attempt_ms = ?1, "
               "not_before_ms = min(not_before_ms, ?1) WHERE id = ?2 AND status = 'dead'");
        std::vector<std::int64_t> done;
        for (auto id : ids) {
            s.bind(1, to_unix_ms(now)).bind(2, id).run();
            if (sqlite3_changes(m_db->raw()) > 0) done.push_back(id);
            s.reset();
        }
        txn.commit();
        return done;
    });
}

tl::expected<std::vector<std::int64_t>, StoreError> Store::deliveries_of_event(std::string_view event_id) const {
    return guarded(m_path, [&] {
        Stmt s(*m_db,
               "SELECT d.id FROM deliveries d JOIN events ev ON ev.seq = d.event_seq WHERE ev.id = ? "
               "ORDER BY d.id");
        s.bind(1, event_id);
        std::vector<std::int64_t> out;
        while (s.step()) out.push_back(s.integer(0));
        return out;
    });
}

tl::expected<std::vector<Delivery>, StoreError> Store::list_deliveries(std::optional<DeliveryStatus> status,
                                                                       std::size_t limit) const {
    return guarded(m_path, [&] {
        std::string sql = k_delivery_columns;
        if (status) sql += "WHERE d.status = ? ";
        sql += "ORDER BY d.id DESC";
        if (limit) sql += " LIMIT " + std::to_string(limit);
        Stmt s(*m_db, sql);
        if (status) s.bind(1, to_key(*status));
        std::vector<Delivery> out;
        while (s.step()) out.push_back(read_delivery(s));
        return out;
    });
}

tl::expected<DeliveryCounts, StoreError> Store::delivery_counts() const {
    return guarded(m_path, [&] {
        Stmt s(*m_db, std::string("SELECT d.status, count(*), sum(") + k_held_by_embargo +
                               ") FROM deliveries d JOIN events ev ON ev.seq = d.event_seq GROUP BY d.status");
        DeliveryCounts c;
        while (s.step()) {
            auto st = delivery_status_from_key(s.text(0));
            if (st == DeliveryStatus::pending) c.pending = s.integer(1), c.held = s.integer(2);
            if (st == DeliveryStatus::sent) c.sent = s.integer(1);
            if (st == DeliveryStatus::dead) c.dead = s.integer(1);
        }
        return c;
    });
}

tl::expected<std::optional<std::chrono::seconds>, StoreError> Store::oldest_pending_age(TimePoint now) const {
    return guarded(m_path, [&]() -> std::optional<std::chrono::seconds> {
        Stmt s(*m_db,
               std::string("SELECT min(max(d.created_ms, d.not_before_ms)) FROM deliveries d JOIN events ev "
                           "ON ev.seq = d.event_seq WHERE d.status = 'pending' AND NOT ") +
                   k_held_by_embargo);
        if (!s.step() || s.is_null(0)) return std::nullopt;
        auto age = std::chrono::duration_cast<std::chrono::seconds>(now - from_unix_ms(s.integer(0)));
        return std::max(age, std::chrono::seconds(0));
    });
}

}  // namespace cqcwatch
