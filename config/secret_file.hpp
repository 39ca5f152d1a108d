#pragma once
// Secrets come from files, never from the config text: `secret_file = "x"`.
// A bare name (no '/') is looked up first in $CREDENTIALS_DIRECTORY, where
// systemd puts LoadCredential= files, then beside the config file.

#include <filesystem>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "notifiers/notifier_config.hpp"

namespace cqcwatch {

/// Largest secret file read: a key or password, not a stream (`/dev/zero` is refused, not read forever).
inline constexpr std::size_t k_max_secret_bytes = 64 * 1024;

/// A secret and, when the file is readable by every user, a warning that says so.
struct SecretRead {
    Secret secret;
    std::string warning;  ///< empty when the file's mode is fine
};

/// Reads the secret `name` names (trailing newline dropped); the error names the file, never the content.
tl::expected<SecretRead, std::string> read_secret_file(std::string_view name, const std::filesystem::path& config_dir);

}  // namespace cqcwatch
