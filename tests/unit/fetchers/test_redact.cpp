#include <catch2/catch.hpp>

#include "fetchers/redact.hpp"

using cqcwatch::redact_url;

TEST_CASE("redact_url: userinfo is replaced, the rest kept", "[fetchers][redact]") {
    CHECK(redact_url("https://user:s3cret@hooks.example.org/cqc") == "https://***@hooks.example.org/cqc");
    CHECK(redact_url("smtp://mailer@mail.example.org:587") == "smtp://***@mail.example.org:587");
    CHECK(redact_url("https://a:b@c@example.org/") == "https://***@example.org/");
}

TEST_CASE("redact_url: secret query values are replaced", "[fetchers][redact]") {
    CHECK(redact_url("https://x.org/hook?token=abc&page=2") == "https://x.org/hook?token=***&page=2");
    CHECK(redact_url("https://x.org/?page=2&API_KEY=k#frag") == "https://x.org/?page=2&API_KEY=***#frag");
    CHECK(redact_url("https://x.org/p?sig=1&signature=2&password=3") ==
          "https://x.org/p?sig=***&signature=***&password=***");
}

TEST_CASE("redact_url: URLs without secrets are unchanged", "[fetchers][redact]") {
    const char* plain[] = {
        "https://www.cqc.org.uk/care-services/local-authority-assessment-reports?page=2",
        "http://127.0.0.1:8080/",
        "https://example.org/a@b",  // '@' in the path is not userinfo
        "https://example.org",
        "",
        "not a url",
    };
    for (const char* url : plain) CHECK(redact_url(url) == url);
}
