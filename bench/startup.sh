#!/bin/bash
# Start-up footprint of one-shot commands and the daemon's peak RSS (issue 16), for one or
# more binaries in the same run (before/after side by side).
#
# usage: bench/startup.sh CQCWATCH_BINARY [CQCWATCH_BINARY ...]
# needs: perf (linux-perf), /usr/bin/time, Debian's /usr/bin/python3.
# Each binary, on the loopback test site (tests/tools/cqc_site.py, 3 reports) and a config of
# config.example.toml's shape (one listing source): a baseline pass, then
#   `--version`, `poll --once` (unchanged: one conditional GET answered 304) and `history`,
#   each `perf stat -r 30 -e task-clock,page-faults` and peak RSS (`/usr/bin/time -f %M`);
#   then `run` on a fresh database, 20 s after its start (its baseline pass, then a poll every
#   5 s): VmHWM, VmRSS and the resident memory by mapping (smaps), largest first.
# A binary is run where it is: one built with the mail module finds it beside its directory.
# Only 127.0.0.1 is contacted.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 CQCWATCH_BINARY [...]" >&2; exit 2; }
for tool in perf /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 2; }
done
dir=$(mktemp -d /tmp/cqcwatch-startup.XXXXXX)
site=""
daemon=""
cleanup() {
  [ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null
  [ -n "$site" ] && kill "$site" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

. "$here/loopback_site.sh"
start_site "$dir" || { echo "$0: the test site did not start" >&2; exit 1; }
listing_config "$dir/history.db" 5m >"$dir/config.toml"
listing_config "$dir/daemon.db" 5s >"$dir/daemon.toml"

measure() {  # label, command...
  local label=$1
  shift
  echo "-- $label"
  perf stat -r 30 -e task-clock,page-faults "$@" 2>&1 >/dev/null | grep -E 'task-clock|page-faults|elapsed'
  /usr/bin/time -f 'peak RSS %M KiB' "$@" 2>&1 >/dev/null | tail -1
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in "$@"; do
  echo "== $bin"
  rm -f "$dir"/history.db* "$dir"/daemon.db*
  "$bin" poll --once --config "$dir/config.toml" >/dev/null 2>&1 || echo "baseline pass failed: $bin"
  "$bin" poll --once --config "$dir/config.toml" >/dev/null 2>&1
  measure "--version" "$bin" --version
  measure "poll --once (unchanged)" "$bin" poll --once --config "$dir/config.toml"
  measure "history" "$bin" history --config "$dir/config.toml"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

  "$bin" run --config "$dir/daemon.toml" >/dev/null 2>"$dir/daemon.err" &
  daemon=$!
  sleep 20
  if ! kill -0 "$daemon" 2>/dev/null; then
    echo "the daemon exited:"
    cat "$dir/daemon.err"
    daemon=""
    continue
  fi
  echo "-- run (fresh database, 20 s after start: its baseline pass, then a poll every 5 s)"
  grep -E '^(VmHWM|VmRSS|RssAnon|RssFile)' "/proc/$daemon/status" | tr -s ' \t' ' ' | paste -sd' '
  echo "resident by mapping (KiB, smaps Rss, >= 100 KiB):"
  awk '/^[0-9a-f]+-[0-9a-f]+ /{name = (NF >= 6 ? $6 : "[anon]")} /^Rss:/{rss[name] += $2}
       END {for (n in rss) if (rss[n] >= 100) printf "%7d %s\n", rss[n], n}' "/proc/$daemon/smaps" | sort -rn
  kill -9 "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  daemon=""
done
