#!/usr/bin/env bash
# End-to-end test of the suite's security and observability, with the real
# binaries and a real redis-server on free 127.0.0.1 ports, run as
# k8s/overlays/prod runs them: TLS on every gRPC port, bearer tokens on
# ingest and search, mTLS on normalize and extract, Redis AUTH, plaintext
# health ports, Prometheus metrics ports. Throwaway certificates and
# secrets are made in a temporary directory.
#
# Asserts: plaintext to a TLS port fails; the health port answers SERVING in
# plaintext; a client without a token, or with a wrong one, gets
# UNAUTHENTICATED, the right token works, and a rewritten token file takes
# effect without a restart; mTLS refuses a client without a certificate and
# one from another CA; /metrics has the expected metric names and counts
# that move; a trace id given at ingest (or carried by a stream entry)
# appears in normalize's, extract's and search's log lines about the
# document; no log holds a token or the Redis password.
#
#   tests/e2e/security_e2e_test.sh --service BIN (x4) --client BIN --source-dir SRC
#     each BIN a vnarchive-{ingest,normalize,extract,search} binary
set -euo pipefail

declare -A binary=()
client="" source_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --service) binary[$(basename "$2" | sed 's/^vnarchive-//')]="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    --source-dir) source_dir="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ ${#binary[@]} -eq 4 && -n "$client" && -n "$source_dir" ]] || { echo "missing arguments" >&2; exit 2; }
for tool in openssl redis-server redis-cli sha256sum jq; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (deploy/install-deps.sh)" >&2; exit 1; }
done

work="$(mktemp -d)"
logs="$work/logs"
mkdir -p "$logs" "$work/redis" "$work/search"
pids=()
failures=0 checks=0
check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  checks=$((checks + 1))
  if "$@"; then echo "ok: $description"; return 0; fi
  failures=$((failures + 1))
  echo "FAIL: $description" >&2
}
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $failures -ne 0 || ${KEEP_E2E:-0} == 1 ]]; then
    echo "logs kept in $logs" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# --- secrets and certificates (made here, never committed) -------------------
bash "$source_dir/common/grpc/testing/make_test_certs.sh" "$work/certs"
certs="$work/certs"
token="$(openssl rand -hex 24)"
new_token="$(openssl rand -hex 24)"
wrong_token="$(openssl rand -hex 24)"
redis_password="$(openssl rand -hex 16)"
hash_of() { printf 'sha256:%s' "$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"; }
printf '# e2e\n%s e2e-client\n' "$(hash_of "$token")" > "$work/tokens"

# --- free ports: redis, then 4 x (grpc, health, metrics) --------------------
source "$source_dir/tests/testing/free_ports.sh"
base="$(free_port_base 13)"
redis_port=$base
services=(ingest normalize extract search)
grpc_port() { echo $((base + 1 + $1)); }
health_port() { echo $((base + 5 + $1)); }
metrics_port() { echo $((base + 9 + $1)); }

# --- redis with AUTH (the password in a config file, not on a command line) --
printf 'port %s\nbind 127.0.0.1\nrequirepass %s\nsave ""\nappendonly no\ndir %s\nlogfile %s\n' \
  "$redis_port" "$redis_password" "$work/redis" "$logs/redis.log" > "$work/redis.conf"
redis-server "$work/redis.conf" </dev/null >/dev/null 2>&1 &
pids+=($!)
redis=(env REDISCLI_AUTH="$redis_password" redis-cli --no-auth-warning -p "$redis_port")
for _ in $(seq 1 100); do "${redis[@]}" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
check "redis answers with AUTH" test "$("${redis[@]}" ping)" = PONG
check "redis refuses without AUTH" \
  grep -q NOAUTH <(redis-cli -p "$redis_port" ping 2>&1)

# --- the four services, as prod runs them -------------------------------------
for i in "${!services[@]}"; do
  name="${services[$i]}"
  args=(--listen "127.0.0.1:$(grpc_port "$i")" --health_listen "127.0.0.1:$(health_port "$i")"
        --metrics_listen "127.0.0.1:$(metrics_port "$i")" --redis "127.0.0.1:$redis_port"
        --tls_cert_file "$certs/server.crt" --tls_key_file "$certs/server.key"
        --credentials_reload_interval 1s --max_call_duration 30s --max_stream_duration 10m
        --max_concurrent_streams 100)
  case "$name" in
    ingest) args+=(--auth_token_file "$work/tokens") ;;
    search) args+=(--auth_token_file "$work/tokens" --db "$work/search/e2e.db") ;;
    *) args+=(--tls_client_ca_file "$certs/ca.crt") ;;
  esac
  VNA_REDIS_PASSWORD="$redis_password" VNA_CLAIM_IDLE=2s \
    "${binary[$name]}" "${args[@]}" </dev/null >>"$logs/$name.log" 2>&1 &
  pids+=($!)
done

# The health ports are plaintext: the kubelet's probe, and this wait.
for i in "${!services[@]}"; do
  for _ in $(seq 1 150); do
    "$client" health --addr "127.0.0.1:$(health_port "$i")" >/dev/null 2>&1 && break
    sleep 0.1
  done
  check "${services[$i]}: health port answers SERVING in plaintext" \
    "$client" health --addr "127.0.0.1:$(health_port "$i")"
done

ingest_addr="127.0.0.1:$(grpc_port 0)"
search_addr="127.0.0.1:$(grpc_port 3)"
normalize_addr="127.0.0.1:$(grpc_port 1)"
tls=(--tls-ca-file "$certs/ca.crt")

# --- TLS --------------------------------------------------------------------
check "plaintext client to the TLS port fails" \
  bash -c '! "$0" health --addr "$1" >/dev/null 2>&1' "$client" "$ingest_addr"
check "TLS with the right CA: health on the service port needs no token" \
  "$client" "${tls[@]}" health --addr "$ingest_addr"
check "TLS with another CA fails" \
  bash -c '! "$0" --tls-ca-file "$1" health --addr "$2" >/dev/null 2>&1' \
  "$client" "$certs/other-ca.crt" "$ingest_addr"

# --- mTLS (normalize, extract) -------------------------------------------------
check "mTLS: a client without a certificate is refused" \
  bash -c '! "$0" --tls-ca-file "$1" health --addr "$2" >/dev/null 2>&1' \
  "$client" "$certs/ca.crt" "$normalize_addr"
check "mTLS: a certificate from another CA is refused" \
  bash -c '! "$0" --tls-ca-file "$1" --tls-cert-file "$2" --tls-key-file "$3" health --addr "$4" >/dev/null 2>&1' \
  "$client" "$certs/ca.crt" "$certs/other-client.crt" "$certs/other-client.key" "$normalize_addr"
check "mTLS: the client certificate from the client CA is accepted" \
  "$client" "${tls[@]}" --tls-cert-file "$certs/client.crt" --tls-key-file "$certs/client.key" \
  health --addr "$normalize_addr"

# --- bearer tokens (ingest, search) --------------------------------------------
code_of() { jq -r '.error.code // "OK"' 2>/dev/null || echo "?"; }
check "no token: UNAUTHENTICATED" \
  test "$("$client" "${tls[@]}" search --addr "$search_addr" --json nghị quyết | code_of)" = UNAUTHENTICATED
check "wrong token: UNAUTHENTICATED" \
  test "$(VNA_TOKEN="$wrong_token" "$client" "${tls[@]}" search --addr "$search_addr" --json nghị | code_of)" = UNAUTHENTICATED
check "right token: OK" \
  test "$(VNA_TOKEN="$token" "$client" "${tls[@]}" search --addr "$search_addr" --json nghị | code_of)" = OK
check "the client refuses to send a token in plaintext" \
  bash -c '! VNA_TOKEN=x "$0" search --addr "$1" nghị >/dev/null 2>&1' "$client" "$search_addr"

# --- trace id: from ingest through every stage ---------------------------------
export VNA_TOKEN="$token"
trace="e2e-trace-$RANDOM$RANDOM"
doc="$work/doc.txt"
printf 'Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ %s\n\nSáng 12/3/2019, Tỉnh ủy Hậu Giang tổ chức hội nghị quán triệt Chỉ thị số 05-CT/TW. Mã %sq.\n' \
  "$RANDOM" "$trace" > "$doc"
ingested="$("$client" "${tls[@]}" --trace-id "$trace" ingest --addr "$ingest_addr" --wait \
  --wait-timeout 60 --json "$doc" || true)"
check "document ingested with a trace id is indexed" test "$(jq -r '.indexed' <<<"$ingested")" = 1
doc_id="$(jq -r '.documents[0].doc_id' <<<"$ingested")"
check "ingest's access log carries the trace id" \
  grep -q "\"method\":\"/vnarchive.v1.IngestService/IngestStream\".*\"trace_id\":\"$trace\"\\|\"method\":\"/vnarchive.v1.IngestService/Ingest\".*\"trace_id\":\"$trace\"" "$logs/ingest.log"
# Ingest puts the call's trace id into the document, and every later stage
# logs the document with it (search may log just after the status turns
# INDEXED, so wait for its line).
for _ in $(seq 1 50); do
  grep -q "\"doc_id\":\"$doc_id\",\"trace_id\":\"$trace\"" "$logs/search.log" && break
  sleep 0.1
done
for name in normalize extract search; do
  check "$name logs the document ingested with trace id $trace" \
    grep -q "\"msg\":\"document done\".*\"doc_id\":\"$doc_id\",\"trace_id\":\"$trace\"" \
    "$logs/$name.log"
done

# --- metrics ---------------------------------------------------------------------
scrape() {  # scrape SERVICE_INDEX: the /metrics body
  local port
  port="$(metrics_port "$1")"
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
value_of() {  # value_of SERVICE_INDEX SERIES: the sample's value, 0 when absent
  scrape "$1" | awk -v s="$2" 'index($0, s " ") == 1 { print $2; found = 1 } END { if (!found) print 0 }'
}
search_ok='vna_grpc_server_handled_total{method="/vnarchive.v1.SearchService/Search",code="OK"}'
before="$(value_of 3 "$search_ok")"
"$client" "${tls[@]}" search --addr "$search_addr" --json hội nghị >/dev/null
after="$(value_of 3 "$search_ok")"
check "search's RPC counter moved ($before -> $after)" test "$after" -eq $((before + 1))
check "search counts refused calls by reason" \
  grep -q '^vna_auth_failures_total{reason="missing"} [1-9]' <(scrape 3)
for name in vna_grpc_server_handling_seconds_bucket vna_grpc_server_in_flight vna_health_serving \
            vna_index_documents vna_index_size_bytes 'vna_worker_processed_total{stage="search"}' \
            'vna_stream_backlog{stream="vna:extracted",group="search"}' vna_auth_tokens; do
  check "search exports $name" grep -qF "$name" <(scrape 3)
done
check "search's index holds the documents" test "$(value_of 3 vna_index_documents)" -ge 1
for i in 1 2; do
  name="${services[$i]}"
  check "$name counts processed entries" \
    test "$(value_of "$i" "vna_worker_processed_total{stage=\"$name\"}")" -ge 1
  check "$name exports its stream lag" grep -qF "vna_stream_lag{" <(scrape "$i")
  check "$name exports dead letters" grep -qF "vna_worker_dead_lettered_total{stage=\"$name\"} 0" <(scrape "$i")
done
check "ingest counts its RPCs" grep -qF 'vna_grpc_server_handled_total{method="/vnarchive.v1.IngestService/' <(scrape 0)

# --- token rotation without restart --------------------------------------------
printf '%s rotated\n' "$(hash_of "$new_token")" > "$work/tokens.new"
mv "$work/tokens.new" "$work/tokens"
for _ in $(seq 1 100); do
  [[ "$(VNA_TOKEN="$new_token" "$client" "${tls[@]}" search --addr "$search_addr" --json nghị | code_of)" == OK ]] && break
  sleep 0.1
done
check "a rewritten token file takes effect without a restart" \
  test "$(VNA_TOKEN="$new_token" "$client" "${tls[@]}" search --addr "$search_addr" --json nghị | code_of)" = OK
check "the revoked token is refused" \
  test "$(VNA_TOKEN="$token" "$client" "${tls[@]}" search --addr "$search_addr" --json nghị | code_of)" = UNAUTHENTICATED

# --- nothing secret in the logs ---------------------------------------------------
for secret in "$token" "$new_token" "$wrong_token" "$redis_password"; do
  check "no log holds a secret (${secret:0:4}...)" \
    bash -c '! grep -rqF -- "$0" "$1"/ingest.log "$1"/normalize.log "$1"/extract.log "$1"/search.log' \
    "$secret" "$logs"
done
check "every service logged JSON lines" \
  bash -c 'for f in "$0"/{ingest,normalize,extract,search}.log; do jq -e . "$f" >/dev/null || exit 1; done' "$logs"

echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
