#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make-bench-captures.sh — large REAL captures for bench_load, made with the Linux TCP stack in network
# namespaces (client — router — server, like tests/data/gen/make-captures.sh, whose xfer.py it uses).
# Offload is off everywhere, so every frame is a wire-sized segment.
#
#   bench-1m.pcap     ~1M frames, one IPv4 connection, headers only (snaplen 128), at the client;
#   bench-1m-server.pcap  the same connection at the server (for the alignment benchmark)
#   bench-10m.pcap    ~10M frames, 32 connections (16 IPv4 + 16 IPv6), headers only
#   bench-10m-server.pcap  the same connections at the server (for the alignment benchmark)
#   bench-100m.pcap   ~100M frames (~14 GB), the 10m transfers ten times as long; not made unless named
#   bench-full1g.pcap ~1 GB of full-size frames with their payload (snaplen 0)
#
# Usage (as root): tests/bench/make-bench-captures.sh [OUTDIR] [1m|10m|full1g ...]
# OUTDIR defaults to /tmp/offloadlens-bench. Needs ~3 GB of disk for all three and takes ~3 minutes.
# Each capture's tcpdump summary is printed; "0 packets dropped by kernel" means the capture is complete.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XFER="$HERE/../data/gen/xfer.py"
OUT=${1:-/tmp/offloadlens-bench}
shift || true
WANT=${*:-1m 10m full1g}
NS_C=olb-cli NS_R=olb-rtr NS_S=olb-srv
PORT=8090
[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }
mkdir -p "$OUT"
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
    for ns in $NS_C $NS_R $NS_S; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

setup() {
    cleanup
    for ns in $NS_C $NS_R $NS_S; do ip netns add $ns; nsx $ns ip link set lo up; done
    ip link add vb-cli netns $NS_C type veth peer name rb-cli netns $NS_R
    ip link add vb-srv netns $NS_S type veth peer name rb-srv netns $NS_R
    nsx $NS_R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    ip -n $NS_C addr add 192.0.2.1/24 dev vb-cli
    ip -n $NS_C addr add 2001:db8:1::1/64 dev vb-cli nodad
    ip -n $NS_R addr add 192.0.2.254/24 dev rb-cli
    ip -n $NS_R addr add 2001:db8:1::fe/64 dev rb-cli nodad
    ip -n $NS_R addr add 198.51.100.254/24 dev rb-srv
    ip -n $NS_R addr add 2001:db8:2::fe/64 dev rb-srv nodad
    ip -n $NS_S addr add 198.51.100.2/24 dev vb-srv
    ip -n $NS_S addr add 2001:db8:2::2/64 dev vb-srv nodad
    for x in "$NS_C vb-cli" "$NS_R rb-cli" "$NS_R rb-srv" "$NS_S vb-srv"; do
        set -- $x
        ip -n $1 link set $2 up
        nsx $1 ethtool -K $2 tso off gso off gro off >/dev/null
    done
    # tcpdump on 2 shared cores cannot keep up with an unlimited veth: pace the router's egress towards the
    # client so that the capture is complete (RATE=0 turns pacing off).
    if [[ ${RATE:-1200mbit} != 0 ]]; then
        nsx $NS_R tc qdisc add dev rb-cli root tbf rate "${RATE:-1200mbit}" burst 256kb latency 50ms
    fi
    ip -n $NS_C route add default via 192.0.2.254
    ip -n $NS_C -6 route add default via 2001:db8:1::fe
    ip -n $NS_S route add default via 198.51.100.254
    ip -n $NS_S -6 route add default via 2001:db8:2::fe
    sleep 1
}

# capture FILE SNAPLEN: runs the transfers in the global JOBS array ("ADDR NCONN VERB N [VERB N...]" each)
# while tcpdump records the client's side.
capture() {
    local file=$1 snap=$2 job addr n
    ip netns exec $NS_C tcpdump -Z root -B 262144 -s "$snap" -w "$file" -i vb-cli tcp port $PORT \
        >"$file.log" 2>&1 &
    local cap=$! cap2=
    PIDS+=("$cap")
    if [[ -n ${SERVER_FILE:-} ]]; then # the same connections at the server's end, for the alignment benchmark
        ip netns exec $NS_S tcpdump -Z root -B 262144 -s "$snap" -w "$SERVER_FILE" -i vb-srv tcp port $PORT \
            >"$SERVER_FILE.log" 2>&1 &
        cap2=$!
        PIDS+=("$cap2")
    fi
    sleep 1
    local spids=() cpids=()
    for job in "${JOBS[@]}"; do
        read -r addr n _ <<<"$job"
        ip netns exec $NS_S python3 "$XFER" server "$addr" $PORT "$n" >/dev/null &
        spids+=($!)
    done
    sleep 0.5
    for job in "${JOBS[@]}"; do
        read -r addr n rest <<<"$job"
        # shellcheck disable=SC2086 # the verbs are words on purpose
        ip netns exec $NS_C python3 "$XFER" client "$addr" $PORT $rest >/dev/null &
        cpids+=($!)
    done
    for p in "${cpids[@]}" "${spids[@]}"; do wait "$p"; done
    sleep 0.5
    kill -INT $cap $cap2
    wait $cap $cap2 || true
    for f in "$file" ${SERVER_FILE:-}; do
        echo "$(basename "$f"): $(tr '\n' ' ' <"$f.log" | grep -oE '[0-9]+ packets captured.*dropped by kernel')"
    done
}

gets() { local n=$1 size=$2 out=""; for ((i = 0; i < n; i++)); do out+="GET $size "; done; echo "$out"; }

setup
for w in $WANT; do
    case $w in
    1m) JOBS=("198.51.100.2 1 GET 1430000000"); SERVER_FILE="$OUT/bench-1m-server.pcap" capture "$OUT/bench-1m.pcap" 128 ;;
    10m) JOBS=("198.51.100.2 16 $(gets 16 320000000)" "2001:db8:2::2 16 $(gets 16 316000000)")
         SERVER_FILE="$OUT/bench-10m-server.pcap" capture "$OUT/bench-10m.pcap" 128 ;;
    100m) JOBS=("198.51.100.2 16 $(gets 16 3200000000)" "2001:db8:2::2 16 $(gets 16 3160000000)")
          capture "$OUT/bench-100m.pcap" 128 ;;
    full1g) JOBS=("198.51.100.2 1 GET 1000000000"); capture "$OUT/bench-full1g.pcap" 0 ;;
    *) echo "unknown capture '$w'" >&2; exit 2 ;;
    esac
done
ls -la "$OUT"
