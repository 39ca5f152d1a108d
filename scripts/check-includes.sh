#!/usr/bin/env bash
# Fails when an include points up the layering (or sideways where it must not):
#   parsers, fetchers: nothing of ours      events: parsers      mime (the GMime module): parsers
#   notifiers: events, parsers, fetchers    store: events, parsers
#   config: notifiers, events, parsers, fetchers
#   daemon: config, store, notifiers, events, parsers, fetchers
#   cli: everything; daemon/ only from cli/daemon_start.cpp (the way in for `run` and `poll`)
# Usage: scripts/check-includes.sh [SOURCE_DIR]   (run by ctest as `include_layering`)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
declare -A allowed=(
  [parsers]="parsers" [fetchers]="fetchers" [events]="events parsers" [mime]="mime parsers"
  [notifiers]="notifiers events parsers fetchers" [store]="store events parsers"
  [config]="config notifiers events parsers fetchers"
  [daemon]="daemon config store notifiers events parsers fetchers"
  [cli]="cli config store notifiers events parsers fetchers"
)
bad=0
for folder in "${!allowed[@]}"; do
  for file in "$folder"/*.cpp "$folder"/*.hpp "$folder"/*.in; do
    [ -e "$file" ] || continue
    while IFS=: read -r line target; do
      top=${target%%/*}
      [ "$top" = "$target" ] && continue          # not one of our folders
      [ -d "$top" ] || continue
      ok=0
      for a in ${allowed[$folder]}; do [ "$a" = "$top" ] && ok=1; done
      if [ "$folder/$top" = cli/daemon ] && [ "$file" = cli/daemon_start.cpp ]; then ok=1; fi
      if [ $ok = 0 ]; then
        echo "$file:$line: includes \"$target\": $folder/ may include only ${allowed[$folder]}" >&2
        bad=1
      fi
    done < <(grep -no '^#include "[^"]*"' "$file" | sed 's/#include "\(.*\)"/\1/')
  done
done
[ $bad = 0 ] && echo "includes point down: ok"
exit $bad
