#include <catch2/catch.hpp>

#include "parsers/report_url.hpp"

using namespace cqcwatch;

namespace {

const std::string k_dir = "/care-services/local-authority-assessment-reports/";
const std::string k_key = k_dir + "kent-0525";

}  // namespace

TEST_CASE("report_url: split_url reads every part and folds the host", "[parsers][report_url]") {
    auto p = split_url("HTTPS://u:p%40ss@WWW.CQC.org.uk.:443/a/b?x=1&y#frag");
    CHECK(p.scheme == "https");
    CHECK(p.userinfo == "u:p%40ss");
    CHECK(p.host == "www.cqc.org.uk");
    CHECK(p.port.empty());  // the default port of https
    CHECK(p.path == "/a/b");
    CHECK(p.query == "x=1&y");
    CHECK(p.fragment == "frag");
    CHECK(split_url("http://127.0.0.1:8080/x").port == "8080");
    CHECK(split_url("http://[::1]:81/x").host == "::1");
    CHECK(split_url("//cqc.org.uk/x").host == "cqc.org.uk");
    CHECK(split_url("/only/a/path?q").path == "/only/a/path");
}

TEST_CASE("report_url: strip_userinfo removes credentials and nothing else", "[parsers][report_url]") {
    CHECK(strip_userinfo("https://user:pw@host:8443/p?a=b#c") == "https://host:8443/p?a=b#c");
    CHECK(strip_userinfo("https://host/p@q") == "https://host/p@q");
    CHECK(strip_userinfo("/relative/u:p@x") == "/relative/u:p@x");
    CHECK(strip_userinfo("//u@host/x") == "//host/x");
}

TEST_CASE("report_url: one report's pages, in every spelling, share one key", "[parsers][report_url]") {
    for (std::string url : {"https://www.cqc.org.uk" + k_dir + "kent-0525", "http://cqc.org.uk" + k_dir + "Kent-0525/",
                            "https://WWW.CQC.ORG.UK.:443" + k_dir + "kent-0525/summary",
                            "http://127.0.0.1:8080" + k_dir + "kent-0525-summary?utm=x#top",
                            "http://localhost:8080" + k_dir + "kent-0525/theme1/needs",
                            "https://user:pw@cqc.org.uk" + k_dir + "kent-0525-theme2-support"}) {
        INFO(url);
        CHECK(report_key(url) == k_key);
        CHECK(report_url_page(url).has_value());
    }
    CHECK(report_key("https://cqc.org.uk" + k_dir + "kent-0524") != k_key);
}

TEST_CASE("report_url: which page a URL names", "[parsers][report_url]") {
    CHECK(report_url_page("https://cqc.org.uk" + k_dir + "kent-0525") == ReportPage::landing);
    CHECK(report_url_page("https://cqc.org.uk" + k_dir + "kent-0525/Summary/") == ReportPage::summary);
    CHECK(report_url_page("https://cqc.org.uk" + k_dir + "kent-0525-summary") == ReportPage::summary);
    CHECK(report_url_page("https://cqc.org.uk" + k_dir + "kent-0525/theme3/safety") == ReportPage::theme);
    CHECK(report_url_page("https://cqc.org.uk" + k_dir + "kent-0525-theme1-support") == ReportPage::theme);
    CHECK(!report_url_page("https://cqc.org.uk/care-services/local-authority-assessment-reports"));
    CHECK(!report_url_page("https://cqc.org.uk" + k_dir));
    CHECK(!report_url_page("https://cqc.org.uk" + k_dir + "kent-0525/contact"));
    CHECK(!report_url_page("https://cqc.org.uk/press-release/kent"));
}

TEST_CASE("report_url: the landing URL keeps the host people use, without credentials or noise",
          "[parsers][report_url]") {
    CHECK(report_landing("https://user:pw@WWW.cqc.org.uk.:443" + k_dir + "Kent-0525/summary?x#y") ==
          "https://www.cqc.org.uk" + k_dir + "Kent-0525");
    CHECK(report_landing("http://127.0.0.1:8080" + k_dir + "kent-0525-summary") ==
          "http://127.0.0.1:8080" + k_dir + "kent-0525");
    CHECK(report_landing("http://[::1]:81" + k_dir + "kent-0525/") == "http://[::1]:81" + k_dir + "kent-0525");
    // Not a CQC report URL: only a summary ending goes.
    CHECK(report_landing("https://example.org/reports/walsall/summary") == "https://example.org/reports/walsall");
    CHECK(report_key("https://example.org/reports/walsall-summary") == "/reports/walsall");
}

TEST_CASE("report_url: the summary link of a report", "[parsers][report_url]") {
    const std::string report = "http://127.0.0.1:8080" + k_dir + "kent-0525";
    CHECK(is_summary_of(report + "/summary", report));
    CHECK(is_summary_of("http://127.0.0.1:8080" + k_dir + "kent-0525-summary", report));
    CHECK_FALSE(is_summary_of(report, report));
    CHECK_FALSE(is_summary_of(report + "/theme1/needs", report));
    CHECK_FALSE(is_summary_of("http://127.0.0.1:8080" + k_dir + "kent-0524/summary", report));
    CHECK(is_summary_url("https://example.org/x/summary/"));
    CHECK_FALSE(is_summary_url("https://example.org/x/summaryish"));
}
