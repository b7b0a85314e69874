#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Long-capture check (not in ctest): writes a synthetic capture of SIZE_GB, loads it and cancels half-way,
# checks the heap returns to where it was, loads it completely, then repeats the cancel on a small file
# under valgrind's leak checker.
#
# Usage: tests/bench/longfile.sh [SIZE_GB] [LEAK_CHECK_MB]      (defaults: 2 GB, 32 MB)
#   BUILD_DIR   build directory with the longfile target (default: build/rob, configured if missing);
#               an AddressSanitizer build (build/asan) checks leaks with LeakSanitizer instead of valgrind
#   WORK_DIR    where the captures are written (default: a temporary directory under /var/tmp)
#   SNAPLEN     snapshot length of the generated capture (default 262144: whole frames)
#   KEEP=1      keep the generated captures
set -euo pipefail

SIZE_GB=${1:-2}
LEAK_MB=${2:-32}
(( LEAK_MB >= 32 )) || LEAK_MB=32 # the first cancel point comes after 16 MiB or 8,192 packets
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build/rob}
SNAPLEN=${SNAPLEN:-262144}

if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOFFLOADLENS_BUILD_GUI=OFF >/dev/null
fi
cmake --build "$BUILD" --target longfile -j 2 >/dev/null
LONGFILE=$(find "$BUILD" -name longfile -type f -perm -u+x | head -n 1)

WORK=${WORK_DIR:-$(mktemp -d /var/tmp/offloadlens-longfile.XXXXXX)}
mkdir -p "$WORK"
cleanup() {
    [[ "${KEEP:-0}" == 1 ]] && return
    rm -f "$WORK/long.pcap" "$WORK/small.pcap"
    [[ -n "${WORK_DIR:-}" ]] || rmdir "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

BYTES=$(python3 -c "print(int(float('$SIZE_GB') * 1e9))")
echo "== generating $SIZE_GB GB (snaplen $SNAPLEN) in $WORK"
time "$LONGFILE" gen "$WORK/long.pcap" "$BYTES" "$SNAPLEN"

status=0
# glibc's per-thread cache keeps a few freed chunks that still count as in use; with it off the count is exact.
echo "== load, cancelled half-way"
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 "$LONGFILE" load "$WORK/long.pcap" 0.5 || status=1
echo "== load to the end"
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 "$LONGFILE" load "$WORK/long.pcap" || status=1

if ldd "$LONGFILE" | grep -q libasan; then
    # An AddressSanitizer build (e.g. BUILD_DIR=build/asan): LeakSanitizer already checked each run above
    # at its exit, and valgrind cannot run it.
    echo "== AddressSanitizer build: LeakSanitizer checked the runs above; valgrind skipped"
elif command -v valgrind >/dev/null; then
    echo "== valgrind leak check: $LEAK_MB MB, cancelled half-way, then loaded to the end"
    "$LONGFILE" gen "$WORK/small.pcap" $((LEAK_MB * 1000000)) "$SNAPLEN" >/dev/null
    for cancel in 0.5 0; do
        valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
            --error-exitcode=3 "$LONGFILE" load "$WORK/small.pcap" $cancel || status=1
    done
else
    echo "valgrind not installed: leak check skipped"
fi
echo "== longfile.sh: $([[ $status == 0 ]] && echo PASS || echo FAIL)"
exit $status
