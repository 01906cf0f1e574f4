#!/usr/bin/env bash
# End-to-end check of the container images: builds them, starts the suite
# with the compose file (Redis + four services, on free loopback ports),
# waits for every health check, ingests the sample documents through the
# ingest container's API, searches them, checks the hardening (non-root,
# read-only root filesystem), and removes everything it started.
#
#   deploy/containers/test-containers.sh [--state DIR]
#
# Uses the engine DOCKER_HOST points at when one answers; otherwise (as root)
# starts a private dockerd with its own socket and data in DIR (default: a
# temporary directory, removed at the end; ctest passes one in the build tree
# so that images and layers are reused by the next run), and stops it at the
# end. Exit 77 (ctest: skipped, with the reason printed) when neither is
# possible, or the engine cannot start on this host.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
state="" state_is_temporary=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state) state="${2:?--state needs a directory}"; shift 2 ;;
    *) echo "test-containers.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
project="vnatest$$"
dockerd_pid=""
compose=()

cleanup() {
  local status=$?
  if [[ ${#compose[@]} -gt 0 ]]; then
    [[ $status -eq 0 ]] || "${compose[@]}" logs --no-color --tail 30 >&2 2>/dev/null || true
    "${compose[@]}" down --volumes --timeout 10 >/dev/null 2>&1 || true
  fi
  if [[ -n "$dockerd_pid" ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
    # The engine may leave a network namespace mounted for a moment: never
    # let tidying up turn a passed run into a failure.
    rm -rf "$state/exec" "$state/sock" "$state/pid" 2>/dev/null || true
    [[ "$state_is_temporary" == false ]] || rm -rf "$state" 2>/dev/null || true
  fi
  rm -rf "$work" 2>/dev/null || true
  exit $status
}
trap cleanup EXIT

failures=0
check() {
  local what="$1"; shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; failures=$((failures + 1)); fi
}

# --- an engine --------------------------------------------------------------
for tool in docker docker-compose jq; do
  command -v "$tool" >/dev/null || { echo "test-containers.sh: $tool not found (deploy/install-deps.sh installs it)" >&2; exit 1; }
done
if ! docker info >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "SKIPPED: no Docker engine answers and starting one needs root (run as root, or set DOCKER_HOST)" >&2
    exit 77
  fi
  # A private engine: no bridge and no iptables rules, so it changes nothing
  # on the host; containers use the host's network.
  if [[ -z "$state" ]]; then
    state="$(mktemp -d /tmp/vna-dockerd.XXXXXX)"
    state_is_temporary=true
  fi
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  # A unix socket path must be shorter than 108 bytes: with a deep build
  # tree, keep the engine's data in a temporary directory instead (the
  # images are then built anew next time).
  if [[ ${#state} -ge 96 ]]; then
    echo "test-containers.sh: $state is too long a path for a socket; using a temporary directory" >&2
    state="$(mktemp -d /tmp/vna-dockerd.XXXXXX)"
    state_is_temporary=true
  fi
  dockerd --data-root "$state/root" --exec-root "$state/exec" --pidfile "$state/pid" \
    --host "unix://$state/sock" --iptables=false --ip6tables=false --bridge=none \
    >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  export DOCKER_HOST="unix://$state/sock"
  for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.3; done
  if ! docker info >/dev/null 2>&1; then
    # Not the project's fault: this host does not let a container engine
    # run (no cgroups, no overlay mounts, ...). Say why and skip.
    tail -n 20 "$work/dockerd.log" >&2
    echo "SKIPPED: dockerd could not start on this host (its log is above)" >&2
    exit 77
  fi
fi

# --- images -------------------------------------------------------------
"$root/deploy/containers/build-images.sh"
version="$(sed -n 's/^project(vnarchive VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"

# --- the suite ----------------------------------------------------------
# Five free loopback ports in a row.
source "$root/tests/testing/free_ports.sh"
base="$(free_port_base 5)"
export VNA_VERSION="$version" VNA_REDIS_PORT="$base" VNA_INGEST_PORT=$((base + 1)) \
  VNA_NORMALIZE_PORT=$((base + 2)) VNA_EXTRACT_PORT=$((base + 3)) VNA_SEARCH_PORT=$((base + 4))
compose=(docker-compose -f "$root/deploy/containers/compose.yaml" -p "$project")
"${compose[@]}" up -d >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }

healthy() {
  local id
  for id in $("${compose[@]}" ps -q); do
    [[ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" == healthy ]] || return 1
  done
  [[ "$("${compose[@]}" ps -q | wc -l)" -eq 5 ]]
}
for _ in $(seq 120); do healthy && break; sleep 1; done
check "all five containers healthy" healthy

# --- hardening ------------------------------------------------------------
container_of() { "${compose[@]}" ps -q "$1"; }
for service in ingest normalize extract search; do
  id="$(container_of "$service")"
  check "$service runs as uid 10001" test "$(docker exec "$id" id -u)" = 10001
  check "$service has a read-only root filesystem" \
    test "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true
  check "$service cannot write to /usr" bash -c "! docker exec $id touch /usr/probe 2>/dev/null"
done
check "redis runs as non-root" bash -c "test \"\$(docker exec $(container_of redis) id -u)\" != 0"

# --- ingest the samples and search them, through the containers' APIs -------
cli=(docker run --rm --network host --read-only --user 10001:10001
     -e "VNA_INGEST_ADDR=127.0.0.1:$VNA_INGEST_PORT" -e "VNA_SEARCH_ADDR=127.0.0.1:$VNA_SEARCH_PORT"
     -v "$root/tests/data/samples:/samples:ro" --entrypoint vnarchive "vnarchive/search:$version")
sample_count=$(find "$root/tests/data/samples" -type f | wc -l)
result="$("${cli[@]}" ingest --wait --wait-timeout 120 --json /samples || true)"
check "all $sample_count samples indexed" \
  test "$(jq -r '"\(.indexed) \(.failed)"' <<<"$result" 2>/dev/null)" = "$sample_count 0"
checked=0
while IFS=$'\t' read -r file phrase folded; do
  [[ "$file" == file ]] && continue
  names="$("${cli[@]}" search --json --limit 100 "\"$folded\"" | jq -r '.hits[].name')"
  check "$file found by \"$folded\"" grep -q "$file" <<<"$names"
  checked=$((checked + 1))
  [[ $checked -lt 5 ]] || break
done < "$root/tests/data/sample_phrases.tsv"

# The search database survives a restart of its container (named volume).
"${compose[@]}" restart search >/dev/null 2>&1
for _ in $(seq 60); do healthy && break; sleep 1; done
check "search healthy after a restart" healthy
total="$("${cli[@]}" search --json "UBND" | jq -r '.total')"
check "documents still searchable after the restart ($total hits for UBND)" test "${total:-0}" -gt 0

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "containers: all checks passed"
