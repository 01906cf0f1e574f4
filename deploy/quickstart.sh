#!/usr/bin/env bash
# Quick start: install what is missing, build, start the local suite, ingest
# the sample documents, run two searches, and say how to stop.
#
#   deploy/quickstart.sh            (PORT_BASE=7600 by default)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.vna/prefix"
data="$root/.vna/data"
port_base="${PORT_BASE:-7600}"

"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"
cmake --install "${BUILD_DIR:-$root/build}" --prefix "$prefix" >/dev/null

"$root/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$port_base"
export VNA_INGEST_ADDR="127.0.0.1:$((port_base + 1))" VNA_SEARCH_ADDR="127.0.0.1:$((port_base + 4))"
vnarchive="$prefix/bin/vnarchive"

echo
echo "== ingesting $(ls "$root/tests/data/samples" | wc -l) sample documents"
"$vnarchive" ingest --wait "$root/tests/data/samples"

echo
echo "== search: \"Ban Thường vụ Tỉnh ủy\""
"$vnarchive" search --limit 3 '"Ban Thường vụ Tỉnh ủy"'
echo
echo "== search typed without diacritics: nghi quyet trung uong"
"$vnarchive" search --limit 3 nghi quyet trung uong

cat <<EOT

The suite is still running. Try:
  export VNA_INGEST_ADDR=$VNA_INGEST_ADDR VNA_SEARCH_ADDR=$VNA_SEARCH_ADDR
  $vnarchive search "đại hội chi bộ"
  $vnarchive get DOC_ID
Stop it with:
  $root/deploy/local/down.sh --data $data
EOT
