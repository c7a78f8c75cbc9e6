#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (preset `fuzz`: clang, ASan + UBSan) and fuzzes each in
# turn, one at a time, at the lowest priority.
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default: 600 s each, every target in fuzz/targets.inc
# Each run starts from fuzz/corpus/<target> and grows build/fuzz/corpus/<target>; crashes land in
# build/fuzz/crashes/<target>/ and the run's log in build/fuzz/logs/<target>.log, whose last
# lines give executions (stat::number_of_executed_units) and coverage (cov:, ft:). To keep new
# inputs, minimise them into a fresh folder that replaces the committed corpus (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^SITREP_FUZZ_TARGET(\(.*\))$/\1/p' fuzz/targets.inc)
fi

# clang and its sanitizer and libFuzzer runtimes (Debian 12: clang 14). CI needs neither: it
# replays the corpora with g++ (fuzz_replay).
missing=()
for package in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset fuzz
cmake --build build/fuzz -j "${FUZZ_BUILD_JOBS:-1}" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  crashes=build/fuzz/crashes/$target
  log=build/fuzz/logs/$target.log
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  seeds=("fuzz/corpus/$target")
  if [ -d "fuzz/regressions/$target" ]; then seeds+=("fuzz/regressions/$target"); fi
  echo "fuzz.sh: $target for $seconds s (log $log)"
  if ! nice -n 19 "build/fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    echo "fuzz.sh: $target FOUND A CRASH: see $log and $crashes/"
    status=1
  fi
  grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units)' "$log" | tail -2 || true
done
exit $status
