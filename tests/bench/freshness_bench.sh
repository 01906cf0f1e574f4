#!/usr/bin/env bash
# Freshness: how long after `Ingest` returns a document is searchable, at a
# steady rate (issue #6: p99 <= 1 s at 500 documents/s). Starts a fresh local
# suite (deploy/local/up.sh) per run, drives it with
# `vna_ingest_load --rate` (services/ingest/bench/ingest_load.cc), and prints
# each run's figures and the medians over the runs.
#
#   tests/bench/freshness_bench.sh --build-dir BUILD [--rate 500] [--seconds 60] [--runs 3]
#                                  [--corpus FILE|none] [-- EXTRA vna_ingest_load FLAGS]
#   tests/bench/freshness_bench.sh --prefix PREFIX --load PATH/vna_ingest_load ...
#
# --build-dir uses the binaries of a build tree; --prefix an installed suite
# (cmake --install) with the load tool given by --load. Documents: the VNTC
# articles (one JSON object per line with a "text" field, gzip) when --corpus
# is given or found ($VNA_CORPUS_DIR, default: beside the repository), cut
# into ~3 KB documents; otherwise generated prose (also with --corpus none).
# Service flags can be passed through the environment (VNA_BATCH_SIZE=...).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build_dir="" prefix="" load="" rate=500 seconds=60 runs=3 corpus="" extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --load) load="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
usage="usage: $0 --build-dir BUILD | --prefix PREFIX --load VNA_INGEST_LOAD [--rate R] [--seconds S] [--runs N] [--corpus FILE|none]"
work="$(mktemp -d)"
trap 'for d in "$work"/data*; do [[ -d "$d" ]] && "$root/deploy/local/down.sh" --data "$d" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

if [[ -n "$build_dir" ]]; then
  prefix="$work/prefix"
  mkdir -p "$prefix/bin"
  for binary in services/cli/vnarchive services/ingest/vnarchive-ingest \
      services/normalize/vnarchive-normalize services/extract/vnarchive-extract \
      services/search/vnarchive-search; do
    [[ -x "$build_dir/$binary" ]] || { echo "missing $build_dir/$binary (build it first)" >&2; exit 1; }
    ln -s "$(readlink -f "$build_dir/$binary")" "$prefix/bin/"
  done
  load="$build_dir/services/ingest/vna_ingest_load"
fi
[[ -n "$prefix" && -x "$load" ]] || { echo "$usage" >&2; exit 2; }

corpus_dir="${VNA_CORPUS_DIR:-$root/../shared/corpus}"
[[ -z "$corpus" && -f "$corpus_dir/vntc/vntc.jsonl.gz" ]] && corpus="$corpus_dir/vntc/vntc.jsonl.gz"
[[ "$corpus" == none ]] && corpus=""
corpus_flag=()
if [[ -n "$corpus" ]]; then
  command -v jq >/dev/null || { echo "jq is required to read $corpus" >&2; exit 1; }
  # About 3 KB a document, with room to spare.
  limit=$(awk -v r="$rate" -v s="$seconds" 'BEGIN{printf "%d", r * s * 3300}')
  zcat "$corpus" | jq -r '.text' | head -c "$limit" > "$work/corpus.txt" || true
  corpus_flag=(--corpus "$work/corpus.txt")
  echo "documents: VNTC articles from $(basename "$corpus") ($(wc -c < "$work/corpus.txt") bytes)"
else
  echo "documents: generated prose (no corpus used)"
fi

source "$root/tests/testing/free_ports.sh"
declare -A figures
keys=(rate p50 p90 p99 max written_p99 search_p50 search_p99)
status=0
for run in $(seq 1 "$runs"); do
  base="$(free_port_base 5)"
  "$root/deploy/local/up.sh" --prefix "$prefix" --data "$work/data$run" --port-base "$base" >/dev/null
  set +e
  "$load" --addr "127.0.0.1:$((base + 1))" --search_addr "127.0.0.1:$((base + 4))" \
    --rate "$rate" --seconds "$seconds" "${corpus_flag[@]}" "${extra[@]}" > "$work/run$run.txt"
  run_status=$?
  set -e
  "$root/deploy/local/down.sh" --data "$work/data$run" >/dev/null
  sed "s/^/run $run: /" "$work/run$run.txt"
  [[ $run_status -eq 0 ]] || { echo "run $run: not every document was found searchable" >&2; status=1; }
  line="$(grep '^freshness: rate=' "$work/run$run.txt")"
  for key in "${keys[@]}"; do
    figures[$key]+="$(sed -n "s/.* $key=\([^ ]*\).*/\1/p" <<<"$line") "
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
summary="median of $runs runs:"
for key in "${keys[@]}"; do summary+=" $key=$(median "${figures[$key]}")"; done
echo "$summary (ms; rate in docs/s)"
exit "$status"
