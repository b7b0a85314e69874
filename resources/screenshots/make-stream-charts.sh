#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes resources/screenshots/stream-charts.png: the main window at 1280x800 on the TSO sender's demo capture
# with the round-trip time chart below the frame sizes. The chart choice comes from a settings file of its own
# (charts/lower), so the user's settings are neither read nor changed. Needs imagemagick for the palette.
set -e
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHART=${1:-rtt}
OUT=${2:-$ROOT/resources/screenshots/stream-charts.png}
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
mkdir -p "$XDG_CONFIG_HOME/OffloadLens"
printf '[charts]\nlower=%s\n' "$CHART" > "$XDG_CONFIG_HOME/OffloadLens/offloadlens.conf"
QT_QPA_PLATFORM=offscreen "$ROOT/build/dev/app/offloadlens" --screenshot /tmp/stream-charts-full.png --size 1280x800 \
    "$ROOT/resources/demo/1-sender-with-tso.pcap"
convert /tmp/stream-charts-full.png -colors 128 PNG8:"$OUT"
