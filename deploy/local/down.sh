#!/usr/bin/env bash
# Stops the local suite that up.sh started with the same --data DIR: the
# services first (SIGTERM, then SIGKILL after a timeout), Redis last.
# Idempotent: stopping a stopped suite is not an error. Only processes whose
# pid file is in DIR/run and whose command line matches are signalled.
#
#   deploy/local/down.sh --data DIR [--timeout SECONDS]
set -euo pipefail

data="" timeout=15
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data="${2:-}"; shift 2 ;;
    --timeout) timeout="${2:-}"; shift 2 ;;
    -h|--help) echo "usage: $0 --data DIR [--timeout SECONDS]" >&2; exit 2 ;;
    *) echo "down.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -n "$data" ]] || { echo "usage: $0 --data DIR [--timeout SECONDS]" >&2; exit 2; }
if [[ ! -d "$data/run" ]]; then
  echo "nothing to stop in $data"
  exit 0
fi

# Stops the process of pid file $1 if it still runs $2.
stop() {
  local pid_file="$1" name="$2" pid
  [[ -f "$pid_file" ]] || return 0
  pid="$(cat "$pid_file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
     tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < timeout * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) did not stop within ${timeout}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    else
      echo "$name stopped"
    fi
  fi
  rm -f "$pid_file"
}

for name in ingest normalize extract search; do
  stop "$data/run/$name.pid" "vnarchive-$name"
done
stop "$data/run/redis.pid" redis-server
