#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer target in its own clang build directory and runs it for a bounded time, seeded with
# every capture under tests/data. Crashers land in BUILD/artifacts; the corpus persists between runs.
#
# Usage: tests/fuzz/run-fuzz.sh SECONDS [extra libFuzzer flags...]
#   FUZZ_BUILD_DIR   build directory (default: build/fuzz)
#   FUZZ_CXX         clang++ to use (default: clang++-14, else clang++)
#   FUZZ_BUILD_JOBS  parallel compile jobs (default: 2)
# Exit status: 0 when the run ended without a finding, non-zero when libFuzzer found a crash, leak,
# UB, timeout or out-of-memory (the log says which, and the input is in BUILD/artifacts).
set -euo pipefail

RUN_SECONDS=${1:?usage: run-fuzz.sh SECONDS [libFuzzer flags...]}
shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
CXX_FUZZ=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
[[ -n "$CXX_FUZZ" ]] || { echo "run-fuzz.sh: clang++ not found" >&2; exit 2; }

GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    # -O1 -g without NDEBUG: fast enough to fuzz, assertions stay on.
    cmake -S "$ROOT" -B "$BUILD" "${GENERATOR[@]}" \
        -DCMAKE_CXX_COMPILER="$CXX_FUZZ" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
        -DOFFLOADLENS_BUILD_GUI=OFF -DOFFLOADLENS_FUZZ=ON >/dev/null
fi
cmake --build "$BUILD" --target fuzz_loader -j "${FUZZ_BUILD_JOBS:-2}"
FUZZER=$(find "$BUILD" -name fuzz_loader -type f -perm -u+x | head -n 1)
[[ -x "$FUZZER" ]] || { echo "run-fuzz.sh: fuzz_loader was not built (is tests/fuzz/fuzz.cmake included?)" >&2; exit 2; }

CORPUS="$BUILD/corpus"
ARTIFACTS="$BUILD/artifacts"
mkdir -p "$CORPUS" "$ARTIFACTS" "$BUILD/seeds"
# Seeds: every committed capture (fixtures, malformed catalogue, fuzz regressions).
find "$ROOT/tests/data" -type f -name '*.pcap*' -exec cp -f {} "$BUILD/seeds/" \;

LOG="$BUILD/fuzz-$(date +%Y%m%d-%H%M%S).log"
echo "run-fuzz.sh: fuzzing for ${RUN_SECONDS}s, log $LOG"
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$HERE/ubsan-known.supp} \
"$FUZZER" "$CORPUS" "$BUILD/seeds" \
    -max_total_time="$RUN_SECONDS" -max_len=300000 -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=20 \
    -dict="$HERE/pcap.dict" -artifact_prefix="$ARTIFACTS/" -print_final_stats=1 "$@" 2>&1 | tee "$LOG"
STATUS=${PIPESTATUS[0]}
set -e
echo "run-fuzz.sh: exit $STATUS; executions: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$LOG" | awk '{print $2}' | tail -n 1)"
exit "$STATUS"
