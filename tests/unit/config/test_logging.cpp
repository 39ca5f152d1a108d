#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/logging.hpp"

using namespace cqcwatch;

namespace {

// Runs `log` with stderr sent to a temporary file; returns what was written.
template <class F>
std::string capture_stderr(F log) {
    char path[] = "/tmp/cqcwatch-log-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    std::fflush(stderr);
    const int saved = dup(2);
    dup2(fd, 2);
    log();
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    unlink(path);
    return text.str();
}

}  // namespace

TEST_CASE("logging: levels map to syslog priorities journald reads", "[logging]") {
    CHECK(syslog_priority("debug") == 7);
    CHECK(syslog_priority("info") == 6);
    CHECK(syslog_priority("warn") == 4);
    CHECK(syslog_priority("error") == 3);
    CHECK(syslog_priority("critical") == 2);
    CHECK(is_log_level("trace"));
    CHECK_FALSE(is_log_level("verbose"));
    CHECK(log_format_from_key("journal") == LogFormat::journal);
    CHECK(log_format_from_key("text") == LogFormat::text);
    CHECK_FALSE(log_format_from_key("json").has_value());
}

TEST_CASE("logging: journal lines carry a priority prefix and no timestamp - text lines a timestamp", "[logging]") {
    const std::string journal = capture_stderr([] {
        setup_logging("info", LogFormat::journal);
        spdlog::warn("source cqc failing");
        spdlog::debug("not shown at info");
    });
    CHECK(journal == "<4>source cqc failing\n");
    const std::string text = capture_stderr([] {
        setup_logging("debug", LogFormat::text);
        spdlog::info("started");
    });
    CHECK(text.size() > 30);
    CHECK(text.substr(4, 1) == "-");
    CHECK(text.find("T") == 10);
    CHECK(text.find(" [info] started\n") != std::string::npos);
    setup_logging("info", LogFormat::text);
}
