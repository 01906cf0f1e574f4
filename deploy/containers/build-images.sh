#!/usr/bin/env bash
# Builds the vnarchive images with the Docker engine DOCKER_HOST points at
# (default: the local one): vnarchive/{ingest,normalize,extract,search,redis}
# tagged with the project version (CMakeLists.txt), from the multi-stage
# Dockerfile next to this script.
#
#   deploy/containers/build-images.sh [--base IMAGE]
#
# The base image (default vnarchive/debian:12) is made from Debian's mirror
# with mmdebstrap when it is missing, so no registry is needed; pass
# --base debian:12 (or set VNA_BASE_IMAGE) where Docker Hub is reachable.
# VNA_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
base="${VNA_BASE_IMAGE:-vnarchive/debian:12}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="${2:?--base needs an image}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build-images.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v docker >/dev/null || { echo "build-images.sh: docker not found (apt-get install docker.io)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "build-images.sh: no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-default})" >&2; exit 1; }
version="$(sed -n 's/^project(vnarchive VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ -n "$version" ]] || { echo "build-images.sh: no project version in CMakeLists.txt" >&2; exit 1; }

if ! docker image inspect "$base" >/dev/null 2>&1; then
  [[ "$base" == vnarchive/debian:12 ]] || { echo "build-images.sh: base image $base not found" >&2; exit 1; }
  command -v mmdebstrap >/dev/null || { echo "build-images.sh: mmdebstrap not found (apt-get install mmdebstrap)" >&2; exit 1; }
  mirror="${VNA_DEBIAN_MIRROR:-http://deb.debian.org}"
  echo "build-images.sh: making $base from $mirror (bookworm, with updates and security)" >&2
  # --variant=apt: the essential packages and apt, nothing else.
  mmdebstrap --quiet --variant=apt bookworm - \
      "deb $mirror/debian bookworm main" \
      "deb $mirror/debian bookworm-updates main" \
      "deb $mirror/debian-security bookworm-security main" |
    docker import --change 'CMD ["/bin/bash"]' - "$base" >/dev/null
fi

# The classic builder needs no BuildKit daemon; host networking lets apt reach
# the mirror where the engine has no bridge network.
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in ingest normalize extract search redis; do
  echo "build-images.sh: vnarchive/$target:$version" >&2
  if ! docker build --network host --build-arg "BASE=$base" --target "$target" \
      -t "vnarchive/$target:$version" -f "$root/deploy/containers/Dockerfile" "$root" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "build-images.sh: building $target failed" >&2
    exit 1
  fi
done
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' 'vnarchive/*' >&2
