// A mail module from "another build": the right entry point, another interface version.
#include "parsers/mime_module.hpp"

namespace {
const cqcwatch::mime::Api k_other{cqcwatch::mime::k_abi + 1, "0.0.1", nullptr, nullptr, nullptr};
}

extern "C" __attribute__((visibility("default"))) const cqcwatch::mime::Api* cqcwatch_mime_api() { return &k_other; }
