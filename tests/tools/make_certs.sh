#!/bin/sh
# Throwaway TLS material for loopback tests, written to OUTDIR:
#   ca.pem                   a test CA (trust this one with CURLOPT_CAINFO)
#   server.pem, server.key   signed by that CA, for 127.0.0.1 and localhost
#   other.pem, other.key     self-signed for the same names: does NOT verify against ca.pem
# EC P-256 keys, valid for 30 days, so generation takes a fraction of a second.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"
cd "$out"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
san="subjectAltName=IP:127.0.0.1,DNS:localhost"

openssl req -x509 $ec -days 30 -keyout ca.key -out ca.pem -subj "/CN=cqcwatch test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

openssl req -new $ec -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf '%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n' "$san" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 30 -extfile server.ext -out server.pem 2>/dev/null

openssl req -x509 $ec -days 30 -keyout other.key -out other.pem -subj "/CN=127.0.0.1" \
    -addext "$san" -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null

rm -f server.csr server.ext
