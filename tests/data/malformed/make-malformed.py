#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the malformed-capture fixtures of tests/tst_malformed.cpp (one small file per damage).
"""Write the malformed-capture catalogue into the directory of this script.

Every file is deterministic (fixed timestamps and addresses from the documentation ranges), so running
the script again gives byte-identical files. Files that damage one packet keep good packets around it:
packet 1 good, packet 2 damaged, packet 3 good, so that a test can check both "N packets read" and
"the warning names packet 2". The two large scenarios (100,000 connections, 1,000 handshakes on one
4-tuple) are built by the test itself with tests/testutil.h rather than committed.

Usage: tests/data/malformed/make-malformed.py [OUTPUT_DIR]
"""
import os
import struct
import sys

CLIENT4 = bytes([192, 0, 2, 1])
SERVER4 = bytes([198, 51, 100, 2])
CLIENT6 = bytes.fromhex("20010db8000100000000000000000001")
SERVER6 = bytes.fromhex("20010db8000200000000000000000002")
BASE_SEC = 1700000000


# --- frames ---------------------------------------------------------------------------------------
def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp(sport=40000, dport=80, seq=1000, ack=0, flags=0x10, window=65535, options=b"", payload=b"",
        data_offset=None):
    hl = 20 + len(options)
    off = (hl // 4) if data_offset is None else data_offset
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, window, 0, 0) + options + payload


def ipv4(l4, proto=6, src=CLIENT4, dst=SERVER4, ihl=5, total=None, ident=1, ttl=64, options=b""):
    hl = 20 + len(options)
    tot = hl + len(l4) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, ident, 0x4000, ttl, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + l4


def ipv6(next_header, rest, src=CLIENT6, dst=SERVER6, plen=None, hop=64):
    pl = len(rest) if plen is None else plen
    return struct.pack("!IHBB16s16s", 6 << 28, pl, next_header, hop, src, dst) + rest


def eth(l3, ethertype=0x0800):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + struct.pack("!H", ethertype) + l3


def good(seq=1000, flags=0x18, payload=b"0123456789", **kw):
    return eth(ipv4(tcp(seq=seq, flags=flags, payload=payload, **kw)))


# --- pcap -----------------------------------------------------------------------------------------
def pcap_header(snaplen=262144, link=1, magic=0xA1B2C3D4, major=2, minor=4):
    return struct.pack("<IHHiIII", magic, major, minor, 0, 0, snaplen, link)


def record(frame, sec, usec=0, caplen=None, origlen=None):
    cl = len(frame) if caplen is None else caplen
    ol = len(frame) if origlen is None else origlen
    return struct.pack("<IIII", sec, usec, cl, ol) + frame


def pcap(frames, snaplen=262144, link=1):
    """frames: list of bytes, or of (bytes, dict of record() keyword arguments)."""
    out = pcap_header(snaplen, link)
    for i, f in enumerate(frames):
        kw = {}
        if isinstance(f, tuple):
            f, kw = f
        kw.setdefault("sec", BASE_SEC + i)
        out += record(f, **kw)
    return out


def three(bad, **recordkw):
    """Good packet, the damaged one, good packet: one connection's data in sequence."""
    return pcap([good(1000), (bad, recordkw) if recordkw else bad, good(1010)])


# --- pcapng ---------------------------------------------------------------------------------------
def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(link=1, snaplen=262144):
    # if_tsresol = 9 (nanoseconds), then opt_endofopt
    opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    return block(1, struct.pack("<HHI", link, 0, snaplen) + opts)


def epb(frame, t_ns, iface=0, flags=None):
    body = struct.pack("<IIIII", iface, t_ns >> 32, t_ns & 0xFFFFFFFF, len(frame), len(frame))
    body += frame + b"\0" * (-len(frame) % 4)
    if flags is not None:
        body += struct.pack("<HHI", 2, 4, flags) + struct.pack("<HH", 0, 0)
    return block(6, body)


def ns(i):
    return (BASE_SEC + i) * 1000000000


# --- the catalogue --------------------------------------------------------------------------------
def catalogue():
    files = {}

    # Capture-file level damage.
    files["empty.pcap"] = b""
    files["bad-magic.pcap"] = b"GIF89a\x01\x00\x01\x00" + b"\0" * 30
    files["truncated-global-header.pcap"] = pcap_header()[:14]
    files["truncated-record-header.pcap"] = pcap([good(1000), good(1010), good(1020)]) + record(good(1030), 0)[:9]
    files["truncated-record-body.pcap"] = pcap([good(1000), good(1010), good(1020)]) + \
        record(good(1030), BASE_SEC + 3)[:16 + 30]
    # snaplen 96: the second record claims 200 captured bytes (libpcap reads 96 of them and skips the rest).
    big = eth(ipv4(tcp(seq=1010, flags=0x18, payload=b"y" * 146)))
    files["caplen-above-snaplen.pcap"] = pcap([good(1000), big, good(1156)], snaplen=96)
    # The record says 4 bytes fewer were on the wire than it captured.
    g = good(1010)
    files["caplen-above-len.pcap"] = three(g, origlen=len(g) - 4)
    # A 4 GB frame length on a TSO frame with IP total length 0 would make a 4 GB payload if trusted.
    tso = eth(ipv4(tcp(seq=1010, flags=0x18, payload=b"z" * 100), total=0))
    files["absurd-len.pcap"] = three(tso, origlen=0xFFFFFFF0)
    # An absurd length on an ordinary frame: the IP header says what the packet is, the warning remains.
    files["absurd-len-ordinary-frame.pcap"] = three(good(1010), origlen=300000)
    files["time-backwards.pcap"] = pcap([(good(1000), {"sec": BASE_SEC + 10}), (good(1010), {"sec": BASE_SEC + 5}),
                                         (good(1020), {"sec": BASE_SEC + 11})])

    # A 32-bit seconds field libpcap reads as signed: 0xFFFFFFF0 is 16 s before 1970.
    files["timestamp-before-1970.pcap"] = three(good(1010), sec=0xFFFFFFF0)

    # pcapng.
    pk = [good(1000), good(1010), good(1020), good(1030)]
    ng_ok = shb() + idb() + b"".join(epb(f, ns(i), flags=1 if i % 2 else 2) for i, f in enumerate(pk))
    files["pcapng-baseline.pcapng"] = ng_ok
    # A 64-bit nanosecond timestamp in the year 2262: more seconds than 32 bits hold.
    files["pcapng-timestamp-beyond-2106.pcapng"] = shb() + idb() + epb(pk[0], ns(0)) + \
        epb(pk[1], (1 << 63) - 1) + epb(pk[2], ns(2))
    # Third EPB: the block length at the head is 13 (not a multiple of 4) and disagrees with its trailer.
    bad3 = bytearray(epb(pk[2], ns(2)))
    bad3[4:8] = struct.pack("<I", 13)
    files["pcapng-bad-block-length.pcapng"] = shb() + idb() + epb(pk[0], ns(0)) + epb(pk[1], ns(1)) + bytes(bad3) + \
        epb(pk[3], ns(3))
    # A block length of 4 GB - 4 (and a multiple of 4) in the middle: nothing may be allocated from it.
    huge = bytearray(epb(pk[2], ns(2)))
    huge[4:8] = struct.pack("<I", 0xFFFFFFFC)
    files["pcapng-huge-block-length.pcapng"] = shb() + idb() + epb(pk[0], ns(0)) + epb(pk[1], ns(1)) + bytes(huge)
    # Unknown and custom block types between the packets are skipped; the direction flags stay in step.
    files["pcapng-unknown-blocks.pcapng"] = shb() + block(0x0BADCAFE, b"skip me") + idb() + \
        epb(pk[0], ns(0), flags=1) + block(0x00000BAD, b"\1\2\3\4\5\6\7\x08") + epb(pk[1], ns(1), flags=2) + \
        block(0x40000BAD, struct.pack("<I", 32473) + b"custom") + epb(pk[2], ns(2), flags=1) + \
        block(0x80000BAD, b"") + epb(pk[3], ns(3), flags=2)
    # An Enhanced Packet Block before any Interface Description Block.
    files["pcapng-no-interface-block.pcapng"] = shb() + epb(pk[0], ns(0)) + epb(pk[1], ns(1))
    # An EPB naming interface 5 of a file that describes only interface 0, after two good packets.
    files["pcapng-bad-interface-id.pcapng"] = shb() + idb() + epb(pk[0], ns(0)) + epb(pk[1], ns(1)) + \
        epb(pk[2], ns(2), iface=5) + epb(pk[3], ns(3))

    # IPv4.
    files["ipv4-ihl-below-5.pcap"] = three(eth(ipv4(tcp(seq=1010, payload=b"abc"), ihl=3)))
    files["ipv4-ihl-beyond-caplen.pcap"] = three(eth(ipv4(b"", ihl=15, total=60))[:14 + 24])
    files["ipv4-total-length-below-header.pcap"] = three(eth(ipv4(tcp(seq=1010, payload=b"abc"), total=11)))
    files["ipv4-total-length-zero-tso.pcap"] = three(eth(ipv4(tcp(seq=1010, flags=0x18, payload=b"t" * 3000),
                                                               total=0)))

    # IPv6 extension headers.
    t6 = tcp(seq=1010, payload=b"six")

    def dest_opts(nxt, body_len8=0):  # Destination Options header, (body_len8 + 1) * 8 bytes, Pad1 filled
        n = (body_len8 + 1) * 8
        return struct.pack("!BB", nxt, body_len8) + b"\0" * (n - 2)
    chain = b"".join(dest_opts(60) for _ in range(40))  # every header says another Destination Options follows
    files["ipv6-extension-header-loop.pcap"] = pcap([eth(ipv6(6, tcp(seq=1000, payload=b"0123456789")), 0x86DD),
                                                     eth(ipv6(60, chain + t6), 0x86DD),
                                                     eth(ipv6(6, tcp(seq=1010, payload=b"0123456789")), 0x86DD)])
    past = dest_opts(6, body_len8=200)[:16]  # claims 1,608 bytes, 16 are there
    files["ipv6-extension-header-past-packet.pcap"] = pcap([
        eth(ipv6(6, tcp(seq=1000, payload=b"0123456789")), 0x86DD),
        eth(ipv6(60, past, plen=1608 + 20), 0x86DD),
        eth(ipv6(6, tcp(seq=1010, payload=b"0123456789")), 0x86DD)])
    longer = dest_opts(6, body_len8=3) + t6  # a 32-byte header inside a payload that says 16
    files["ipv6-extension-header-past-payload-length.pcap"] = pcap([
        eth(ipv6(6, tcp(seq=1000, payload=b"0123456789")), 0x86DD),
        eth(ipv6(60, longer, plen=16), 0x86DD),
        eth(ipv6(6, tcp(seq=1010, payload=b"0123456789")), 0x86DD)])

    # TCP header and options.
    files["tcp-data-offset-below-5.pcap"] = three(eth(ipv4(tcp(seq=1010, payload=b"abc", data_offset=3))))
    files["tcp-data-offset-beyond-packet.pcap"] = three(eth(ipv4(tcp(seq=1010, payload=b"abc", data_offset=15))))
    files["tcp-option-length-0.pcap"] = three(good(1010, options=b"\x01\x01\x08\x00"))
    files["tcp-option-length-1.pcap"] = three(good(1010, options=b"\x01\x01\x05\x01"))
    files["tcp-option-past-header.pcap"] = three(good(1010, options=b"\x01\x01\x08\x0a\x00\x00\x00\x01"))
    mss = lambda v: struct.pack("!BBH", 2, 4, v)
    files["syn-two-mss.pcap"] = pcap([
        eth(ipv4(tcp(seq=999, flags=0x02, options=mss(1460) + mss(9000)))),
        eth(ipv4(tcp(sport=80, dport=40000, seq=5000, ack=1000, flags=0x12, options=mss(1460)), src=SERVER4,
                 dst=CLIENT4)),
        eth(ipv4(tcp(seq=1000, ack=5001, flags=0x10)))])
    # Sequence numbers that jump by 2^31 + 16 (more than half the space) and then carry on from there.
    files["seq-jump-over-2g.pcap"] = pcap([good(1000), good(1010), good(1010 + 2**31 + 16),
                                           good(1020 + 2**31 + 16), good(1030 + 2**31 + 16)])

    # Encapsulations (issue 11): damage inside the layers around the TCP.
    inner = ipv4(tcp(seq=1010, payload=b"0123456789"), src=bytes([203, 0, 113, 1]), dst=bytes([203, 0, 113, 2]))
    # GRE with key and sequence flags (12-byte header) of which only 6 bytes are in the packet.
    gre_cut = struct.pack("!HH", 0x3000, 0x0800) + b"\x00\x00"
    files["gre-header-cut-short.pcap"] = three(eth(ipv4(gre_cut, proto=47)))
    # Three MPLS labels, none with the bottom-of-stack bit, and then the frame ends.
    no_bottom = b"".join(struct.pack("!I", (label << 12) | 64) for label in (100, 200, 300))
    files["mpls-no-bottom-label.pcap"] = three(eth(no_bottom, 0x8847))

    def wlan(l3):
        # QoS data, ToDS, addresses 1-3, sequence control, QoS control; LLC/SNAP for IPv4.
        hdr = struct.pack("<BBH", 0x88, 0x01, 0) + b"\x02\x00\x00\x00\x00\x01" * 3 + struct.pack("<HH", 0x10, 0)
        return hdr + b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", 0x0800) + l3

    def wgood(seq):
        return wlan(ipv4(tcp(seq=seq, flags=0x18, payload=b"0123456789")))

    files["wlan-shorter-than-header.pcap"] = pcap([wgood(1000), wlan(b"")[:10], wgood(1010)], link=105)

    def radiotap(frame, length=8):
        return struct.pack("<BBHI", 0, 0, length, 0) + frame

    files["radiotap-length-past-frame.pcap"] = pcap(
        [radiotap(wgood(1000)), radiotap(wgood(1010), length=2000), radiotap(wgood(1010))], link=127)
    return files


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in sorted(catalogue().items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%-52s %6d bytes" % (name, len(data)))


if __name__ == "__main__":
    main()
