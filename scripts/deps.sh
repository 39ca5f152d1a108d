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
  libhowardhinnant-date-dev libssl-dev libexpected-dev libkainjow-mustache-dev libbenchmark-dev \
  libclang-rt-14-dev python3 python3-aiosmtpd exim4-daemon-light swaks openssl curl sqlite3 systemd dpkg-dev \
  file systemd-container debootstrap chromium python3-feedparser prometheus libxml2-utils \
  rss2email newsboat >/dev/null
# chromium renders the Teams cards in tests/tools/check_teams_cards.sh and the report and card in
# tests/integration/test_cmd_report.cpp (libxml2-utils: xmllint checks the SVG card). prometheus (with promtool) lints
# and scrapes /metrics in tests/integration/test_daemon_metrics.cpp (its service is not needed);
# rss2email and newsboat poll /feed.atom in tests/integration/test_daemon_feed.cpp.
# node and npm for the Standard Webhooks and Teams card checks (tests/tools/check_*.sh); a node
# from elsewhere (nodesource) is kept, since Debian's npm would conflict with it.
command -v node >/dev/null && command -v npm >/dev/null ||
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
