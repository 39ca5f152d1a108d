#include "notifiers/signature.hpp"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cqcwatch {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac.data(), &len);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(k_hex[mac[i] >> 4]);
        out.push_back(k_hex[mac[i] & 0x0f]);
    }
    return out;
}

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append(".").append(body);
    return "sha256=" + hmac_sha256_hex(secret, message);
}

}  // namespace cqcwatch
