// SPDX-License-Identifier: GPL-3.0-or-later
// Tunnels and mirrors carried in IP: GRE (keys, sequence numbers, PPTP), ERSPAN I/II/III, Aruba 802.11 in
// GRE, EtherIP, and the UDP tunnels VXLAN, VXLAN-GPE, Geneve, GRE-in-UDP, MPLS-in-UDP, GTP-U, CAPWAP data,
// AYIYA, Teredo and LISP (on their ports; VXLAN and Geneve also on others when the payload parses).
#include "decoderinternal.h"

namespace ol::detail {
namespace {

constexpr int MaxGtpExtensions = 8;

// UDP ports of tunnel protocols that we recognise but do not decode: named in the report, so that a user
// knows TCP may be hiding there.
bool isUndecodedTunnelPort(std::uint16_t port)
{
    switch (port) {
    case 1701: // L2TP
    case 4500: // IPsec NAT traversal (ESP: encrypted)
    case 5246: // CAPWAP control
    case 1194: // OpenVPN (encrypted)
    case 51820: // WireGuard (encrypted)
        return true;
    default:
        return false;
    }
}

void decodeErspan2(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "ERSPAN header not captured", "ERSPAN header longer than the packet");
    const std::uint8_t *e = c.base + off;
    out.encap.push(EncapKind::Erspan2, be16(e + 2) & 0x3ffu);
    out.mirrored = true;
    if (e[2] & 0x04)
        out.mirrorTruncated = true; // T bit: the session cut the frame to its MTU
    decodeEthernet(c, off + 8, out);
}

void decodeErspan3(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 12 > c.caplen)
        return shortHeader(c, off + 12, out, "ERSPAN header not captured", "ERSPAN header longer than the packet");
    const std::uint8_t *e = c.base + off;
    out.encap.push(EncapKind::Erspan3, be16(e + 2) & 0x3ffu);
    out.mirrored = true;
    if (e[2] & 0x04)
        out.mirrorTruncated = true;
    std::uint32_t hl = 12;
    if (e[11] & 0x01)
        hl += 8; // O bit: a platform-specific subheader follows
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "ERSPAN subheader not captured",
                           "ERSPAN subheader longer than the packet");
    const int frameType = (e[10] >> 2) & 0x1f;
    if (frameType == 0)
        return decodeEthernet(c, off + hl, out);
    if (frameType == 2)
        return decodeIp(c, off + hl, out);
    unknown(out, DecodeStatus::NotIp, UnknownEncap::GreProtocol, 0x22EB);
}

// A VXLAN header (RFC 7348) at off; strict enough to recognise it on any port.
bool looksLikeVxlan(const Cursor &c, std::uint32_t off)
{
    if (off + 8 + 14 + 20 > c.caplen)
        return false;
    const std::uint8_t *v = c.base + off;
    if (v[0] != 0x08 || v[1] || v[2] || v[3] || v[7])
        return false;
    const std::uint16_t type = be16(v + 8 + 12);
    const int version = v[8 + 14] >> 4;
    return (type == EtherIpv4 && version == 4) || (type == EtherIpv6 && version == 6);
}

bool looksLikeGeneve(const Cursor &c, std::uint32_t off)
{
    if (off + 8 + 14 + 20 > c.caplen)
        return false;
    const std::uint8_t *g = c.base + off;
    if ((g[0] >> 6) != 0 || (g[1] & 0x3f) || g[7] || be16(g + 2) != 0x6558)
        return false;
    const std::uint32_t inner = off + 8 + std::uint32_t(g[0] & 0x3f) * 4;
    if (inner + 14 + 20 > c.caplen)
        return false;
    const std::uint16_t type = be16(c.base + inner + 12);
    const int version = c.base[inner + 14] >> 4;
    return (type == EtherIpv4 && version == 4) || (type == EtherIpv6 && version == 6);
}

void decodeVxlan(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "VXLAN header not captured", "VXLAN header longer than the packet");
    const std::uint8_t *v = c.base + off;
    if (!(v[0] & 0x08))
        return fail(out, DecodeStatus::NotTcp, nullptr); // no valid VNI: not VXLAN after all
    out.encap.push(EncapKind::Vxlan, be32(v + 4) >> 8);
    decodeEthernet(c, off + 8, out);
}

void decodeVxlanGpe(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "VXLAN-GPE header not captured", "VXLAN-GPE header longer than the packet");
    const std::uint8_t *v = c.base + off;
    out.encap.push(EncapKind::VxlanGpe, be32(v + 4) >> 8);
    switch (v[3]) { // next protocol
    case 1:
    case 2:
        return decodeIp(c, off + 8, out);
    case 3:
        return decodeEthernet(c, off + 8, out);
    case 5:
        return decodeMpls(c, off + 8, out);
    default:
        return unknown(out, DecodeStatus::NotTcp, UnknownEncap::UdpPort, 4790);
    }
}

void decodeGeneve(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "Geneve header not captured", "Geneve header longer than the packet");
    const std::uint8_t *g = c.base + off;
    if ((g[0] >> 6) != 0)
        return fail(out, DecodeStatus::Malformed, "Geneve header with an unknown version");
    const std::uint32_t hl = 8 + std::uint32_t(g[0] & 0x3f) * 4; // options length in 4-byte words
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "Geneve options not captured", "Geneve options longer than the packet");
    out.encap.push(EncapKind::Geneve, be32(g + 4) >> 8);
    const std::uint16_t proto = be16(g + 2);
    if (proto == 0x6558)
        return decodeEthernet(c, off + hl, out);
    decodeEthertypeValue(c, proto, off + hl, out);
}

void decodeGtpU(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "GTP-U header not captured", "GTP-U header longer than the packet");
    const std::uint8_t *g = c.base + off;
    if ((g[0] >> 5) != 1 || !(g[0] & 0x10))
        return fail(out, DecodeStatus::NotTcp, nullptr); // not GTPv1 user plane
    if (g[1] != 0xFF)
        return fail(out, DecodeStatus::NotTcp, nullptr); // echo, error indication, ...: no user packet
    out.encap.push(EncapKind::GtpU, be32(g + 4));
    std::uint32_t pos = off + 8;
    if (g[0] & 0x07) { // sequence number, N-PDU number or extension flag: 4 optional bytes
        if (pos + 4 > c.caplen)
            return shortHeader(c, pos + 4, out, "GTP-U header not captured", "GTP-U header longer than the packet");
        std::uint8_t next = c.base[pos + 3];
        pos += 4;
        for (int n = 0; next && (g[0] & 0x04); ++n) {
            if (n >= MaxGtpExtensions)
                return fail(out, DecodeStatus::Malformed, "GTP-U extension header chain too long");
            if (pos + 1 > c.caplen)
                return shortHeader(c, pos + 1, out, "GTP-U extension not captured", "GTP-U extension past the packet");
            const std::uint32_t len = std::uint32_t(c.base[pos]) * 4;
            if (len == 0)
                return fail(out, DecodeStatus::Malformed, "GTP-U extension header of length 0");
            if (pos + len > c.caplen)
                return shortHeader(c, pos + len, out, "GTP-U extension not captured",
                                   "GTP-U extension past the packet");
            next = c.base[pos + len - 1];
            pos += len;
        }
    }
    decodeIp(c, pos, out);
}

void decodeCapwapData(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "CAPWAP header not captured", "CAPWAP header longer than the packet");
    const std::uint8_t *p = c.base + off;
    if (p[0] != 0) // version 0, type 0; type 1 is a DTLS-encrypted packet
        return unknown(out, DecodeStatus::NotTcp, UnknownEncap::CapwapFormat, p[0]);
    const std::uint32_t w = be32(p);
    const std::uint32_t hl = ((w >> 19) & 0x1f) * 4;
    const std::uint32_t wbid = (w >> 9) & 0x1f;
    const bool native = (w >> 8) & 1; // T: the payload is in the binding's native format (802.11)
    const bool fragment = (w >> 7) & 1;
    if (hl < 8)
        return fail(out, DecodeStatus::Malformed, "CAPWAP header length below 8 bytes");
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "CAPWAP header not captured", "CAPWAP header longer than the packet");
    out.encap.push(EncapKind::Capwap);
    if (fragment)
        return fail(out, DecodeStatus::Fragment, nullptr);
    if (!native)
        return decodeEthernet(c, off + hl, out);
    if (wbid == 1) {
        // Cisco controllers send the frame control field byte-swapped (Wireshark's "swap frame control"
        // preference, on by default): the type bits of a data frame then sit in the second byte.
        bool swapped = false;
        if (off + hl + 2 <= c.caplen) {
            const std::uint8_t b0 = c.base[off + hl], b1 = c.base[off + hl + 1];
            swapped = ((b0 >> 2) & 3) != 2 && ((b1 >> 2) & 3) == 2 && (b1 & 3) == 0;
        }
        return decodeWlan(c, off + hl, out, swapped);
    }
    unknown(out, DecodeStatus::NotTcp, UnknownEncap::CapwapFormat, 0x100 | wbid);
}

void decodeAyiya(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "AYIYA header not captured", "AYIYA header longer than the packet");
    const std::uint8_t *a = c.base + off;
    // Identity length is 2^n bytes, signature length n 4-byte words; opcode 1 forwards a packet.
    const std::uint32_t idLen = 1u << (a[0] >> 4);
    const std::uint32_t sigLen = std::uint32_t(a[1] >> 4) * 4;
    const int opcode = a[2] & 0x0f;
    const std::uint8_t next = a[3];
    const std::uint32_t hl = 8 + idLen + sigLen;
    if (opcode != 1 || (next != 41 && next != 4))
        return fail(out, DecodeStatus::NotTcp, nullptr);
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "AYIYA header not captured", "AYIYA header longer than the packet");
    out.encap.push(EncapKind::Ayiya);
    decodeIp(c, off + hl, out);
}

void decodeTeredo(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    std::uint32_t pos = off;
    // Optional authentication indicator (0x0001) and origin indication (0x0000) before the IPv6 packet.
    if (pos + 4 <= c.caplen && be16(c.base + pos) == 0x0001) {
        const std::uint32_t idLen = c.base[pos + 2], authLen = c.base[pos + 3];
        pos += 4 + idLen + authLen + 9;
    }
    if (pos + 8 <= c.caplen && be16(c.base + pos) == 0x0000)
        pos += 8;
    if (pos + 40 > c.caplen || (c.base[pos] >> 4) != 6)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    out.encap.push(EncapKind::Teredo);
    decodeIp(c, pos, out);
}

// UDP ports that name a tunnel protocol, and the same protocols recognised by their header elsewhere.
void decodeUdpTunnel(Cursor &c, std::uint16_t port, std::uint32_t off, DecodedPacket &out)
{
    switch (port) {
    case 4789: // VXLAN
    case 8472: // VXLAN on the Linux kernel's historic port
        return decodeVxlan(c, off, out);
    case 4790:
        return decodeVxlanGpe(c, off, out);
    case 6081:
        return decodeGeneve(c, off, out);
    case 4754: // GRE-in-UDP (RFC 8086)
        return decodeGre(c, off, out);
    case 6635: // MPLS-in-UDP (RFC 7510)
        return decodeMpls(c, off, out);
    case 2152:
        return decodeGtpU(c, off, out);
    case 5247:
        return decodeCapwapData(c, off, out);
    case 5072:
        return decodeAyiya(c, off, out);
    case 3544:
        return decodeTeredo(c, off, out);
    case 4341: // LISP data plane: an 8-byte header, then IP
        if (off + 8 > c.caplen)
            return shortHeader(c, off + 8, out, "LISP header not captured", "LISP header longer than the packet");
        out.encap.push(EncapKind::Lisp);
        return decodeIp(c, off + 8, out);
    default:
        return fail(out, DecodeStatus::NotTcp, nullptr);
    }
}

bool isDecodedTunnelPort(std::uint16_t port)
{
    switch (port) {
    case 4789:
    case 8472:
    case 4790:
    case 6081:
    case 4754:
    case 6635:
    case 2152:
    case 5247:
    case 5072:
    case 3544:
    case 4341:
        return true;
    default:
        return false;
    }
}

} // namespace

void decodeGre(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 4 > c.caplen)
        return shortHeader(c, off + 4, out, "GRE header not captured", "GRE header cut short by the packet end");
    const std::uint8_t *g = c.base + off;
    const std::uint16_t flags = be16(g);
    const std::uint16_t proto = be16(g + 2);
    const int version = flags & 0x7;
    std::uint32_t hl = 4;
    std::uint32_t key = Encapsulation::NoValue;
    std::uint32_t keyOff = 0;
    if (version == 0) {
        if (flags & 0x4000) // source routing (RFC 1701, obsolete): not decoded
            return unknown(out, DecodeStatus::NotTcp, UnknownEncap::GreVersion, flags);
        if (flags & 0x8000)
            hl += 4; // checksum + reserved
        if (flags & 0x2000) {
            keyOff = hl;
            hl += 4;
        }
        if (flags & 0x1000)
            hl += 4; // sequence number
    } else if (version == 1) { // PPTP enhanced GRE (RFC 2637): key carries payload length + call id
        hl = 8;
        if (flags & 0x1000)
            hl += 4;
        if (flags & 0x0080)
            hl += 4; // acknowledgment number
    } else {
        return unknown(out, DecodeStatus::NotTcp, UnknownEncap::GreVersion, flags);
    }
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "GRE header not captured", "GRE header cut short by the packet end");
    if (keyOff)
        key = be32(g + keyOff);
    out.encap.push(EncapKind::Gre, key);
    const std::uint32_t next = off + hl;
    switch (proto) {
    case EtherIpv4:
    case EtherIpv6:
        return decodeIp(c, next, out);
    case 0x6558: // transparent Ethernet bridging: gretap, or a remote mirror
        return decodeEthernet(c, next, out);
    case 0x88BE: // ERSPAN type II has a sequence number; type I has neither it nor a header
        if (flags & 0x1000)
            return decodeErspan2(c, next, out);
        out.encap.push(EncapKind::Erspan1);
        out.mirrored = true;
        return decodeEthernet(c, next, out);
    case 0x22EB:
        return decodeErspan3(c, next, out);
    case 0x8847:
    case 0x8848:
        return decodeMpls(c, next, out);
    case 0x880B: // PPP (PPTP)
        return decodePpp(c, next, out);
    default:
        break;
    }
    if (proto >= 0x8200 && proto <= 0x83FF) // Aruba access point to controller: raw 802.11 frames
        return decodeWlan(c, next, out);
    unknown(out, DecodeStatus::NotTcp, UnknownEncap::GreProtocol, proto);
}

void decodeEtherIp(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 2 > c.caplen)
        return shortHeader(c, off + 2, out, "EtherIP header not captured", "EtherIP header longer than the packet");
    if ((c.base[off] >> 4) != 3) // RFC 3378: version 3
        return unknown(out, DecodeStatus::NotTcp, UnknownEncap::IpProtocol, 97);
    out.encap.push(EncapKind::EtherIp);
    decodeEthernet(c, off + 2, out);
}

void decodeUdp(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out)
{
    if (off + 8 > c.caplen || len < 8)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint8_t *u = c.base + off;
    const std::uint16_t sport = be16(u), dport = be16(u + 2);
    const std::uint32_t payload = off + 8;
    std::uint16_t port = 0;
    if (isDecodedTunnelPort(dport))
        port = dport;
    else if (isDecodedTunnelPort(sport) && sport != 3544) // Teredo servers answer from 3544 too
        port = sport;
    if (port == 0) {
        if (isUndecodedTunnelPort(dport) || isUndecodedTunnelPort(sport))
            return unknown(out, DecodeStatus::NotTcp, UnknownEncap::UdpPort,
                           isUndecodedTunnelPort(dport) ? dport : sport);
        if (sport == 53 || dport == 53)
            return fail(out, DecodeStatus::NotTcp, nullptr);
        // VXLAN and Geneve on another port: only when the header and the frame inside it parse.
        if (looksLikeVxlan(c, payload))
            port = 4789;
        else if (looksLikeGeneve(c, payload))
            port = 6081;
        else
            return fail(out, DecodeStatus::NotTcp, nullptr);
        out.encap.push(EncapKind::Udp, dport);
    } else {
        out.encap.push(EncapKind::Udp);
    }
    if (!enter(c, out))
        return;
    // The UDP payload is the tunnel; the IP header around it is the outer one.
    passIntoTunnel(c, out);
    decodeUdpTunnel(c, port, payload, out);
}

} // namespace ol::detail
