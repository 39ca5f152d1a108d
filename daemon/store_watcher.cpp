#include "daemon/store_watcher.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace {

// A writer's commit is a few writes in a row: look once, shortly after the first.
constexpr std::chrono::milliseconds k_settle{20};

std::optional<std::pair<std::uint64_t, std::uint64_t>> file_id(const std::string& path) {
    struct stat st {};
    if (path.empty() || path == ":memory:" || ::stat(path.c_str(), &st) != 0) return std::nullopt;
    return std::pair<std::uint64_t, std::uint64_t>(st.st_dev, st.st_ino);
}

}  // namespace

StoreWatcher::StoreWatcher(asio::io_context& io, Store& store, std::function<void()> on_change,
                           std::chrono::milliseconds slow, std::chrono::milliseconds fallback)
    : m_store(store),
      m_on_change(std::move(on_change)),
      m_slow(slow),
      m_fallback(fallback),
      m_inotify(io),
      m_timer(io),
      m_settle(io),
      m_buffer(16 * 1024) {}

StoreWatcher::~StoreWatcher() { stop(); }

void StoreWatcher::start() {
    m_file = file_id(m_store.path());
    m_seen = m_store.data_version().value_or(-1);  // -1: unknown, so the next check reports a change
    if (!start_inotify()) m_slow = m_fallback;
    arm_slow();
}

void StoreWatcher::stop() {
    m_stopped = true;
    boost::system::error_code ignored;
    m_timer.cancel();
    m_settle.cancel();
    m_inotify.close(ignored);
}

bool StoreWatcher::start_inotify() {
    const std::filesystem::path db(m_store.path());
    const std::string folder = db.has_parent_path() ? db.parent_path().string() : std::string(".");
    m_names[0] = db.filename().string();
    m_names[1] = m_names[0] + "-wal";
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        spdlog::warn("store: inotify_init1: {}; looking for other processes' changes every {} ms instead",
                     std::strerror(errno), m_fallback.count());
        return false;
    }
    // Writes, and the file's arrival or departure (a move or delete the daemon must not write past).
    const std::uint32_t mask =
        IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;
    if (::inotify_add_watch(fd, folder.c_str(), mask) < 0) {
        spdlog::warn("store: inotify_add_watch {}: {}; looking for other processes' changes every {} ms instead",
                     folder, std::strerror(errno), m_fallback.count());
        ::close(fd);
        return false;
    }
    m_inotify.assign(fd);
    read_events();
    return true;
}

void StoreWatcher::read_events() {
    m_inotify.async_read_some(asio::buffer(m_buffer), [this](const boost::system::error_code& ec, std::size_t n) {
        if (m_stopped || ec == asio::error::operation_aborted) return;
        if (ec) {
            spdlog::warn("store: inotify read: {}; looking every {} ms instead", ec.message(), m_fallback.count());
            boost::system::error_code ignored;
            m_inotify.close(ignored);
            m_slow = m_fallback;
            arm_slow();
            return;
        }
        bool ours = false;
        for (std::size_t at = 0; at + sizeof(inotify_event) <= n;) {
            inotify_event event{};
            std::memcpy(&event, m_buffer.data() + at, sizeof event);
            const std::string name = event.len ? std::string(m_buffer.data() + at + sizeof event) : std::string();
            if ((event.mask & IN_Q_OVERFLOW) || name == m_names[0] || name == m_names[1]) ours = true;
            at += sizeof event + event.len;
        }
        if (ours) schedule_check(k_settle);
        read_events();
    });
}

void StoreWatcher::schedule_check(std::chrono::milliseconds delay) {
    if (m_check_pending) return;
    m_check_pending = true;
    m_settle.expires_after(delay);
    m_settle.async_wait([this](const boost::system::error_code& ec) {
        m_check_pending = false;
        if (ec || m_stopped) return;
        check();
    });
}

void StoreWatcher::check() {
    auto version = m_store.data_version().value_or(-1);
    // The daemon's own commit, or nothing (unless the file itself went: the owner must hear of that).
    if (version >= 0 && version == m_seen && !replaced()) return;
    m_seen = version;
    if (m_on_change) m_on_change();
}

std::optional<std::string> StoreWatcher::replaced() const {
    if (!m_file) return std::nullopt;
    const auto now = file_id(m_store.path());
    if (now == m_file) return std::nullopt;
    return m_store.path() + ": the database file was " + (now ? "replaced" : "moved or deleted") +
           " while cqcwatch had it open, so what it writes now would be lost; start cqcwatch again to open the "
           "file now at that path";
}

void StoreWatcher::arm_slow() {
    m_timer.expires_after(m_slow);
    m_timer.async_wait([this](const boost::system::error_code& ec) {
        if (ec || m_stopped) return;
        check();
        arm_slow();
    });
}

}  // namespace cqcwatch
