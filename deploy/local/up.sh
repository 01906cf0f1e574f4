#!/usr/bin/env bash
# Starts a local vnarchive suite: redis-server (appendonly, data in DIR) on
# port N and ingest, normalize, extract, search on N+1..N+4, all bound to
# 127.0.0.1. Waits until each service reports SERVING, then prints the
# addresses. Idempotent: what is already running is left alone, so running
# it again restarts only what died.
#
#   deploy/local/up.sh --prefix P --data DIR [--port-base N]
#
# Services inherit VNA_* environment variables (e.g. VNA_CLAIM_IDLE=5s).
set -euo pipefail

usage() {
  echo "usage: $0 --prefix PREFIX --data DIR [--port-base N] [--timeout SECONDS]" >&2
  echo "  PREFIX     install prefix holding bin/vnarchive-* (cmake --install build --prefix PREFIX)" >&2
  echo "  DIR        where redis data, the search database, logs and pid files live" >&2
  echo "  N          redis port; services use N+1..N+4 (default 7600)" >&2
  exit 2
}

prefix="" data="" port_base=7600 timeout=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix="${2:-}"; shift 2 ;;
    --data) data="${2:-}"; shift 2 ;;
    --port-base) port_base="${2:-}"; shift 2 ;;
    --timeout) timeout="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "up.sh: unknown argument: $1" >&2; usage ;;
  esac
done
[[ -n "$prefix" && -n "$data" ]] || usage
[[ "$port_base" =~ ^[0-9]+$ && "$port_base" -ge 1024 && "$port_base" -le 65530 ]] ||
  { echo "up.sh: --port-base must be a number between 1024 and 65530" >&2; exit 2; }

prefix="$(cd "$prefix" 2>/dev/null && pwd)" || { echo "up.sh: prefix not found" >&2; exit 1; }
mkdir -p "$data"
data="$(cd "$data" && pwd)"
mkdir -p "$data/redis" "$data/search" "$data/logs" "$data/run"

redis_bin="$(command -v redis-server || true)"
[[ -n "$redis_bin" ]] || { echo "up.sh: redis-server not found (apt-get install redis-server)" >&2; exit 1; }
client="$prefix/bin/vnarchive"
services=(ingest normalize extract search)
for binary in "$client" "${services[@]/#/$prefix/bin/vnarchive-}"; do
  [[ -x "$binary" ]] || { echo "up.sh: binary missing: $binary (build and install first)" >&2; exit 1; }
done

# True if the process in pid file $1 is alive and runs $2.
running() {
  local pid_file="$1" name="$2" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

# True if something accepts connections on 127.0.0.1:$1.
port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fail_with_log() {
  echo "up.sh: $1" >&2
  if [[ -f "$2" ]]; then
    echo "--- last lines of $2:" >&2
    tail -n 15 "$2" >&2
  fi
  exit 1
}

redis_port=$port_base
redis_pid="$data/run/redis.pid"
if running "$redis_pid" redis-server; then
  echo "redis     already running (pid $(cat "$redis_pid"))"
else
  port_taken "$redis_port" && fail_with_log "port $redis_port is taken by another process (choose --port-base)" ""
  # setsid: the suite outlives the shell that started it.
  setsid "$redis_bin" --port "$redis_port" --bind 127.0.0.1 --appendonly yes \
    --dir "$data/redis" --logfile "$data/logs/redis.log" --save "" \
    </dev/null >/dev/null 2>&1 &
  echo $! > "$redis_pid"
  for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
    running "$redis_pid" redis-server || fail_with_log "redis-server exited at start" "$data/logs/redis.log"
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG ||
    fail_with_log "redis-server did not answer PING" "$data/logs/redis.log"
  echo "redis     started on 127.0.0.1:$redis_port"
fi

for i in "${!services[@]}"; do
  name="${services[$i]}"
  port=$((port_base + i + 1))
  pid_file="$data/run/$name.pid"
  if running "$pid_file" "vnarchive-$name"; then
    echo "$name $(printf '%*s' $((9 - ${#name})) '')already running (pid $(cat "$pid_file"))"
    continue
  fi
  port_taken "$port" && fail_with_log "port $port for $name is taken by another process (choose --port-base)" ""
  extra=()
  [[ "$name" == search ]] && extra=(--db "$data/search/vnarchive.db")
  setsid "$prefix/bin/vnarchive-$name" --listen "127.0.0.1:$port" --redis "127.0.0.1:$redis_port" \
    "${extra[@]}" </dev/null >>"$data/logs/$name.log" 2>&1 &
  echo $! > "$pid_file"
done

# Wait for SERVING: Redis reachable and each stage ready.
deadline=$((SECONDS + timeout))
for i in "${!services[@]}"; do
  name="${services[$i]}"
  port=$((port_base + i + 1))
  until "$client" health --addr "127.0.0.1:$port" >/dev/null 2>&1; do
    running "$data/run/$name.pid" "vnarchive-$name" ||
      fail_with_log "$name exited at start" "$data/logs/$name.log"
    ((SECONDS < deadline)) ||
      fail_with_log "$name did not report SERVING within ${timeout}s" "$data/logs/$name.log"
    sleep 0.1
  done
done

cat <<EOT
vnarchive is up (data in $data, logs in $data/logs):
  redis      127.0.0.1:$redis_port
  ingest     127.0.0.1:$((port_base + 1))
  normalize  127.0.0.1:$((port_base + 2))
  extract    127.0.0.1:$((port_base + 3))
  search     127.0.0.1:$((port_base + 4))
For the client:
  export VNA_INGEST_ADDR=127.0.0.1:$((port_base + 1)) VNA_SEARCH_ADDR=127.0.0.1:$((port_base + 4))
Stop with: $(dirname "$0")/down.sh --data $data
EOT
