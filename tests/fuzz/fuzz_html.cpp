// Any bytes through the HTML reader and the listing extractor.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/document.hpp"
#include "parsers/listing.hpp"
#include "parsers/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string_view url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";
    if (auto doc = cqcwatch::html_to_document(bytes, url)) {
        (void)cqcwatch::extract_listing(*doc, url, cqcwatch::k_default_report_link_pattern);
    }
    return 0;
}
