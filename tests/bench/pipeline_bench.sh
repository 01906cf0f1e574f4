#!/usr/bin/env bash
# Pipeline throughput: starts a fresh local suite (deploy/local/up.sh) per run,
# ingests N documents with `vnarchive ingest --wait`, and prints how fast they
# were accepted and how long until every one was searchable. Median of RUNS.
#
#   tests/bench/pipeline_bench.sh --prefix PREFIX [--docs N] [--runs R] [--corpus FILE]
#
# Documents: the first N articles of the VNTC corpus (one JSON object per
# line with a "text" field, gzip) when --corpus is given or the corpus is found
# ($VNA_CORPUS_DIR, default: beside the repository); otherwise N generated from the
# project's samples (also with --corpus none). The script says which it used.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
prefix="" docs=2000 runs=3 corpus=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --docs) docs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$prefix" ]] || { echo "usage: $0 --prefix PREFIX [--docs N] [--runs R] [--corpus FILE]" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }
corpus_dir="${VNA_CORPUS_DIR:-$root/../shared/corpus}"
[[ -z "$corpus" && -f "$corpus_dir/vntc/vntc.jsonl.gz" ]] && corpus="$corpus_dir/vntc/vntc.jsonl.gz"
[[ "$corpus" == none ]] && corpus=""

work="$(mktemp -d)"
trap 'for d in "$work"/data*; do "$root/deploy/local/down.sh" --data "$d" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
mkdir -p "$work/docs"
if [[ -n "$corpus" ]]; then
  echo "documents: first $docs articles of $(basename "$corpus")"
  i=0
  while IFS= read -r encoded; do
    i=$((i + 1))
    printf '%s' "$encoded" | base64 -d > "$work/docs/vntc_$i.txt"
  done < <(zcat "$corpus" | head -n "$docs" | jq -r '.text | @base64')
else
  echo "documents: $docs generated from tests/data/samples (no corpus used)"
  samples=("$root"/tests/data/samples/*.txt)
  for i in $(seq 1 "$docs"); do
    { cat "${samples[$((i % ${#samples[@]}))]}"; echo "Bản lưu số $i."; } > "$work/docs/gen_$i.txt"
  done
fi
bytes=$(cat "$work"/docs/* | wc -c)
echo "bytes: $bytes ($(awk -v b="$bytes" -v n="$docs" 'BEGIN{printf "%.1f KB/doc", b/n/1024}'))"

source "$root/tests/testing/free_ports.sh"
accept_rates=() total_rates=()
for run in $(seq 1 "$runs"); do
  base="$(free_port_base 5)"
  "$root/deploy/local/up.sh" --prefix "$prefix" --data "$work/data$run" --port-base "$base" >/dev/null
  start=$(date +%s.%N)
  result="$(VNA_INGEST_ADDR=127.0.0.1:$((base + 1)) "$prefix/bin/vnarchive" ingest --wait --json "$work/docs")"
  end=$(date +%s.%N)
  "$root/deploy/local/down.sh" --data "$work/data$run" >/dev/null
  indexed=$(jq -r '.indexed' <<<"$result")
  send=$(jq -r '.seconds' <<<"$result")
  [[ "$indexed" == "$docs" ]] || { echo "run $run: only $indexed of $docs indexed" >&2; exit 1; }
  accept=$(awk -v n="$docs" -v s="$send" 'BEGIN{printf "%.0f", n/s}')
  total=$(awk -v n="$docs" -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", n/(b-a)}')
  echo "run $run: accepted at $accept docs/s; all $docs searchable after $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')s ($total docs/s end to end)"
  accept_rates+=("$accept"); total_rates+=("$total")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo "median: accepted $(median "${accept_rates[@]}") docs/s, end to end $(median "${total_rates[@]}") docs/s over $runs runs"
