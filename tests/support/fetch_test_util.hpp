#pragma once
// Shared by the fetchers tests: run the loop until something happened, with a deadline;
// test certificates made once per test process.

#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fetchers/asio.hpp"

namespace cqcwatch::test {

/// Runs `io` until `done()` holds, the loop runs out of work, or `limit` passes; returns done().
template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) break;
        if (io.stopped()) io.restart();
        if (io.run_one_for(deadline - now) == 0 && io.stopped()) break;  // no work left
    }
    return done();
}

/// A fresh temporary directory (mkdtemp), not removed: it lives under /tmp.
inline std::string make_temp_dir() {
    std::string pattern = "/tmp/cqcwatch-fetch-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

/// Directory with ca.pem, server.pem/key (signed by the CA) and other.pem/key (not), made once.
inline const std::string& test_certs() {
    static const std::string dir = [] {
        std::string d = make_temp_dir();
        std::string cmd = std::string(CQCWATCH_TOOLS_DIR) + "/make_certs.sh " + d;
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_certs.sh failed");
        return d;
    }();
    return dir;
}

}  // namespace cqcwatch::test
