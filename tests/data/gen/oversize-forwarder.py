#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A user-space IPv4 router that forwards TCP super-segments without cutting them to the MTU.

Used by make-problem-captures.sh (scenario "oversize") as the device between the server and the
client that "did not segment":

  server pb-srv (veth, TSO on) ---- pr-srv  [this program]  tap pb-cli = the client's NIC

It reads frames from the server side with an AF_PACKET socket on pr-srv (a veth: the server's
TSO/GSO super-segments arrive there whole, up to 64 KB) and hands them to the client through a
tap device, the client's network interface (MTU 1500), as a hypervisor's virtual switch feeds a
VM's virtio NIC. Like any router it decrements the TTL, and like any device that puts a frame on
a link it emits finished checksums (IPv4 header and TCP): there is no "checksum left to the NIC"
on a real wire. What it does not do is what a router or a NIC must do with a frame larger than the
next link's MTU: cut it (TSO) or drop it and say so (ICMP). The tap's virtio header marks the big
frames as GSO (gso_size = --mss), which is how a virtual NIC accepts a frame larger than its MTU;
the client's stack verifies the checksum itself (no "checksum valid" flag is passed), so a
wrong checksum here would stall the transfer instead of going unnoticed.

Frames from the client (read from the tap) get the same treatment towards the server: TTL - 1,
checksums finished (the client leaves them to its virtual NIC), Ethernet addresses rewritten.
Only IPv4 between the two given subnets is forwarded; ARP on the server side is answered by the
router namespace's kernel (it has the gateway address, ip_forward off), the client has a static
neighbour entry for the gateway's MAC (--gw-mac).

The tap is created in the client's network namespace (--client-netns): the program opens the
AF_PACKET socket in its own namespace first, then enters the client's to create the tap.
Prints "ready" once both are open, then "forwarded N oversized frames" on SIGTERM/SIGINT.
"""
import argparse
import array
import ctypes
import fcntl
import os
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
TUN_F_CSUM = 0x01
VNET_HDR = struct.Struct("<BBHHHH")  # flags, gso_type, hdr_len, gso_size, csum_start, csum_offset
VIRTIO_NET_HDR_GSO_TCPV4 = 1


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ones_sum(data):
    """RFC 1071 sum of data, in the host's byte order (the sum is byte-order independent up to a swap)."""
    if len(data) % 2:
        data = data + b"\0"
    s = sum(array.array("H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def finish_checksums(frame):
    """Decrement the TTL and write correct IPv4 header and TCP checksums. None if not IPv4 TCP/other."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return None
    ip = 14
    ihl = (frame[ip] & 0x0F) * 4
    total = struct.unpack_from("!H", frame, ip + 2)[0]
    if frame[ip + 8] <= 1 or total < ihl or ip + total > len(frame):
        return None
    frame[ip + 8] -= 1
    struct.pack_into("!H", frame, ip + 10, 0)
    struct.pack_into("=H", frame, ip + 10, ~ones_sum(bytes(frame[ip:ip + ihl])) & 0xFFFF)
    if frame[ip + 9] == 6:
        tcp = ip + ihl
        seglen = total - ihl
        struct.pack_into("!H", frame, tcp + 16, 0)
        pseudo = bytes(frame[ip + 12:ip + 20]) + struct.pack("!BBH", 0, 6, seglen)
        struct.pack_into("=H", frame, tcp + 16, ~ones_sum(pseudo + bytes(frame[tcp:tcp + seglen])) & 0xFFFF)
    return ip, ihl, total


def in_subnet(frame, off, net, bits):
    return struct.unpack_from("!I", frame, off)[0] >> (32 - bits) == net >> (32 - bits)


def parse_net(text):
    addr, bits = text.split("/")
    return struct.unpack("!I", socket.inet_aton(addr))[0], int(bits)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server_if", help="the router's port towards the server (a veth in this namespace)")
    ap.add_argument("tap", help="name of the tap to create in the client namespace (the client's NIC)")
    ap.add_argument("--client-netns", required=True, help="path, e.g. /run/netns/problems-cli")
    ap.add_argument("--client-net", required=True, help="e.g. 192.0.2.0/24")
    ap.add_argument("--server-net", required=True, help="e.g. 198.51.100.0/24")
    ap.add_argument("--client-mac", required=True, help="MAC address the script gives the tap")
    ap.add_argument("--gw-mac", required=True, help="MAC of the gateway as the client sees it")
    ap.add_argument("--server-mac", required=True)
    ap.add_argument("--router-mac", required=True, help="MAC of server_if")
    ap.add_argument("--mss", type=int, required=True, help="gso_size of frames longer than the MTU")
    a = ap.parse_args()
    cli_net, srv_net = parse_net(a.client_net), parse_net(a.server_net)

    srv = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    srv.bind((a.server_if, 0))
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    libc = ctypes.CDLL(None, use_errno=True)
    with open(a.client_netns) as ns:
        if libc.setns(ns.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + a.client_netns)
    tap = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", a.tap.encode(), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    # The client may leave its checksums to this "NIC" (as a VM leaves them to virtio): its own frames
    # are captured unfinished, as on any host with checksum offload.
    fcntl.ioctl(tap, TUNSETOFFLOAD, TUN_F_CSUM)

    oversized = 0

    def stop(*_):
        print(f"forwarded {oversized} oversized frames", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([srv, tap], [], [])
        if srv in ready:
            frame, addr = srv.recvfrom(1 << 18)
            if addr[2] != PACKET_OUTGOING and len(frame) >= 34 and in_subnet(frame, 30, *cli_net):
                frame = bytearray(frame)
                r = finish_checksums(frame)
                if r:
                    ip, ihl, total = r
                    frame[0:12] = mac(a.client_mac) + mac(a.gw_mac)
                    hdr = VNET_HDR.pack(0, 0, 0, 0, 0, 0)
                    if frame[ip + 9] == 6:
                        tcp = ip + ihl
                        hlen = tcp + (frame[tcp + 12] >> 4) * 4
                        if total - (hlen - ip) > a.mss:
                            hdr = VNET_HDR.pack(0, VIRTIO_NET_HDR_GSO_TCPV4, hlen, a.mss, 0, 0)
                            oversized += 1
                    os.write(tap, hdr + bytes(frame[:ip + total]))
        if tap in ready:
            data = os.read(tap, 1 << 17)
            frame = bytearray(data[VNET_HDR.size:])
            if len(frame) >= 34 and in_subnet(frame, 30, *srv_net):
                r = finish_checksums(frame)
                if r:
                    ip, _ihl, total = r
                    frame[0:12] = mac(a.server_mac) + mac(a.router_mac)
                    srv.send(bytes(frame[:ip + total]))


if __name__ == "__main__":
    sys.exit(main())
