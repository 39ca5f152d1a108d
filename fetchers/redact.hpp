#pragma once
// URLs as they may appear in logs and error messages: credentials removed.

#include <string>
#include <string_view>

namespace cqcwatch {

/// The URL with any userinfo ("user:pass@") and secret-looking query values replaced by "***".
std::string redact_url(std::string_view url);

}  // namespace cqcwatch
