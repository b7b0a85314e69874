#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-problem-captures.sh — REAL captures of things that go wrong on a path, for the problem
# diagnosis (model/core/problems*, tests/tst_problems.cpp) and the Learn lesson "What can go wrong".
#
#   problems-cli  pb-cli ---- pr-cli  problems-rtr  pr-srv ---- pb-srv  problems-srv
#   192.0.2.1/24          192.0.2.254          198.51.100.254         198.51.100.2/24
#
# The server sends (xfer.py GET); tcpdump runs on pb-cli and pb-srv at once.  Router veths have
# tso/gso/gro off.  Scenarios (files tests/data/problems_<scenario>_{server,client}.pcap):
#   blackhole  pr-cli MTU 1400 (towards the receiver), every other link 1500; the router drops
#              its own ICMP (iptables -A OUTPUT -p icmp -j DROP): a PMTU black hole.  The server
#              has net.ipv4.tcp_mtu_probing=1, so it shrinks its segments after some timeouts.
#              Server tso/gso off.  The transfer is capped by `timeout`.
#   pmtud      the same path, ICMP allowed: the server gets "fragmentation needed" (MTU 1400)
#              and shrinks to 1348-byte segments at once.
#   clamp      all MTUs 1500; the router rewrites the MSS of every SYN it forwards to 1200
#              (iptables -t mangle -A FORWARD ... -j TCPMSS --set-mss 1200).
#   burstloss  server TSO on; the router drops every 8th forwarded IP packet longer than 3000
#              bytes in FORWARD, where a TSO super-segment is still one packet (the router cuts
#              it to MTU size on output), so all wire segments of that super-segment are lost.
#   corrupt    the router is corrupt-forwarder.py (ip_forward off, no addresses, one subnet
#              192.0.2.0/24 with the server at 192.0.2.2): it flips one payload byte in data
#              frames 30 and 60 leaving the checksum wrong, and in frame 90 fixing the checksum.
#              Endpoint offloads off (tx checksum too: a packet socket forwards what it gets).
#              Full payload captured (snaplen 0).  Truth: problems-corrupt-truth.txt.
#   oversize   a device between that does not segment.  Topology of its own: server pb-srv (veth,
#              tso/gso on) ---- pr-srv [oversize-forwarder.py] tap pb-cli = the client's NIC (MTU
#              1500, gro off).  The forwarder, a user-space router, reads the server's TSO
#              super-segments whole off the veth and hands them to the client whole (up to 36 KB
#              here), decrementing the TTL and finishing the IPv4 and TCP checksums, as any device
#              that puts a frame on a link must; it never cuts a frame to the next link's MTU nor
#              sends ICMP.  What is physically honest here: on real Ethernet a 1500-MTU NIC could not
#              take such frames at all (they would be dropped: the "correlate with drops" case); a
#              virtual NIC (tap/virtio, as here: the frames carry a GSO header) takes them, which is
#              where this is met in practice: a virtual switch or appliance between VMs forwarding
#              TSO- or GRO/LRO-sized frames.  Why not the kernel as router (egress tso on, so it
#              forwards GSO skbs unsegmented over veth): veth then delivers them with the checksum
#              still "partial" (the pseudo-header sum), byte for byte what GRO at the receiver leaves,
#              so no capture could tell "not segmented on the way" from "merged on arrival" (in
#              gen_tso_on_gro_on the client's GRO frames even match the server's super-segments 66 of
#              66).  A finished checksum is what a real wire delivers and GRO never writes.
#              Client full payload (snaplen 0, the checksums are the evidence), server headers only.
# All other scenarios capture headers only (snaplen 128).
#
# Usage (as root): tests/data/gen/make-problem-captures.sh [scenario ...]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
NS_CLI=problems-cli NS_RTR=problems-rtr NS_SRV=problems-srv
PORT=8080
PY=$(python3 -c 'import sys; print(sys.executable)')
XFER="$HERE/xfer.py"
FWD="$HERE/corrupt-forwarder.py"
OFWD="$HERE/oversize-forwarder.py"
export OL_MAX_PACING_RATE=${OL_MAX_PACING_RATE:-125000000}

[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }
WORK=$(mktemp -d /tmp/problems-captures.XXXXXX)
PIDS=()
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
del_netns() { local ns; for ns in $NS_CLI $NS_RTR $NS_SRV; do ip netns del "$ns" 2>/dev/null || true; done; }
cleanup() {
    local rc=$? p
    for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
    del_netns
    [[ $rc -ne 0 ]] && log "work directory kept: $WORK" || rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# topology ROUTED(1|0) MTU_TOWARDS_CLIENT
topology() {
    local routed=$1 mtu=$2 ns
    del_netns
    for ns in $NS_CLI $NS_RTR $NS_SRV; do ip netns add $ns; nsx $ns ip link set lo up; done
    ip link add pb-cli netns $NS_CLI mtu 1500 type veth peer name pr-cli netns $NS_RTR mtu "$mtu"
    ip link add pb-srv netns $NS_SRV mtu 1500 type veth peer name pr-srv netns $NS_RTR mtu 1500
    nsx $NS_CLI sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    nsx $NS_SRV sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    nsx $NS_RTR sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip -n $NS_CLI addr add 192.0.2.1/24 dev pb-cli
    if [[ $routed == 1 ]]; then
        SRV=198.51.100.2
        nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=1
        ip -n $NS_RTR addr add 192.0.2.254/24 dev pr-cli
        ip -n $NS_RTR addr add 198.51.100.254/24 dev pr-srv
        ip -n $NS_SRV addr add $SRV/24 dev pb-srv
    else
        SRV=192.0.2.2
        nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=0
        ip -n $NS_SRV addr add $SRV/24 dev pb-srv
    fi
    for x in $NS_CLI:pb-cli $NS_RTR:pr-cli $NS_RTR:pr-srv $NS_SRV:pb-srv; do ip -n ${x%%:*} link set ${x#*:} up; done
    if [[ $routed == 1 ]]; then
        ip -n $NS_CLI route add default via 192.0.2.254
        ip -n $NS_SRV route add default via 198.51.100.254
    fi
    nsx $NS_RTR ethtool -K pr-cli tso off gso off gro off
    nsx $NS_RTR ethtool -K pr-srv tso off gso off gro off
    nsx $NS_CLI ethtool -K pb-cli tso off gso off gro off
}

CAPS=()
start_cap() {   # start_cap NS IFACE FILE SNAPLEN
    local lg="$WORK/$(basename "$3").log" i
    ip netns exec "$1" tcpdump -Z root --immediate-mode -B 16384 -s "$4" -w "$3" -i "$2" >"$lg" 2>&1 &
    PIDS+=($!); CAPS+=($!)
    for ((i = 0; i < 100; i++)); do grep -q 'listening on' "$lg" 2>/dev/null && return 0; sleep 0.05; done
    echo "capture did not start: $(cat "$lg")" >&2; return 1
}
stop_caps() { local p; sleep 0.5; for p in "${CAPS[@]}"; do kill -INT "$p"; wait "$p" || true; done; CAPS=(); }

# transfer BYTES TIMEOUT : one download; a capped (timed-out) transfer is not an error
transfer() {
    local ready="$WORK/server.out" i
    : >"$ready"
    ip netns exec $NS_SRV timeout "$2" "$PY" "$XFER" server $SRV $PORT 1 >"$ready" 2>"$WORK/server.err" &
    local spid=$!; PIDS+=($spid)
    for ((i = 0; i < 200; i++)); do grep -q ready "$ready" && break; sleep 0.05; done
    nsx $NS_CLI timeout "$2" "$PY" "$XFER" client $SRV $PORT GET "$1" || log "  transfer ended early (cap $2 s)"
    wait $spid || true
}

run() {   # run SCENARIO SNAPLEN BYTES TIMEOUT
    start_cap $NS_CLI pb-cli "$WORK/problems_$1_client.pcap" "$2"
    start_cap $NS_SRV pb-srv "$WORK/problems_$1_server.pcap" "$2"
    transfer "$3" "$4"
    stop_caps
    install -m 0644 "$WORK/problems_$1_client.pcap" "$WORK/problems_$1_server.pcap" "$OUT/"
}

want() { [[ $# -eq 0 ]] || true; [[ -z ${SCEN:-} || " $SCEN " == *" $1 "* ]]; }
SCEN="$*"

if want blackhole; then
    log "blackhole"
    topology 1 1400
    nsx $NS_SRV ethtool -K pb-srv tso off gso off gro off
    nsx $NS_SRV sysctl -qw net.ipv4.tcp_mtu_probing=1
    nsx $NS_RTR iptables -A OUTPUT -p icmp -j DROP
    run blackhole 128 400000 20
fi
if want pmtud; then
    log "pmtud"
    topology 1 1400
    nsx $NS_SRV ethtool -K pb-srv tso off gso off gro off
    run pmtud 128 400000 20
fi
if want clamp; then
    log "clamp"
    topology 1 1500
    nsx $NS_SRV ethtool -K pb-srv tso off gso off gro off
    nsx $NS_RTR iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200
    run clamp 128 400000 20
fi
if want burstloss; then
    log "burstloss"
    topology 1 1500
    nsx $NS_SRV ethtool -K pb-srv tso on gso on gro off
    nsx $NS_RTR iptables -A FORWARD -i pr-srv -p tcp -m length --length 3000:65535 \
        -m statistic --mode nth --every 8 --packet 7 -j DROP
    run burstloss 128 1500000 20
    nsx $NS_RTR iptables -nvxL FORWARD | tee "$WORK/burstloss-drops.txt" >&2
fi
if want corrupt; then
    log "corrupt"
    topology 0 1500
    nsx $NS_SRV ethtool -K pb-srv tso off gso off gro off tx off
    nsx $NS_CLI ethtool -K pb-cli tx off
    ip netns exec $NS_RTR "$PY" -u "$FWD" pr-srv pr-cli --port $PORT --bad 30,60 --silent 90 \
        >"$WORK/forwarder.out" 2>"$WORK/forwarder.err" &
    PIDS+=($!)
    for ((i = 0; i < 100; i++)); do grep -q ready "$WORK/forwarder.out" && break; sleep 0.05; done
    run corrupt 0 200000 20
    grep -v ready "$WORK/forwarder.out" | tee "$OUT/gen/problems-corrupt-truth.txt" >&2
fi
if want oversize; then
    log "oversize"
    # Its own topology: the client's NIC is a tap fed by oversize-forwarder.py (see the header).
    del_netns
    for ns in $NS_CLI $NS_RTR $NS_SRV; do ip netns add $ns; nsx $ns ip link set lo up; done
    for ns in $NS_CLI $NS_RTR $NS_SRV; do nsx $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
    ip link add pb-srv netns $NS_SRV mtu 1500 type veth peer name pr-srv netns $NS_RTR mtu 1500
    SRV=198.51.100.2
    nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=0
    ip -n $NS_RTR addr add 198.51.100.254/24 dev pr-srv
    ip -n $NS_SRV addr add $SRV/24 dev pb-srv
    ip -n $NS_RTR link set pr-srv up
    ip -n $NS_SRV link set pb-srv up
    ip -n $NS_SRV route add default via 198.51.100.254
    nsx $NS_RTR ethtool -K pr-srv tso off gso off gro off
    nsx $NS_SRV ethtool -K pb-srv tso on gso on gro off
    # The router's kernel only answers ARP for the gateway; it neither forwards nor answers IP.
    nsx $NS_RTR iptables -t raw -A PREROUTING -i pr-srv -j DROP
    CLI_MAC=02:00:00:00:00:01 GW_MAC=02:00:00:00:00:fe
    SRV_MAC=$(ip -n $NS_SRV -br link show pb-srv | awk '{print $3}')
    RTR_MAC=$(ip -n $NS_RTR -br link show pr-srv | awk '{print $3}')
    ip netns exec $NS_RTR "$PY" -u "$OFWD" pr-srv pb-cli --client-netns /run/netns/$NS_CLI \
        --client-net 192.0.2.0/24 --server-net 198.51.100.0/24 --client-mac $CLI_MAC --gw-mac $GW_MAC \
        --server-mac "$SRV_MAC" --router-mac "$RTR_MAC" --mss 1448 \
        >"$WORK/oversize-forwarder.out" 2>"$WORK/oversize-forwarder.err" &
    OFWD_PID=$!; PIDS+=($OFWD_PID)
    for ((i = 0; i < 100; i++)); do grep -q ready "$WORK/oversize-forwarder.out" && break; sleep 0.05; done
    grep -q ready "$WORK/oversize-forwarder.out" || { cat "$WORK/oversize-forwarder.err" >&2; exit 1; }
    ip -n $NS_CLI link set pb-cli address $CLI_MAC mtu 1500
    ip -n $NS_CLI addr add 192.0.2.1/24 dev pb-cli
    ip -n $NS_CLI link set pb-cli up
    ip -n $NS_CLI route add default via 192.0.2.254
    ip -n $NS_CLI neigh replace 192.0.2.254 lladdr $GW_MAC dev pb-cli nud permanent
    nsx $NS_CLI ethtool -K pb-cli gro off
    # The client's capture keeps whole frames: their checksums are the evidence. The server's is headers only.
    start_cap $NS_CLI pb-cli "$WORK/problems_oversize_client.pcap" 0
    start_cap $NS_SRV pb-srv "$WORK/problems_oversize_server.pcap" 128
    transfer 150000 20
    stop_caps
    kill -TERM $OFWD_PID; wait $OFWD_PID || true
    cat "$WORK/oversize-forwarder.out" >&2
    install -m 0644 "$WORK/problems_oversize_client.pcap" "$WORK/problems_oversize_server.pcap" "$OUT/"
fi
del_netns
log "done"
