// Any bytes through the GMime email reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)cqcwatch::email_to_document_with_meta(bytes, "https://www.cqc.org.uk/");
    return 0;
}
