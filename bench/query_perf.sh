#!/usr/bin/env bash
# Before/after figures for the query commands (bench/README.md, "Query commands"):
# for each command, one binary after the other, whole-process wall and CPU
# (perf stat -r N -e task-clock,page-faults) and peak RSS (/usr/bin/time -f %M).
# Usage: bench/query_perf.sh DB BEFORE_BIN AFTER_BIN [ROUTE_CONFIG] [N]
# DB is the history bench_query builds ($TMPDIR/cqcwatch-bench-query-v1.db);
# ROUTE_CONFIG the config it writes beside it (cqcwatch-bench-query.toml).
set -euo pipefail
# report writes a file under $TMPDIR, never /dev/null: binaries before c250a7d renamed their
# temporary over the --output path, and as root that replaced /dev/null with a regular file.
db=$1 before=$2 after=$3
config=${4:-$(dirname "$db")/cqcwatch-bench-query.toml}
runs=${5:-20}
commands=(
  "--version"
  "history"
  "history --authority Walsall"
  "history --latest --limit 0"
  "history --latest --where safeguarding<=1 --where percentage<50 --format json"
  "history --since 7d --format csv"
  "history --format csv"
  "history --format json"
  "show Walsall"
  "show Walsall --format json"
  "compare Walsall Wolverhampton Dudley --format json"
  "compare Walsall"
  "compare --region West_Midlands"
  "compare --region West_Midlands --format json"
  "compare --region london --type london_borough --format csv"
  "changes --since 7d"
  "changes --since 365d --format json"
  "changes --since 3650d --region West_Midlands --rating inadequate"
  "changes --since 3650d --until 30d --type metropolitan --limit 20"
  "changes --since 3650d --include-baseline --format json"
  "history --latest --wide --limit 0"
  "stats"
  "stats --format csv"
  "feed"
  "route-test --type assessment.published --authority Walsall --rating inadequate --config $config"
  "report --format html --output ${TMPDIR:-/tmp}/cqcwatch-bench-report.html"
  "report --region West-Midlands --output ${TMPDIR:-/tmp}/cqcwatch-bench-region.html"
  "report --authority Walsall --output ${TMPDIR:-/tmp}/cqcwatch-bench-card.html"
  "report --authority Walsall --format svg --output ${TMPDIR:-/tmp}/cqcwatch-bench-card.svg"
)
export CQCWATCH_DATABASE=$db
unset CQCWATCH_CONFIG
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   runs per figure: $runs"
printf '| %s | %s | %s | %s | %s |\n' command "wall ms before → after" "CPU ms before → after" \
  "page faults before → after" "peak RSS MiB before → after"
printf '| --- | ---: | ---: | ---: | ---: |\n'
measure() {  # bin args... -> "wall cpu faults rss"
  local out rss
  out=$(perf stat -x, -r "$runs" -e task-clock,page-faults "$@" 2>&1 >/dev/null | grep -E 'task-clock|page-faults')
  rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
  local cpu faults wall
  cpu=$(echo "$out" | awk -F, '/task-clock/ {printf "%.1f", $1}')
  faults=$(echo "$out" | awk -F, '/page-faults/ {print $1}')
  # perf's -x output has no elapsed time: time the same runs with bash's clock.
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  wall=$(awk -v s="$start" -v e="$end" -v n="$runs" 'BEGIN {printf "%.1f", (e - s) / n / 1e6}')
  echo "$wall $cpu $faults $(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')"
}
for c in "${commands[@]}"; do
  read -r -a args <<<"$c"
  read -r bw bc bf br <<<"$(measure "$before" "${args[@]}")"
  read -r aw ac af ar <<<"$(measure "$after" "${args[@]}")"
  printf '| `%s` | %s → %s | %s → %s | %s → %s | %s → %s |\n' "${c/$config/CONFIG}" "$bw" "$aw" "$bc" "$ac" "$bf" "$af" "$br" "$ar"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
