#!/usr/bin/env bash
# The README's test command and what .ci/run calls: installs what is missing, builds under
# AddressSanitizer + UndefinedBehaviorSanitizer, runs every test (each PostgreSQL test starts a
# throwaway cluster of its own) and checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

scripts/install-deps.sh

# ASan's leak checker needs ptrace, which some sandboxes lack; leaks are still caught where it
# works (LSAN is on by default). halt_on_error keeps a sanitizer report fatal.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Repeated runs on one machine compile only what changed: ccache keeps the objects between
# runs and between clones (paths below this tree are hashed relative to it).
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$PWD"
fi

# The web console, from the committed lockfile: its browser test serves web/dist. npm waits on
# the network and the disk most of the time, so it runs beside the compiler instead of before.
# The reference CSAF validator vulns/csaf_test.cc compares the parser with, likewise.
mkdir -p build
(cd web && npm ci --no-audit --no-fund && npm run build) > build/web-build.log 2>&1 &
console=$!
(cd vulns/reference && npm ci --no-audit --no-fund) > build/csaf-reference.log 2>&1 &
reference=$!
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
for job in "$console:build/web-build.log" "$reference:build/csaf-reference.log"; do
  if ! wait "${job%%:*}"; then
    cat "${job#*:}"
    exit 1
  fi
done
built=$(date +%s)
ctest --preset asan -j "$(nproc)"
echo "test.sh: build $(( built - started )) s, tests $(( $(date +%s) - built )) s"
scripts/format.sh check
echo "test.sh: all green in $(( $(date +%s) - started )) s"
