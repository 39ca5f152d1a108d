#!/bin/sh
# Checks systemd/cqcwatch.service offline: `systemd-analyze verify` prints nothing
# and `systemd-analyze security --offline=yes` rates the exposure 1.1 or lower.
# verify needs the Exec*= binaries to exist, so it runs on a copy pointing at the built
# binary (argument 2) in a temporary directory.
# Usage: check_unit.sh UNIT_FILE CQCWATCH_BINARY
set -eu
unit=$1
binary=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing (apt-get install systemd)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^\(Exec[A-Za-z]*=[-+!@:]*\)/usr/bin/cqcwatch #\1$binary #" "$unit" > "$dir/cqcwatch.service"
out=$(systemd-analyze verify "$dir/cqcwatch.service" 2>&1) || { echo "verify failed: $out"; exit 1; }
if [ -n "$out" ]; then echo "verify printed: $out"; exit 1; fi
report=$(systemd-analyze security --offline=yes "$unit" 2>&1) || true
level=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || { echo "no exposure level in: $report"; exit 1; }
echo "exposure $level"
awk -v l="$level" 'BEGIN { exit !(l <= 1.1) }' || { echo "exposure $level is above 1.1"; exit 1; }
