#!/usr/bin/env bash
# `vnarchive ingest` against the real vnarchive-ingest binary and a real
# redis-server on free loopback ports:
#
#  1. The duplicate set (tests/data/duplicates, in the order of expected.tsv):
#     near-duplicates are accepted and linked, the exact duplicate is refused,
#     and progress (documents/s, counts) is printed on stderr.
#  2. Resume (VNA_INGEST_RESUME=1): files already accepted are skipped, not
#     sent; the rest are sent.
#  3. Back-pressure: 300 files with the high-water mark at 20 while a drain
#     empties the stream: the client is refused, waits, resends, and every
#     file is accepted exactly once (XINFO STREAM entries-added).
#  4. Errors are counted by reason.
#
#   tests/integration/cli_ingest_test.sh --client VNARCHIVE --ingest VNARCHIVE_INGEST --data DIR
set -euo pipefail

client="" ingest="" data=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) client="$2"; shift 2 ;;
    --ingest) ingest="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$client" && -x "$ingest" && -d "$data" ]] || {
  echo "usage: $0 --client VNARCHIVE --ingest VNARCHIVE_INGEST --data DIR" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

work="$(mktemp -d)"
redis_pid="" ingest_pid="" drain_pid=""
failures=0 checks=0
check() {  # check DESCRIPTION COMMAND...: runs COMMAND, counts the outcome
  local description="$1"; shift
  checks=$((checks + 1))
  if "$@"; then return 0; fi
  failures=$((failures + 1))
  echo "FAIL: $description" >&2
}
cleanup() {
  for pid in $drain_pid $ingest_pid $redis_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ $failures -ne 0 ]]; then
    echo "--- ingest log (tail)" >&2; tail -n 20 "$work/ingest.log" >&2 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

source "$(dirname "$0")/../testing/free_ports.sh"

redis_port="$(free_port_base)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
redis=(redis-cli -p "$redis_port")
for _ in $(seq 1 100); do
  [[ "$("${redis[@]}" ping 2>/dev/null)" == PONG ]] && break
  sleep 0.05
done

ingest_port="$(free_port_base)"
"$ingest" --listen "127.0.0.1:$ingest_port" --redis "127.0.0.1:$redis_port" \
  --high_water 20 --retry_after 100ms 2> "$work/ingest.log" &
ingest_pid=$!
for _ in $(seq 1 200); do
  grep -q '"msg":"listening"' "$work/ingest.log" 2>/dev/null && break
  sleep 0.05
done
export VNA_INGEST_ADDR="127.0.0.1:$ingest_port"

# Empties the ingested stream every 100 ms, as a fast normalize stage would
# (no consumer group: the backlog is the stream's length).
drain() { while true; do "${redis[@]}" XTRIM vna:ingested MAXLEN 0 >/dev/null 2>&1; sleep 0.1; done; }
drain &
drain_pid=$!

# --- 1. the duplicate set, in the order of expected.tsv -------------------
mkdir -p "$work/dup"
n=0
while IFS=$'\t' read -r file expected of; do
  [[ "$file" == file ]] && continue
  n=$((n + 1))
  cp "$data/$file" "$work/dup/$(printf '%02d' "$n")_$file"
done < "$data/expected.tsv"

"$client" ingest --json "$work/dup" > "$work/dup.json"
check "duplicate set: 8 accepted, 3 of them near-duplicates, 1 duplicate, none failed" \
  test "$(jq -r '"\(.accepted) \(.near_duplicate) \(.duplicate) \(.failed)"' "$work/dup.json")" = "8 3 1 0"
original_id="$(jq -r '.documents[] | select(.name == "01_original.txt") | .doc_id' "$work/dup.json")"
while IFS=$'\t' read -r file expected of; do
  [[ "$file" == file || -z "$of" ]] && continue
  linked="$(jq -r --arg f "$file" '.documents[] | select(.name | endswith($f)) | .duplicate_of' "$work/dup.json")"
  outcome="$(jq -r --arg f "$file" '.documents[] | select(.name | endswith($f)) | .outcome' "$work/dup.json")"
  want_outcome=accepted; [[ "$expected" == duplicate ]] && want_outcome=duplicate
  check "$file is $want_outcome, linked to $of" test "$outcome $linked" = "$want_outcome $original_id"
done < "$data/expected.tsv"

# Progress on stderr, without --json.
"$client" ingest "$work/dup" > "$work/again.out" 2> "$work/again.err"
check "progress shows documents/s on stderr" grep -q 'docs/s' "$work/again.err"
check "progress shows the counts on stderr" grep -q 'duplicates 9' "$work/again.err"
check "summary on stdout" grep -q '^9 files: 0 accepted (0 near-duplicates), 9 duplicate' "$work/again.out"

# --- 2. resume --------------------------------------------------------------
printf 'Văn bản mới về công tác dân vận ở cơ sở, số %s.\n' "$RANDOM$RANDOM" > "$work/dup/10_new.txt"
VNA_INGEST_RESUME=1 "$client" ingest --json "$work/dup" > "$work/resume.json"
check "resume: the 8 accepted files are skipped" \
  test "$(jq -r '.skipped' "$work/resume.json")" = 8
check "resume: the new file is accepted, the exact duplicate sent again" \
  test "$(jq -r '"\(.accepted) \(.duplicate) \(.failed)"' "$work/resume.json")" = "1 1 0"
check "resume: skipped files carry their doc_id" \
  test "$(jq -r '.documents[] | select(.name == "01_original.txt") | "\(.outcome) \(.doc_id)"' \
          "$work/resume.json")" = "skipped $original_id"

# --- 3. back-pressure ---------------------------------------------------------
mkdir -p "$work/bulk"
for i in $(seq -w 1 300); do
  printf 'Báo cáo số %s của Ban Thường vụ về kết quả %s năm, mã hồ sơ %s, ngày %s/%s.\n' \
    "$i" "$((10#$i % 7 + 1))" "$((10#$i * 7919 % 10007))" "$((10#$i % 28 + 1))" "$((10#$i % 12 + 1))" \
    > "$work/bulk/bao-cao-$i.txt"
done
added_before="$("${redis[@]}" XINFO STREAM vna:ingested | awk 'prev == "entries-added" {print; exit} {prev = $0}')"
"$client" ingest --json "$work/bulk" > "$work/bulk.json" 2> "$work/bulk.err"
added_after="$("${redis[@]}" XINFO STREAM vna:ingested | awk 'prev == "entries-added" {print; exit} {prev = $0}')"
check "back-pressure: 300 accepted, none failed" \
  test "$(jq -r '"\(.accepted) \(.failed)"' "$work/bulk.json")" = "300 0"
check "back-pressure: each file enqueued exactly once" test "$((added_after - added_before))" = 300
check "back-pressure: the service refused with the backlog full" \
  grep -q '"reason":"backlog"' "$work/ingest.log"

# --- 4. errors by reason ------------------------------------------------------
mkdir -p "$work/bad"
printf ' \n ' > "$work/bad/empty.txt"
printf '\n\n' > "$work/bad/blank.txt"
printf 'Chia sẻ: Facebook | Zalo\n' > "$work/bad/widgets.txt"
set +e
"$client" ingest --json "$work/bad" "$work/missing.txt" > "$work/bad.json"
bad_exit=$?
set -e
check "errors: exit code 1" test "$bad_exit" = 1
check "errors: counted by reason" \
  test "$(jq -c '.errors' "$work/bad.json")" = '{"all_boilerplate":1,"empty":2,"unreadable":1}'

echo "$((checks - failures))/$checks checks passed"
[[ $failures -eq 0 ]]
