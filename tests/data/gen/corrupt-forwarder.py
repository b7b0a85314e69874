#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A two-port user-space Ethernet forwarder that corrupts a few TCP payload bytes on the way.

Used by make-problem-captures.sh in the router namespace (ip_forward off, no addresses): it
copies every frame between two interfaces with AF_PACKET sockets, like a dumb switch, and in
the data frames sent from the server port it flips one payload byte of chosen frames:

  --bad N[,N...]     flip a byte and leave the TCP checksum as it was: the receiver sees a
                     checksum error, drops the frame and the sender retransmits (visible as
                     "bad checksum received" at the receiver)
  --silent N[,N...]  flip a byte and fix the TCP checksum (RFC 1624 incremental update):
                     the corruption is delivered to the application; only a comparison of
                     the payload at the two capture points can see it

N counts data frames (TCP payload > 0) from the server port, 1-based, retransmissions
included (so a retransmission of a corrupted frame passes untouched).  Every corrupted frame is
printed as "<kind> n=<N> seq=<raw seq> offset=<byte offset in payload>" to stdout, the
truth the test compares with.  Runs until killed.
"""
import argparse
import select
import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    return s


def csum_fix(old_csum, old_word, new_word):
    # RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
    s = (~old_csum & 0xFFFF) + (~old_word & 0xFFFF) + new_word
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_payload(frame, server_port):
    """(tcp_offset, payload_offset, payload_len, seq) of an IPv4 TCP data frame from server_port."""
    if len(frame) < 14 + 20 or struct.unpack_from("!H", frame, 12)[0] != 0x0800:
        return None
    ip = 14
    ihl = (frame[ip] & 0x0F) * 4
    if frame[ip + 9] != 6:
        return None
    total = struct.unpack_from("!H", frame, ip + 2)[0]
    tcp = ip + ihl
    sport, _dport, seq = struct.unpack_from("!HHI", frame, tcp)
    if sport != server_port:
        return None
    doff = (frame[tcp + 12] >> 4) * 4
    pay = tcp + doff
    plen = total - ihl - doff
    if plen <= 0 or pay + plen > len(frame):
        return None
    return tcp, pay, plen, seq


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server_if")
    ap.add_argument("client_if")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bad", default="")
    ap.add_argument("--silent", default="")
    a = ap.parse_args()
    bad = {int(x) for x in a.bad.split(",") if x}
    silent = {int(x) for x in a.silent.split(",") if x}
    srv, cli = open_port(a.server_if), open_port(a.client_if)
    peer = {srv: cli, cli: srv}
    data_frames = 0
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([srv, cli], [], [])
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:   # our own transmissions on that port
                continue
            if s is srv:
                tp = tcp_payload(frame, a.port)
                if tp:
                    data_frames += 1
                    n = data_frames
                    if n in bad or n in silent:
                        tcp, pay, plen, seq = tp
                        off = (plen // 2) & ~1          # an even offset: one 16-bit word changes
                        frame = bytearray(frame)
                        old_word = struct.unpack_from("!H", frame, pay + off)[0]
                        frame[pay + off] ^= 0x20
                        if n in silent:
                            new_word = struct.unpack_from("!H", frame, pay + off)[0]
                            old_csum = struct.unpack_from("!H", frame, tcp + 16)[0]
                            struct.pack_into("!H", frame, tcp + 16, csum_fix(old_csum, old_word, new_word))
                        kind = "silent" if n in silent else "bad"
                        print(f"{kind} n={n} seq={seq} offset={off}", flush=True)
                        frame = bytes(frame)
            peer[s].send(frame)


if __name__ == "__main__":
    sys.exit(main())
