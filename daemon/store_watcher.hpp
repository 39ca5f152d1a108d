#pragma once
// Wakes the daemon when another process commits to its database (`cqcwatch
// ingest` from an MTA, `cqcwatch redeliver`), so nothing has to re-read the
// store on a timer. inotify on the database's folder reports writes to the
// database and its -wal file; SQLite's data_version then tells another
// connection's commit from the daemon's own. A slow timer looks anyway, and
// stands in when inotify is unavailable. It also tells the owner when the
// database file itself was moved, replaced or deleted under it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"
#include "fetchers/asio.hpp"

namespace cqcwatch {

/// Calls back on the loop when the store was changed by another connection.
class StoreWatcher {
public:
    /// `on_change` runs on the loop after another connection's commit was seen, or once the
    /// database file was moved, replaced or deleted (replaced()).
    StoreWatcher(asio::io_context& io, Store& store, std::function<void()> on_change,
                 std::chrono::milliseconds slow = std::chrono::seconds(60),
                 std::chrono::milliseconds fallback = std::chrono::seconds(2));
    StoreWatcher(const StoreWatcher&) = delete;
    StoreWatcher& operator=(const StoreWatcher&) = delete;
    ~StoreWatcher();

    /// Starts watching; when inotify cannot be used it warns and looks every `fallback` instead.
    void start();
    /// Stops (no callback after this).
    void stop();
    /// True when inotify is in use (false: timer only).
    bool notified() const { return m_inotify.is_open(); }
    /// Why the file at the store's path is no longer the one open at start() (moved, replaced or
    /// deleted: SQLite writes on to the file it opened, lost at the next start), or nullopt.
    std::optional<std::string> replaced() const;

private:
    bool start_inotify();
    void read_events();
    void schedule_check(std::chrono::milliseconds delay);
    void check();
    void arm_slow();

    Store& m_store;
    std::function<void()> m_on_change;
    std::chrono::milliseconds m_slow;
    std::chrono::milliseconds m_fallback;
    asio::posix::stream_descriptor m_inotify;
    asio::steady_timer m_timer;   ///< the slow look (or the fallback)
    asio::steady_timer m_settle;  ///< coalesces a burst of writes into one look
    bool m_check_pending = false;
    std::vector<char> m_buffer;
    std::string m_names[2];  ///< the database's file name and its -wal
    std::int64_t m_seen = -1;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> m_file;  ///< (device, inode) at start()
    bool m_stopped = false;
};

}  // namespace cqcwatch
