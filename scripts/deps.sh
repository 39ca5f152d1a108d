#!/usr/bin/env bash
# Installs everything cqcwatch needs to build, test and benchmark, from Debian 12's packages.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  cmake make g++ clang pkg-config ccache git ca-certificates tzdata \
  libboost-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev libspdlog-dev catch2 \
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libgmime-3.0-dev \
  libhowardhinnant-date-dev libsystemd-dev libssl-dev libexpected-dev libbenchmark-dev \
  libclang-rt-14-dev python3 python3-aiosmtpd openssl curl sqlite3 systemd dpkg-dev file \
  systemd-container debootstrap chromium python3-feedparser >/dev/null
