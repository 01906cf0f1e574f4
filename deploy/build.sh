#!/usr/bin/env bash
# Configures and builds vnarchive (Release) in BUILD_DIR (default: build/),
# two jobs (the reference machine has 2 cores). Used by quickstart.sh and
# run-tests.sh; ccache is used when installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-2}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"
