// Which requests share a politeness queue: one site (www. or not) on one port.

#include <catch2/catch.hpp>

#include "fetchers/host_gate.hpp"

TEST_CASE("fetch politeness: www and bare host share a queue, other ports do not", "[fetchers][polite]") {
    using cqcwatch::server_key;
    CHECK(server_key("https://www.cqc.org.uk/a") == server_key("https://cqc.org.uk/b?page=2"));
    CHECK(server_key("https://cqc.org.uk/a") == "cqc.org.uk:443");
    CHECK(server_key("http://127.0.0.1:8080/x") == "127.0.0.1:8080");
    CHECK(server_key("http://127.0.0.1:8080/x") != server_key("http://127.0.0.1:8081/x"));
    CHECK(server_key("http://user:pw@example.org/") == "example.org:80");
}
