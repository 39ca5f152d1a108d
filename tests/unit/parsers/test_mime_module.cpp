// The mail module's loader: what it says about a missing, broken or foreign module, and that
// the real one (built beside the tests) reads a message.

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "parsers/mime_module.hpp"

namespace mime = cqcwatch::mime;

TEST_CASE("mime module: missing, not a shared object, or from another build - each said with its path",
          "[mime_module]") {
    const auto dir = std::filesystem::temp_directory_path() / ("cqcwatch-mime-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string missing = (dir / "nothing.so").string();
    auto none = mime::load_module(missing);
    REQUIRE_FALSE(none);
    CHECK(none.error().rfind(missing + ": cannot open shared object file", 0) == 0);

    const std::string garbage = (dir / "garbage.so").string();
    std::ofstream(garbage) << "not a shared object\n";
    auto broken = mime::load_module(garbage);
    REQUIRE_FALSE(broken);
    CHECK(broken.error().rfind(garbage + ": ", 0) == 0);

    auto other = mime::load_module(CQCWATCH_OTHER_MIME_MODULE);
    REQUIRE_FALSE(other);
    CHECK(other.error() == std::string(CQCWATCH_OTHER_MIME_MODULE) +
                               ": the module is from another build (cqcwatch 0.0.1, interface " +
                               std::to_string(mime::k_abi + 1) + "; this is cqcwatch " + CQCWATCH_VERSION +
                               ", interface " + std::to_string(mime::k_abi) + "): reinstall cqcwatch");
    std::filesystem::remove_all(dir);
}

TEST_CASE("mime module: the one beside the binary loads and reads a message", "[mime_module]") {
    auto api = mime::api();
    INFO(mime::module_path() << ": " << (api ? "" : api.error()));
    REQUIRE(api);
    CHECK((*api)->abi == mime::k_abi);
    mime::Message m;
    REQUIRE((*api)->read_message("Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nContent-Type: text/plain\r\n\r\nhello\r\n", m));
    CHECK(m.subject == "Caf\u00e9");
    REQUIRE(m.bodies.size() == 1);
    CHECK_FALSE(m.bodies[0].html);
    CHECK(m.bodies[0].text.find("hello") != std::string::npos);
}
