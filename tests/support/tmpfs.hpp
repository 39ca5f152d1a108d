#pragma once
// A small tmpfs mounted on a fresh temp dir, to fill up under a running daemon.
// Mounting needs root (CI runs as root); can_mount() says whether this process may.

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"

namespace cqcwatch::test {

/// A tmpfs of `size` mounted on a fresh temp dir.
class Tmpfs {
public:
    /// True when this process may mount one (root).
    static bool can_mount() { return ::geteuid() == 0; }
    explicit Tmpfs(const std::string& size) {
        std::string cmd = "mount -t tmpfs -o size=" + size + " cqcwatch-test " + m_dir.path().string();
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("cannot mount a tmpfs (root needed): " + cmd);
    }
    ~Tmpfs() {
        std::string cmd = "umount -l " + m_dir.path().string();
        if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not unmount %s\n", m_dir.path().c_str());
    }
    Tmpfs(const Tmpfs&) = delete;
    Tmpfs& operator=(const Tmpfs&) = delete;
    std::string file(const std::string& name) const { return m_dir.file(name); }
    /// Bytes free.
    unsigned long long free_bytes() const {
        struct statvfs fs {};
        ::statvfs(m_dir.path().c_str(), &fs);
        return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
    }
    /// Writes a filler file until only about `leave` bytes are free (0: until the disk is full).
    void fill(unsigned long long leave) const {
        int fd = ::open(file("filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        REQUIRE(fd >= 0);
        std::string chunk(4096, 'x');
        for (int i = 0; i < 100000 && free_bytes() > leave; ++i)
            if (::write(fd, chunk.data(), chunk.size()) <= 0) break;
        ::close(fd);
    }
    /// Fills again every 100 ms for `span`: a daemon gives its WAL's space back after a write fails
    /// for want of space, so a volume meant to stay full must be topped up while it does.
    void keep_full(std::chrono::milliseconds span) const {
        const auto end = std::chrono::steady_clock::now() + span;
        for (int i = 0; i < 10000 && std::chrono::steady_clock::now() < end; ++i) {
            fill(0);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    /// Removes the filler.
    void unfill() const { std::filesystem::remove(file("filler")); }

private:
    TempDir m_dir{"tmpfs"};
};

}  // namespace cqcwatch::test
