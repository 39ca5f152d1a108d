#!/bin/bash
# Whole-process cost of one unchanged poll: `cqcwatch poll --once` against urlwatch,
# on the same loopback listing of the test site, in the same run (issue 16's ratio).
#
# usage: bench/urlwatch_compare.sh CQCWATCH_BINARY [CQCWATCH_BINARY ...]
# needs: perf (linux-perf), urlwatch, /usr/bin/time, Debian's /usr/bin/python3.
# Each binary: a baseline pass and one unchanged pass first, then `perf stat -r 20`
# of an unchanged pass (one conditional GET answered 304) and its peak RSS.
# urlwatch: the same listing URL as its only job, its cache primed first, then
# `perf stat -r 10` of an unchanged run. Only 127.0.0.1 is contacted.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 CQCWATCH_BINARY [...]" >&2; exit 2; }
for tool in perf urlwatch /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 2; }
done
dir=$(mktemp -d /tmp/cqcwatch-urlwatch.XXXXXX)
site=""
cleanup() { [ -n "$site" ] && kill "$site" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

. "$here/loopback_site.sh"
start_site "$dir" || { echo "$0: the test site did not start" >&2; exit 1; }
listing_config "$dir/history.db" 5m >"$dir/config.toml"
printf 'name: cqc\nurl: %s\n' "$listing" >"$dir/urls.yaml"
printf 'display:\n  new: false\n  error: true\n  unchanged: false\nreport:\n  stdout:\n    enabled: false\n' \
  >"$dir/urlwatch.yaml"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in "$@"; do
  rm -f "$dir"/history.db*
  "$bin" poll --once --config "$dir/config.toml" >/dev/null 2>&1 || echo "baseline pass failed: $bin"
  "$bin" poll --once --config "$dir/config.toml" >/dev/null 2>&1
  echo "== $bin poll --once (unchanged)"
  perf stat -r 20 -e task-clock,page-faults "$bin" poll --once --config "$dir/config.toml" 2>&1 >/dev/null |
    grep -E 'task-clock|page-faults|elapsed'
  /usr/bin/time -f 'peak RSS %M KiB' "$bin" poll --once --config "$dir/config.toml" 2>&1 >/dev/null | tail -1
done
uw=(urlwatch --urls "$dir/urls.yaml" --config "$dir/urlwatch.yaml" --cache "$dir/cache.db")
"${uw[@]}" >/dev/null 2>&1
echo "== urlwatch $(urlwatch --version 2>/dev/null | awk '{print $2}') (unchanged)"
perf stat -r 10 -e task-clock,page-faults "${uw[@]}" 2>&1 >/dev/null | grep -E 'task-clock|page-faults|elapsed'
/usr/bin/time -f 'peak RSS %M KiB' "${uw[@]}" 2>&1 >/dev/null | tail -1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
