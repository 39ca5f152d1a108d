#pragma once
// Small helpers for notifier tests: temp dirs, files, and bounded loop runs.

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "fetchers/asio.hpp"

namespace cqcwatch::test {

/// A fresh directory under $TMPDIR (or /tmp), removed on destruction.
class TempDir {
public:
    TempDir() {
        std::string base = std::filesystem::temp_directory_path() / "cqcwatch-notify-XXXXXX";
        if (!mkdtemp(base.data())) throw std::runtime_error("mkdtemp failed");
        m_path = base;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

/// Runs the loop until `done()` or `limit` passes; returns done().
template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(20));
        if (io.stopped()) {
            io.restart();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    return done();
}

}  // namespace cqcwatch::test
