// Any bytes through the dispatcher, with kind detection.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    cqcwatch::ParseOptions options;
    options.url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/kent-0525";
    options.reference_date = "2025-05-22";
    (void)cqcwatch::parse_document(bytes, options, cqcwatch::Authorities::builtin());
    return 0;
}
