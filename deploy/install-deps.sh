#!/usr/bin/env bash
# Installs the Debian 12 packages vnarchive needs to build, test and run,
# skipping what is already installed. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libicu-dev libhiredis-dev redis-server redis-tools libsqlite3-dev libxxhash-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev jq clang libclang-rt-14-dev libgumbo-dev
  python3
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# The offline Kubernetes manifest check (deploy/k8s-check.sh) runs node. A
# node from another source (e.g. NodeSource) conflicts with Debian's npm
# package, so node and npm are looked for as commands, not as packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
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
