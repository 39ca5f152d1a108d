// Any bytes through the GMime email reader.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "parsers/document.hpp"
#include "parsers/mime_module.hpp"

// Without the mail module every input would stop at "cannot read mail" and GMime would go unfuzzed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (auto module = cqcwatch::mime::api(); !module) {
        std::fprintf(stderr, "fuzz_email: %s\n", module.error().c_str());
        std::exit(1);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)cqcwatch::email_to_document_with_meta(bytes, "https://www.cqc.org.uk/");
    return 0;
}
