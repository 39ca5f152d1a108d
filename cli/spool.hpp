#pragma once
// Hands a message to the running daemon through the mail spool it watches, for
// an `ingest` that cannot write the database itself (an MTA's pipe runs as
// Debian-exim or postfix, and the database is the service's alone).

#include <filesystem>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace cqcwatch {

/// Writes `message` into `dir` as Maildir delivery does (tmp/ then a rename into new/; a directory
/// without new/ gets a dot-named temporary renamed into place), group-readable (0640) so a daemon
/// in the spool's group can read it. Returns the message's path, or why it could not be written.
tl::expected<std::filesystem::path, std::string> spool_message(const std::filesystem::path& dir,
                                                               std::string_view message);

}  // namespace cqcwatch
