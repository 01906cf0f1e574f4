#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration
# against a real redis-server, end-to-end against the real binaries).
#
#   deploy/run-tests.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"
build_dir="${BUILD_DIR:-$root/build}"
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" --timeout 600
