#!/usr/bin/env bash
# Boots Debian 12's systemd as PID 1 in systemd-nspawn with the .deb installed and
# checks the unit the way an operator sees it, through systemctl and journalctl:
# Type=notify start and STATUS=, journal priorities, the DynamicUser state, reload
# with a good and a broken config, the watchdog, kill -9 with an alert pending,
# LoadCredential, `systemd-analyze security`, stop, upgrade, remove and purge; and
# the README's Postfix intake steps against Debian's Postfix (tests/tools/nspawn_postfix.sh).
# The test site and webhook receiver run inside the container (it has only its
# own loopback). Prints PASS/FAIL per check; exits 1 if any failed.
#
# Needs root, debootstrap and systemd-nspawn (package systemd-container); ctest
# registers it only when CQCWATCH_PACKAGE_TEST=1 (CI). Everything it makes on
# the host (rootfs, cgroups, the container) goes away on exit, failure included.
# Usage: check_systemd.sh BUILD_DIR
#   CQCWATCH_NSPAWN_CACHE  debootstrap's --cache-dir (default /var/cache/cqcwatch-debootstrap)
#   CQCWATCH_NSPAWN_SEED   a rootfs made earlier by the same debootstrap (same --include), copied instead (for reruns)
set -euo pipefail
build=$(cd "$1" && pwd)
tools=$(cd "$(dirname "$0")" && pwd)
cache=${CQCWATCH_NSPAWN_CACHE:-/var/cache/cqcwatch-debootstrap}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
for tool in debootstrap systemd-nspawn nsenter dpkg-deb cpack /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (bash scripts/deps.sh)"; exit 1; }
done

failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# check DESCRIPTION COMMAND...: PASS or FAIL by the command's status.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
# wait_for SECONDS COMMAND...: true once the command succeeds, polled every 0.25 s.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.25
    done
}

work=$(mktemp -d /var/tmp/cqcwatch-nspawn.XXXXXX)
root=$work/rootfs
machine=cqcwatch-test-$$
cg_name=cqcwatch-nspawn-$$
cg_roots=()
nspawn_pid=
leader=

# Every process in our own cgroups: the container and nothing else.
cgroup_pids() {
    local r
    for r in "${cg_roots[@]}"; do
        [ -d "$r/$cg_name" ] && find "$r/$cg_name" -name cgroup.procs -exec cat {} + 2>/dev/null
    done | sort -u
}

cleanup() {
    local rc=$? r pid
    trap - EXIT INT TERM
    if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
        [ -n "$leader" ] && timeout 20 nsenter -t "$leader" -a systemctl poweroff >/dev/null 2>&1 || true
        for _ in $(seq 1 120); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.25; done
        if kill -0 "$nspawn_pid" 2>/dev/null; then
            echo "container did not power off in 30 s; killing it"
            kill -TERM "$nspawn_pid" 2>/dev/null || true
            sleep 2
            for pid in $(cgroup_pids); do kill -KILL "$pid" 2>/dev/null || true; done
        fi
        wait "$nspawn_pid" 2>/dev/null || true
    fi
    for r in "${cg_roots[@]}"; do
        [ -d "$r/$cg_name" ] && find "$r/$cg_name" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [ -d "$r/$cg_name" ] && echo "left behind: cgroup $r/$cg_name"
    done
    [ "$rc" = 0 ] || { echo "nspawn's output:"; tail -n 20 "$work/nspawn.log" 2>/dev/null | sed 's/^/  /'; }
    # nspawn leaves its propagation directory behind.
    rm -rf "/run/systemd/nspawn/propagate/$machine"
    rmdir /run/systemd/nspawn/propagate /run/systemd/nspawn/locks /run/systemd/nspawn 2>/dev/null || true
    awk -v w="$work" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r umount -l
    rm -rf --one-file-system "$work"
    echo "cleaned up (${SECONDS} s in all)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the packages: the build's .deb and an "upgrade" of it with a higher version
cmake --build "$build" --target cqcwatch >/dev/null
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null)
deb=$(ls "$work"/cqcwatch_*.deb)
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -R "$deb" "$work/unpacked"
sed -i "s/^Version: .*/Version: $version+ci1/" "$work/unpacked/DEBIAN/control"
dpkg-deb -b "$work/unpacked" "$work/upgrade.deb" >/dev/null
echo "package $(basename "$deb") and an upgrade to $version+ci1"

# --- a minimal Debian 12 with the package's run-time dependencies
mirror_of_host() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        awk '/^URIs:/ {u = $2} /^Suites:/ {if ($0 ~ /[ \t]bookworm([ \t]|$)/) {print u; exit}} /^$/ {u = ""}' "$f"
    done
    if [ -e /etc/apt/sources.list ]; then
        awk '$1 == "deb" && $2 !~ /^\[/ && $3 == "bookworm" {print $2}' /etc/apt/sources.list
    fi
}
mirror=$(mirror_of_host | head -n 1)
[ -n "$mirror" ] || { echo "no bookworm mirror in the host's apt sources"; exit 1; }
# --include takes real packages only: a virtual dependency becomes its first provider.
real_package() {
    if [ -n "$(apt-cache show --no-all-versions "$1" 2>/dev/null)" ]; then
        echo "$1"
    else
        apt-cache showpkg "$1" | sed -n '/^Reverse Provides:/,$p' | sed -n '2s/ .*//p'
    fi
}
# Postfix and swaks for the README's Postfix steps (Postfix conflicts with the host's Exim).
include=systemd,systemd-sysv,libnss-systemd,dbus,python3,curl,sqlite3,postfix,swaks
for dep in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g'); do
    include=$include,$(real_package "$dep")
done
# On tmpfs: dpkg's fsync per file made debootstrap two to three times slower on disk.
mkdir -p "$cache" "$root"
mount -t tmpfs -o size=2g,mode=0755 cqcwatch-nspawn "$root"
if [ -n "${CQCWATCH_NSPAWN_SEED:-}" ]; then
    cp -a "$CQCWATCH_NSPAWN_SEED/." "$root/"
else
    echo "debootstrap bookworm from $mirror (minbase + systemd and the package's dependencies)"
    timeout 600 debootstrap --variant=minbase --cache-dir="$cache" --include="$include" bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log"; exit 1; }
fi
echo "rootfs ready after ${SECONDS} s"
echo cqcwatch-test >"$root/etc/hostname"
mkdir -p "$root/root/t"
cp "$deb" "$root/root/t/cqcwatch.deb"
cp "$work/upgrade.deb" "$root/root/t/upgrade.deb"
cp "$tools/cqc_site.py" "$tools/webhook_receiver.py" "$root/root/t/"

# --- boot it inside a cgroup of our own
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    cg_roots=(/sys/fs/cgroup)
else
    for r in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do [ -d "$r" ] && cg_roots+=("$r"); done
fi
for r in "${cg_roots[@]}"; do mkdir "$r/$cg_name"; done
(
    for r in "${cg_roots[@]}"; do echo "$BASHPID" >"$r/$cg_name/cgroup.procs"; done
    exec systemd-nspawn --boot --directory="$root" --machine="$machine" --register=no --keep-unit \
        --private-network --resolv-conf=off --timezone=off --console=passive
) >"$work/nspawn.log" 2>&1 &
nspawn_pid=$!
# The container's PID 1: the process in our cgroups that is PID 1 in its own namespace.
find_leader() {
    local pid
    for pid in $(cgroup_pids); do
        if [ "$(awk '/^NSpid:/ {print $NF}' "/proc/$pid/status" 2>/dev/null)" = 1 ]; then
            leader=$pid
            return 0
        fi
    done
    return 1
}
wait_for 60 find_leader || { cat "$work/nspawn.log"; echo "no container init after 60 s"; exit 1; }
find_leader
# in_c COMMAND...: run in the container, with a clean environment.
in_c() { nsenter -t "$leader" -a -- /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# The leader is nspawn's child until it executes systemd; --wait needs systemd's socket.
wait_for 60 nsenter -t "$leader" -a test -S /run/systemd/private || true
state=$(timeout 120 nsenter -t "$leader" -a systemctl is-system-running --wait 2>/dev/null || true)
echo "container booted after ${SECONDS} s (systemd $(in_c systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p')): $state"
[ "$state" = running ] || in_c systemctl --failed --no-legend || true
case $state in running | degraded) ;; *) fail "container boot"; exit 1 ;; esac

# --- helpers inside the container
svc() { in_c systemctl show cqcwatch.service -p "$1" --value; }
main_pid() { svc MainPID; }
is_active() { [ "$(in_c systemctl is-active cqcwatch.service)" = active ]; }
# journal_has SINCE-UNIX-TIME ERE: a line of the unit's journal since then matches.
journal_has() {
    local lines
    lines=$(in_c journalctl -u cqcwatch.service --since "@$1" -o cat --no-pager)
    grep -Eqi "$2" <<<"$lines"
}
restarted_since() { [ "$(svc NRestarts)" -gt "$1" ] && is_active; }
still_running_as() { is_active && [ "$(main_pid)" = "$1" ]; }
status_names_sources() { [[ "$(svc StatusText)" == *source* ]]; }
journal_is_plain() {
    local lines
    lines=$(in_c journalctl -u cqcwatch.service -o cat --no-pager)
    ! grep -Eq '^(<[0-7]>|\[?[0-9]{4}-[0-9]{2}-[0-9]{2})' <<<"$lines"
}
healthz() { in_c curl -fsS -o /dev/null http://127.0.0.1:9464/healthz; }
# start_helper NAME ARGS...: a python server as a transient service; prints its port.
start_helper() {
    local name=$1
    shift
    in_c systemd-run --quiet --unit="$name" -p StandardOutput="file:/root/t/$name.port" /usr/bin/python3 "$@"
    wait_for 20 grep -q '^PORT ' "$root/root/t/$name.port" || { echo "$name did not start"; return 1; }
    sed -n 's/^PORT //p' "$root/root/t/$name.port"
}
# json_query FILE PYTHON-EXPRESSION (over `records`, the receiver's JSON lines).
hook_query() {
    /usr/bin/python3 - "$root/root/t/hook.jsonl" "$1" <<'EOF'
import json, sys
try:
    records = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
except FileNotFoundError:
    records = []
def header(r, name):
    return next((v for k, v in r["headers"].items() if k.lower() == name.lower()), "")
print(eval(sys.argv[2]))
EOF
}
# Published today: a report older than the notifiers' max_age is history and alerts nobody (README).
publish() {
    in_c curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"slug\": \"$1\", \"council\": \"$2\", \
\"rating\": \"inadequate\", \"scores\": [1,1,2,1,1,2,1,1,1], \"published\": \"$(date -u +'%-d %B %Y')\"}" \
        "http://127.0.0.1:$site/_control/publish"
}
hook_mode() { in_c curl -fsS -o /dev/null -d "{\"mode\": \"$1\"}" "http://127.0.0.1:$hook/_control"; }
history_count() { in_c cqcwatch history --config /etc/cqcwatch/config.toml --format json | /usr/bin/python3 -c \
    'import json, sys; print(len(json.load(sys.stdin)))'; }

secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
site=$(start_helper cqc-site /root/t/cqc_site.py --page-size 3)
hook=$(start_helper hook /root/t/webhook_receiver.py --secret "$secret" --log /root/t/hook.jsonl)
echo "test site on 127.0.0.1:$site, webhook receiver on 127.0.0.1:$hook (inside the container)"

write_config() {
    cat >"$root/etc/cqcwatch/config.toml" <<EOF
[daemon]
database = "/var/lib/cqcwatch/history.db"
user_agent_contact = "ci@example.org"
per_host_gap = "0s"
backoff_base = "1s"
backoff_cap = "2s"
jitter = 0.0
metrics_listen = "127.0.0.1:9464"

[[source]]
name = "reports"
kind = "listing"
url = "http://127.0.0.1:$site/care-services/local-authority-assessment-reports"
item = "report"
interval = "$1"

# The spool the package ships (sysusers.d group, tmpfiles.d Maildir).
[[source]]
name = "newsroom"
kind = "maildir"
path = "/var/spool/cqcwatch"

[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:$hook/cqc"
secret_file = "hook.secret"
timeout = "3s"
events = ["assessment.published"]
EOF
}

# --- install
check "install: apt-get installs the .deb" in_c apt-get install -y -qq /root/t/cqcwatch.deb
check "install: the service is not started before it is configured" test "$(in_c systemctl is-active cqcwatch.service)" = inactive
write_config 1s
# The secret stays root-only; the service gets it as a credential. WatchdogSec is
# shortened so that the watchdog check takes seconds, not half a minute.
printf '%s\n' "$secret" >"$root/etc/cqcwatch/hook.secret"
chmod 0600 "$root/etc/cqcwatch/hook.secret"
mkdir -p "$root/etc/systemd/system/cqcwatch.service.d"
cat >"$root/etc/systemd/system/cqcwatch.service.d/ci.conf" <<'EOF'
[Service]
LoadCredential=hook.secret:/etc/cqcwatch/hook.secret
WatchdogSec=4s
EOF
in_c systemctl daemon-reload

# --- start: Type=notify, STATUS=, journal
t0=$(in_c date +%s)
check "start: systemctl start returns once the daemon is ready (Type=notify)" in_c systemctl start cqcwatch.service
check "start: the unit is active (running)" test "$(svc ActiveState)/$(svc SubState)" = active/running
wait_for 30 status_names_sources || true
status_text=$(svc StatusText)
echo "  STATUS=$status_text"
check "start: STATUS= counts the listing and the mail drop" grep -q '^2 sources' <<<"$status_text"
wait_for 30 healthz || true
check "start: /healthz answers inside the container" healthz

priorities=$(in_c journalctl -u cqcwatch.service -o json --output-fields=PRIORITY,MESSAGE --no-pager)
priority_of() {
    printf '%s\n' "$priorities" | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if sys.argv[1] in str(r.get("MESSAGE", "")):
        print(r.get("PRIORITY")); break' "$1"
}
check "journal: the start-up line is logged at priority 6 (info)" test "$(priority_of 'running:')" = 6
check "journal: the short-interval warning is logged at priority 4 (warning)" test "$(priority_of 'interval')" = 4
check "journal: messages carry no <N> prefix and no timestamp of their own" journal_is_plain

# --- DynamicUser state
pid=$(main_pid)
uid=$(in_c awk '/^Uid:/ {print $2}' "/proc/$pid/status")
echo "  daemon pid $pid (in the container), uid $uid ($(in_c getent passwd "$uid" | cut -d: -f1))"
check "state: the daemon runs as an unprivileged dynamic user" test "$uid" -ge 61184 -a "$uid" -le 65519
check "state: /var/lib/cqcwatch links to /var/lib/private/cqcwatch" test "$(readlink "$root/var/lib/cqcwatch")" = private/cqcwatch
check "state: /var/lib/private is 0700 root" test "$(stat -c '%a %u' "$root/var/lib/private")" = "700 0"
check "state: the state directory is 0700 and the dynamic user's" test "$(stat -c '%a %u' "$root/var/lib/private/cqcwatch")" = "700 $uid"
wait_for 30 test -e "$root/var/lib/private/cqcwatch/history.db" || true
check "state: the database is 0600 and the dynamic user's" test "$(stat -c '%a %u' "$root/var/lib/private/cqcwatch/history.db")" = "600 $uid"

# --- an alert through the credential-signed webhook
# The first pass (the silent baseline) is over when its poll line is logged.
wait_for 30 journal_has "$t0" '^poll reports: .* pages' || true
baseline=$(history_count)
echo "  baseline: $baseline reports"
publish ci-first Walsall
wait_for 30 test "$(hook_query "sum(1 for r in records if r['status'] == 200)")" -ge 1 || true
check "alert: a new report reaches the webhook" test "$(hook_query "sum(1 for r in records if r['status'] == 200)")" = 1
check "credential: the webhook signature verifies with the secret from LoadCredential=" \
    test "$(hook_query "all(r['signature_ok'] for r in records)")" = True
check "credential: the secret file itself is root-only (0600)" test "$(stat -c %a "$root/etc/cqcwatch/hook.secret")" = 600

# --- an embargoed release mailed into the spool, as an MTA delivers it
embargo_day=$(date -u -d '+20 days' '+%A %-d %B')
cat >"$root/var/spool/cqcwatch/tmp/release.eml" <<EOF
From: CQC Press Office <press@cqc.example.org>
To: newsdesk@example.org
Subject: Embargoed: CQC rates Sandwell Council as requires improvement
Date: $(date -u -R)
Message-ID: <ci-release@cqc.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Press release embargoed until 00.01hrs on $embargo_day

CQC rates Sandwell Council's adult social care provision as requires improvement

The Care Quality Commission (CQC) has rated Sandwell Council as requires improvement, in how well
they are meeting their responsibilities under the Care Act (2014).

CQC scored nine areas across four themes, each out of four.

1. assessing people's needs - 2
2. supporting people to lead healthier lives - 2
3. equity in experience and outcomes - 3
4. care provision, integration and continuity of care - 2
5. partnership and communities - 2
6. safe pathways, systems and transitions - 2
7. safeguarding - 2
8. governance, management and sustainability - 2
9. learning, improvement and innovation - 3
EOF
mv "$root/var/spool/cqcwatch/tmp/release.eml" "$root/var/spool/cqcwatch/new/release.eml"
one_embargo() { [[ "$(svc StatusText)" == *"1 embargo"* ]]; }
mail_source_succeeded() {
    in_c cqcwatch status --config /etc/cqcwatch/config.toml --format json | /usr/bin/python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sources"] if x["name"] == "newsroom"]
sys.exit(0 if s and s[0]["last_success"] else 1)'
}
wait_for 20 one_embargo || true
echo "  STATUS=$(svc StatusText)"
check "mail: the release from the spool is armed as an embargo and STATUS= says so" one_embargo
check "mail: the message left new/ for cur/" test -z "$(ls "$root/var/spool/cqcwatch/new")"
check "mail: cqcwatch status shows the mail drop's last success" mail_source_succeeded

# --- the README's Postfix steps: a mail over SMTP through Debian's Postfix into the spool
. "$tools/nspawn_postfix.sh"
postfix_intake_checks "$tools/../../README.md"

# --- reload: good, then broken
t_reload=$(in_c date +%s)
write_config 2s
check "reload: systemctl reload with a good config succeeds" in_c systemctl reload cqcwatch.service
wait_for 10 journal_has "$t_reload" '^reloaded ' || true
check "reload: the daemon re-read the config (journal)" journal_has "$t_reload" '^reloaded '
check "reload: the same process carries on" test "$(main_pid)" = "$pid"
cp "$root/etc/cqcwatch/config.toml" "$work/good.toml"
sed -i 's/^interval = .*/interval = "soon"/' "$root/etc/cqcwatch/config.toml"
t_reload=$(in_c date +%s)
if in_c systemctl reload cqcwatch.service 2>"$work/reload.err"; then
    fail "reload: systemctl reload with a broken config tells the caller (it exited 0)"
else
    pass "reload: systemctl reload with a broken config tells the caller ($(head -n 1 "$work/reload.err"))"
fi
sleep 1
check "reload: the journal names the broken setting" journal_has "$t_reload" 'interval.*soon'
check "reload: the service keeps running its old config after a broken one" still_running_as "$pid"
cp "$work/good.toml" "$root/etc/cqcwatch/config.toml"

# --- kill -9 with an alert pending: restart, the same event id delivered, database intact
hook_mode 500
publish ci-second Dudley
wait_for 30 test "$(hook_query "sum(1 for r in records if r['status'] == 500)")" -ge 1 || true
pending_id=$(hook_query "next((header(r, 'X-Cqcwatch-Delivery') for r in records if r['status'] == 500), '')")
echo "  pending alert $pending_id (the receiver answers 500)"
check "kill -9: an alert is pending when the daemon is killed" test -n "$pending_id"
stored=$(history_count)
restarts=$(svc NRestarts)
t_kill=$(in_c date +%s)
in_c sh -c 'kill -9 "$1"' sh "$pid"
hook_mode ok
wait_for 40 restarted_since "$restarts" || true
pid2=$(main_pid)
check "kill -9: systemd restarts the daemon (Restart=on-failure)" test "$pid2" != "$pid" -a "$pid2" != 0
delivered_again() {
    [ "$(hook_query "sum(1 for r in records if r['status'] == 200 and header(r, 'X-Cqcwatch-Delivery') == '$pending_id')")" -ge 1 ]
}
wait_for 60 delivered_again || true
if delivered_again; then
    pass "kill -9: the pending alert is delivered after the restart under the same id"
else
    fail "kill -9: the pending alert is delivered after the restart under the same id"
    hook_query "[(r['status'], header(r, 'X-Cqcwatch-Delivery'), round(r['arrival'])) for r in records]"
    in_c journalctl -u cqcwatch.service --since "@$t_kill" -o short-unix --no-pager | grep -v 'GET\|poll' | tail -n 20
    in_c cqcwatch deliveries --config /etc/cqcwatch/config.toml || true
fi
check "kill -9: the database passes PRAGMA integrity_check" test "$(in_c sqlite3 -readonly /var/lib/cqcwatch/history.db 'PRAGMA integrity_check')" = ok
check "kill -9: the history holds what it held before the kill ($stored assessments)" test "$(history_count)" = "$stored"
check "kill -9: the restarted daemon lists the armed embargo at start-up" journal_has "$t_kill" '^embargo armed: Sandwell lifts at '
uid2=$(in_c awk '/^Uid:/ {print $2}' "/proc/$pid2/status")
check "kill -9: the dynamic uid is the same after the restart" test "$uid2" = "$uid"

# --- watchdog: a stopped daemon is aborted and restarted
restarts=$(svc NRestarts)
t_dog=$(in_c date +%s)
in_c sh -c 'kill -STOP "$1"' sh "$pid2"
wait_for 60 restarted_since "$restarts" || true
pid3=$(main_pid)
check "watchdog: a daemon stopped past WatchdogSec is restarted" test "$pid3" != "$pid2" -a "$pid3" != 0
check "watchdog: systemd logged the watchdog timeout" journal_has "$t_dog" 'watchdog timeout'
in_c systemctl reset-failed cqcwatch.service 2>/dev/null || true

# --- the sandbox, rated by the running systemd
report=$(in_c systemd-analyze security cqcwatch.service 2>&1 || true)
level=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
check "security: online systemd-analyze security rates the unit ${level:-?} (<= 1.1)" \
    awk -v l="${level:-99}" 'BEGIN { exit !(l <= 1.1) }'

# --- upgrade while running: restarted, config and history kept
cp "$root/etc/cqcwatch/config.toml" "$work/before-upgrade.toml"
check "upgrade: apt-get installs the newer package" in_c apt-get install -y -qq -o Dpkg::Options::=--force-confold /root/t/upgrade.deb
check "upgrade: the new version is installed" test "$(in_c dpkg-query -W -f '${Version}' cqcwatch)" = "$version+ci1"
wait_for 20 is_active || true
pid4=$(main_pid)
check "upgrade: the running service was restarted onto the new binary" test "$pid4" != "$pid3" -a "$pid4" != 0
check "upgrade: the edited config is kept" cmp -s "$work/before-upgrade.toml" "$root/etc/cqcwatch/config.toml"
check "upgrade: the history is kept" test "$(history_count)" = "$stored"

# --- stop: SIGTERM drains and exits, well before TimeoutStopSec
t_stop=$(in_c date +%s)
start=$(date +%s.%N)
check "stop: systemctl stop succeeds" in_c systemctl stop cqcwatch.service
took=$(/usr/bin/python3 -c "print(round($(date +%s.%N) - $start, 2))")
echo "  systemctl stop took ${took} s (TimeoutStopSec=$(svc TimeoutStopUSec))"
stop_log=$(in_c journalctl -u cqcwatch.service --since "@$t_stop" -o cat --no-pager)
stopped_cleanly() {
    grep -q 'received SIGTERM, stopping' <<<"$stop_log" && grep -q 'Deactivated successfully' <<<"$stop_log" &&
        ! grep -Eq 'timed out|Killing|SIGKILL' <<<"$stop_log"
}
check "stop: the daemon stops on SIGTERM by itself and is not killed" stopped_cleanly
check "stop: the unit's result is success" test "$(svc Result)" = success

# --- remove, then purge
in_c systemctl start cqcwatch.service
check "remove: apt-get remove succeeds" in_c apt-get remove -y -qq cqcwatch
check "remove: the service was stopped" test "$(in_c systemctl is-active cqcwatch.service)" != active
check "remove: the binary is gone" test ! -e "$root/usr/bin/cqcwatch"
check "remove: the config is kept" test -f "$root/etc/cqcwatch/config.toml"
check "remove: the database is kept" test -f "$root/var/lib/private/cqcwatch/history.db"
check "purge: apt-get purge succeeds" in_c apt-get purge -y -qq cqcwatch
check "purge: the package's config is gone" test ! -e "$root/etc/cqcwatch/config.toml"
check "purge: the database, which cannot be recreated, is kept (README)" test -f "$root/var/lib/private/cqcwatch/history.db"
check "purge: the unit is gone" test ! -e "$root/lib/systemd/system/cqcwatch.service"

echo "journal of the unit (last 15 lines):"
in_c journalctl -u cqcwatch.service -n 15 -o short-monotonic --no-pager | sed 's/^/  /'
if [ "$failures" -gt 0 ]; then
    echo "systemd under nspawn: $failures check(s) FAILED"
    exit 1
fi
echo "systemd under nspawn: every check passed"
