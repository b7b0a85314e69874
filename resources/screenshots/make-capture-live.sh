#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes resources/screenshots/capture-live.png: the GUI capturing live (--capture) on a veth in network
# namespaces while two transfers run from a TSO sender; the screenshot is taken 6 s into the 10 s capture.
# As root; needs xvfb-run and imagemagick.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ROOT
set -e
NS_S=ol-cap-srv NS_C=ol-cap-cli
for ns in $NS_S $NS_C; do ip netns del $ns 2>/dev/null || true; ip netns add $ns; ip -n $ns link set lo up; done
ip link add ol-cap-s netns $NS_S type veth peer name ol-cap-c netns $NS_C
ip -n $NS_S addr add 198.51.100.2/24 dev ol-cap-s; ip -n $NS_C addr add 198.51.100.1/24 dev ol-cap-c
ip -n $NS_S link set ol-cap-s up; ip -n $NS_C link set ol-cap-c up
ip netns exec $NS_S ethtool -K ol-cap-s tso on gso on gro off >/dev/null
ip netns exec $NS_S python3 $ROOT/tests/data/gen/xfer.py server 198.51.100.2 8099 3 > /tmp/srv.out &
sleep 0.5
export QT_QPA_PLATFORM=xcb
ip netns exec $NS_S xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  $ROOT/build/dev/app/offloadlens --capture ol-cap-s > /tmp/gui.log 2>&1 &
  GUI=$!
  sleep 3
  ip netns exec ol-cap-cli python3 $ROOT/tests/data/gen/xfer.py client 198.51.100.2 8099 GET 2000000 &
  sleep 1.5
  ip netns exec ol-cap-cli python3 $ROOT/tests/data/gen/xfer.py client 198.51.100.2 8099 GET 3000000 &
  sleep 2
  import -window root /tmp/capture-live-running.png
  sleep 5
  ip netns exec ol-cap-cli python3 $ROOT/tests/data/gen/xfer.py client 198.51.100.2 8099 GET 100000 || true
  sleep 2
  import -window root /tmp/capture-live-done.png
  kill $GUI' || true
for ns in $NS_S $NS_C; do ip netns del $ns 2>/dev/null || true; done
convert /tmp/capture-live-running.png -colors 128 PNG8:"$ROOT/resources/screenshots/capture-live.png"
