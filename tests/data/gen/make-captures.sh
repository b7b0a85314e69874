#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-captures.sh — make REAL test captures with the Linux TCP stack.
#
# Three network namespaces joined by veth pairs:
#
#   ol-cli  veth-cli ---- rtr-cli  ol-rtr  rtr-srv ---- veth-srv  ol-srv
#   192.0.2.1/24        192.0.2.254     198.51.100.254      198.51.100.2/24
#   2001:db8:1::1/64    2001:db8:1::fe  2001:db8:2::fe      2001:db8:2::2/64
#
# The router forwards (ip_forward, IPv6 forwarding) with tso/gso/gro OFF on both of
# its veths, so GSO super-segments from the server are cut to MSS-sized frames like a
# real NIC does.  The endpoint veths get the per-scenario tso/gso/gro settings.
# tcpdump (snaplen 128, headers only) runs at the same time in ol-cli on veth-cli and
# in ol-srv on veth-srv.  The server (ol-srv) sends data to the client (a download),
# driven by xfer.py (one "GET <n>" request line per connection).
#
# Output (in the directory above this script, i.e. tests/data/):
#   gen_*.pcap / gen_*.pcapng      the captures
#   generated-truth.tsv            one row per capture, values measured with tshark
#   generated-drops.tsv            every packet the router's loss rule dropped
#   MANIFEST.md                    how each file was made and what a test should expect
#
# Usage (as root):   tests/data/gen/make-captures.sh
#   KEEP_WORK=1      keep the temporary work directory (logs, raw files) for debugging
#   ONLY="a b"       debugging: run only these scenarios; results (captures, truth, manifest)
#                    go to the kept work directory, tests/data/ is left untouched
#
# Idempotent: each scenario rebuilds the namespaces from scratch and overwrites its
# files; a trap deletes the namespaces and stops every helper this script started, even
# on failure or Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
NS_CLI=ol-cli NS_RTR=ol-rtr NS_SRV=ol-srv
CLI4=192.0.2.1 RTR4C=192.0.2.254 RTR4S=198.51.100.254 SRV4=198.51.100.2
CLI6=2001:db8:1::1 RTR6C=2001:db8:1::fe RTR6S=2001:db8:2::fe SRV6=2001:db8:2::2
PORT=8080
SNAPLEN=128
# Senders pace at 1 Gbit/s (SO_MAX_PACING_RATE, see xfer.py): like a host on a 1G link.
# Unpaced, a sender with offload off bursts faster than the receiving veth's backlog
# (netdev_max_backlog 1000) drains, and the kernel drops packets nobody asked it to drop.
export OL_MAX_PACING_RATE=${OL_MAX_PACING_RATE:-125000000}
PY=$(python3 -c 'import sys; print(sys.executable)')
XFER="$HERE/xfer.py"

[[ $EUID -eq 0 ]] || { echo "make-captures.sh: must run as root" >&2; exit 1; }
for t in ip ethtool tcpdump dumpcap tshark editcap capinfos iptables; do
    command -v "$t" >/dev/null || { echo "make-captures.sh: missing tool $t" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/ol-captures.XXXXXX)
META="$WORK/meta.tsv"        # rows the truth step turns into generated-truth.tsv
DROPS="$WORK/drops.tsv"
PIDS=()                      # background helpers started by this script

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

del_netns() {
    local ns
    for ns in $NS_CLI $NS_RTR $NS_SRV; do
        ip netns del "$ns" 2>/dev/null || true
    done
}

cleanup() {
    local rc=$? p
    for p in "${PIDS[@]:-}"; do
        [[ -n $p ]] && kill "$p" 2>/dev/null || true
    done
    del_netns
    if [[ ${KEEP_WORK:-0} == 1 || $rc -ne 0 ]]; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# NB: background helpers are started with a plain "ip netns exec ... &" (never via the
# nsx function), so that $! is the helper itself (ip execs it) and signals reach it.

# ---------------------------------------------------------------- topology
# setup_topology MTU IPV6(0|1)
setup_topology() {
    local mtu=$1 v6=$2 ns dev
    del_netns
    for ns in $NS_CLI $NS_RTR $NS_SRV; do
        ip netns add "$ns"
        nsx "$ns" ip link set lo up
    done
    ip link add veth-cli netns $NS_CLI mtu "$mtu" type veth peer name rtr-cli netns $NS_RTR mtu "$mtu"
    ip link add veth-srv netns $NS_SRV mtu "$mtu" type veth peer name rtr-srv netns $NS_RTR mtu "$mtu"
    for pair in $NS_CLI:veth-cli $NS_RTR:rtr-cli $NS_RTR:rtr-srv $NS_SRV:veth-srv; do
        ns=${pair%%:*} dev=${pair#*:}
        if [[ $v6 == 1 ]]; then
            # keep IPv6 control chatter out of the captures as far as possible
            nsx "$ns" sysctl -qw net.ipv6.conf."$dev".accept_ra=0 net.ipv6.conf."$dev".router_solicitations=0
        else
            nsx "$ns" sysctl -qw net.ipv6.conf."$dev".disable_ipv6=1
        fi
    done
    nsx $NS_RTR sysctl -qw net.ipv4.ip_forward=1
    [[ $v6 == 1 ]] && nsx $NS_RTR sysctl -qw net.ipv6.conf.all.forwarding=1
    ip -n $NS_CLI addr add $CLI4/24 dev veth-cli
    ip -n $NS_RTR addr add $RTR4C/24 dev rtr-cli
    ip -n $NS_RTR addr add $RTR4S/24 dev rtr-srv
    ip -n $NS_SRV addr add $SRV4/24 dev veth-srv
    if [[ $v6 == 1 ]]; then
        ip -n $NS_CLI addr add $CLI6/64 dev veth-cli nodad
        ip -n $NS_RTR addr add $RTR6C/64 dev rtr-cli nodad
        ip -n $NS_RTR addr add $RTR6S/64 dev rtr-srv nodad
        ip -n $NS_SRV addr add $SRV6/64 dev veth-srv nodad
    fi
    ip -n $NS_CLI link set veth-cli up
    ip -n $NS_RTR link set rtr-cli up
    ip -n $NS_RTR link set rtr-srv up
    ip -n $NS_SRV link set veth-srv up
    ip -n $NS_CLI route add default via $RTR4C
    ip -n $NS_SRV route add default via $RTR4S
    if [[ $v6 == 1 ]]; then
        ip -n $NS_CLI -6 route add default via $RTR6C
        ip -n $NS_SRV -6 route add default via $RTR6S
    fi
    # the router behaves like a real NIC: no offload at all
    nsx $NS_RTR ethtool -K rtr-cli tso off gso off gro off
    nsx $NS_RTR ethtool -K rtr-srv tso off gso off gro off
}

# offload NS DEV on|off(tso+gso) on|off(gro)
offload() {
    nsx "$1" ethtool -K "$2" tso "$3" gso "$3" gro "$4"
}

feature_summary() {   # one line "tso=on gso=on gro=off" for the manifest
    nsx "$1" ethtool -k "$2" | awk -F': ' '
        /^tcp-segmentation-offload:/ {t=$2} /^generic-segmentation-offload:/ {g=$2}
        /^generic-receive-offload:/ {r=$2}
        END {sub(/ .*/,"",t); sub(/ .*/,"",g); sub(/ .*/,"",r); printf "tso=%s gso=%s gro=%s", t, g, r}'
}

# ---------------------------------------------------------------- capture helpers
CAP_PIDS=() CAP_LOGS=()
# start_cap NS TOOL(tcpdump|dumpcap) FILE ARGS...
start_cap() {
    local ns=$1 tool=$2 file=$3; shift 3
    local lg="$WORK/$(basename "$file").log" i
    if [[ $tool == tcpdump ]]; then
        ip netns exec "$ns" tcpdump -Z root --immediate-mode -B 16384 -s $SNAPLEN -w "$file" "$@" >"$lg" 2>&1 &
    else
        ip netns exec "$ns" dumpcap -q -B 16 -s $SNAPLEN -w "$file" "$@" >"$lg" 2>&1 &
    fi
    local pid=$!
    PIDS+=("$pid"); CAP_PIDS+=("$pid"); CAP_LOGS+=("$lg")
    for ((i = 0; i < 100; i++)); do            # wait until it is really listening
        grep -qE 'listening on|Capturing on|File:' "$lg" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { cat "$lg" >&2; return 1; }
        sleep 0.05
    done
    [[ $i -lt 100 ]] || { echo "capture did not start: $lg" >&2; return 1; }
}

stop_caps() {
    local p lg i
    sleep 0.5                                   # let the last FIN/ACKs reach the taps
    for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    for p in "${CAP_PIDS[@]}"; do wait "$p" || true; done
    for lg in "${CAP_LOGS[@]}"; do
        # every packet the filter accepted must be in the file, none dropped by the kernel
        local got seen
        got=$(awk '/packets captured$/ {print $1}' "$lg")
        seen=$(awk '/packets received by filter$/ {print $1}' "$lg")
        if grep -qE '^[1-9][0-9]* packets dropped by kernel' "$lg" || [[ "$got" != "$seen" ]] ||
            grep -qE 'Packets received/dropped.*: [0-9]+/[1-9]' "$lg"; then
            echo "capture incomplete: $(cat "$lg")" >&2; return 1
        fi
    done
    CAP_PIDS=() CAP_LOGS=()
}

# ---------------------------------------------------------------- transfer helpers
# transfer SERVER_ADDR NCONN VERB N [VERB N ...]
transfer() {
    local addr=$1 nconn=$2; shift 2
    local ready="$WORK/server.out" i
    : >"$ready"
    ip netns exec $NS_SRV "$PY" "$XFER" server "$addr" $PORT "$nconn" >"$ready" 2>"$WORK/server.err" &
    local spid=$!
    PIDS+=("$spid")
    for ((i = 0; i < 200; i++)); do
        grep -q ready "$ready" && break
        kill -0 $spid 2>/dev/null || { cat "$WORK/server.err" >&2; return 1; }
        sleep 0.05
    done
    nsx $NS_CLI timeout 120 "$PY" "$XFER" client "$addr" $PORT "$@" >"$WORK/client.out"
    wait $spid
}

warm_up() {   # resolves ARP/ND before the captures start, proves the path works
    transfer "$1" 1 GET 1 >/dev/null
}

# ---------------------------------------------------------------- router loss / NAT
# add_loss PROBABILITY EGRESS_FILE : drop data packets server->client at random.
# The dropped packets are identified afterwards (truth.py) by comparing the server
# capture with a capture of what the router actually sent on rtr-cli: a server frame
# whose (raw seq, IP ID) never leaves the router was dropped.  (NFLOG would be simpler,
# but nfnetlink_log delivers nothing to tcpdump inside a netns on this kernel.)
add_loss() {
    nsx $NS_RTR iptables -N OLDROP
    nsx $NS_RTR iptables -A OLDROP -j DROP
    nsx $NS_RTR iptables -A FORWARD -i rtr-srv -o rtr-cli -p tcp -m length --length 1000:65535 \
        -m statistic --mode random --probability "$1" -j OLDROP
    start_cap $NS_RTR tcpdump "$2" -i rtr-cli -Q out tcp and src port $PORT
}

# drop_counter -> "packets bytes" of the FORWARD rule that sends to OLDROP
drop_counter() {
    nsx $NS_RTR iptables -nvxL FORWARD | awk '$3 == "OLDROP" {print $1, $2}'
}

# ---------------------------------------------------------------- bookkeeping
# meta FILE SCENARIO SIDE HOST EXPECTED DROPS DROP_BYTES SHIFT NAT SETTINGS
meta() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$META"; }

record_drops() {   # record_drops SCENARIO SERVER_PCAP ROUTER_EGRESS_PCAP
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$DROPS"
}

# run_pair SCENARIO V6(0|1) SRV_TSO SRV_GRO CLI_TSO CLI_GRO NCONN VERB N ...
# Captures at both endpoints while the transfer runs.  Leaves files in $WORK.
SRV_FEAT="" CLI_FEAT=""
run_pair() {
    local sc=$1 v6=$2 stso=$3 sgro=$4 ctso=$5 cgro=$6 nconn=$7; shift 7
    local addr=$SRV4; [[ $v6 == 1 ]] && addr=$SRV6
    offload $NS_SRV veth-srv "$stso" "$sgro"
    offload $NS_CLI veth-cli "$ctso" "$cgro"
    SRV_FEAT=$(feature_summary $NS_SRV veth-srv) CLI_FEAT=$(feature_summary $NS_CLI veth-cli)
    warm_up "$addr"
    local try holes
    for try in 1 2 3 4; do
        start_cap $NS_CLI tcpdump "$WORK/gen_${sc}_client.pcap" -i veth-cli
        start_cap $NS_SRV tcpdump "$WORK/gen_${sc}_server.pcap" -i veth-srv
        [[ -n ${EXTRA_SRV_SLL2:-} ]] && start_cap $NS_SRV tcpdump "$EXTRA_SRV_SLL2" -i any -y LINUX_SLL2
        transfer "$addr" "$nconn" "$@"
        stop_caps
        # nothing is meant to be lost here: an ACK whose SACK block lies above the
        # cumulative ACK means the host dropped something by itself (veth backlog); redo
        holes=$(tshark -n -r "$WORK/gen_${sc}_server.pcap" -Y 'tcp.options.sack_le > tcp.ack' \
            -T fields -e frame.number 2>/dev/null | wc -l)
        [[ $holes -eq 0 ]] && break
        log "  $sc: $holes ACKs with SACK holes (unplanned loss), capturing again"
    done
}

settings() { echo "server veth-srv $SRV_FEAT; client veth-cli $CLI_FEAT; router rtr-* tso=off gso=off gro=off; MTU $1; $2"; }

want() { [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]; }

# ================================================================= scenarios
: >"$META"; : >"$DROPS"
KVER=$(uname -r)
CC=$(cat /proc/sys/net/ipv4/tcp_congestion_control)
log "kernel $KVER, congestion control $CC, pacing cap $OL_MAX_PACING_RATE B/s, work dir $WORK"
softnet_drops() { local s=0 _p d _r; while read -r _p d _r; do s=$((s + 16#$d)); done </proc/net/softnet_stat; echo $s; }
BACKLOG_DROPS0=$(softnet_drops)

simple() {   # simple SCENARIO SRV_TSO CLI_GRO EXP_SERVER EXP_CLIENT BYTES
    local sc=$1
    log "scenario $sc"
    setup_topology 1500 0
    run_pair "$sc" 0 "$2" off off "$3" 1 GET "$6"
    local s; s=$(settings 1500 "download GET $6 bytes, 1 connection, IPv4")
    meta "gen_${sc}_server.pcap" "$sc" server $SRV4 "$4" - - 0 no "$s"
    meta "gen_${sc}_client.pcap" "$sc" client $CLI4 "$5" - - 0 no "$s"
}

if want tso_on_gro_off; then
    log "scenario tso_on_gro_off (+ SLL2 capture on the server)"
    setup_topology 1500 0
    EXTRA_SRV_SLL2="$WORK/gen_tso_on_gro_off_server_sll2.pcap" \
        run_pair tso_on_gro_off 0 on off off off 1 GET 4000000
    s=$(settings 1500 "download GET 4000000 bytes, 1 connection, IPv4")
    meta gen_tso_on_gro_off_server.pcap tso_on_gro_off server $SRV4 send-offload - - 0 no "$s"
    meta gen_tso_on_gro_off_client.pcap tso_on_gro_off client $CLI4 none - - 0 no "$s"
    meta gen_tso_on_gro_off_server_sll2.pcap tso_on_gro_off server $SRV4 send-offload - - 0 no \
        "$s; tcpdump -i any -y LINUX_SLL2 in ol-srv, same moment as gen_tso_on_gro_off_server.pcap"
fi
want tso_off_gro_on  && simple tso_off_gro_on  off on  none         receive-offload 4000000
want tso_on_gro_on   && simple tso_on_gro_on   on  on  send-offload receive-offload 4000000
want tso_off_gro_off && simple tso_off_gro_off off off none         none            4000000

if want jumbo; then
    log "scenario jumbo"
    setup_topology 9000 0
    run_pair jumbo 0 off off off off 1 GET 4000000
    s=$(settings 9000 "download GET 4000000 bytes, 1 connection, IPv4")
    meta gen_jumbo_server.pcap jumbo server $SRV4 none - - 0 no "$s"
    meta gen_jumbo_client.pcap jumbo client $CLI4 none - - 0 no "$s"
fi

if want ipv6_tso; then
    log "scenario ipv6_tso"
    setup_topology 1500 1
    run_pair ipv6_tso 1 on off off off 1 GET 3000000
    s=$(settings 1500 "download GET 3000000 bytes, 1 connection, IPv6")
    meta gen_ipv6_tso_server.pcap ipv6_tso server $SRV6 send-offload - - 0 no "$s"
    meta gen_ipv6_tso_client.pcap ipv6_tso client $CLI6 none - - 0 no "$s"
fi

# loss scenarios: the loss is random; retry (fresh namespaces) until >= MIN_DROPS drops
# happened (the last try is kept if that never happens; it is recorded in the manifest)
MIN_DROPS=2
lossy() {   # lossy SCENARIO PROB CLI_GRO BYTES EXP_CLIENT NAT(yes|no)
    local sc=$1 prob=$2 cgro=$3 bytes=$4 expc=$5 nat=$6 try cnt
    for try in $(seq 1 12); do
        log "scenario $sc (try $try)"
        setup_topology 1500 0
        offload $NS_SRV veth-srv on off
        offload $NS_CLI veth-cli off "$cgro"
        warm_up $SRV4            # before NAT/loss: the warm-up must not be dropped
        if [[ $nat == yes ]]; then
            nsx $NS_RTR iptables -t nat -A POSTROUTING -o rtr-srv -s 192.0.2.0/24 -p tcp \
                -j SNAT --to-source $RTR4S:40000-40100 --random
        fi
        add_loss "$prob" "$WORK/${sc}_router_egress.pcap"
        start_cap $NS_CLI tcpdump "$WORK/gen_${sc}_client.pcap" -i veth-cli
        start_cap $NS_SRV tcpdump "$WORK/gen_${sc}_server.pcap" -i veth-srv
        SRV_FEAT=$(feature_summary $NS_SRV veth-srv) CLI_FEAT=$(feature_summary $NS_CLI veth-cli)
        transfer $SRV4 1 GET "$bytes"
        cnt=$(drop_counter)
        stop_caps
        [[ ${cnt%% *} -ge $MIN_DROPS ]] && break
    done
    record_drops "$sc" "$WORK/gen_${sc}_server.pcap" "$WORK/${sc}_router_egress.pcap"
    local natdesc="no NAT"
    [[ $nat == yes ]] && natdesc="router SNAT of 192.0.2.0/24 to $RTR4S:40000-40100 --random on rtr-srv"
    local s; s=$(settings 1500 "download GET $bytes bytes, 1 connection, IPv4; $natdesc; router drops server->client TCP packets of IP length 1000..65535 with probability $prob (try $try)")
    meta "gen_${sc}_server.pcap" "$sc" server $SRV4 send-offload "${cnt%% *}" "${cnt##* }" 0 "$nat" "$s"
    meta "gen_${sc}_client.pcap" "$sc" client $CLI4 "$expc" "${cnt%% *}" "${cnt##* }" 0 "$nat" "$s"
}
want nat_loss && lossy nat_loss 0.01 off 4000000 none yes
want big20m   && lossy big20m  0.005 on 20000000 receive-offload no

if want multi; then
    log "scenario multi"
    setup_topology 1500 0
    run_pair multi 0 on off off off 4 GET 500000 GET 750000 GET 1000000 GET 1250000
    s=$(settings 1500 "4 concurrent downloads GET 500000/750000/1000000/1250000 bytes to port $PORT, IPv4")
    meta gen_multi_server.pcap multi server $SRV4 send-offload - - 0 no "$s"
    meta gen_multi_client.pcap multi client $CLI4 none - - 0 no "$s"
fi

if want bidir; then
    log "scenario bidir"
    setup_topology 1500 0
    run_pair bidir 0 on on on on 2 GET 2000000 PUT 2000000
    s=$(settings 1500 "2 concurrent connections: download GET 2000000 and upload PUT 2000000 bytes, IPv4")
    meta gen_bidir_server.pcap bidir server $SRV4 both - - 0 no "$s"
    meta gen_bidir_client.pcap bidir client $CLI4 both - - 0 no "$s"
fi

if want pcapng; then
    log "scenario pcapng (dumpcap)"
    setup_topology 1500 0
    offload $NS_SRV veth-srv on off
    offload $NS_CLI veth-cli off on
    SRV_FEAT=$(feature_summary $NS_SRV veth-srv) CLI_FEAT=$(feature_summary $NS_CLI veth-cli)
    warm_up $SRV4
    start_cap $NS_CLI dumpcap "$WORK/gen_pcapng_client.pcapng" -i veth-cli
    start_cap $NS_SRV dumpcap "$WORK/gen_pcapng_server.pcapng" -i veth-srv
    transfer $SRV4 1 GET 2000000
    stop_caps
    s=$(settings 1500 "download GET 2000000 bytes, 1 connection, IPv4; captured with dumpcap (native pcapng)")
    meta gen_pcapng_server.pcapng pcapng server $SRV4 send-offload - - 0 no "$s"
    meta gen_pcapng_client.pcapng pcapng client $CLI4 receive-offload - - 0 no "$s"
fi

if want clockshift && [[ -f $WORK/gen_tso_on_gro_off_server.pcap ]]; then
    log "clockshift: editcap -t 3.25"
    editcap -F pcap -t 3.25 "$WORK/gen_tso_on_gro_off_server.pcap" "$WORK/gen_clockshift_server_shifted.pcap"
    meta gen_clockshift_server_shifted.pcap clockshift server $SRV4 send-offload - - 3.25 no \
        "editcap -t 3.25 gen_tso_on_gro_off_server.pcap; pair with gen_tso_on_gro_off_client.pcap (A)"
fi
del_netns
BACKLOG_DROPS=$(( $(softnet_drops) - BACKLOG_DROPS0 ))
log "backlog drops (softnet_stat, whole host) during the run: $BACKLOG_DROPS"

# ---------------------------------------------------------------- publish + truth
if [[ -n ${ONLY:-} ]]; then          # partial run: never mix with the published set
    OUT="$WORK/out"; mkdir -p "$OUT"; KEEP_WORK=1
fi
log "publishing files to $OUT and measuring truth with tshark"
for f in "$WORK"/gen_*.pcap "$WORK"/gen_*.pcapng; do
    [[ -e $f ]] && install -m 0644 "$f" "$OUT/"
done
"$PY" "$HERE/truth.py" --meta "$META" --drops "$DROPS" --dir "$OUT" \
    --kernel "$KVER" --cc "$CC" --snaplen $SNAPLEN --pacing "$OL_MAX_PACING_RATE" \
    --backlog-drops "$BACKLOG_DROPS"
log "done"
