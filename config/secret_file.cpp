#include "config/secret_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
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

std::string world_readable_warning(const fs::path& path) {
    std::error_code ec;
    const fs::perms perms = fs::status(path, ec).permissions();
    if (ec || (perms & fs::perms::others_read) == fs::perms::none) return "";
    return "secret file '" + path.string() + "' is readable by every user (chmod 600 it, or use LoadCredential=)";
}

}  // namespace

tl::expected<SecretRead, std::string> read_secret_file(std::string_view name, const std::filesystem::path& config_dir) {
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
        std::string value(k_max_secret_bytes + 1, '\0');
        in.read(value.data(), static_cast<std::streamsize>(value.size()));
        value.resize(static_cast<std::size_t>(in.gcount()));
        if (value.size() > k_max_secret_bytes)
            return tl::unexpected("file '" + path.string() + "' is larger than " +
                                  std::to_string(k_max_secret_bytes / 1024) + " KiB; a secret file holds one key");
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        if (value.empty()) return tl::unexpected("file '" + path.string() + "' is empty");
        return SecretRead{Secret(std::move(value)), world_readable_warning(path)};
    }
    return tl::unexpected("cannot read '" + std::string(name) + "' (tried " + tried(paths) +
                          "): " + std::strerror(last_errno));
}

}  // namespace cqcwatch
