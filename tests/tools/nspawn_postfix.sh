# Sourced by check_systemd.sh once the unit runs with the package's spool: Debian's
# Postfix, as debootstrap installed it (its stock configuration), set up by the
# README's Postfix block run as it is (extracted from README.md between its
# postfix-steps markers, so the README and this check cannot drift), then swaks's
# test mail over SMTP on the container's loopback -> smtpd -> the pipe(8)
# transport -> `cqcwatch ingest --spool` as nobody:cqcwatch-mail -> the spool ->
# the daemon, which holds the release under embargo. Before that, the README's
# warning: an /etc/aliases pipe is deferred (local(8) runs it without the group).
# Uses check_systemd.sh's in_c, check, pass, fail, wait_for, svc, $root, $work, $tools.

# The fenced block between README's "<!-- postfix-steps" and "<!-- /postfix-steps -->".
postfix_readme_steps() {
    awk '/^<!-- \/postfix-steps -->/ {on = 0} on && !/^```/ {print} /^<!-- postfix-steps/ {on = 1}' "$1"
}
postfix_log_since() { in_c journalctl --since "@$1" -o short --no-pager | grep ' postfix/' || true; }
postfix_logged() { postfix_log_since "$1" | grep -Eq "$2"; }
mail_queue_empty() { [ -z "$(in_c postqueue -j)" ]; }
# postfix_release COUNCIL DAY MESSAGE-ID: a release embargoed until 00.01 on DAY.
postfix_release() {
    cat <<EOF
From: CQC Press Office <press@cqc.example.org>
To: cqc-embargo@example.org
Subject: Embargoed: CQC rates $1 Council as requires improvement
Date: $(date -u -R)
Message-ID: <$3>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Press release embargoed until 00.01hrs on $2

CQC rates $1 Council's adult social care provision as requires improvement

The Care Quality Commission (CQC) has rated $1 Council as requires improvement, in how well
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
}
# The embargo stored for the Message-ID's release, as `cqcwatch embargoes --format json` lists it.
embargo_of() {
    in_c cqcwatch embargoes --config /etc/cqcwatch/config.toml --format json | /usr/bin/python3 -c '
import json, sys
e = [x for x in json.load(sys.stdin) if x["authority"]["name"] == sys.argv[1]]
print(" | ".join([e[0]["status"], e[0]["until_uk"], "lifted " + str(e[0]["lifted_at"])]) if len(e) == 1 else str(len(e)) + " embargoes")
' "$1"
}
# The owner and mode of the spool's message with this Message-ID, "nobody 640".
spooled_as() {
    local f
    f=$(grep -l -F "Message-ID: <$1>" "$root"/var/spool/cqcwatch/cur/* 2>/dev/null | head -n 1)
    [ -n "$f" ] && in_c stat -c '%U %a' "/var/spool/cqcwatch/cur/$(basename "$f")"
}

postfix_intake_checks() {
    local readme=$1 t_pf day out started=$SECONDS
    echo "postfix $(in_c postconf -h mail_version), stock: myhostname = $(in_c postconf -h myhostname);" \
        "mydestination = $(in_c postconf -h mydestination); inet_interfaces = $(in_c postconf -h inet_interfaces)"
    check "postfix: Debian's Postfix runs from its stock configuration" in_c systemctl is-active --quiet postfix@-.service
    wait_for 20 in_c sh -c 'postfix status' || true

    # The README's warning, seen: an /etc/aliases pipe runs as nobody without the group and is deferred.
    t_pf=$(in_c date +%s)
    echo 'cqc-alias: "|/usr/bin/cqcwatch ingest --spool /var/spool/cqcwatch"' >>"$root/etc/aliases"
    in_c newaliases
    postfix_release Solihull "$(date -u -d '+22 days' '+%A %-d %B')" ci-alias@cqc.example.org >"$root/root/t/alias.eml"
    in_c swaks --server 127.0.0.1 --to cqc-alias@localhost --data @/root/t/alias.eml >"$work/swaks-alias.log" 2>&1 || true
    wait_for 30 postfix_logged "$t_pf" 'to=<cqc-alias@localhost>.*status=(deferred|sent|bounced)' || true
    postfix_log_since "$t_pf" | grep -E 'cqc-alias.*status=' | sed 's/^/  /' || true
    check "postfix: an /etc/aliases pipe into ingest --spool is deferred, not delivered (README: do not add one)" \
        postfix_logged "$t_pf" 'to=<cqc-alias@localhost>.*relay=local.*status=deferred'
    check "postfix: the deferred alias pipe left nothing in the spool" test -z "$(grep -l -F ci-alias@ \
        "$root"/var/spool/cqcwatch/*/* 2>/dev/null)"
    in_c postsuper -d ALL >/dev/null 2>&1 || true
    sed -i '/^cqc-alias:/d' "$root/etc/aliases"
    in_c newaliases

    # The README's block, as it is, in the directory that holds release.eml.
    postfix_readme_steps "$readme" >"$root/root/t/postfix-steps.sh"
    check "postfix: README.md has a Postfix block between its postfix-steps markers" \
        grep -q 'transport_maps' "$root/root/t/postfix-steps.sh"
    day=$(date -u -d '+21 days' '+%A %-d %B')
    postfix_release Coventry "$day" ci-postfix@cqc.example.org >"$root/root/t/release.eml"
    t_pf=$(in_c date +%s)
    if in_c bash -c 'cd /root/t && bash -x postfix-steps.sh' >"$work/postfix-steps.log" 2>&1; then
        pass "postfix: the README's steps run, swaks's test mail accepted ($(grep -o '250 2.0.0 Ok: queued.*' \
            "$work/postfix-steps.log" | head -n 1))"
    else
        fail "postfix: the README's steps run, swaks's test mail accepted"
        sed 's/^/  /' "$work/postfix-steps.log" | tail -n 30
    fi
    out=$(grep -v '^[+<>~=]\|^ ' "$work/postfix-steps.log" || true)
    [ -z "$out" ] || { echo "  the steps printed:"; sed 's/^/    /' <<<"$out"; }
    wait_for 30 postfix_logged "$t_pf" 'to=<cqc-embargo@example.org>.*status=' || true
    postfix_log_since "$t_pf" | grep -E 'cqc-embargo.*status=|warning|fatal|error' | sed 's/^/  /' || true
    check "postfix: the pipe transport delivered it (relay=cqcwatch, status=sent)" \
        postfix_logged "$t_pf" 'to=<cqc-embargo@example.org>.*relay=cqcwatch.*status=sent'
    check "postfix: nothing is left in Postfix's queue" mail_queue_empty
    two_embargoes() { [[ "$(svc StatusText)" == *"2 embargoes"* ]]; }
    wait_for 20 two_embargoes || true
    echo "  STATUS=$(svc StatusText)"
    check "postfix: the daemon took the release from the spool (STATUS= says 2 embargoes)" two_embargoes
    out=$(embargo_of Coventry || true)
    echo "  cqcwatch embargoes: Coventry: $out"
    check "postfix: Coventry is held under embargo until 00:01 on $day" \
        grep -qF "pending | $(date -u -d '+21 days' '+%a %d %b %Y') 00:01 " <<<"$out"
    check "postfix: the message left new/ for cur/, written by ingest as nobody, mode 0640" \
        test "$(spooled_as ci-postfix@cqc.example.org)" = "nobody 640"
    check "postfix: nothing went to the spool's failed/" test -z "$(ls "$root/var/spool/cqcwatch/failed")"
    echo "  the Postfix checks took $((SECONDS - started)) s"
}
