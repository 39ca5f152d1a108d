#include "config/secret_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace cqcwatch {

namespace {

namespace fs = std::filesystem;

// Where a name may be: the credentials directory first for bare names, then the path itself.
std::vector<fs::path> candidates(std::string_view name, const fs::path& config_dir) {
    std::vector<fs::path> paths;
    const fs::path given{std::string(name)};
    if (name.find('/') == std::string_view::npos)
        if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir && *dir) paths.push_back(fs::path(dir) / given);
    paths.push_back(given.is_absolute() || config_dir.empty() ? given : config_dir / given);
    return paths;
}

std::string tried(const std::vector<fs::path>& paths) {
    std::string out;
    for (const fs::path& p : paths) out += (out.empty() ? "" : ", ") + p.string();
    return out;
}

}  // namespace

tl::expected<Secret, std::string> read_secret_file(std::string_view name, const std::filesystem::path& config_dir) {
    if (name.empty()) return tl::unexpected(std::string("names no file"));
    const std::vector<fs::path> paths = candidates(name, config_dir);
    int last_errno = ENOENT;
    for (const fs::path& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            last_errno = EISDIR;
            continue;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            last_errno = errno != 0 ? errno : ENOENT;
            continue;
        }
        std::ostringstream content;
        content << in.rdbuf();
        std::string value = content.str();
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        if (value.empty()) return tl::unexpected("file '" + path.string() + "' is empty");
        return Secret(std::move(value));
    }
    return tl::unexpected("cannot read '" + std::string(name) + "' (tried " + tried(paths) +
                          "): " + std::strerror(last_errno));
}

}  // namespace cqcwatch
