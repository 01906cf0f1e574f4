#!/usr/bin/env bash
# Builds one fuzzer in a separate clang tree (ASan + UBSan + libFuzzer) and
# runs it for a fixed time over a seed corpus made of the project's test
# documents. Fails if the fuzzer finds a crash, a sanitizer report or a broken
# invariant.
#
#   tests/fuzz/run_fuzzer.sh --source-dir SRC --build-dir DIR --target NAME [--seconds N]
set -euo pipefail
source_dir="" build_dir="" target="" seconds=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --source-dir) source_dir="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNA_FUZZ=ON -DVNA_BUILD_TESTS=OFF \
  -DVNA_BUILD_BENCHMARKS=OFF >/dev/null
mkdir -p "$build_dir"
if ! cmake --build "$build_dir" --target "$target" -j "${JOBS:-2}" >"$build_dir/$target.build.log" 2>&1; then
  echo "building $target with clang failed; last lines of $build_dir/$target.build.log:" >&2
  grep -E "error" -A3 "$build_dir/$target.build.log" | head -n 30 >&2
  exit 1
fi

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp "$source_dir"/tests/data/samples/* "$corpus"/
[[ -d "$source_dir/tests/data/encodings" ]] && cp "$source_dir"/tests/data/encodings/* "$corpus"/ 2>/dev/null || true
artifacts="$build_dir/artifacts/$target"
mkdir -p "$artifacts"
# -max_len keeps single runs fast enough to explore within the time budget;
# -timeout fails any single input that takes over 10 s (runaway matching).
"$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -max_len=16384 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus" 2>"$build_dir/$target.log" || {
  echo "$target found a problem; last lines of $build_dir/$target.log:" >&2
  tail -n 40 "$build_dir/$target.log" >&2
  exit 1
}
grep -E "stat::number_of_executed_units|cov:" "$build_dir/$target.log" | tail -n 2
echo "$target: no crash in ${seconds}s"
