#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's two commands for a fresh Debian 12 machine:
#   bash app/quickstart.sh run    install what is missing, build, open the GUI on the demo captures, showing the
#                                 first (a sender with TSO; View → Learn walks through them all), or print the
#                                 headless report when there is no display
#   bash app/quickstart.sh test   install what is missing, check the formatting, build with -Werror, run every
#                                 test (the report schema check included), then the whole suite again (GUI
#                                 suites offscreen) under AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
packages=(build-essential cmake pkg-config git qt6-base-dev qt6-svg-dev libqcustomplot-dev libpcap-dev
          zlib1g-dev libzstd-dev liblz4-dev tshark lz4 zstd xvfb xauth poppler-utils python3-jsonschema)

# Only the test command needs these.
test_packages=(clang-format iproute2 ethtool)

install_missing() {
    local missing=()
    for p in "${packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing: ${missing[*]}"
    $sudo apt-get update -qq
    # tshark asks whether non-root users may capture; the default answer is fine.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

jobs=$(nproc 2>/dev/null || echo 2)

# Rebuilds after a pull or a branch switch reuse what ccache already compiled, when it is installed.
if command -v ccache >/dev/null 2>&1; then
    export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi

case "$mode" in
run)
    install_missing
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs"
    # In name order: the app shows the first of the files it was given, 1-sender-with-tso.pcap.
    demos=(resources/demo/*.pcap*)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec build/release/app/offloadlens "${demos[@]}"
    fi
    echo "No display: printing the headless report of the demo captures instead of opening the GUI."
    exec build/release/app/offloadlens report "${demos[@]}"
    ;;
test)
    install_missing "${test_packages[@]}"
    start=$(date +%s)
    # The tree is formatted with the checked-in .clang-format; a change that is not fails here.
    git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run -Werror
    echo "Formatting: clean"
    cmake --preset ci >/dev/null
    cmake --build --preset ci -j "$jobs"
    ctest --preset ci -j "$jobs"
    # The whole suite once more with AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer: the core
    # suites (the malformed capture catalogue, the fuzz regressions, the readers and decoders) and the GUI
    # suites under the offscreen platform (lifetimes of charts, graphs and jobs). tests/lsan.supp may only hold
    # what Qt's and the system's libraries keep by design, never a leak of ours. The benchmarks are not built.
    asan_start=$(date +%s)
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$jobs"
    ctest --preset asan -j "$jobs"
    echo "Sanitizer stage: $(( $(date +%s) - asan_start )) s"
    echo "All checks passed in $(( $(date +%s) - start )) s"
    ;;
*)
    echo "usage: bash app/quickstart.sh run|test" >&2
    exit 2
    ;;
esac
