#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measure the captures made by make-captures.sh with tshark/capinfos and write
generated-truth.tsv, generated-drops.tsv and MANIFEST.md next to them.

Every number in the truth file is measured from the capture file itself (tshark 4.x),
never copied from the generator's intentions.  The generator's intention for each file
is kept in the column configured_offload; expected_offload is what the capture shows.
"""
import argparse
import collections
import datetime
import os
import re
import subprocess
import sys

COLUMNS = [
    # the columns asked for, in this order
    "file", "scenario", "side", "capture_host", "expected_offload", "packets",
    "tcp_connections", "mss_client", "mss_server", "max_tcp_payload", "router_drops",
    "clock_shift_s", "nat",
    # extra measured facts
    "format", "link_type", "snaplen", "file_bytes", "segment_limit", "oversized_out",
    "oversized_in", "max_payload_out", "max_payload_in", "retransmissions", "sack_hole_acks",
    "dsack_acks",
    "bad_tcp_csum_out", "bad_tcp_csum_in", "router_drop_bytes", "router_drop_wire_segments",
    "configured_offload", "nat_mapping", "notes",
]

LINKTYPES = {"Ethernet": "EN10MB", "ether": "EN10MB", "Linux cooked-mode capture v2": "LINUX_SLL2",
             "linux-sll2": "LINUX_SLL2", "Linux cooked-mode capture v1": "LINUX_SLL",
             "linux-sll": "LINUX_SLL"}

FIELDS = ["frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.stream",
          "tcp.srcport", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.len",
          "tcp.options.mss_val", "tcp.options.timestamp.tsval", "tcp.checksum.status",
          "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission", "tcp.ack",
          "tcp.options.sack_le"]

SCENARIO_TEXT = {
    "tso_on_gro_off": (
        "Send offload at the server. veth-srv has tso/gso on, so the server's TCP hands 64 KB "
        "GSO buffers to the device and tcpdump on veth-srv sees them before segmentation. The "
        "router (all offloads off) cuts them into MSS-sized frames. veth-cli has gro off, so the "
        "client sees only frames of at most 1448 bytes of payload (MSS 1460 minus 12 bytes of "
        "timestamps). The `_sll2` file was captured at the same time on the server with "
        "`tcpdump -i any -y LINUX_SLL2`, which records each packet's direction (tshark field "
        "`sll.pkttype`, shared by SLL and SLL2: 4 = outgoing, 0 = unicast to us)."),
    "tso_off_gro_on": (
        "Receive coalescing at the client. veth-srv has tso/gso off, so the server sends frames "
        "of at most 1448 bytes. veth-cli has gro on: on this kernel, enabling GRO on a veth turns "
        "on its NAPI receive path, and GRO merges consecutive in-order segments before the "
        "tcpdump tap. The client capture shows large inbound frames (up to 64 KB)."),
    "tso_on_gro_on": (
        "Both mechanisms at once. The server capture shows send offload on outbound data. The "
        "client capture shows receive coalescing on inbound data. The router segments everything "
        "in between."),
    "tso_off_gro_off": (
        "Control case with no offload anywhere. Both captures show the same wire-sized frames. "
        "A test must report `none` for both files and for every direction."),
    "jumbo": (
        "MTU 9000 on all four veths with tso/gso/gro off everywhere. The SYNs announce MSS 8960, "
        "and full-sized segments carry 8948 bytes of payload (8960 minus 12 for timestamps). "
        "These are legitimate, NOT offload: a test must report `none`."),
    "ipv6_tso": (
        "Same as tso_on_gro_off, but over IPv6 (2001:db8:1::1 to 2001:db8:2::2). MSS is 1440; "
        "with timestamps, full segments carry 1428 bytes. The server capture shows send offload, "
        "and the client capture shows none."),
    "nat_loss": (
        "The router SNATs the client to 198.51.100.254, rewriting the port into 40000-40100. The "
        "server capture shows the connection as 198.51.100.254:<40000-40100> to "
        "198.51.100.2:8080; the client capture shows 192.0.2.1:<ephemeral> to "
        "198.51.100.2:8080. The router also drops server-to-client TCP packets with IP length "
        "1000-65535 at random (statistic, p=0.01, through a DROP chain). NOTE: the server "
        "has TSO on and veth passes GSO buffers unsegmented, so the router's FORWARD chain sees "
        "(and drops) whole super-segments before it segments them on egress. One counted drop "
        "can therefore remove many wire segments; `router_drop_wire_segments` gives the "
        "wire-segment equivalent. generated-drops.tsv lists each dropped packet with its raw "
        "sequence number. Server TSO is on and client GRO is off. The scenario is retried with "
        "fresh namespaces (up to 12 times) until at least 2 drops happened; the try number is "
        "in the settings line."),
    "big20m": (
        "A 20,000,000-byte download with server TSO on and client GRO on, and random drop "
        "p=0.005 of server-to-client data on the router (same DROP chain and the same "
        "super-segment caveat as nat_loss). Both files stay small because of TSO and GRO. Tests "
        "can use it to check retransmission, SACK and recovery handling on coalesced/offloaded "
        "frames."),
    "multi": (
        "4 concurrent downloads from the same server port 8080 (GET 500000, 750000, 1000000 and "
        "1250000 bytes), with server TSO on and client GRO off. Expect 4 TCP connections in each "
        "file. In the server file each connection's server-to-client direction shows send "
        "offload; in the client file, none."),
    "bidir": (
        "2 concurrent connections, one download (GET 2000000) and one upload (PUT 2000000), with "
        "tso/gso/gro ON on both endpoint veths. Each file therefore shows outbound super-segments "
        "(send offload on the connection where that host is the data sender) AND inbound "
        "coalesced frames (receive offload on the other connection), so the file-level verdict "
        "is `both`. In the upload connection the client is the data sender."),
    "pcapng": (
        "A native pcapng pair captured with Wireshark's dumpcap (SHB/IDB/EPB blocks written by "
        "dumpcap itself, snaplen 128), not converted. Settings are as in tso_on_gro_on: the server "
        "file shows send offload and the client file shows receive offload."),
    "clockshift": (
        "gen_tso_on_gro_off_server.pcap with every timestamp moved by +3.25 s "
        "(`editcap -t 3.25`). Align it as B against gen_tso_on_gro_off_client.pcap as A; the "
        "expected clock_offset_s (B ahead of A) is +3.25. The unshifted pair shares one kernel "
        "clock (offset 0). netem is not available in this kernel, so no delay was added: one-way "
        "delay is a few microseconds to tens of microseconds, and any offset estimate should land "
        "within about 1 ms of 3.25."),
}


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def capinfos(path):
    out = run(["capinfos", "-M", "-t", "-E", "-c", "-l", path])
    info = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip()] = v.strip()
    ftype = info.get("File type", "")
    fmt = "pcapng" if "pcapng" in ftype else "pcap"
    enc = info.get("File encapsulation", "")
    snap = re.sub(r"[^0-9]", "", info.get("Packet size limit", "").split("(")[0]) or "-"
    m = re.search(r"min\s*=?\s*(\d+)", info.get("Packet size limit", ""))
    if "inferred" in info.get("Packet size limit", "") and m:
        snap = m.group(1)
    return fmt, LINKTYPES.get(enc, enc), snap, int(info["Number of packets"])


def tshark_rows(path):
    out = run(["tshark", "-n", "-r", path, "-o", "tcp.check_checksum:TRUE",
               "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"] +
              sum((["-e", f] for f in FIELDS), []))
    rows = []
    for line in out.splitlines():
        v = line.split("\t")
        v += [""] * (len(FIELDS) - len(v))
        r = {f: x.split(",")[0] for f, x in zip(FIELDS, v)}   # first occurrence
        r["sack_all"] = [int(x) for x in v[FIELDS.index("tcp.options.sack_le")].split(",") if x]
        rows.append(r)
    return rows


def count(path, filt):
    out = run(["tshark", "-n", "-r", path, "-Y", filt, "-T", "fields", "-e", "frame.number"])
    return len(out.split())


def conv_count(path):
    out = run(["tshark", "-n", "-r", path, "-q", "-z", "conv,tcp"])
    return sum(1 for line in out.splitlines() if "<->" in line)


class Conn:
    def __init__(self):
        self.client = self.server = None       # (addr, port)
        self.mss = {}                           # addr:port -> announced MSS
        self.ts = False


def analyse(path, host):
    rows = tshark_rows(path)
    conns = collections.defaultdict(Conn)
    for r in rows:
        if not r["tcp.stream"]:
            continue
        src = r["ip.src"] or r["ipv6.src"]
        dst = r["ip.dst"] or r["ipv6.dst"]
        c = conns[r["tcp.stream"]]
        a, b = (src, r["tcp.srcport"]), (dst, r["tcp.dstport"])
        if r["tcp.flags.syn"] in ("1", "True"):
            if r["tcp.flags.ack"] in ("0", "False"):
                c.client, c.server = a, b
                c.ts = bool(r["tcp.options.timestamp.tsval"])
            if r["tcp.options.mss_val"]:
                c.mss[a] = int(r["tcp.options.mss_val"])
    res = dict(holes=0, dsack=0, oversized_out=0, oversized_in=0, max_out=0, max_in=0, max_all=0, retrans=0,
               bad_csum_out=0, bad_csum_in=0, limits=set(), mss_client=set(), mss_server=set(), ports=set())
    for c in conns.values():
        if c.client:
            res["mss_client"].add(c.mss.get(c.client))
            res["mss_server"].add(c.mss.get(c.server))
            res["ports"].add((c.client, c.server))
    for r in rows:
        if not r["tcp.stream"]:
            continue
        src = r["ip.src"] or r["ipv6.src"]
        dst = r["ip.dst"] or r["ipv6.dst"]
        n = int(r["tcp.len"] or 0)
        if r["sack_all"] and r["tcp.ack"]:
            ack = int(r["tcp.ack"])
            res["holes"] += any(le > ack for le in r["sack_all"])
            res["dsack"] += r["sack_all"][0] < ack
        res["max_all"] = max(res["max_all"], n)
        c = conns[r["tcp.stream"]]
        if r["tcp.analysis.retransmission"] or r["tcp.analysis.fast_retransmission"]:
            res["retrans"] += 1
        recv_mss = c.mss.get((dst, r["tcp.dstport"]))
        if recv_mss is None:
            continue
        limit = recv_mss - (12 if c.ts else 0)
        if n > 0:
            res["limits"].add(limit)
        outbound = src == host
        if outbound:
            res["max_out"] = max(res["max_out"], n)
            if r["tcp.checksum.status"] == "0":   # 0 = bad (not filled in yet)
                res["bad_csum_out"] += 1
        else:
            res["max_in"] = max(res["max_in"], n)
            if r["tcp.checksum.status"] == "0":
                res["bad_csum_in"] += 1
        if n > limit:
            res["oversized_out" if outbound else "oversized_in"] += 1
    return res, len(rows)


DROP_COLS = ["scenario", "time_epoch", "src", "dst", "sport", "dport", "seq_raw", "ip_id",
             "tcp_len", "ip_len", "wire_segments"]


def find_drops(scenario, server_pcap, egress_pcap):
    """Server frames (server->client data, IP length >= 1000, as matched by the router's
    loss rule) whose (raw seq, IP ID) never appear in the router's rtr-cli egress capture.
    GSO segmentation keeps seq and IP ID of a super-segment on its first wire segment."""
    f = ["frame.time_epoch", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
         "ip.id", "tcp.len", "ip.len"]
    def read(path, filt):
        out = run(["tshark", "-n", "-r", path, "-Y", filt, "-T", "fields", "-E",
                   "separator=\t"] + sum((["-e", x] for x in f), []))
        return [dict(zip(f, line.split("\t"))) for line in out.splitlines()]
    sent = read(server_pcap, "tcp.srcport == 8080 && tcp.len > 0 && ip.len >= 1000")
    seen = {(r["tcp.seq_raw"], r["ip.id"]) for r in read(egress_pcap, "tcp.srcport == 8080")}
    drops = []
    for r in sent:
        if (r["tcp.seq_raw"], r["ip.id"]) not in seen:
            n = int(r["tcp.len"])
            drops.append({"scenario": scenario, "time_epoch": r["frame.time_epoch"],
                          "src": r["ip.src"], "dst": r["ip.dst"], "sport": r["tcp.srcport"],
                          "dport": r["tcp.dstport"], "seq_raw": r["tcp.seq_raw"],
                          "ip_id": r["ip.id"], "tcp_len": str(n), "ip_len": r["ip.len"],
                          "wire_segments": str(max(1, -(-n // 1448)))})
    return drops


def verdict(out, inn):
    if out and inn:
        return "both"
    if out:
        return "send-offload"
    if inn:
        return "receive-offload"
    return "none"


def join(vals):
    vals = sorted(v for v in vals if v is not None)
    return "/".join(str(v) for v in vals) if vals else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meta", required=True)
    ap.add_argument("--drops", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--cc", default="?")
    ap.add_argument("--snaplen", default="128")
    ap.add_argument("--pacing", default="0")
    ap.add_argument("--backlog-drops", default="?")
    a = ap.parse_args()

    metas = []
    with open(a.meta) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            metas.append(dict(zip(["file", "scenario", "side", "host", "configured", "drops",
                                   "drop_bytes", "shift", "nat", "settings"], p)))

    drops = []
    with open(a.drops) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) == 3:
                drops += find_drops(*p)
    wire = collections.Counter(), collections.Counter()
    for d in drops:
        wire[0][d["scenario"]] += 1
        wire[1][d["scenario"]] += int(d["wire_segments"])

    rows, problems = [], []
    analysed = {}
    for m in metas:
        path = os.path.join(a.dir, m["file"])
        fmt, lt, snap, packets = capinfos(path)
        res, nrows = analyse(path, m["host"])
        analysed[m["file"]] = res
        if nrows != packets:
            problems.append(f"{m['file']}: tshark rows {nrows} != capinfos {packets}")
        conv = conv_count(path)
        if conv != len(res["ports"]):
            problems.append(f"{m['file']}: conv,tcp {conv} != SYN-seen connections "
                            f"{len(res['ports'])}")
        measured = verdict(res["oversized_out"], res["oversized_in"])
        notes = []
        if m["drops"] != "-" and int(m["drops"]) != wire[0][m["scenario"]]:
            problems.append(f"{m['file']}: iptables counted {m['drops']} drops but the captures "
                            f"show {wire[0][m['scenario']]} frames that never left the router")
        holes, dsack = res["holes"], res["dsack"]
        if m["drops"] == "-" and holes:
            problems.append(f"{m['file']}: {holes} ACKs with SACK holes although the router "
                            f"dropped nothing (unplanned loss inside the host, e.g. veth backlog)")
            notes.append("unplanned loss")
        if measured != m["configured"]:
            problems.append(f"{m['file']}: configured {m['configured']} but capture shows "
                            f"{measured}")
            notes.append(f"EXPECTATION NOT MET: configured {m['configured']}")
        rows.append({
            "file": m["file"], "scenario": m["scenario"], "side": m["side"],
            "capture_host": m["host"], "expected_offload": measured, "packets": packets,
            "tcp_connections": conv, "mss_client": join(res["mss_client"]),
            "mss_server": join(res["mss_server"]), "max_tcp_payload": res["max_all"],
            "router_drops": m["drops"], "clock_shift_s": m["shift"], "nat": m["nat"],
            "format": fmt, "link_type": lt, "snaplen": snap,
            "file_bytes": os.path.getsize(path), "segment_limit": join(res["limits"]),
            "oversized_out": res["oversized_out"], "oversized_in": res["oversized_in"],
            "max_payload_out": res["max_out"], "max_payload_in": res["max_in"],
            "retransmissions": res["retrans"], "sack_hole_acks": holes, "dsack_acks": dsack, "bad_tcp_csum_out": res["bad_csum_out"],
            "bad_tcp_csum_in": res["bad_csum_in"],
            "router_drop_bytes": m["drop_bytes"],
            "router_drop_wire_segments": wire[1][m["scenario"]] if m["drops"] != "-" else "-",
            "configured_offload": m["configured"], "nat_mapping": "-",
            "notes": "; ".join(notes) or "-", "_settings": m["settings"],
        })

    # NAT mapping: client-side and server-side view of the same connection
    by_sc = collections.defaultdict(dict)
    for r in rows:
        by_sc[r["scenario"]][r["side"]] = r
    for sc, sides in by_sc.items():
        if sides.get("client", {}).get("nat") == "yes" and "server" in sides:
            cp = analysed[sides["client"]["file"]]["ports"]
            sp = analysed[sides["server"]["file"]]["ports"]
            if len(cp) == 1 and len(sp) == 1:
                (cc, cs), = cp
                (sc_, ss), = sp
                mapping = (f"{cc[0]}:{cc[1]}>{cs[0]}:{cs[1]} == "
                           f"{sc_[0]}:{sc_[1]}>{ss[0]}:{ss[1]}")
                sides["client"]["nat_mapping"] = sides["server"]["nat_mapping"] = mapping

    with open(os.path.join(a.dir, "generated-truth.tsv"), "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in COLUMNS) + "\n")

    with open(os.path.join(a.dir, "generated-drops.tsv"), "w") as f:
        cols = DROP_COLS
        f.write("\t".join(cols) + "\n")
        for d in drops:
            f.write("\t".join(d[c] for c in cols) + "\n")

    write_manifest(a, rows, problems, drops)
    for p in problems:
        print("truth.py: WARNING " + p, file=sys.stderr)
    return 0


def write_manifest(a, rows, problems, drops):
    L = []
    w = L.append
    w("## Generated captures (real Linux TCP stack in network namespaces)")
    w("")
    w("All `gen_*` files in this folder were made by `gen/make-captures.sh`, which uses "
      "`gen/xfer.py` (transfers) and `gen/truth.py` (measurements). Do not edit them by hand. "
      "To regenerate, run as root on Linux (takes about 1-2 minutes):")
    w("")
    w("```")
    w("sudo tests/data/gen/make-captures.sh")
    w("```")
    w("")
    w(f"Last generated {datetime.date.today().isoformat()} on kernel `{a.kernel}` with "
      f"congestion control `{a.cc}` (the host default; the namespaces inherit it, and cubic is "
      "not in the allowed list), tcpdump 4.99.3 / libpcap 1.10.3, dumpcap and tshark 4.0.17. "
      "Each run gives different timestamps, ports, sequence numbers and (for the loss "
      "scenarios) drops, so tests must read the expected values from "
      "`generated-truth.tsv`, not hard-code them.")
    w("")
    w("### How the files are made")
    w("")
    w("```")
    w("ol-cli  veth-cli ---- rtr-cli  ol-rtr  rtr-srv ---- veth-srv  ol-srv")
    w("192.0.2.1/24        192.0.2.254     198.51.100.254      198.51.100.2/24")
    w("2001:db8:1::1/64    2001:db8:1::fe  2001:db8:2::fe      2001:db8:2::2/64")
    w("```")
    w("")
    w("* The router namespace forwards with `net.ipv4.ip_forward=1` and "
      "`net.ipv6.conf.all.forwarding=1`. Both of its veths have `tso off gso off gro off`, so "
      "GSO buffers from the server are cut into MSS-sized frames, as a real NIC would cut them. "
      "The endpoint veths get the per-scenario `ethtool -K veth-X tso/gso on|off gro on|off`; "
      "the exact values (read back with `ethtool -k`) are in each section below. MTU is 1500 "
      "(9000 on all links in `jumbo`). IPv6 is disabled on the links except in `ipv6_tso`.")
    w(f"* Captures use `tcpdump -Z root --immediate-mode -B 16384 -s {a.snaplen} -i veth-cli` "
      f"in ol-cli and `... -i veth-srv` in ol-srv, both running at the same time. That means "
      f"headers only (snaplen {a.snaplen}), pcap with microsecond timestamps and link type "
      f"EN10MB. Each tcpdump starts and is polled until it prints 'listening on'. Then the "
      f"transfer runs, and 0.5 s later both tcpdumps get SIGINT. The script fails if a capture "
      f"is incomplete, i.e. 'packets captured' differs from 'packets received by filter' or "
      f"anything was dropped by the kernel. (Without --immediate-mode, TPACKET_V3 kept the "
      f"last unfinished ring block, up to the whole capture, out of the file when SIGINT "
      f"arrived.) The `pcapng` pair comes from `dumpcap -q -B 16 -s {a.snaplen}` instead, "
      f"with nanosecond timestamps.")
    w(f"* Every data sender paces itself to {int(a.pacing) * 8 / 1e9:g} Gbit/s "
      f"(SO_MAX_PACING_RATE {a.pacing} bytes/s, like a host on a 1G link). Without the cap, "
      f"a sender with offload off bursts faster than the receiving veth's backlog "
      f"(net.core.netdev_max_backlog = 1000) is drained, and the kernel drops packets at "
      f"random. Host-wide softnet backlog drops during the last run: {a.backlog_drops}. "
      f"That counter is global, so other activity on the host counts too; the Checks section "
      f"says whether any capture without router drops shows loss (ACKs with SACK holes).")
    w("* Transfers use `gen/xfer.py`: the client (192.0.2.1) connects to 198.51.100.2:8080 "
      "(or [2001:db8:2::2]:8080) and sends one request line, `GET <n>\\n` (13-17 bytes of "
      "client payload). The server then sends exactly n bytes and closes first. `PUT <n>` "
      "(bidir only) uploads n bytes. So the data sender is the server, except for the PUT "
      "connection in `bidir`. Before each capture, one `GET 1` warm-up connection (not "
      "captured) resolves ARP/ND, so the captures normally contain only the test "
      "connections.")
    w("")
    w("### Caveats (veth is not a NIC)")
    w("")
    w("* No delay: `sch_netem` is not available in this kernel and there are no modules, so "
      "the RTT is tens of microseconds (SYN to SYN-ACK about 50 us). Handshake-timing evidence "
      "for the capture point is therefore weak in these files. TTL evidence works: frames from "
      "the far end arrive with TTL 63 (hop limit 63), and the capture host's own frames carry "
      "64.")
    w("* Checksums: veth hands CHECKSUM_PARTIAL packets to the peer as they are. So TCP "
      "checksums are never filled in, not even on INBOUND frames: every whole frame has a "
      "'bad' checksum on both sides. On a real NIC only outbound frames would. A checksum "
      "heuristic must not take inbound bad checksums in these files as evidence of anything.")
    w("* Router drops hit GSO super-segments: veth does not segment, so a server with TSO on "
      "delivers its 64 KB buffers to the router as they are, and the router's FORWARD chain "
      "drops them whole, before egress segmentation. See nat_loss.")
    w("* IP ID: the Linux sender advances the IPv4 ID of the next super-segment by the number "
      "of wire segments it became (e.g. ID 0xf769 with 7240 bytes, next data frame 0xf76e = "
      "+5 = 7240/1448), and the router's segmentation numbers the wire segments consecutively.")
    w("* Congestion control is BBR (the host default). cubic is not in "
      "net.ipv4.tcp_allowed_congestion_control, and a namespace may not change that.")
    w("")
    w("### Truth file `generated-truth.tsv`")
    w("")
    w("One row per capture file, tab-separated, with a header row. Every value is measured "
      "from the file with tshark/capinfos by `gen/truth.py`.")
    w("")
    w("| column | meaning |")
    w("| --- | --- |")
    for c, d in [
        ("file, scenario, side", "file name; scenario; the capture was taken at the `client` or "
         "`server` endpoint veth"),
        ("capture_host", "IPv4 or IPv6 address of the capturing endpoint"),
        ("expected_offload", "what the capture really shows: `send-offload` = outbound frames "
         "with payload > segment_limit, `receive-offload` = inbound ones, `both`, or `none`"),
        ("packets", "capinfos -c (all frames, including non-TCP ones)"),
        ("tcp_connections", "number of conversations in `tshark -z conv,tcp`"),
        ("mss_client, mss_server", "MSS option from the SYN / SYN-ACK (values joined by / if "
         "connections differ)"),
        ("max_tcp_payload", "max tcp.len in the file"),
        ("router_drops", "packet counter of the router's random DROP rule (`iptables -nvxL "
         "FORWARD`), or `-`"),
        ("clock_shift_s", "seconds added with editcap -t (B ahead of A)"),
        ("nat", "the router SNATs the client"),
        ("format, link_type, snaplen, file_bytes", "file facts"),
        ("segment_limit", "payload limit for data in a direction: the receiver's MSS minus "
         "12 bytes (timestamps on); 1448 here, 1428 for IPv6, 8948 for jumbo"),
        ("oversized_out / oversized_in", "number of TCP frames sent by / received by the "
         "capture host whose tcp.len > segment_limit"),
        ("max_payload_out / max_payload_in", "largest tcp.len sent / received by the capture "
         "host"),
        ("retransmissions", "frames tshark flags as retransmission or fast retransmission. "
         "Without router drops these are tail loss probes and other spurious retransmissions, "
         "answered by a D-SACK"),
        ("sack_hole_acks", "ACKs whose SACK block lies above the cumulative ACK, i.e. the "
         "receiver is missing data. Must be 0 in scenarios without router drops (checked)"),
        ("dsack_acks", "ACKs carrying a D-SACK (SACK block below the cumulative ACK): the "
         "receiver got a duplicate"),
        ("bad_tcp_csum_out / bad_tcp_csum_in", "outbound / inbound frames whose TCP checksum "
         "tshark (tcp.check_checksum:TRUE) finds wrong. Only frames captured whole (no payload "
         "cut by the snaplen) can be checked; the others are 'unverified' and not counted. "
         "Outbound: not yet filled in (checksum offload). Inbound: a veth artifact, see "
         "Caveats"),
        ("router_drop_bytes", "byte counter of the DROP rule (IP lengths of dropped packets)"),
        ("router_drop_wire_segments", "sum over dropped packets of ceil(tcp_len/1448): how "
         "many wire segments the drops removed (drops hit GSO super-segments, see nat_loss)"),
        ("configured_offload", "what the settings were meant to produce; a difference from "
         "expected_offload is listed under Checks"),
        ("nat_mapping", "`client view == server view` of the NATed connection"),
    ]:
        w(f"| {c} | {d} |")
    w("")
    w("`generated-drops.tsv` lists every packet the router's loss rule dropped. Each one is a "
      "frame of the server capture (so it is shown as the server saw it: in nat_loss, dst is "
      "the NAT address 198.51.100.254:400xx) whose raw sequence number and IP ID never left the "
      "router on rtr-cli. A third tcpdump on the router's rtr-cli (egress, not published) "
      "captured what did leave. Columns: scenario, epoch time (server clock), addresses, "
      "ports, raw TCP sequence number, IP ID, tcp_len, ip_len, wire_segments "
      "(ceil(tcp_len/1448)). The number of rows per scenario is checked against the iptables "
      "counter.")
    w("")
    w("### Files")
    w("")
    order = []
    for r in rows:
        if r["scenario"] not in order:
            order.append(r["scenario"])
    for sc in order:
        w(f"#### {sc}")
        w("")
        w(SCENARIO_TEXT.get(sc, ""))
        w("")
        srows = [r for r in rows if r["scenario"] == sc]
        w(f"Settings: {srows[0]['_settings']}")
        w("")
        w("| file | side | bytes | packets | conns | MSS c/s | max payload | oversized out/in "
          "| retrans | drops | expected_offload |")
        w("| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: | --- | --- |")
        for r in srows:
            w(f"| `{r['file']}` | {r['side']} | {r['file_bytes']} | {r['packets']} | "
              f"{r['tcp_connections']} | {r['mss_client']}/{r['mss_server']} | "
              f"{r['max_tcp_payload']} | {r['oversized_out']}/{r['oversized_in']} | "
              f"{r['retransmissions']} | {r['router_drops']} | **{r['expected_offload']}** |")
        nm = [r["nat_mapping"] for r in srows if r["nat_mapping"] != "-"]
        if nm:
            w("")
            w(f"NAT mapping (client view == server view): `{nm[0]}`")
        sd = [d for d in drops if d["scenario"] == sc]
        if sd:
            w("")
            w(f"Router drops: {len(sd)} packets, "
              f"{sum(int(d['wire_segments']) for d in sd)} wire-segment equivalents, tcp_len "
              f"{', '.join(d['tcp_len'] for d in sd)}.")
        w("")
    w("### Checks")
    w("")
    if problems:
        for p in problems:
            w(f"* {p}")
    else:
        w("Every file shows what its settings were meant to produce: configured_offload == "
          "expected_offload. tshark row counts equal capinfos counts, and conv,tcp counts "
          "equal the SYN-seen connection counts. No file from a scenario without router drops "
          "has an ACK with a SACK hole, so the host lost nothing by itself. In the loss "
          "scenarios, the iptables drop counter equals the number of server frames that never "
          "left the router (generated-drops.tsv).")
    w("")
    # Only the block between the markers belongs to this generator; anything else in
    # MANIFEST.md (rows for copied public captures, hand-made fixtures) is preserved.
    block = BEGIN + "\n" + "\n".join(L) + "\n" + END + "\n"
    path = os.path.join(a.dir, "MANIFEST.md")
    old = open(path).read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + block + old[old.index(END) + len(END):].lstrip("\n")
    elif old:
        new = old.rstrip("\n") + "\n\n" + block
    else:
        new = "# Test data\n\n" + block
    with open(path, "w") as f:
        f.write(new)


BEGIN = "<!-- BEGIN generated by gen/make-captures.sh: do not edit by hand -->"
END = "<!-- END generated by gen/make-captures.sh -->"


if __name__ == "__main__":
    sys.exit(main())
