#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# partial-results-loading.png: the main window about 1 s after opening a 5.3M-frame (722 MB) server-side capture,
# showing the first results while the file still loads (banner and status "Loading — 19 % read, results so far",
# the progress bar further on). The capture is not in the repository: any capture that takes a few seconds to load
# will do.
set -e
BUILD=${BUILD:-build}
QT_QPA_PLATFORM=offscreen "$BUILD/app/offloadlens" --screenshot resources/screenshots/partial-results-loading.png \
    --while-loading --size 1440x900 "${1:-/tmp/offloadlens-bench/bench-10m-server.pcap}"
