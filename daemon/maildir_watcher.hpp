#pragma once
// Watches a mail drop for embargoed press releases and hands each message to the
// daemon, one at a time, in arrival order (one message per turn of the loop). Two layouts:
//   Maildir:  <path>/tmp → rename → <path>/new/<name>   handled → <path>/cur/<name>:2,
//   drop dir: <path>/<name> (rename or write+close)     handled → <done_dir>/<name>
// Either way a message that fails goes to <failed_dir>/<name> with <name>.reason beside
// it. An automatic-layout drop directory in which new/ appears later (an MTA creates
// new/ cur/ tmp/ at its first delivery) becomes a Maildir at once, without a reload.
// A message is moved only after the handler reports it committed, and never
// deleted: a crash in between means it is handed over again at the next start
// (at-least-once; the store treats a repeated release as the same embargo).

#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
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

/// Why a message was not handled.
struct MessageFailure {
    /// Implicit: a handler returns tl::make_unexpected(reason) for a message that is unusable.
    MessageFailure(std::string why, bool keep_it = false) : reason(std::move(why)), keep(keep_it) {}
    std::string reason;
    /// Not the message's fault (the mail module cannot be loaded): it stays in the incoming directory,
    /// read again at the next start or reload, instead of going to failed/.
    bool keep = false;
};
/// What the handler reports: success, or why the message is unusable (or must wait).
using MessageResult = tl::expected<void, MessageFailure>;
/// Receives the file's current path and its bytes; returns once the message is committed or rejected.
using MessageHandler = std::function<MessageResult(const std::string& path, const std::string& bytes)>;

/// inotify-driven watcher of a Maildir or drop directory, on the io_context.
class MaildirWatcher {
public:
    /// Nothing happens until start().
    MaildirWatcher(asio::io_context& io, MaildirOptions options, MessageHandler handler);
    /// Stops watching.
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

    /// Resolved directories.
    struct Dirs {
        std::filesystem::path incoming;
        std::filesystem::path done;
        std::filesystem::path failed;
        bool maildir = false;
    };

private:
    tl::expected<void, std::string> prepare_dirs();
    tl::expected<void, std::string> start_inotify();
    void become_maildir();
    void scan_existing();
    void read_events();
    void on_events(std::size_t length);
    void enqueue(const std::string& name);
    void pump();
    void process(const std::string& name);
    MessageResult handle(const std::filesystem::path& file);

    asio::io_context& m_io;
    MaildirOptions m_options;
    MessageHandler m_handler;
    MaildirLayout m_layout = MaildirLayout::automatic;
    std::filesystem::path m_incoming;
    Dirs m_dirs;
    int m_incoming_watch = -1;  ///< inotify watch on the incoming directory
    int m_root_watch = -1;      ///< automatic drop layout: the root, watched for new/ appearing
    asio::posix::stream_descriptor m_inotify;
    std::vector<char> m_buffer;
    std::deque<std::string> m_queue;
    std::set<std::string> m_known;  ///< queued or posted, so a second event is not a second delivery
    bool m_busy = false;            ///< a message is posted to the loop
    bool m_running = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

/// True for names the watcher leaves alone: dotfiles, editor and download temp files.
bool maildir_ignored_name(const std::string& name);

}  // namespace cqcwatch
