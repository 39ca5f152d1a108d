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

/// Reads the secret `name` names (trailing newline dropped); the error names the file, never the content.
tl::expected<Secret, std::string> read_secret_file(std::string_view name, const std::filesystem::path& config_dir);

}  // namespace cqcwatch
