#!/usr/bin/env bash
# Installs the Debian 12 packages vnarchive needs to build, test and run,
# skipping what is already installed. Uses sudo when not root.
#
#   deploy/install-deps.sh                everything (build, tests, tools)
#   deploy/install-deps.sh --build-only   only what compiling the services
#                                         and the CLI needs (the container
#                                         image's build stage uses this)
set -euo pipefail

# What compiling needs (without tests and benchmarks).
build_packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libicu-dev libhiredis-dev libsqlite3-dev libxxhash-dev libcli11-dev libgumbo-dev
  libcpp-httplib-dev libssl-dev
)
# What the tests, benchmarks, fuzzers and local runner need besides.
test_packages=(
  redis-server redis-tools libgtest-dev libgmock-dev libbenchmark-dev jq
  clang libclang-rt-14-dev python3 openssl
)

build_only=false
case "${1:-}" in
  --build-only) build_only=true ;;
  "") ;;
  *) echo "usage: $0 [--build-only]" >&2; exit 2 ;;
esac
packages=("${build_packages[@]}")
[[ "$build_only" == true ]] || packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ "$build_only" == false ]]; then
  # The offline Kubernetes manifest check (deploy/k8s-check.sh) runs node. A
  # node from another source (e.g. NodeSource) conflicts with Debian's npm
  # package, so node and npm are looked for as commands, not as packages.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # The container test (deploy/containers/) needs a Docker engine and
  # compose, and mmdebstrap for a base image from Debian's mirror. An engine
  # from Docker's own packages conflicts with Debian's docker.io, so these
  # are looked for as commands too.
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
