#!/bin/sh
# Builds the .deb with cpack, installs it with apt-get, runs it, purges it and
# checks nothing is left. Needs root and changes the system: ctest registers it
# only when CQCWATCH_PACKAGE_TEST=1 (CI). Usage: check_package.sh BUILD_DIR
set -eu
build=$1
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cmake --build "$build" --target cqcwatch >/dev/null
(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null)
deb=$(ls "$out"/cqcwatch_*.deb)
echo "package: $(basename "$deb"), installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"
echo "depends: $(dpkg-deb -f "$deb" Depends)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" >/dev/null
cqcwatch --version
cqcwatch check-config --config /etc/cqcwatch/config.toml
# A press release read by the installed binary: the mail module (GMime) is installed and found.
db=$out/ingest.db
cqcwatch ingest --database "$db" "$(dirname "$0")/../fixtures/parsers/mail-mbox-from.eml"
test -f /usr/lib/cqcwatch/cqcwatch-mime.so
test -f /usr/share/cqcwatch/templates/email.mustache
test -f /lib/systemd/system/cqcwatch.service || test -f /usr/lib/systemd/system/cqcwatch.service
man -w cqcwatch >/dev/null 2>&1 || test -f /usr/share/man/man1/cqcwatch.1.gz || test -f /usr/share/man/man1/cqcwatch.1
apt-get remove --purge -y -qq cqcwatch >/dev/null
for f in /usr/bin/cqcwatch /lib/systemd/system/cqcwatch.service /usr/lib/systemd/system/cqcwatch.service /etc/cqcwatch/config.toml /usr/share/cqcwatch /usr/lib/cqcwatch; do
    if [ -e "$f" ]; then echo "left behind: $f"; exit 1; fi
done
echo "package installed, ran and purged cleanly"
