#!/usr/bin/env bash
# Sets up, builds, and runs the daemon in the foreground on config.example.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset default >/dev/null
cmake --build build -j"$(nproc)" --target cqcwatch
mkdir -p /var/lib/cqcwatch
exec build/cli/cqcwatch run --config config.example.toml "$@"
