#include <catch2/catch.hpp>

#include "fetchers/url_host.hpp"

using namespace cqcwatch;

TEST_CASE("url_host: lower-case host without port or userinfo", "[fetchers][url_host]") {
    CHECK(url_host("https://WWW.CQC.org.uk/care-services") == "www.cqc.org.uk");
    CHECK(url_host("http://user:pw@127.0.0.1:8080/x") == "127.0.0.1");
    CHECK(url_host("http://[::1]:80/") == "::1");
    CHECK(url_host("not a url").empty());
}

TEST_CASE("redirect_allowed: the origin's site by default, www or not", "[fetchers][url_host]") {
    CHECK(redirect_allowed("cqc.org.uk", "www.cqc.org.uk", {}));
    CHECK(redirect_allowed("www.cqc.org.uk", "cqc.org.uk", {}));
    CHECK(redirect_allowed("www.cqc.org.uk", "www.cqc.org.uk", {}));
    CHECK(!redirect_allowed("evil.example", "www.cqc.org.uk", {}));
    CHECK(!redirect_allowed("cqc.org.uk.evil.example", "cqc.org.uk", {}));
    CHECK(!redirect_allowed("", "cqc.org.uk", {}));
    CHECK(!redirect_allowed("127.0.0.2", "127.0.0.1", {}));
}

TEST_CASE("redirect_allowed: an explicit list replaces the default", "[fetchers][url_host]") {
    std::vector<std::string> allowed = {"cqc-newsroom.prgloo.com", "WWW.CQC.ORG.UK"};
    CHECK(redirect_allowed("cqc-newsroom.prgloo.com", "www.cqc.org.uk", allowed));
    CHECK(redirect_allowed("cqc.org.uk", "elsewhere.example", allowed));
    CHECK(!redirect_allowed("elsewhere.example", "elsewhere.example", allowed));
}
