#!/bin/bash
# Debian's own Exim (exim4-daemon-light, its stock configuration from
# update-exim4.conf) for one test, set up by an administrator's steps, in a
# private mount namespace: /etc, /var/lib/exim4, /var/spool/exim4,
# /var/log/exim4 and /run/exim4 are copies under DIR, so the steps run exactly
# as the README gives them (they edit /etc/aliases, exim4.conf.localmacros,
# run update-exim4.conf) and nothing outside DIR changes. Exim runs as root,
# the way the exim4 service does, so deliveries get the uid/gid they get in
# production; it listens on 127.0.0.1:PORT only, and the "local" config type
# never delivers off this machine. Execs `exim4 -bdf` (foreground): stopping
# this process stops Exim.
# Usage (as root): exim_rig.sh DIR PORT STEPS_FILE
#   DIR         the test's directory (readable by Debian-exim)
#   STEPS_FILE  the administrator's steps (a shell script), run inside the namespace
# Log: DIR/var/log/mainlog (also paniclog, rejectlog).
set -euo pipefail
dir=$1
port=$2
steps=$3
[ "$(id -u)" = 0 ] || { echo "exim_rig.sh: needs root (Exim's deliveries change uid as in production)" >&2; exit 1; }
if [ "${EXIM_RIG_NAMESPACE:-}" != 1 ]; then
    EXIM_RIG_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi
cp -a /etc "$dir/etc"
mkdir -p "$dir/var/lib" "$dir/var/spool" "$dir/var/log" "$dir/var/run"
install -d -o Debian-exim -g Debian-exim -m 750 "$dir/var/spool" "$dir/var/run"
install -d -o Debian-exim -g adm -m 2750 "$dir/var/log"
mount --bind "$dir/etc" /etc
mount --bind "$dir/var/lib" /var/lib/exim4
mount --bind "$dir/var/spool" /var/spool/exim4
mount --bind "$dir/var/log" /var/log/exim4
mount --bind "$dir/var/run" /run/exim4
# What a fresh Debian 12 answers at install: local delivery only, on loopback.
conf=/etc/exim4/update-exim4.conf.conf
sed -i -e "s/^dc_eximconfig_configtype=.*/dc_eximconfig_configtype='local'/" \
    -e "s/^dc_local_interfaces=.*/dc_local_interfaces='127.0.0.1'/" \
    -e "s/^dc_relay_nets=.*/dc_relay_nets=''/" -e "s/^dc_smarthost=.*/dc_smarthost=''/" \
    -e "s/^dc_use_split_config=.*/dc_use_split_config='false'/" "$conf"
rm -f /etc/exim4/exim4.conf /etc/exim4/exim4.conf.localmacros
# The package's sysusers.d entry, as installing cqcwatch makes it.
getent group cqcwatch-mail >/dev/null || groupadd --system cqcwatch-mail
# The administrator's steps, then the service's (re)start.
bash -eu "$steps"
exec exim4 -bdf -oX "$port"
