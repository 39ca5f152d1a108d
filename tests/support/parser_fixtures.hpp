#pragma once
// Reads the hand-written parser fixtures in tests/fixtures/parsers/.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cqcwatch::test {

/// The bytes of tests/fixtures/parsers/<name>; throws if missing so the test fails loudly.
inline std::string parser_fixture(const std::string& name) {
    const std::string path = std::string(CQCWATCH_FIXTURES_DIR) + "/parsers/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("missing fixture " + path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The CQC listing URL the fixtures were written for.
inline constexpr const char* k_listing_url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";

}  // namespace cqcwatch::test
