#pragma once
// Watches a mail drop for embargoed press releases and hands each message to the
// daemon, one at a time, in arrival order. Two layouts:
//   Maildir:  <path>/tmp → rename → <path>/new/<name>   handled → <path>/cur/<name>:2,
//   drop dir: <path>/<name> (rename or write+close)     handled → <done_dir>/<name>
// Either way a message that fails goes to <failed_dir>/<name> with <name>.reason beside
// it. A message is moved only after the handler reports it committed, and never
// deleted: a crash in between means it is handed over again at the next start
// (at-least-once; the store treats a repeated release as the same embargo).

#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "fetchers/asio.hpp"

namespace cqcwatch {

/// How the watched directory is organised.
enum class MaildirLayout { automatic, maildir, drop };

/// Where messages arrive and where they go after handling.
struct MaildirOptions {
    std::filesystem::path path;                       ///< the Maildir or drop directory (created 0700 if missing)
    std::filesystem::path done_dir;                   ///< drop layout only; empty = <path>/done (Maildir: <path>/cur)
    std::filesystem::path failed_dir;                 ///< empty = <path>/failed
    MaildirLayout layout = MaildirLayout::automatic;  ///< automatic: Maildir when <path>/new or /cur exists
    std::size_t max_message_bytes = 50u << 20;        ///< larger messages go to failed/ unread
};

/// What the handler reports: success, or why the message is unusable.
using MessageResult = tl::expected<void, std::string>;
/// Call exactly once (from the loop, at any later time) when the message is committed or rejected.
using MessageCompletion = std::function<void(MessageResult)>;
/// Receives the file's current path and its bytes; must not block the loop.
using MessageHandler = std::function<void(std::string path, std::string bytes, MessageCompletion done)>;

/// inotify-driven watcher of a Maildir or drop directory, on the io_context.
class MaildirWatcher {
public:
    /// Nothing happens until start().
    MaildirWatcher(asio::io_context& io, MaildirOptions options, MessageHandler handler);
    /// Stops watching; a message in flight is still moved when its completion is called.
    ~MaildirWatcher();
    MaildirWatcher(const MaildirWatcher&) = delete;
    MaildirWatcher& operator=(const MaildirWatcher&) = delete;

    /// Creates missing directories, starts inotify, queues messages already present (oldest first).
    /// The error says which directory and why (permissions, inotify limits).
    tl::expected<void, std::string> start();
    /// Stops watching and forgets queued messages (they stay where they are).
    void stop();
    /// The layout in use (resolved by start()).
    MaildirLayout layout() const { return m_layout; }
    /// The directory new messages appear in: <path>/new or <path>.
    const std::filesystem::path& incoming_dir() const { return m_incoming; }

    struct Dirs;  ///< resolved directories, shared with completions that outlive the watcher

private:
    tl::expected<void, std::string> prepare_dirs();
    tl::expected<void, std::string> start_inotify();
    void scan_existing();
    void read_events();
    void on_events(std::size_t length);
    void enqueue(const std::string& name);
    void pump();
    void process(const std::string& name);
    void finish(const std::string& name);

    asio::io_context& m_io;
    MaildirOptions m_options;
    MessageHandler m_handler;
    MaildirLayout m_layout = MaildirLayout::automatic;
    std::filesystem::path m_incoming;
    std::shared_ptr<Dirs> m_dirs;
    asio::posix::stream_descriptor m_inotify;
    std::vector<char> m_buffer;
    std::deque<std::string> m_queue;
    std::set<std::string> m_known;  ///< queued or in flight, so a second event is not a second delivery
    bool m_busy = false;
    bool m_running = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

/// True for names the watcher leaves alone: dotfiles, editor and download temp files.
bool maildir_ignored_name(const std::string& name);

}  // namespace cqcwatch
