#pragma once
// The webhook signature: receivers recompute it with their copy of the secret
// to know a request came from us and was not replayed with another body.

#include <optional>
#include <string>
#include <string_view>

namespace cqcwatch {

/// "sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed by secret>".
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

/// The key of a Standard Webhooks secret "whsec_<base64>" (bytes), or nullopt when it is not one.
std::optional<std::string> standard_webhooks_key(std::string_view secret);

/// Standard Webhooks' webhook-signature value: "v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">".
std::string sign_standard(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body);

/// Lower-case hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace cqcwatch
