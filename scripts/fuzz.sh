#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan) in build-fuzz and runs each for N seconds
# (default 20) with tests/fixtures as the seed corpus. Usage: scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(html email feed parse)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCQCWATCH_FUZZ=ON -DCQCWATCH_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
for t in "${targets[@]}"; do
  corpus=$(mktemp -d)
  find tests/fixtures -type f -size -1000k -exec cp {} "$corpus"/ \;
  echo "fuzz_$t: ${seconds}s"
  build-fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
    -timeout=25 -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
  rm -rf "$corpus"
done
