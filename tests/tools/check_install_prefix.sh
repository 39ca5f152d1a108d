#!/bin/sh
# Installs the build under a staging directory with a prefix other than /usr and
# checks that the installed unit runs the binary where it was installed.
# Usage: check_install_prefix.sh BUILD_DIR
set -eu
build=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
prefix=/opt/cqcwatch-prefix-test
DESTDIR=$stage cmake --install "$build" --prefix "$prefix" >/dev/null
unit=$stage$prefix/lib/systemd/system/cqcwatch.service
[ -f "$unit" ] || { echo "no unit at $unit"; exit 1; }
[ -x "$stage$prefix/bin/cqcwatch" ] || { echo "no binary at $prefix/bin/cqcwatch"; exit 1; }
for t in email slack teams newsdesk.json; do
    [ -f "$stage$prefix/share/cqcwatch/templates/$t.mustache" ] || { echo "no template $prefix/share/cqcwatch/templates/$t.mustache"; exit 1; }
done
for key in ExecStart ExecReload; do
    grep -Eq "^$key=[-+!@:]*$prefix/bin/cqcwatch " "$unit" || { echo "$key does not run $prefix/bin/cqcwatch:"; grep "^$key=" "$unit"; exit 1; }
done
if grep -n '/usr/bin/cqcwatch' "$unit"; then echo "the unit still names /usr/bin/cqcwatch"; exit 1; fi
echo "unit installed under $prefix runs $prefix/bin/cqcwatch"
