#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real captures of encapsulated TCP and of ICMP "too big" errors, made by the Linux stack in network
# namespaces (run as root from anywhere; writes into tests/data/):
#
#   tun_icmp_too_big_ipv4.pcap   client -- router -- server; the router's link to the server has MTU 1280
#   tun_icmp_too_big_ipv6.pcap   while the server announces MSS 1460/1440: the client's first full-size
#                                segments draw ICMPv4 "fragmentation needed" (type 3 code 4, MTU 1280) /
#                                ICMPv6 "packet too big" (type 2, MTU 1280); tcpdump on the client's veth.
#   tun_vxlan_ipv4.pcap          TCP inside VXLAN (VNI 42, UDP 4789) over an IPv4 underlay,
#   tun_vxlan_port14789_ipv6.pcap TCP over IPv6 inside VXLAN (VNI 43) on the non-standard port 14789 over
#                                an IPv6 underlay (a decoder must recognise VXLAN off port 4789);
#                                tcpdump on the underlay veth.
#
# The kernel this was run on (6.18, no modules loaded) has vxlan but no gre/gretap/erspan/ip6gre/geneve/
# sit/ipip/ip6tnl device types and no mpls_router: those encapsulations are covered by the public
# captures in tests/data/public (e01-e19) instead. Addresses are from the documentation ranges only.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
XFER="$HERE/xfer.py"
PY=${PYTHON:-python3}
PORT=5001
NS_CLI=decoder-cli NS_RTR=decoder-rtr NS_SRV=decoder-srv NS_A=decoder-a NS_B=decoder-b
WORK=$(mktemp -d)

cleanup() {
    for ns in $NS_CLI $NS_RTR $NS_SRV $NS_A $NS_B; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
cleanup_ns_only() { for ns in "$@"; do ip netns del "$ns" 2>/dev/null || true; done; }
nsx() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

# transfer SERVER_NS CLIENT_NS SERVER_ADDR CAP_NS IFACE FILE FILTER
transfer() {
    local sns=$1 cns=$2 addr=$3 capns=$4 ifc=$5 file=$6 filter=$7
    ip netns exec "$capns" tcpdump -Z root --immediate-mode -s 256 -w "$file" -i "$ifc" $filter \
        >"$WORK/tcpdump.log" 2>&1 &
    local cap=$!
    sleep 1
    ip netns exec "$sns" "$PY" "$XFER" server "$addr" $PORT 1 >"$WORK/ready" 2>"$WORK/server.err" &
    local srv=$!
    for _ in $(seq 50); do grep -q ready "$WORK/ready" 2>/dev/null && break; sleep 0.1; done
    nsx "$cns" "$PY" "$XFER" client "$addr" $PORT PUT 200000
    wait $srv
    sleep 1
    kill $cap
    wait $cap || true
}

# --- ICMP too big: client -- router -- server -------------------------------------------------------
cleanup_ns_only $NS_CLI $NS_RTR $NS_SRV
for ns in $NS_CLI $NS_RTR $NS_SRV; do ip netns add $ns; nsx $ns ip link set lo up; done
ip link add veth-cli netns $NS_CLI type veth peer name rtr-cli netns $NS_RTR
ip link add veth-srv netns $NS_SRV type veth peer name rtr-srv netns $NS_RTR
nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
nsx $NS_CLI ip addr add 192.0.2.1/24 dev veth-cli
nsx $NS_CLI ip addr add 2001:db8:1::1/64 dev veth-cli nodad
nsx $NS_RTR ip addr add 192.0.2.254/24 dev rtr-cli
nsx $NS_RTR ip addr add 2001:db8:1::fe/64 dev rtr-cli nodad
nsx $NS_RTR ip addr add 198.51.100.254/24 dev rtr-srv
nsx $NS_RTR ip addr add 2001:db8:2::fe/64 dev rtr-srv nodad
nsx $NS_SRV ip addr add 198.51.100.2/24 dev veth-srv
nsx $NS_SRV ip addr add 2001:db8:2::2/64 dev veth-srv nodad
# The narrow link: only the router's end is 1280, so the server still announces MSS 1460 / 1440.
nsx $NS_RTR ip link set rtr-srv mtu 1280
for pair in "$NS_CLI veth-cli" "$NS_RTR rtr-cli" "$NS_RTR rtr-srv" "$NS_SRV veth-srv"; do
    set -- $pair
    nsx "$1" ip link set "$2" up
    nsx "$1" ethtool -K "$2" tso off gso off gro off >/dev/null
done
nsx $NS_CLI ip route add default via 192.0.2.254
nsx $NS_CLI ip -6 route add default via 2001:db8:1::fe
nsx $NS_SRV ip route add default via 198.51.100.254
nsx $NS_SRV ip -6 route add default via 2001:db8:2::fe
sleep 2
transfer $NS_SRV $NS_CLI 198.51.100.2 $NS_CLI veth-cli "$WORK/icmp4.pcap" "tcp or icmp"
transfer $NS_SRV $NS_CLI 2001:db8:2::2 $NS_CLI veth-cli "$WORK/icmp6.pcap" "tcp or (icmp6 and ip6[40] == 2)"
# Keep the handshake and the first 40 frames: the errors come at the start of the transfer.
editcap -r "$WORK/icmp4.pcap" "$OUT/tun_icmp_too_big_ipv4.pcap" 1-40
editcap -r "$WORK/icmp6.pcap" "$OUT/tun_icmp_too_big_ipv6.pcap" 1-40
cleanup_ns_only $NS_CLI $NS_RTR $NS_SRV

# --- VXLAN: two hosts on an underlay veth, an overlay vxlan device in each ---------------------------
for ns in $NS_A $NS_B; do ip netns add $ns; nsx $ns ip link set lo up; done
ip link add ul-a netns $NS_A type veth peer name ul-b netns $NS_B
nsx $NS_A ip addr add 192.0.2.1/24 dev ul-a
nsx $NS_B ip addr add 192.0.2.2/24 dev ul-b
nsx $NS_A ip addr add 2001:db8::1/64 dev ul-a nodad
nsx $NS_B ip addr add 2001:db8::2/64 dev ul-b nodad
nsx $NS_A ip link set ul-a up
nsx $NS_B ip link set ul-b up
nsx $NS_A ip link add vx42 type vxlan id 42 local 192.0.2.1 remote 192.0.2.2 dstport 4789
nsx $NS_B ip link add vx42 type vxlan id 42 local 192.0.2.2 remote 192.0.2.1 dstport 4789
nsx $NS_A ip link add vx43 type vxlan id 43 local 2001:db8::1 remote 2001:db8::2 dstport 14789
nsx $NS_B ip link add vx43 type vxlan id 43 local 2001:db8::2 remote 2001:db8::1 dstport 14789
nsx $NS_A ip addr add 198.51.100.1/24 dev vx42
nsx $NS_B ip addr add 198.51.100.2/24 dev vx42
nsx $NS_A ip addr add 2001:db8:43::1/64 dev vx43 nodad
nsx $NS_B ip addr add 2001:db8:43::2/64 dev vx43 nodad
# Overlay MTU = underlay minus the VXLAN overhead (50 bytes over IPv4, 70 over IPv6), so that no outer
# packet is fragmented (we count IP fragments, we do not reassemble them).
for ns in $NS_A $NS_B; do
    nsx $ns ip link set vx42 mtu 1450
    nsx $ns ip link set vx43 mtu 1430
done
for ns in $NS_A $NS_B; do
    for d in vx42 vx43 ul-a ul-b; do nsx $ns ip link set $d up 2>/dev/null || true; done
done
sleep 2
transfer $NS_B $NS_A 198.51.100.2 $NS_A ul-a "$WORK/vx4.pcap" "udp port 4789"
transfer $NS_B $NS_A 2001:db8:43::2 $NS_A ul-a "$WORK/vx6.pcap" "udp port 14789"
editcap -r "$WORK/vx4.pcap" "$OUT/tun_vxlan_ipv4.pcap" 1-60
editcap -r "$WORK/vx6.pcap" "$OUT/tun_vxlan_port14789_ipv6.pcap" 1-60
for f in tun_icmp_too_big_ipv4 tun_icmp_too_big_ipv6 tun_vxlan_ipv4 tun_vxlan_port14789_ipv6; do
    echo "$f: $(capinfos -c -M "$OUT/$f.pcap" | awk '/Number of packets/ {print $4}') packets"
done
