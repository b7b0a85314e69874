#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-mss-captures.sh — REAL captures for the "MSS without a SYN" classes, made by the
# Linux TCP stack in network namespaces (same topology as make-captures.sh, own names):
#
#   judge-cli  j-cli ---- j-rtrc  judge-rtr  j-rtrs ---- j-srv  judge-srv
#   192.0.2.1/24       192.0.2.254      198.51.100.254     198.51.100.2/24
#
# Every veth of a scenario gets the path MTU, so both ends announce MSS = MTU - 40 and
# send full segments of MTU - 40 - 12 bytes (timestamps are on).  The router has
# tso/gso/gro off, so it cuts GSO buffers into wire-sized frames like a NIC.
#
#   mtu1420   (VPN-sized path)   server tso/gso on,  client gro off: server file shows
#             send offload in multiples of 1,368; client file full-size 1,368-byte frames
#   mtu1492   (PPPoE-sized path) server tso/gso off, client gro on: client file shows
#             receive coalescing of 1,440-byte segments; server file full-size frames
#   jumbo     (MTU 9000) two connections between the same hosts in one file: the first
#             keeps its handshake, the second is cut to mid-stream; server tso on,
#             client gro off
#   loopback  tcpdump -i lo inside one namespace, 127.0.0.1 -> 127.0.0.1, cut mid-stream
#   vlink     (evidence that disagrees on a virtual link) MTU 1500, server tso/gso on, client
#             gro off and tx checksum offload off: captured at the client, the server's frames
#             arrive through the router with unfinished checksums (veth keeps CHECKSUM_PARTIAL),
#             the client's own are finished in software, so the checksums point at the server
#             while the TTL (64 vs 63) points at the client, where the capture was taken.
#             Full handshake kept; gen_vlink_csum_conflict_client.pcap.
#
# "Mid-stream" = the first CUT frames of the connection (SYN, SYN/ACK, ACK, request and
# the first data) are removed with editcap after the capture, so the file starts while
# data is flowing, as when tcpdump is started late.  (Deterministic, unlike starting
# tcpdump at a moment in a 5 ms transfer.)
#
# Output (tests/data/): gen_mss_*.pcap, and rows for them in generated-truth.tsv (rows of
# other generators are kept; ours are replaced).  Expected values come from the setup:
# MSS = MTU - 40, per-segment limit = MSS - 12 (column segment_limit); measured columns
# are measured with tshark / capinfos by mss_truth.py.
#
# Usage (as root):  tests/data/gen/make-mss-captures.sh      (KEEP_WORK=1 keeps the logs)
#                   ONLY="vlink loopback" ... makes only the scenarios named (their truth rows
#                   are replaced, every other row is kept)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
NS_CLI=judge-cli NS_RTR=judge-rtr NS_SRV=judge-srv NS_LO=judge-lo
CLI4=192.0.2.1 RTR4C=192.0.2.254 RTR4S=198.51.100.254 SRV4=198.51.100.2
PORT=8080
SNAPLEN=128
CUT=20                       # frames of a connection removed from its start
export OL_MAX_PACING_RATE=${OL_MAX_PACING_RATE:-125000000}   # 1 Gbit/s, see make-captures.sh
PY=$(python3 -c 'import sys; print(sys.executable)')
XFER="$HERE/xfer.py"

[[ $EUID -eq 0 ]] || { echo "make-mss-captures.sh: must run as root" >&2; exit 1; }
for t in ip ethtool tcpdump tshark editcap capinfos; do
    command -v "$t" >/dev/null || { echo "make-mss-captures.sh: missing tool $t" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/judge-mss.XXXXXX)
META="$WORK/meta.tsv"
PIDS=()
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

del_netns() {
    local ns
    for ns in $NS_CLI $NS_RTR $NS_SRV $NS_LO; do ip netns del "$ns" 2>/dev/null || true; done
}
cleanup() {
    local rc=$? p
    for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
    del_netns
    if [[ ${KEEP_WORK:-0} == 1 || $rc -ne 0 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

setup_topology() {   # setup_topology MTU
    local mtu=$1 ns dev
    del_netns
    for ns in $NS_CLI $NS_RTR $NS_SRV; do ip netns add "$ns"; nsx "$ns" ip link set lo up; done
    ip link add j-cli netns $NS_CLI mtu "$mtu" type veth peer name j-rtrc netns $NS_RTR mtu "$mtu"
    ip link add j-srv netns $NS_SRV mtu "$mtu" type veth peer name j-rtrs netns $NS_RTR mtu "$mtu"
    for pair in $NS_CLI:j-cli $NS_RTR:j-rtrc $NS_RTR:j-rtrs $NS_SRV:j-srv; do
        ns=${pair%%:*} dev=${pair#*:}
        nsx "$ns" sysctl -qw net.ipv6.conf."$dev".disable_ipv6=1
    done
    nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=1
    ip -n $NS_CLI addr add $CLI4/24 dev j-cli
    ip -n $NS_RTR addr add $RTR4C/24 dev j-rtrc
    ip -n $NS_RTR addr add $RTR4S/24 dev j-rtrs
    ip -n $NS_SRV addr add $SRV4/24 dev j-srv
    ip -n $NS_CLI link set j-cli up
    ip -n $NS_RTR link set j-rtrc up
    ip -n $NS_RTR link set j-rtrs up
    ip -n $NS_SRV link set j-srv up
    ip -n $NS_CLI route add default via $RTR4C
    ip -n $NS_SRV route add default via $RTR4S
    nsx $NS_RTR ethtool -K j-rtrc tso off gso off gro off
    nsx $NS_RTR ethtool -K j-rtrs tso off gso off gro off
}

CAP_PIDS=() CAP_LOGS=()
start_cap() {   # start_cap NS FILE ARGS...
    local ns=$1 file=$2; shift 2
    local lg="$WORK/$(basename "$file").log" i
    ip netns exec "$ns" tcpdump -Z root --immediate-mode -B 16384 -s $SNAPLEN -w "$file" "$@" >"$lg" 2>&1 &
    local pid=$!
    PIDS+=("$pid"); CAP_PIDS+=("$pid"); CAP_LOGS+=("$lg")
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$lg" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { cat "$lg" >&2; return 1; }
        sleep 0.05
    done
    [[ $i -lt 100 ]] || { echo "capture did not start: $lg" >&2; return 1; }
}
stop_caps() {
    local p lg got seen
    sleep 0.5
    for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    for p in "${CAP_PIDS[@]}"; do wait "$p" || true; done
    for lg in "${CAP_LOGS[@]}"; do
        got=$(awk '/packets captured$/ {print $1}' "$lg")
        seen=$(awk '/packets received by filter$/ {print $1}' "$lg")
        # on lo the kernel hands every packet to the socket twice (outgoing and incoming copy);
        # libpcap drops the outgoing copy, so the filter sees twice what is captured
        [[ $lg == *loopback* ]] && seen=$((seen / 2))
        if grep -qE '^[1-9][0-9]* packets dropped by kernel' "$lg" || [[ "$got" != "$seen" ]]; then
            echo "capture incomplete: $(cat "$lg")" >&2; return 1
        fi
    done
    CAP_PIDS=() CAP_LOGS=()
}

# transfer SRV_NS CLI_NS ADDR NCONN N [N ...] : NCONN sequential GET connections
transfer() {
    local sns=$1 cns=$2 addr=$3 nconn=$4; shift 4
    local ready="$WORK/server.out" i n
    : >"$ready"
    ip netns exec "$sns" "$PY" "$XFER" server "$addr" $PORT "$nconn" >"$ready" 2>"$WORK/server.err" &
    local spid=$!
    PIDS+=("$spid")
    for ((i = 0; i < 200; i++)); do
        grep -q ready "$ready" && break
        kill -0 $spid 2>/dev/null || { cat "$WORK/server.err" >&2; return 1; }
        sleep 0.05
    done
    for n in "$@"; do nsx "$cns" timeout 60 "$PY" "$XFER" client "$addr" $PORT GET "$n" >>"$WORK/client.out"; done
    wait $spid
}

# midstream IN OUT STREAM : drop the first $CUT frames of tcp.stream STREAM
midstream() {
    local frames
    frames=$(tshark -n -r "$1" -Y "tcp.stream == $3" -T fields -e frame.number | head -n $CUT | tr '\n' ' ')
    # shellcheck disable=SC2086
    editcap -F pcap "$1" "$2" $frames
}

want() { [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]; }

meta() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$META"; }
# meta FILE SCENARIO SIDE HOST EXPECTED MTU MSS_SOURCE NOTES

: >"$META"
log "kernel $(uname -r), work dir $WORK"

pair_scenario() {   # pair_scenario NAME MTU SRV_TSO CLI_GRO EXP_SERVER EXP_CLIENT BYTES...
    local sc=$1 mtu=$2 stso=$3 cgro=$4 exps=$5 expc=$6; shift 6
    log "scenario $sc (MTU $mtu)"
    setup_topology "$mtu"
    nsx $NS_SRV ethtool -K j-srv tso "$stso" gso "$stso" gro off
    nsx $NS_CLI ethtool -K j-cli tso off gso off gro "$cgro"
    transfer $NS_SRV $NS_CLI $SRV4 1 1 >/dev/null        # warm-up: ARP, not captured
    start_cap $NS_CLI "$WORK/raw_${sc}_client.pcap" -i j-cli tcp
    start_cap $NS_SRV "$WORK/raw_${sc}_server.pcap" -i j-srv tcp
    transfer $NS_SRV $NS_CLI $SRV4 $# "$@"
    stop_caps
}

# --- VPN-sized path, both sides cut to mid-stream
if want mtu1420; then
pair_scenario mtu1420 1420 on off send-offload none 600000
midstream "$WORK/raw_mtu1420_server.pcap" "$WORK/gen_mss_mtu1420_midstream_server.pcap" 0
midstream "$WORK/raw_mtu1420_client.pcap" "$WORK/gen_mss_mtu1420_midstream_client.pcap" 0
N="MTU 1420 on every veth; server j-srv tso/gso on, client j-cli gro off; GET 600000; first $CUT frames removed (no handshake)"
meta gen_mss_mtu1420_midstream_server.pcap mtu1420 server $SRV4 send-offload 1420 data "$N"
meta gen_mss_mtu1420_midstream_client.pcap mtu1420 client $CLI4 none 1420 data "$N"
fi

# --- PPPoE-sized path, receive coalescing at the client
if want mtu1492; then
pair_scenario mtu1492 1492 off on none receive-offload 1500000
midstream "$WORK/raw_mtu1492_server.pcap" "$WORK/gen_mss_mtu1492_midstream_server.pcap" 0
midstream "$WORK/raw_mtu1492_client.pcap" "$WORK/gen_mss_mtu1492_midstream_client.pcap" 0
N="MTU 1492 on every veth; server j-srv tso/gso off, client j-cli gro on; GET 1500000; first $CUT frames removed (no handshake)"
meta gen_mss_mtu1492_midstream_server.pcap mtu1492 server $SRV4 none 1492 data "$N"
meta gen_mss_mtu1492_midstream_client.pcap mtu1492 client $CLI4 receive-offload 1492 data "$N"
fi

# --- jumbo path: connection 0 negotiated, connection 1 mid-stream, same hosts, same file
if want jumbo; then
pair_scenario jumbo 9000 on off send-offload none 1000000 1000000
midstream "$WORK/raw_jumbo_server.pcap" "$WORK/gen_mss_jumbo_mixed_server.pcap" 1
midstream "$WORK/raw_jumbo_client.pcap" "$WORK/gen_mss_jumbo_mixed_client.pcap" 1
N="MTU 9000 on every veth; server j-srv tso/gso on, client j-cli gro off; two sequential GET 1000000 connections; first $CUT frames of the second removed"
meta gen_mss_jumbo_mixed_server.pcap jumbo server $SRV4 send-offload 9000 same-hosts "$N"
meta gen_mss_jumbo_mixed_client.pcap jumbo client $CLI4 none 9000 same-hosts "$N"
fi

# --- loopback inside one namespace (lo MTU 65536), mid-stream
if want loopback; then
log "scenario loopback"
del_netns
ip netns add $NS_LO
nsx $NS_LO ip link set lo up
start_cap $NS_LO "$WORK/raw_loopback.pcap" -i lo tcp
transfer $NS_LO $NS_LO 127.0.0.1 1 2000000
stop_caps
midstream "$WORK/raw_loopback.pcap" "$WORK/gen_mss_loopback_midstream.pcap" 0
N="tcpdump -i lo in one namespace, 127.0.0.1 -> 127.0.0.1:$PORT, lo MTU 65536 (MSS 65495); GET 2000000; first $CUT frames removed (no handshake)"
meta gen_mss_loopback_midstream.pcap loopback both 127.0.0.1 none 65536 loopback "$N"
del_netns
fi

# --- virtual link: checksums point at the server, the TTL at the client (the capture host)
if want vlink; then
log "scenario vlink"
setup_topology 1500
nsx $NS_SRV ethtool -K j-srv tso on gso on gro off
nsx $NS_CLI ethtool -K j-cli tso off gso off gro off tx off >/dev/null   # prints the features it changed
transfer $NS_SRV $NS_CLI $SRV4 1 1 >/dev/null        # warm-up: ARP, not captured
start_cap $NS_CLI "$WORK/gen_vlink_csum_conflict_client.pcap" -i j-cli tcp
transfer $NS_SRV $NS_CLI $SRV4 1 300000
stop_caps
N="MTU 1500; server j-srv tso/gso on; client j-cli gro off, tx checksum off; router tso/gso/gro off; GET 300000; handshake kept"
meta gen_vlink_csum_conflict_client.pcap vlink client $CLI4 none 1500 syn "$N"
del_netns
fi

log "publishing to $OUT"
for f in "$WORK"/gen_mss_*.pcap "$WORK"/gen_vlink_*.pcap; do [[ -e $f ]] || continue; install -m 0644 "$f" "$OUT/"; done
"$PY" "$HERE/mss_truth.py" --meta "$META" --dir "$OUT" --snaplen $SNAPLEN
log "done"
