#!/usr/bin/env bash
# Sets up, builds (warnings are errors) and runs every test; then the unit tests
# again under AddressSanitizer and UndefinedBehaviorSanitizer, and a short fuzz
# run of every parser entry point. Under CI (CI=true, as root) it also builds,
# installs and purges the .deb.
#   CQCWATCH_SKIP_ASAN=1   skip the sanitizer build
#   CQCWATCH_FUZZ_SECONDS  seconds per fuzz target (default 10; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then export CQCWATCH_PACKAGE_TEST=1; fi

echo "== build and test (warnings are errors)"
cmake --preset ci >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${CQCWATCH_SKIP_ASAN:-0}" != 1 ]; then
  echo "== unit tests under ASan + UBSan"
  cmake --preset asan >/dev/null
  cmake --build build-asan -j"$jobs" --target test_parsers test_fetchers test_events test_notifiers test_config test_store test_daemon
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -R '^test_(parsers|fetchers|events|notifiers|config|store|daemon):'
fi

seconds=${CQCWATCH_FUZZ_SECONDS:-10}
if [ "$seconds" != 0 ]; then
  echo "== fuzz each parser entry point for ${seconds}s"
  bash scripts/fuzz.sh "$seconds"
fi
