#!/usr/bin/env bash
# `vnarchive normalize` on a TCVN3, VNI, VISCII, Windows-1258, UTF-16 and
# mojibake copy of the same article prints exactly what it prints for the
# UTF-8 original (detection on, no --from).
#
#   tests/e2e/cli_encodings_test.sh --client PATH/vnarchive --data tests/data/encodings
set -euo pipefail
client="" data=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) client="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
expected="$("$client" normalize "$data/article.utf8.txt")"
[[ -n "$expected" ]] || { echo "FAIL: empty output for the UTF-8 original" >&2; exit 1; }
passed=0 failed=0
for copy in tcvn3 vni viscii cp1258 utf16le mojibake; do
  got="$("$client" normalize "$data/article.$copy.txt")"
  if [[ "$got" == "$expected" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: article.$copy.txt differs from the UTF-8 original:" >&2
    diff <(echo "$expected") <(echo "$got") | head -5 >&2
  fi
done
# A forced wrong encoding is not silently accepted: strict mode names a byte.
if "$client" normalize --from utf-8 "$data/article.tcvn3.txt" >/dev/null 2>"${TMPDIR:-/tmp}/cli_enc.err"; then
  failed=$((failed + 1)); echo "FAIL: TCVN3 bytes forced as UTF-8 were accepted" >&2
elif grep -q "byte" "${TMPDIR:-/tmp}/cli_enc.err"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL: the error does not name the byte offset" >&2
fi
echo "cli encodings: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
