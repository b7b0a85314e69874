#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's two commands for a fresh Debian 12 machine:
#   bash app/quickstart.sh run    install what is missing, build, open the GUI on the demo captures
#                                 (or print the headless report when there is no display)
#   bash app/quickstart.sh test   install what is missing, build with -Werror, run every test, then the core
#                                 suites again under AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
packages=(build-essential cmake pkg-config git qt6-base-dev qt6-svg-dev libqcustomplot-dev libpcap-dev
          tshark xvfb xauth poppler-utils python3-jsonschema)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
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

case "$mode" in
run)
    install_missing
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs"
    demos=(resources/demo/*.pcap*)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec build/release/app/offloadlens "${demos[@]}"
    fi
    echo "No display: printing the headless report of the demo captures instead of opening the GUI."
    exec build/release/app/offloadlens report "${demos[@]}"
    ;;
test)
    install_missing
    cmake --preset ci >/dev/null
    cmake --build --preset ci -j "$jobs"
    ctest --preset ci -j "$jobs"
    # The core (no GUI) once more with the sanitizers: the malformed-capture catalogue and fuzz regressions
    # must run clean under them.
    cmake --preset asan -DOFFLOADLENS_BUILD_GUI=OFF >/dev/null
    cmake --build --preset asan -j "$jobs"
    ctest --preset asan -j "$jobs"
    ;;
*)
    echo "usage: bash app/quickstart.sh run|test" >&2
    exit 2
    ;;
esac
