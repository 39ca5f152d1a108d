// Any bytes through the RSS/Atom reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)cqcwatch::parse_feed(bytes, "https://feeds.example.org/feed");
    return 0;
}
