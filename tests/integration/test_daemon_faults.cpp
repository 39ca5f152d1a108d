// The real daemon against a misbehaving site: HTTPS with the test CA, a
// certificate that does not verify, 500s (source.failing once, then
// source.recovered), 429 with Retry-After, a redirect to another host, and a
// hanging source that must not stop another source from being polled.

#include <algorithm>
#include <cctype>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace t = cqcwatch::test;
using namespace std::chrono_literals;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

struct Certs {
    t::TempDir dir{"certs"};
    Certs() {
        std::string cmd = "sh " + std::string(CQCWATCH_TOOLS_DIR) + "/make_certs.sh " + dir.path().string();
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_certs.sh failed");
    }
    std::string file(const std::string& name) const { return dir.file(name); }
};

void publish_two(const t::CqcSite& site) {
    site.publish(t::report("walsall-0126", "Walsall Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}));
    site.publish(t::report("kent-0226", "Kent County Council", "good", {3, 3, 2, 3, 3, 2, 3, 3, 2}));
}

/// Times (unix seconds) of the site's requests for the listing's first page.
std::vector<double> listing_times(const t::CqcSite& site) {
    std::vector<double> out;
    for (const auto& e : site.log())
        if (e["path"] == t::k_listing_path) out.push_back(e["time"].get<double>());
    return out;
}

}  // namespace

TEST_CASE("daemon_faults: HTTPS with the configured test CA works - a certificate that does not verify fails clearly",
          "[daemon][e2e][faults]") {
    Certs certs;
    {
        t::Rig rig({"--empty", "--tls", certs.file("server.pem"), certs.file("server.key")}, certs.file("ca.pem"));
        publish_two(rig.site);
        rig.spec.daemon["ca_file"] = "\"" + certs.file("ca.pem") + "\"";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
        rig.write_config();
        REQUIRE(rig.listing_url().rfind("https://", 0) == 0);
        auto r = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
        INFO(r.err);
        CHECK(r.code == 0);
        CHECK(rig.hist().size() == 2);
    }
    {
        t::Rig rig({"--empty", "--tls", certs.file("other.pem"), certs.file("other.key")});
        rig.spec.daemon["ca_file"] = "\"" + certs.file("ca.pem") + "\"";
        rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
        rig.write_config();
        auto r = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
        INFO(r.err);
        CHECK(r.code == 1);
        CHECK(r.err.find("cqcwatch: poll: reports:") != std::string::npos);
        CHECK(lower(r.err).find("certificate") != std::string::npos);
        CHECK(rig.hist().empty());
        auto status = t::run_cqcwatch({"status", "--database", rig.db()}, rig.dir);
        INFO(status.out);
        CHECK(lower(status.out).find("certificate") != std::string::npos);
    }
}

TEST_CASE("daemon_faults: 500s raise source.failing once at the threshold then source.recovered",
          "[daemon][e2e][faults]") {
    t::Rig rig;
    publish_two(rig.site);
    rig.spec.daemon["failure_threshold"] = "3";
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back(t::webhook_notifier("ops", rig.receiver.url(), rig.secret_file(),
                                                  "events = [\"source.failing\", \"source.recovered\"]\n"));
    auto daemon = rig.start();
    REQUIRE(t::wait_until([&] { return rig.hist().size() == 2; }, 30s));
    rig.site.fault(t::k_listing_path, "500");
    REQUIRE(t::wait_until([&] { return !rig.receiver.delivered().empty(); }, 60s));
    auto failed_at = rig.site.log().size();
    // Keep failing for a few more polls: no second source.failing.
    REQUIRE(t::wait_until([&] { return rig.site.log().size() >= failed_at + 3; }, 30s));
    CHECK(rig.receiver.delivered().size() == 1);
    rig.site.fault(t::k_listing_path, "none");
    REQUIRE(t::wait_until([&] { return rig.receiver.delivered().size() >= 2; }, 30s));
    auto got = rig.receiver.delivered();
    INFO(got.dump(1));
    REQUIRE(got.size() == 2);
    CHECK(t::event_type_of(got[0]) == "source.failing");
    CHECK(t::event_type_of(got[1]) == "source.recovered");
    int fails_before_alert = 0;
    for (const auto& e : rig.site.log())
        if (e["status"] == 500 && e["time"].get<double>() <= got[0]["arrival"].get<double>()) ++fails_before_alert;
    CHECK(fails_before_alert >= 3);
    CHECK(rig.hist().size() == 2);  // nothing withdrawn or stored wrongly
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_faults: a 429 with Retry-After is honoured before the next request", "[daemon][e2e][faults]") {
    t::Rig rig;
    publish_two(rig.site);
    rig.spec.daemon["backoff_cap"] = "\"10s\"";  // the daemon honours Retry-After up to backoff_cap
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    auto daemon = rig.start();
    REQUIRE(t::wait_until([&] { return rig.hist().size() == 2; }, 30s));
    rig.site.fault(t::k_listing_path, "429", {{"retry_after", 4}, {"times", 1}});
    double limited_at = 0;
    REQUIRE(t::wait_until(
        [&] {
            for (const auto& e : rig.site.log())
                if (e["status"] == 429) limited_at = e["time"].get<double>();
            return limited_at > 0;
        },
        20s));
    REQUIRE(t::wait_until([&] { return listing_times(rig.site).back() > limited_at; }, 30s));
    double next = 0;
    for (double at : listing_times(rig.site))
        if (at > limited_at) {
            next = at;
            break;
        }
    INFO("429 at " << limited_at << ", next listing request at " << next);
    CHECK(next >= limited_at + 4.0);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("daemon_faults: a redirect to another host is refused", "[daemon][e2e][faults]") {
    t::Rig rig;
    publish_two(rig.site);
    rig.site.fault(t::k_listing_path, "redirect-other-host");
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.write_config();
    auto r = t::run_cqcwatch({"poll", "--once", "--config", rig.config_path()}, rig.dir);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find("127.0.0.2") != std::string::npos);
    CHECK(lower(r.err).find("redirect") != std::string::npos);
    CHECK(rig.hist().empty());
}

TEST_CASE("daemon_faults: while one source hangs another is still polled", "[daemon][e2e][faults]") {
    t::Rig rig;
    t::CqcSite other({"--empty"});
    publish_two(rig.site);
    rig.spec.daemon["request_timeout"] = "\"60s\"";
    rig.spec.blocks.push_back(t::listing_source("hanging", rig.listing_url()));
    rig.spec.blocks.push_back(t::listing_source("healthy", other.url(t::k_listing_path)));
    rig.site.fault(t::k_listing_path, "hang");
    auto daemon = rig.start();
    REQUIRE(t::wait_until([&] { return !rig.site.log().empty(); }, 20s));
    other.publish(t::report("leeds-0326", "Leeds City Council", "outstanding", {4, 3, 4, 4, 3, 3, 4, 3, 4}));
    bool found = t::wait_until([&] { return t::history_row(rig.hist(), "Leeds").is_object(); }, 20s);
    INFO(daemon->stderr_text());
    CHECK(found);
    CHECK(listing_times(other).size() >= 2);
    CHECK(rig.site.log().size() == 1);  // the hanging request is still the only one
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
