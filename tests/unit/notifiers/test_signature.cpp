#include <catch2/catch.hpp>

#include "notifiers/signature.hpp"

using cqcwatch::hmac_sha256_hex;
using cqcwatch::sign;

TEST_CASE("notifiers signature: HMAC-SHA256 matches RFC 4231 test case 2", "[notifiers][signature]") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("notifiers signature: signs timestamp dot body like openssl dgst -hmac", "[notifiers][signature]") {
    // printf '%s' '1769126460.{"id":"evt_1"}' | openssl dgst -sha256 -hmac topsecret
    CHECK(sign("topsecret", "1769126460", R"({"id":"evt_1"})") ==
          "sha256=2398644a90f48fa196afffcc00a1c07ff075964880f90c743e58f8f99a04f575");
}

TEST_CASE("notifiers signature: a different body or timestamp changes the signature", "[notifiers][signature]") {
    auto base = sign("k", "1", "body");
    CHECK(sign("k", "2", "body") != base);
    CHECK(sign("k", "1", "bodY") != base);
    CHECK(sign("K", "1", "body") != base);
    CHECK(base.rfind("sha256=", 0) == 0);
    CHECK(base.size() == 7 + 64);
}

TEST_CASE("signature: Standard Webhooks secret and v1 signature", "[notifiers][signature]") {
    // The Standard Webhooks specification's own example.
    auto key = cqcwatch::standard_webhooks_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    REQUIRE(key);
    CHECK(cqcwatch::sign_standard(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                  R"({"test": 2432232314})") == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK_FALSE(cqcwatch::standard_webhooks_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    CHECK_FALSE(cqcwatch::standard_webhooks_key("whsec_not base64!"));
    CHECK_FALSE(cqcwatch::standard_webhooks_key("whsec_"));
}
