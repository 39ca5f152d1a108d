#include "daemon/maildir_watcher.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t k_watch_mask = IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// A drop directory that may yet become a Maildir also reports directories created in it.
constexpr std::uint32_t k_root_mask = k_watch_mask | IN_CREATE;

std::string errno_text(int err) { return std::strerror(err); }

// mkdir -p with mode 0700 for every directory it creates (messages are private).
tl::expected<void, std::string> make_private_dirs(const fs::path& dir) {
    if (dir.empty() || fs::is_directory(dir)) {
        return {};
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
        if (auto parent = make_private_dirs(dir.parent_path()); !parent) {
            return parent;
        }
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return tl::make_unexpected("cannot create " + dir.string() + ": " + errno_text(errno));
    }
    if (!fs::is_directory(dir)) {
        return tl::make_unexpected(dir.string() + ": not a directory");
    }
    return {};
}

tl::expected<void, std::string> usable_dir(const fs::path& dir) {
    if (auto made = make_private_dirs(dir); !made) {
        return made;
    }
    if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
        return tl::make_unexpected(dir.string() + ": " + errno_text(errno) + " (need read, write and search)");
    }
    return {};
}

// A name in `dir` that does not exist yet: name, name.1, name.2 … so nothing is overwritten.
fs::path unique_target(const fs::path& dir, const std::string& name, const std::string& suffix) {
    fs::path candidate = dir / (name + suffix);
    for (int n = 1; fs::exists(fs::symlink_status(candidate)) && n < 100000; ++n) {
        candidate = dir / (name + "." + std::to_string(n) + suffix);
    }
    return candidate;
}

tl::expected<void, std::string> move_file(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) == 0) {
        return {};
    }
    if (errno != EXDEV) {
        return tl::make_unexpected("rename " + from.string() + " -> " + to.string() + ": " + errno_text(errno));
    }
    // Another filesystem: copy, then remove the original only once the copy exists.
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::none, ec);
    if (!ec) {
        fs::remove(from, ec);
    }
    if (ec) {
        return tl::make_unexpected("move " + from.string() + " -> " + to.string() + ": " + ec.message());
    }
    return {};
}

void write_reason(const fs::path& file, const std::string& reason) {
    const fs::path reason_path = file.string() + ".reason";
    const fs::path tmp = file.parent_path() / ("." + file.filename().string() + ".reason.tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << reason << '\n';
        if (!out) {
            spdlog::error("maildir: cannot write {}", tmp.string());
            return;
        }
    }
    std::error_code ec;
    fs::rename(tmp, reason_path, ec);
    if (ec) {
        spdlog::error("maildir: cannot write {}: {}", reason_path.string(), ec.message());
    }
}

// Moves a handled message out of the incoming directory. Never deletes it.
void settle(const MaildirWatcher::Dirs& dirs, const std::string& name, const MessageResult& result) {
    const fs::path from = dirs.incoming / name;
    if (!result && result.error().keep) {
        spdlog::error("maildir: {} not read: {}; left in {} until the next start or reload", name,
                      result.error().reason, dirs.incoming.string());
        return;
    }
    fs::path to;
    if (!result) {
        to = unique_target(dirs.failed, name, "");
    } else if (dirs.maildir) {
        const bool has_info = name.find(':') != std::string::npos;
        to = unique_target(dirs.done, name, has_info ? "" : ":2,");
    } else {
        to = unique_target(dirs.done, name, "");
    }
    // done/ is made at the first message, so a drop directory that turns into a Maildir does not keep one.
    if (auto made = usable_dir(to.parent_path()); !made) {
        spdlog::error("maildir: {} (left in place)", made.error());
        return;
    }
    if (auto moved = move_file(from, to); !moved) {
        spdlog::error("maildir: {} (left in place)", moved.error());
        return;
    }
    if (!result) {
        write_reason(to, result.error().reason);
        spdlog::warn("maildir: {} failed: {} -> {}", name, result.error().reason, to.string());
    } else {
        spdlog::info("maildir: {} handled -> {}", name, to.string());
    }
}

tl::expected<std::string, std::string> read_message(const fs::path& file, std::size_t max_bytes) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) {
        return tl::make_unexpected(file.string() + ": " + ec.message());
    }
    if (size > max_bytes) {
        return tl::make_unexpected("message of " + std::to_string(size) + " bytes exceeds the limit of " +
                                   std::to_string(max_bytes));
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        return tl::make_unexpected(file.string() + ": read failed");
    }
    return std::move(bytes).str();
}

}  // namespace

bool maildir_ignored_name(const std::string& name) {
    auto ends_with = [&name](std::string_view suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return name.empty() || name[0] == '.' || name[0] == '#' || ends_with("~") || ends_with(".tmp") ||
           ends_with(".part") || ends_with(".swp") || ends_with(".reason");
}

MaildirWatcher::MaildirWatcher(asio::io_context& io, MaildirOptions options, MessageHandler handler)
    : m_io(io), m_options(std::move(options)), m_handler(std::move(handler)), m_inotify(io), m_buffer(64 * 1024) {}

MaildirWatcher::~MaildirWatcher() {
    *m_alive = false;
    stop();
}

tl::expected<void, std::string> MaildirWatcher::start() {
    auto fail = [this](const std::string& why) {
        return tl::make_unexpected("maildir source " + m_options.path.string() + ": " + why);
    };
    if (auto dirs = prepare_dirs(); !dirs) {
        return fail(dirs.error());
    }
    if (auto watching = start_inotify(); !watching) {
        return fail(watching.error());
    }
    m_running = true;
    read_events();
    scan_existing();
    return {};
}

tl::expected<void, std::string> MaildirWatcher::prepare_dirs() {
    const fs::path& root = m_options.path;
    if (fs::exists(root) && !fs::is_directory(root)) {
        return tl::make_unexpected("not a directory");
    }
    m_layout = m_options.layout;
    if (m_layout == MaildirLayout::automatic) {
        const bool maildir = fs::is_directory(root / "new") || fs::is_directory(root / "cur");
        m_layout = maildir ? MaildirLayout::maildir : MaildirLayout::drop;
    }
    Dirs dirs;
    dirs.maildir = m_layout == MaildirLayout::maildir;
    dirs.incoming = dirs.maildir ? root / "new" : root;
    dirs.done = dirs.maildir ? root / "cur" : (m_options.done_dir.empty() ? root / "done" : m_options.done_dir);
    dirs.failed = m_options.failed_dir.empty() ? root / "failed" : m_options.failed_dir;
    std::vector<fs::path> needed{root, dirs.incoming, dirs.failed};
    if (dirs.maildir) {
        needed.push_back(dirs.done);
        needed.push_back(root / "tmp");
    } else if (m_options.layout == MaildirLayout::drop) {
        needed.push_back(dirs.done);
    }
    for (const fs::path& dir : needed) {
        if (auto ok = usable_dir(dir); !ok) {
            return ok;
        }
    }
    m_incoming = dirs.incoming;
    m_dirs = std::move(dirs);
    return {};
}

tl::expected<void, std::string> MaildirWatcher::start_inotify() {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return tl::make_unexpected("inotify_init1: " + errno_text(err) +
                                   (err == EMFILE ? " (raise fs.inotify.max_user_instances)" : ""));
    }
    const bool may_become_maildir = m_options.layout == MaildirLayout::automatic && !m_dirs.maildir;
    m_incoming_watch = ::inotify_add_watch(fd, m_incoming.c_str(), may_become_maildir ? k_root_mask : k_watch_mask);
    if (m_incoming_watch < 0) {
        const int err = errno;
        ::close(fd);
        return tl::make_unexpected("inotify_add_watch " + m_incoming.string() + ": " + errno_text(err) +
                                   (err == ENOSPC ? " (raise fs.inotify.max_user_watches)" : ""));
    }
    m_root_watch = may_become_maildir ? m_incoming_watch : -1;
    m_inotify.assign(fd);
    return {};
}

// new/ appeared in the drop directory: an MTA's first delivery made it a Maildir. Messages move
// to new/, handled ones to cur/; tmp/ is the MTA's to make (made by us it could be unwritable to it).
void MaildirWatcher::become_maildir() {
    const fs::path& root = m_options.path;
    const int watch = ::inotify_add_watch(m_inotify.native_handle(), (root / "new").c_str(), k_watch_mask);
    if (watch < 0) {
        spdlog::error("maildir: {} became a Maildir but new/ cannot be watched: {}", root.string(), errno_text(errno));
        return;
    }
    spdlog::info("maildir: {} is now a Maildir (new/ appeared); watching {}", root.string(), (root / "new").string());
    m_layout = MaildirLayout::maildir;
    m_dirs.maildir = true;
    m_dirs.incoming = root / "new";
    m_dirs.done = root / "cur";
    m_incoming = m_dirs.incoming;
    m_incoming_watch = watch;
    scan_existing();  // what was delivered between mkdir and our watch
}

void MaildirWatcher::stop() {
    m_running = false;
    for (const std::string& name : m_queue) {
        m_known.erase(name);
    }
    m_queue.clear();
    boost::system::error_code ignored;
    m_inotify.close(ignored);
}

// Messages already waiting, oldest first (mtime, then name: Maildir names begin with a time).
void MaildirWatcher::scan_existing() {
    struct Found {
        fs::file_time_type mtime;
        std::string name;
    };
    std::vector<Found> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_incoming, ec)) {
        std::error_code entry_ec;
        if (entry.is_regular_file(entry_ec) && !maildir_ignored_name(entry.path().filename().string())) {
            found.push_back({entry.last_write_time(entry_ec), entry.path().filename().string()});
        }
    }
    if (ec) {
        spdlog::error("maildir: cannot list {}: {}", m_incoming.string(), ec.message());
    }
    std::sort(found.begin(), found.end(),
              [](const Found& a, const Found& b) { return a.mtime != b.mtime ? a.mtime < b.mtime : a.name < b.name; });
    for (const Found& f : found) {
        enqueue(f.name);
    }
}

void MaildirWatcher::read_events() {
    m_inotify.async_read_some(
        asio::buffer(m_buffer), [this, alive = m_alive](const boost::system::error_code& ec, std::size_t n) {
            if (!*alive || !m_running) {
                return;
            }
            if (ec) {
                spdlog::error("maildir: inotify read on {}: {}; no longer watching", m_incoming.string(), ec.message());
                return;
            }
            on_events(n);
            read_events();
        });
}

void MaildirWatcher::on_events(std::size_t length) {
    std::size_t offset = 0;
    while (offset + sizeof(inotify_event) <= length) {
        inotify_event header{};
        std::memcpy(&header, m_buffer.data() + offset, sizeof header);
        const char* name_start = m_buffer.data() + offset + sizeof header;
        offset += sizeof header + header.len;
        const std::string name = header.len > 0 ? std::string(name_start, ::strnlen(name_start, header.len)) : "";
        if (header.mask & IN_Q_OVERFLOW) {
            spdlog::warn("maildir: inotify queue overflowed on {}; rescanning", m_incoming.string());
            scan_existing();
        } else if (header.wd != m_incoming_watch && header.wd != m_root_watch) {
            continue;  // an event of a watch given up
        } else if (header.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
            spdlog::error("maildir: {} was removed or moved; no longer watching", m_incoming.string());
        } else if ((header.mask & IN_ISDIR) && header.wd == m_root_watch && name == "new" && !m_dirs.maildir) {
            become_maildir();
        } else if (header.wd == m_incoming_watch && !name.empty() && !(header.mask & (IN_ISDIR | IN_CREATE))) {
            enqueue(name);
        }
    }
}

void MaildirWatcher::enqueue(const std::string& name) {
    if (!m_running || maildir_ignored_name(name) || m_known.count(name) != 0) {
        return;
    }
    m_known.insert(name);
    m_queue.push_back(name);
    pump();
}

void MaildirWatcher::pump() {
    if (m_busy || m_queue.empty() || !m_running) {
        return;
    }
    // One message per turn of the loop: a backlog at start-up must not hold up timers and signals.
    m_busy = true;
    asio::post(m_io, [this, alive = m_alive] {
        if (!*alive) {
            return;
        }
        m_busy = false;
        if (m_queue.empty() || !m_running) {
            return;
        }
        std::string name = std::move(m_queue.front());
        m_queue.pop_front();
        process(name);
        m_known.erase(name);
        pump();
    });
}

MessageResult MaildirWatcher::handle(const fs::path& file) {
    auto bytes = read_message(file, m_options.max_message_bytes);
    if (!bytes) {
        return tl::make_unexpected(bytes.error());
    }
    try {
        return m_handler(file.string(), *bytes);
    } catch (const std::exception& e) {
        return tl::make_unexpected(std::string("handler failed: ") + e.what());
    } catch (...) {
        return tl::make_unexpected(std::string("handler failed"));
    }
}

void MaildirWatcher::process(const std::string& name) {
    const fs::path file = m_incoming / name;
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(file, ec))) {
        return;  // gone already (moved by someone else) or not a plain file: not ours to handle
    }
    settle(m_dirs, name, handle(file));
}

}  // namespace cqcwatch
