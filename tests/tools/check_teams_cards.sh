#!/bin/sh
# format = "teams" checked by Microsoft's Adaptive Cards library (npm `adaptivecards`,
# installed at test time into NPM_DIR, never committed) and rendered by it in headless
# Chromium: `cqcwatch notify-test --event TYPE` posts a sample of every event type to a
# loopback receiver; each card must parse and validate with no error or warning and render
# with the council, the rating and the nine scores visible. The page and a screenshot are
# left in OUT_DIR.
# Usage: check_teams_cards.sh CQCWATCH_BINARY NPM_DIR OUT_DIR
set -eu
bin=$1
npm_dir=$2
out=$(mkdir -p "$3" && cd "$3" && pwd)
tools=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "node/npm missing (scripts/deps.sh installs them)"; exit 1; }
command -v chromium >/dev/null || { echo "chromium missing (scripts/deps.sh installs it)"; exit 1; }
if [ ! -f "$npm_dir/node_modules/adaptivecards/package.json" ]; then
    mkdir -p "$npm_dir"
    timeout 300 npm install --prefix "$npm_dir" --no-audit --no-fund --silent adaptivecards@3 >/dev/null
fi
mkdir -p "$out"
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
/usr/bin/python3 "$tools/webhook_receiver.py" --log "$dir/records.jsonl" > "$dir/port" &
pid=$!
n=0
while ! grep -q PORT "$dir/port" && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
port=$(sed -n 's/^PORT //p' "$dir/port")
[ -n "$port" ] || { echo "receiver did not start"; exit 1; }
cat > "$dir/config.toml" <<TOML
[daemon]
database = "$dir/h.db"
user_agent_contact = "tests@example.org"
[[notifier]]
name = "teams"
kind = "webhook"
format = "teams"
url = "http://127.0.0.1:$port/workflows"
timeout = "5s"
TOML
for type in assessment.published assessment.updated assessment.withdrawn embargo.scheduled embargo.lifted \
            source.failing source.recovered parser.suspect parser.recovered test; do
    "$bin" notify-test teams --event "$type" --config "$dir/config.toml" >/dev/null
done
node "$tools/teams_cards.js" validate "$npm_dir/node_modules" "$dir/records.jsonl" "$out/teams_cards.html"
# Chromium refuses to run as root without --no-sandbox; the page is ours and loads only local files.
chrome() { timeout 120 chromium --headless=new --no-sandbox --disable-gpu --allow-file-access-from-files \
           --user-data-dir="$dir/chromium" "$@" 2>/dev/null; }
chrome --dump-dom "file://$out/teams_cards.html" > "$out/teams_cards.dom.html"
node "$tools/teams_cards.js" rendered "$out/teams_cards.dom.html"
chrome --window-size=800,5200 --hide-scrollbars --screenshot="$out/teams_cards.png" "file://$out/teams_cards.html" >/dev/null
[ -s "$out/teams_cards.png" ] || { echo "no screenshot"; exit 1; }
echo "screenshot: $out/teams_cards.png"
