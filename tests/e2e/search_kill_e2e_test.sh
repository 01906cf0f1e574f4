#!/usr/bin/env bash
# End-to-end: the search worker SIGKILLed at random moments while it indexes
# under load loses nothing and duplicates nothing (issue #6, item 5).
#
# Real binaries, real redis-server, deploy/local/up.sh on a free loopback
# port base. A few thousand small documents, each with a unique token, are
# ingested in chunks while vnarchive-search is SIGKILLed several times and
# restarted; after every restart queries are run while it catches up, and a
# background loop queries all along (the number of searchable documents must
# never go down: a committed batch survives the kill). Then:
#   * every document was accepted and is INDEXED;
#   * each unique token finds exactly one document, and the total is the
#     number accepted;
#   * nothing is pending in any consumer group and nothing was dead-lettered;
#   * after one more SIGKILL (the WAL left as it is), `vnarchive check` finds
#     the shard sound: PRAGMA integrity_check, FTS5's integrity-check against
#     the documents, no orphaned rows, and the same document count.
#
#   tests/e2e/search_kill_e2e_test.sh --service BIN... --client BIN --source-dir SRC
#     [--docs N] [--kills K]
# (--service four times: vnarchive-ingest, -normalize, -extract, -search.)
set -euo pipefail

services=() client="" source_dir="" docs=3000 kills=6
while [[ $# -gt 0 ]]; do
  case "$1" in
    --service) services+=("$2"); shift 2 ;;
    --client) client="$2"; shift 2 ;;
    --source-dir) source_dir="$2"; shift 2 ;;
    --docs) docs="$2"; shift 2 ;;
    --kills) kills="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ ${#services[@]} -eq 4 && -n "$client" && -n "$source_dir" ]] ||
  { echo "usage: $0 --service BIN (x4) --client BIN --source-dir SRC [--docs N] [--kills K]" >&2; exit 2; }
chunks=20  # sent one after another, a steady flow while the kills happen

work="$(mktemp -d)"
prefix="$work/prefix" data="$work/data"
failures=0 checks=0
check() {  # check DESCRIPTION COMMAND...: runs COMMAND, counts the outcome
  local description="$1"; shift
  checks=$((checks + 1))
  if "$@"; then return 0; fi
  failures=$((failures + 1))
  echo "FAIL: $description" >&2
}
query_loop_pid=""
cleanup() {
  [[ -n "$query_loop_pid" ]] && kill "$query_loop_pid" 2>/dev/null || true
  "$source_dir/deploy/local/down.sh" --data "$data" --timeout 5 >/dev/null 2>&1 || true
  if [[ $failures -ne 0 || ${KEEP_E2E:-0} == 1 ]]; then
    echo "logs kept in $data/logs" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# up.sh runs PREFIX/bin/vnarchive-*: link the binaries under test there.
mkdir -p "$prefix/bin"
for binary in "${services[@]}" "$client"; do ln -s "$(readlink -f "$binary")" "$prefix/bin/"; done
vnarchive="$prefix/bin/vnarchive"

source "$source_dir/tests/testing/free_ports.sh"
base="$(free_port_base 5)"
redis=(redis-cli -p "$base")
up() { "$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$base" >/dev/null; }

# Entries a killed search worker held are taken over after 2s (default 30s).
export VNA_CLAIM_IDLE=2s
up
export VNA_INGEST_ADDR="127.0.0.1:$((base + 1))" VNA_SEARCH_ADDR="127.0.0.1:$((base + 4))"

# --- documents: chunk c holds documents i with i % chunks == c ------------
for c in $(seq 0 $((chunks - 1))); do mkdir -p "$work/docs/$c"; done
for i in $(seq -w 1 "$docs"); do
  printf 'Biên bản kiểm tra số %s\n\nĐoàn kiểm tra của Ủy ban Kiểm tra Tỉnh ủy làm việc với chi bộ thôn số %s về công tác phát triển đảng viên. Mã đối chiếu killtok%sq thuộc nhóm killgroup.\n' \
    "$i" "$i" "$i" > "$work/docs/$((10#$i % chunks))/kill_$i.txt"
done

# searchable: prints how many documents the common token finds, or fails.
searchable() { "$vnarchive" search --json --limit 1 killgroup 2>/dev/null | jq -e -r '.total'; }

# Background queries all along: one line per answer ("ok TOTAL" or "down").
( while :; do
    if total="$(searchable)"; then echo "ok $total"; else echo down; fi
    sleep 0.05
  done ) > "$work/queries.log" 2>/dev/null &
query_loop_pid=$!

# holding PID: true while the search worker PID holds entries it read and
# has not acked yet, i.e. is inside a batch (before or after its commit).
# Consumer names are <hostname>-<pid>.
holding() {
  [[ -n "$("${redis[@]}" XPENDING vna:extracted search - + 1 "$(hostname)-$1")" ]]
}

# --- the load: a steady flow of small chunks in the background ------------
( for c in $(seq 0 $((chunks - 1))); do
    "$vnarchive" ingest --json "$work/docs/$c" > "$work/ingest_$c.json" || true
    sleep 0.3
  done ) &
load_pid=$!

# Each kill: a random pause, then SIGKILL at the next moment the worker is
# inside a batch (bounded wait: if it never is, it is killed anyway).
killed_holding=0 foreground_queries=0 foreground_failed=0
for k in $(seq 1 "$kills"); do
  # Queries while the (re)started worker indexes: they must all succeed.
  for _ in 1 2; do
    foreground_queries=$((foreground_queries + 1))
    searchable >/dev/null || foreground_failed=$((foreground_failed + 1))
  done
  sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  pid="$(cat "$data/run/search.pid")"
  held=0
  for _ in $(seq 1 300); do
    if holding "$pid"; then held=1; break; fi
  done
  kill -KILL "$pid"
  # Gone, or a zombie nobody reaped yet (bounded: 2 s).
  for _ in $(seq 1 200); do
    [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" =~ ^[^Z] ]] || break
    sleep 0.01
  done
  killed_holding=$((killed_holding + held))
  echo "kill $k: search (pid $pid) SIGKILLed $([[ $held == 1 ]] && echo inside a batch || echo idle)" >&2
  up  # restarts only search; waits until it reports SERVING
done
wait "$load_pid"

accepted=0 ingest_failed=0
for c in $(seq 0 $((chunks - 1))); do
  accepted=$((accepted + $(jq -r '.accepted' "$work/ingest_$c.json")))
  ingest_failed=$((ingest_failed + $(jq -r '.failed' "$work/ingest_$c.json")))
done
check "all $docs accepted ($accepted, $ingest_failed failed)" test "$accepted:$ingest_failed" = "$docs:0"
check "search was killed inside a batch ($killed_holding of $kills kills)" \
  test "$killed_holding" -ge $((kills / 2))
check "queries after each restart succeeded ($foreground_failed of $foreground_queries failed)" \
  test "$foreground_failed" -eq 0

# Every document reaches INDEXED (resending them answers DUPLICATE, then waits).
waited="$("$vnarchive" ingest --wait --wait-timeout 90 --json "$work/docs" || true)"
check "all $docs indexed after the kills ($(jq -c '{indexed, failed}' <<<"$waited"))" \
  test "$(jq -r '"\(.indexed) \(.failed)"' <<<"$waited")" = "$docs 0"
kill "$query_loop_pid" 2>/dev/null || true
wait "$query_loop_pid" 2>/dev/null || true
query_loop_pid=""

# The searchable count never went down, and queries were answered all along.
answered="$(grep -c '^ok' "$work/queries.log" || true)"
check "background queries were answered ($answered answers)" test "$answered" -ge 20
check "the searchable count never went down" \
  awk '$1 == "ok" { if ($2 < last) { print "went from " last " to " $2 > "/dev/stderr"; bad = 1 } last = $2 }
       END { exit bad }' "$work/queries.log"

check "the common token finds all $accepted documents" test "$(searchable)" = "$accepted"

# Each unique token exactly once: 50 tokens per OR query; the hits must be
# exactly those 50 files.
each_found_once() {
  local wrong=0 start query expected got i
  for ((start = 1; start <= docs; start += 50)); do
    query="" expected=""
    for ((i = start; i < start + 50 && i <= docs; i++)); do
      printf -v id "%0${#docs}d" "$i"
      query+="${query:+ OR }killtok${id}q"
      expected+="kill_$id.txt"$'\n'
    done
    got="$("$vnarchive" search --json --limit 100 "$query" | jq -r '.hits[].name' | sort)"
    if [[ "$got" != "$(sort <<<"${expected%$'\n'}")" ]]; then
      wrong=$((wrong + 1))
      echo "tokens from $start: got $(wc -l <<<"$got") hits: $(diff <(sort <<<"${expected%$'\n'}") <(echo "$got") | head -n 4 | tr '\n' ' ')" >&2
    fi
  done
  [[ $wrong -eq 0 ]]
}
check "each unique token finds exactly its one document" each_found_once

# A stage marks a document done just before it acks, so give the last acks
# a moment (bounded) before reading the pending lists.
for stream_group in vna:ingested:normalize vna:normalized:extract vna:extracted:search; do
  stream="${stream_group%:*}" group="${stream_group##*:}"
  for _ in $(seq 1 50); do
    count="$("${redis[@]}" XPENDING "$stream" "$group" | head -n 1)"
    [[ "$count" == 0 ]] && break
    sleep 0.1
  done
  check "nothing pending in $stream for $group ($count)" test "$count" = 0
done
check "nothing dead-lettered" test "$("${redis[@]}" XLEN vna:dead)" = 0

# One last SIGKILL, then the shard as the crash left it (WAL not checkpointed).
kill -KILL "$(cat "$data/run/search.pid")"
sleep 0.2
report="$("$vnarchive" check --json --db "$data/search/vnarchive.db" || true)"
check "integrity checks pass ($report)" test "$(jq -r '.ok' <<<"$report")" = true
check "the shard holds $accepted documents ($(jq -r '.documents' <<<"$report"))" \
  test "$(jq -r '.documents' <<<"$report")" = "$accepted"

echo "search kill e2e: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
