#!/bin/sh
# The Standard Webhooks signature (signature = "standard") checked by an
# independent verifier: the `standardwebhooks` package from the npm registry,
# installed at test time into NPM_DIR (outside the source tree; never committed),
# in a node receiver. `cqcwatch notify-test` must be accepted with the right
# secret and refused with another.
# Usage: check_standard_webhooks.sh CQCWATCH_BINARY NPM_DIR
set -eu
bin=$1
npm_dir=$2
tools=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "node/npm missing (scripts/deps.sh installs them)"; exit 1; }
if [ ! -f "$npm_dir/node_modules/standardwebhooks/package.json" ]; then
    mkdir -p "$npm_dir"
    timeout 300 npm install --prefix "$npm_dir" --no-audit --no-fund --silent standardwebhooks@1 >/dev/null
fi
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
secret="whsec_$(head -c 24 /dev/urandom | base64)"
node "$tools/standard_webhooks_receiver.js" "$npm_dir/node_modules" "$secret" > "$dir/log" &
pid=$!
n=0
while [ ! -s "$dir/log" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
port=$(head -n 1 "$dir/log")
[ -n "$port" ] || { echo "receiver did not start"; exit 1; }
config() {  # $1 = secret file
    cat <<TOML
[daemon]
database = "$dir/h.db"
user_agent_contact = "tests@example.org"
[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:$port/hook"
signature = "standard"
secret_file = "$1"
timeout = "5s"
TOML
}
printf '%s\n' "$secret" > "$dir/good.secret"   # the trailing newline is stripped
printf 'whsec_%s' "$(head -c 24 /dev/urandom | base64)" > "$dir/other.secret"
config "$dir/good.secret" > "$dir/good.toml"
config "$dir/other.secret" > "$dir/other.toml"
"$bin" notify-test hook --config "$dir/good.toml" || { echo "refused with the right secret:"; cat "$dir/log"; exit 1; }
if "$bin" notify-test hook --config "$dir/other.toml" 2> "$dir/err"; then echo "accepted with another secret"; exit 1; fi
grep -q "HTTP 401 from http://127.0.0.1:$port/hook: rejected: No matching signature found" "$dir/err" ||
    { echo "unexpected error:"; cat "$dir/err"; exit 1; }
verified=$(grep -c '"verdict":"verified"' "$dir/log" || true)
rejected=$(grep -c '"verdict":"rejected' "$dir/log" || true)
[ "$verified" = 1 ] && [ "$rejected" = 1 ] || { echo "receiver saw:"; cat "$dir/log"; exit 1; }
echo "standardwebhooks verified cqcwatch's signature and refused another secret's"
