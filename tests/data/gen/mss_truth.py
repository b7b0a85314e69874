#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Truth rows for the captures of make-mss-captures.sh, appended to generated-truth.tsv.

These captures have no handshake (or only some connections have one), so the MSS cannot be
measured from the file: it comes from the setup (the veth MTU; MSS = MTU - 40, the Linux
loopback MSS is 65535 - 40 = 65495 because an IPv4 packet is at most 65,535 bytes) and the
per-segment limit is MSS - 12 (timestamps).  The notes column says what the file lets a reader learn the
MSS from (mss_source=): "data" (no SYN for the data direction: only the segments themselves), "same-hosts"
(another connection between the same hosts in the file kept its handshake), "loopback".  Everything else is measured with tshark /
capinfos (helpers shared with truth.py).  Rows of the files this run made (those in --meta) are
replaced, all others are kept as they are.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402


def mss_for(mtu):
    return min(mtu, 65535) - 40


def measure(path, host, limit):
    rows = truth.tshark_rows(path)
    res = dict(max_all=0, max_out=0, max_in=0, over_out=0, over_in=0, retrans=0, holes=0, dsack=0,
               bad_out=0, bad_in=0)
    for r in rows:
        if not r["tcp.stream"]:
            continue
        src = r["ip.src"] or r["ipv6.src"]
        dst = r["ip.dst"] or r["ipv6.dst"]
        n = int(r["tcp.len"] or 0)
        res["max_all"] = max(res["max_all"], n)
        if r["tcp.analysis.retransmission"] or r["tcp.analysis.fast_retransmission"]:
            res["retrans"] += 1
        if r["sack_all"] and r["tcp.ack"]:
            ack = int(r["tcp.ack"])
            res["holes"] += any(le > ack for le in r["sack_all"])
            res["dsack"] += r["sack_all"][0] < ack
        out = src == host
        if src == dst:      # loopback: the host is both ends; count its sends as outbound
            out = True
        key = "out" if out else "in"
        res["max_" + key] = max(res["max_" + key], n)
        if n > limit:
            res["over_" + key] += 1
        if r["tcp.checksum.status"] == "0":
            res["bad_" + key] += 1
    return res, len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meta", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--snaplen", default="128")
    a = ap.parse_args()
    tsv = os.path.join(a.dir, "generated-truth.tsv")
    with open(tsv) as f:
        lines = f.read().splitlines()
    with open(a.meta) as f:
        made = {line.split("\t", 1)[0] for line in f if line.strip()}
    header, kept = lines[0], [ln for ln in lines[1:] if ln and ln.split("\t", 1)[0] not in made]
    assert header.split("\t") == truth.COLUMNS, "generated-truth.tsv columns changed"
    new, problems = [], []
    with open(a.meta) as f:
        for line in f:
            file, scenario, side, host, configured, mtu, source, notes = line.rstrip("\n").split("\t")
            path = os.path.join(a.dir, file)
            mss = mss_for(int(mtu))
            limit = mss - 12
            fmt, lt, snap, packets = truth.capinfos(path)
            res, nrows = measure(path, host, limit)
            if nrows != packets:
                problems.append(f"{file}: tshark rows {nrows} != capinfos {packets}")
            measured = truth.verdict(res["over_out"], res["over_in"])
            if measured != configured:
                problems.append(f"{file}: configured {configured} but capture shows {measured}")
            row = {
                "file": file, "scenario": "mss_" + scenario, "side": side, "capture_host": host,
                "expected_offload": measured, "packets": packets,
                "tcp_connections": truth.conv_count(path), "mss_client": mss, "mss_server": mss,
                "max_tcp_payload": res["max_all"], "router_drops": "-", "clock_shift_s": 0,
                "nat": "no", "format": fmt, "link_type": lt, "snaplen": snap,
                "file_bytes": os.path.getsize(path), "segment_limit": limit,
                "oversized_out": res["over_out"], "oversized_in": res["over_in"],
                "max_payload_out": res["max_out"], "max_payload_in": res["max_in"],
                "retransmissions": res["retrans"], "sack_hole_acks": res["holes"],
                "dsack_acks": res["dsack"], "bad_tcp_csum_out": res["bad_out"],
                "bad_tcp_csum_in": res["bad_in"], "router_drop_bytes": "-",
                "router_drop_wire_segments": "-", "configured_offload": configured,
                "nat_mapping": "-",
                "notes": f"mss_source={source}; MSS and segment_limit from the setup, not the file; {notes}",
            }
            new.append("\t".join(str(row[c]) for c in truth.COLUMNS))
    with open(tsv, "w") as f:
        f.write("\n".join([header] + kept + new) + "\n")
    for p in problems:
        print("mss_truth.py: WARNING " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
