#!/usr/bin/env bash
# Makes throwaway TLS material for tests, into DIR (never committed):
#   ca.crt ca.key          the CA that signs the server and the good client
#   server.crt server.key  CN=localhost, SAN DNS:localhost, IP:127.0.0.1
#   client.crt client.key  a client certificate signed by ca
#   other-ca.crt           a second, unrelated CA
#   other-client.crt other-client.key  a client certificate signed by other-ca
#   other-server.crt other-server.key  like server, but signed by other-ca
#                                      (a rotated certificate)
# EC P-256 keys, valid for two days.
#
#   common/grpc/testing/make_test_certs.sh DIR
set -euo pipefail
dir="${1:?usage: make_test_certs.sh DIR}"
mkdir -p "$dir"
cd "$dir"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME CN
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() {  # leaf NAME CA CN EXTENSIONS
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3"
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial \
    -out "$1.crt" -days 2 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "vnarchive test CA"
ca other-ca "unrelated test CA"
leaf server ca localhost \
  "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
leaf client ca "test client" "extendedKeyUsage=clientAuth"
leaf other-client other-ca "intruder" "extendedKeyUsage=clientAuth"
leaf other-server other-ca localhost \
  "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
rm -f ./*.srl
chmod 644 ./*.crt
