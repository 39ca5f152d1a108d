#include "cli/spool.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cqcwatch {

namespace {

namespace fs = std::filesystem;

std::string errno_text(const std::string& what, const fs::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

/// "<seconds>.M<micros>P<pid>Q<n>.<host>": unique on this host, as the Maildir convention asks.
std::string unique_name() {
    static unsigned counter = 0;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - secs).count();
    char host[256] = "localhost";
    ::gethostname(host, sizeof host - 1);
    for (char* c = host; *c; ++c)
        if (*c == '/' || *c == ':') *c = '_';
    return std::to_string(secs.count()) + ".M" + std::to_string(micros) + "P" + std::to_string(::getpid()) + "Q" +
           std::to_string(++counter) + "." + host;
}

tl::expected<void, std::string> write_all(const fs::path& path, std::string_view bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) return tl::unexpected(errno_text("cannot create", path));
    // The caller's umask (an MTA's is often 077) must not take the group's read away.
    bool ok = ::fchmod(fd, 0640) == 0;
    for (std::size_t done = 0; ok && done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    std::string error = ok ? "" : errno_text("cannot write", path);
    if (::close(fd) != 0 && ok) error = errno_text("cannot write", path);
    if (!error.empty()) {
        ::unlink(path.c_str());
        return tl::unexpected(error);
    }
    return {};
}

}  // namespace

tl::expected<fs::path, std::string> spool_message(const fs::path& dir, std::string_view message) {
    std::error_code ec;
    const bool maildir = fs::is_directory(dir / "new", ec);
    if (!maildir && !fs::is_directory(dir, ec)) return tl::unexpected("spool " + dir.string() + ": not a directory");
    const std::string name = unique_name();
    const fs::path staging = maildir ? dir / "tmp" / name : dir / ("." + name + ".tmp");
    const fs::path target = maildir ? dir / "new" / name : dir / name;
    if (auto written = write_all(staging, message); !written) return tl::unexpected("spool: " + written.error());
    if (::rename(staging.c_str(), target.c_str()) != 0) {
        std::string error = "spool: " + errno_text("cannot rename into", target);
        ::unlink(staging.c_str());
        return tl::unexpected(error);
    }
    return target;
}

}  // namespace cqcwatch
