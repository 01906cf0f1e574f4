#!/usr/bin/env bash
# End-to-end test of the whole suite: real binaries (installed from the build
# tree), real redis-server, started through deploy/local/up.sh.
#
#  1. The sample documents are ingested with --wait; each is found by a phrase
#     from its body, and by the same phrase typed without diacritics.
#  2. Every service answers reflection (what grpcurl uses).
#  3. 200 more documents flow while the normalize worker is SIGKILLed (and a
#     second replica dies holding entries); after a restart every one of them
#     is searchable exactly once and no pending list holds anything. Then
#     Redis itself is SIGKILLed while 100 documents flow, and restarted.
#
#   tests/e2e/e2e_test.sh --build-dir BUILD --source-dir SRC
set -euo pipefail

build_dir="" source_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --source-dir) source_dir="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

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
cleanup() {
  "$source_dir/deploy/local/down.sh" --data "$data" --timeout 5 >/dev/null 2>&1 || true
  if [[ $failures -ne 0 || ${KEEP_E2E:-0} == 1 ]]; then
    echo "logs kept in $data/logs" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
vnarchive="$prefix/bin/vnarchive"

# A port base whose five ports are all free.
source "$source_dir/tests/testing/free_ports.sh"
base="$(free_port_base 5)"
redis=(redis-cli -p "$base")

# Entries left by a killed consumer are taken over after 2s (default 30s).
export VNA_CLAIM_IDLE=2s
"$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$base" >/dev/null
export VNA_INGEST_ADDR="127.0.0.1:$((base + 1))" VNA_SEARCH_ADDR="127.0.0.1:$((base + 4))"

# up.sh is idempotent: a second run starts nothing and succeeds.
check "up.sh run twice" "$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$base" >/dev/null

# --- 1. samples, found by phrase with and without diacritics -------------
samples="$source_dir/tests/data/samples"
sample_count=$(find "$samples" -type f | wc -l)
result="$("$vnarchive" ingest --wait --json "$samples" || true)"
check "all $sample_count samples indexed" \
  test "$(jq -r '"\(.indexed) \(.failed)"' <<<"$result")" = "$sample_count 0"

# each_found_once PREFIX N: every unique token PREFIX<i>q (i = 1..N, zero-
# padded as the generated files are) returns exactly one hit.
each_found_once() {
  local prefix="$1" count="$2" wrong=0 i total
  for i in $(seq -w 1 "$count"); do
    total="$("$vnarchive" search --json "${prefix}${i}q" | jq -r '.total')"
    [[ "$total" == 1 ]] || { wrong=$((wrong + 1)); echo "${prefix}${i}q: $total hits" >&2; }
  done
  [[ $wrong -eq 0 ]]
}

# hits_names QUERY: the names of the hits, one per line.
hits_names() { "$vnarchive" search --json --limit 100 "$1" | jq -r '.hits[].name'; }
while IFS=$'\t' read -r file phrase folded; do
  [[ "$file" == file ]] && continue
  check "$file found by \"$phrase\"" grep -qx "$file" <(hits_names "\"$phrase\"")
  check "$file found by \"$folded\" (no diacritics)" grep -qx "$file" <(hits_names "\"$folded\"")
done < "$source_dir/tests/data/sample_phrases.tsv"

# get returns the stored document with its name and entities.
first_id="$(jq -r '.documents[0].doc_id' <<<"$result")"
first_name="$(jq -r '.documents[0].name' <<<"$result")"
check "get returns the stored document" \
  test "$("$vnarchive" get --json "$first_id" | jq -r '.document.name')" = "$first_name"
check "status says INDEXED" \
  test "$("$vnarchive" status --json "$first_id" | jq -r '.stage')" = INDEXED

# Bad input: a binary file is rejected, the rest of the run goes on.
mkdir -p "$work/bad"
printf 'Hội nghị \xff\xfe\x00 binary' > "$work/bad/broken.bin"
printf ' \n ' > "$work/bad/empty.txt"
printf 'Văn bản hợp lệ về công tác dân vận %s.\n' "$RANDOM$RANDOM" > "$work/bad/good.txt"
set +e
bad_result="$("$vnarchive" ingest --json "$work/bad")"; bad_exit=$?
set -e
check "ingest exits non-zero when a document fails" test "$bad_exit" -ne 0
check "invalid UTF-8 and empty rejected, valid accepted" \
  test "$(jq -r '[.documents[].outcome] | join(",")' <<<"$bad_result")" = "rejected,rejected,accepted"

# A legacy-encoded file (TCVN3, as old government files are) is decoded at
# ingest and found like any other document.
legacy="$("$vnarchive" ingest --wait --json "$source_dir/tests/data/encodings/article.tcvn3.txt" || true)"
check "TCVN3 file indexed" test "$(jq -r '.indexed' <<<"$legacy")" = 1
check "TCVN3 file found by a phrase typed without diacritics" \
  grep -qx "article.tcvn3.txt" <(hits_names '"chuyen sang unicode dung san"')

# --- 2. reflection on every service --------------------------------------
for pair in 1:IngestService 2:NormalizeService 3:ExtractService 4:SearchService; do
  port=$((base + ${pair%%:*}))
  check "reflection lists and describes ${pair#*:}" \
    grep -q "vnarchive.v1.${pair#*:}  (" <("$vnarchive" reflect --addr "127.0.0.1:$port")
  check "reflection describes grpc.health.v1.Health on $port" \
    grep -q "grpc.health.v1.Health  (Check, Watch)" <("$vnarchive" reflect --addr "127.0.0.1:$port")
done

# --- 3. SIGKILL normalize with 200 documents in flight -------------------
gen="$work/gen"
mkdir -p "$gen"
for i in $(seq -w 1 200); do
  cat > "$gen/flow_$i.txt" <<DOC
Hội nghị sơ kết công tác xây dựng Đảng số $i

Sáng 12/3/2019, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết việc thực hiện Chỉ thị số 05-CT/TW. Mã kiểm tra của văn bản là e2etoken${i}q.

Các đại biểu thống nhất đề ra giải pháp nâng cao chất lượng sinh hoạt chi bộ trong năm tới.
DOC
done

normalize_pid="$(cat "$data/run/normalize.pid")"
# Freeze normalize: entries reaching its blocked read are delivered to it
# (pending in its name) but never acked, exactly as in a crash mid-batch.
# Whether it was frozen inside that read is down to timing, so a second,
# certain crash is added: a replica that takes entries and dies at once.
length_before="$("${redis[@]}" XLEN vna:ingested)"
kill -STOP "$normalize_pid"
"$vnarchive" ingest --json "$gen" > "$work/flow.json" &
ingest_pid=$!
for _ in $(seq 1 600); do  # bounded: 30 s
  (( $("${redis[@]}" XLEN vna:ingested) >= length_before + 20 )) && break
  sleep 0.05
done
"${redis[@]}" XREADGROUP GROUP normalize crashed-replica COUNT 5 STREAMS vna:ingested ">" >/dev/null
pending="$("${redis[@]}" XPENDING vna:ingested normalize | head -n 1)"
kill -KILL "$normalize_pid"
check "entries were pending for dead consumers when normalize was killed ($pending)" \
  test "$pending" -ge 5
wait "$ingest_pid" || true
check "all 200 accepted while normalize was down" \
  test "$(jq -r '.accepted' "$work/flow.json")" = 200
check "the client met no error while normalize was down" test "$(jq -r '.failed' "$work/flow.json")" = 0

# Restart what died (only normalize), then wait for every document.
"$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$base" >/dev/null
check "restarted normalize has a new pid" test "$(cat "$data/run/normalize.pid")" != "$normalize_pid"
flow_wait="$("$vnarchive" ingest --wait --wait-timeout 120 --json "$gen" || true)"
check "all 200 indexed after the restart" \
  test "$(jq -r '"\(.indexed) \(.failed)"' <<<"$flow_wait")" = "200 0"

check "each of the 200 documents found exactly once" each_found_once e2etoken 200

# A stage marks a document done just before it acks the entry, so give the
# last acks a moment (bounded) before reading the pending lists.
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

# --- 3b. Redis SIGKILLed while documents flow ---------------------------
# Services and client back off while Redis is away and carry on when it is
# back (appendonly: nothing acknowledged is lost); every document ends up
# searchable exactly once.
gen2="$work/gen2"
mkdir -p "$gen2"
for i in $(seq -w 1 100); do
  printf 'Báo cáo chuyên đề số %s về công tác kiểm tra, giám sát.\n\nMã đối chiếu redistoken%sq của văn bản.\n' \
    "$i" "$i" > "$gen2/outage_$i.txt"
done
kill -KILL "$(cat "$data/run/redis.pid")"
"$vnarchive" ingest --json "$gen2" > "$work/outage.json" &
outage_ingest=$!
sleep 2  # the client and the services meet an absent Redis and back off
"$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$data" --port-base "$base" >/dev/null
set +e
wait "$outage_ingest"; outage_exit=$?
set -e
check "ingest waited out the Redis outage (exit $outage_exit)" test "$outage_exit" -eq 0
check "all 100 accepted across the outage" test "$(jq -r '.accepted' "$work/outage.json")" = 100
outage_wait="$("$vnarchive" ingest --wait --wait-timeout 120 --json "$gen2" || true)"
check "all 100 indexed after Redis came back" \
  test "$(jq -r '"\(.indexed) \(.failed)"' <<<"$outage_wait")" = "100 0"
check "each document found exactly once after the outage" each_found_once redistoken 100

# --- 4. runner errors and graceful stop --------------------------------
# up.sh names the problem: a port taken by another process, a missing binary.
set +e
taken="$("$source_dir/deploy/local/up.sh" --prefix "$prefix" --data "$work/other" --port-base "$base" 2>&1)"
taken_exit=$?
missing="$("$source_dir/deploy/local/up.sh" --prefix "$work" --data "$work/other" --port-base "$base" 2>&1)"
missing_exit=$?
set -e
check "up.sh fails on a taken port" test "$taken_exit" -ne 0
check "up.sh says the port is taken ($taken)" grep -q "port $base is taken" <<<"$taken"
check "up.sh fails on a missing binary" test "$missing_exit" -ne 0
check "up.sh names the missing binary ($missing)" grep -q "binary missing: $work/bin/vnarchive" <<<"$missing"

# A service stops on SIGTERM with exit code 0 within its grace period.
"$prefix/bin/vnarchive-extract" --listen 127.0.0.1:0 --redis "127.0.0.1:$base" \
  --key_prefix e2e-sigterm: 2>"$work/sigterm.log" &
sigterm_pid=$!
sleep 1
kill -TERM "$sigterm_pid"
sigterm_start=$SECONDS
set +e
wait "$sigterm_pid"; sigterm_exit=$?
set -e
check "SIGTERM exits 0 (got $sigterm_exit)" test "$sigterm_exit" -eq 0
check "SIGTERM exit took under 10s" test $((SECONDS - sigterm_start)) -lt 10
check "shutdown is logged" grep -q '"msg":"stopped"' "$work/sigterm.log"


down_output="$("$source_dir/deploy/local/down.sh" --data "$data" --timeout 10 2>&1)"
check "down.sh stops all five processes with SIGTERM ($down_output)" \
  test "$(grep -c ' stopped$' <<<"$down_output")" = 5
check "no pid files left" test -z "$(ls "$data/run")"
check "no error lines in the service logs" \
  bash -c "! grep -l 'level\":\"error' $data/logs/*.log"

echo "e2e: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
