// SPDX-License-Identifier: GPL-3.0-or-later
// Header decoding, the core path: link-layer entry, Ethernet/VLAN, IPv4/IPv6 and TCP. Encapsulations live in
// decodelink.cpp and decodetunnel.cpp, ICMP in decodeicmp.cpp. No allocation, no exceptions, no virtual
// calls: this runs per packet.
#include "decoder.h"

#include "decoderinternal.h"

#include <pcap/pcap.h>

#include <bit>
#include <cstring>

namespace ol {
namespace {

using namespace detail;

// One's complement sum of a byte range as big-endian 16-bit words, not yet folded. The bulk is summed as
// native 32-bit words (RFC 1071: the sum is the same under byte swapping, so one swap at the end fixes
// the order); that is what keeps verifying the TCP checksum of full-payload captures cheap. Local to this
// file so that the calls for the fixed-size headers and pseudo-headers inline.
std::uint64_t onesSum(const std::uint8_t *p, std::uint32_t len, std::uint64_t sum = 0)
{
    std::uint64_t native = 0;
    while (len >= 16) {
        std::uint64_t w0, w1;
        std::memcpy(&w0, p, 8);
        std::memcpy(&w1, p + 8, 8);
        native += (w0 & 0xffffffffu) + (w0 >> 32) + (w1 & 0xffffffffu) + (w1 >> 32);
        p += 16;
        len -= 16;
    }
    while (native >> 16)
        native = (native & 0xffff) + (native >> 16);
    std::uint16_t folded = static_cast<std::uint16_t>(native);
    if constexpr (std::endian::native == std::endian::little)
        folded = static_cast<std::uint16_t>((folded >> 8) | (folded << 8));
    sum += folded;
    while (len >= 2) {
        sum += be16(p);
        p += 2;
        len -= 2;
    }
    if (len)
        sum += std::uint32_t(p[0]) << 8;
    return sum;
}

constexpr int MaxVlanTags = 4;
constexpr int MaxIpv6ExtensionHeaders = 16;
constexpr std::uint32_t PaddingAllowance = 64; // frame bytes past the IP packet that are still padding/FCS

std::uint16_t fold(std::uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

ChecksumState checkField(std::uint64_t sum, std::uint16_t field)
{
    if (fold(sum) == 0xffff)
        return ChecksumState::Good;
    return field == 0 ? ChecksumState::Zero : ChecksumState::Bad;
}

void parseTcpOptions(const std::uint8_t *p, std::uint32_t len, std::uint32_t capturedLen, TcpOptions &o)
{
    std::uint32_t avail = len < capturedLen ? len : capturedLen;
    if (capturedLen < len)
        o.truncated = true;
    std::uint32_t i = 0;
    while (i < avail) {
        const std::uint8_t kind = p[i];
        if (kind == 0) // end of option list
            break;
        if (kind == 1) { // no-op
            ++i;
            continue;
        }
        if (i + 1 >= avail) {
            if (avail < len)
                o.truncated = true;
            else
                o.malformed = true;
            break;
        }
        const std::uint8_t olen = p[i + 1];
        if (olen < 2) {
            o.malformed = true; // length 0 or 1 would loop forever
            break;
        }
        if (i + olen > avail) {
            if (i + olen > len)
                o.malformed = true;
            else
                o.truncated = true;
            break;
        }
        const std::uint8_t *v = p + i + 2;
        switch (kind) {
        case 2:
            if (olen == 4) {
                ++o.mssCount;
                if (!o.hasMss) { // the first one counts; a second is reported as malformed
                    o.mss = be16(v);
                    o.hasMss = true;
                } else {
                    o.malformed = true;
                }
            }
            break;
        case 3:
            if (olen == 3)
                o.windowScale = static_cast<std::int8_t>(v[0] > 14 ? 14 : v[0]); // RFC 7323 caps at 14
            break;
        case 4:
            if (olen == 2)
                o.sackPermitted = true;
            break;
        case 5: {
            // The blocks are counted, not kept: no analysis reads their edges.
            const int blocks = (olen - 2) / 8;
            o.sackBlockCount = static_cast<std::uint8_t>(blocks < 4 ? blocks : 4);
            break;
        }
        case 8:
            if (olen == 10) {
                o.hasTimestamps = true;
                o.tsVal = be32(v);
                o.tsEcr = be32(v + 4);
            }
            break;
        default:
            break;
        }
        i += olen;
    }
}

// TCP at byte offset off; ipPayloadLen is the TCP segment length according to the IP layer.
void decodeTcp(Cursor &c, std::uint32_t off, std::uint32_t ipPayloadLen, std::uint64_t pseudoSum, bool checksumPossible,
               DecodedPacket &out)
{
    if (off + 20 > c.caplen)
        return fail(out, DecodeStatus::Truncated, "TCP header not captured");
    const std::uint8_t *t = c.base + off;
    const std::uint32_t hl = std::uint32_t(t[12] >> 4) * 4;
    if (hl < 20)
        return fail(out, DecodeStatus::Malformed, "TCP data offset below 5");
    if (hl > ipPayloadLen)
        return fail(out, DecodeStatus::Malformed, "TCP header longer than the IP payload");
    out.srcPort = be16(t);
    out.dstPort = be16(t + 2);
    out.seq = be32(t + 4);
    out.ack = be32(t + 8);
    out.tcpFlags = t[13];
    out.window = be16(t + 14);
    out.tcpHeaderLength = static_cast<std::uint16_t>(hl);
    out.payloadLength = ipPayloadLen - hl;
    const std::uint32_t capturedOptions = c.caplen > off + 20 ? c.caplen - off - 20 : 0;
    parseTcpOptions(t + 20, hl - 20, capturedOptions, out.options);
    // Written as a difference: off + ipPayloadLen can wrap for a Jumbo Payload length near 4 GiB.
    if (checksumPossible && c.verifyTcp && ipPayloadLen <= c.caplen - off)
        out.tcpChecksum = checkField(onesSum(t, ipPayloadLen, pseudoSum), be16(t + 16));
    out.encap.push(EncapKind::Tcp);
    out.status = DecodeStatus::Tcp;
}

// The IP packet's own length against the bytes the frame (or the packet around it) holds. Inside a tunnel
// a shorter frame is a copy that the mirror session or the tunnel cut short: it is judged on the inner
// header's length, as a snaplen-limited capture is.
void judgeLength(const Cursor &c, std::uint32_t claimed, std::uint32_t onWire, DecodedPacket &out)
{
    if (claimed > onWire) {
        if (c.depth > 0 && !out.lengthMismatch)
            out.mirrorTruncated = true;
        else
            out.lengthMismatch = true;
    } else if (onWire - claimed > PaddingAllowance) {
        out.lengthMismatch = true;
    }
}

// One more IP header to look through (see passIntoTunnel), narrowed to the outer IP payload.
Cursor enterTunnel(const Cursor &c, std::uint32_t off, std::uint32_t payloadLen, DecodedPacket &out)
{
    Cursor inner = c;
    passIntoTunnel(inner, out);
    // The inner packet ends where the outer IP payload ends; padding after it is not part of it.
    const std::uint32_t end = off + payloadLen >= off ? off + payloadLen : UINT32_MAX;
    if (end < inner.origlen)
        inner.origlen = end;
    if (inner.caplen > inner.origlen)
        inner.caplen = inner.origlen;
    return inner;
}

// The transport inside an IP packet: TCP, ICMP, or a tunnel we look through.
void decodeTransport(Cursor &c, std::uint8_t proto, std::uint32_t off, std::uint32_t payloadLen,
                     std::uint64_t pseudoSum, bool checksumPossible, DecodedPacket &out)
{
    if (proto == 6)
        return decodeTcp(c, off, payloadLen, pseudoSum, checksumPossible, out);
    switch (proto) {
    case 1:
        if (out.ipVersion == 4)
            return decodeIcmpv4(c, off, payloadLen, out);
        break;
    case 58:
        if (out.ipVersion == 6)
            return decodeIcmpv6(c, off, payloadLen, out);
        break;
    case 4: // IP-in-IP
    case 41: // IPv6-in-IPv4 (6in4, sit) or IPv6-in-IPv6
    case 47: // GRE
    case 97: // EtherIP
    case 137: { // MPLS-in-IP
        if (!enter(c, out))
            return;
        Cursor inner = enterTunnel(c, off, payloadLen, out);
        if (proto == 47)
            return decodeGre(inner, off, out);
        if (proto == 97)
            return decodeEtherIp(inner, off, out);
        if (proto == 137)
            return decodeMpls(inner, off, out);
        return decodeIp(inner, off, out);
    }
    case 17: {
        Cursor inner = c;
        const std::uint32_t end = off + payloadLen >= off ? off + payloadLen : UINT32_MAX;
        if (end < inner.origlen)
            inner.origlen = end;
        if (inner.caplen > inner.origlen)
            inner.caplen = inner.origlen;
        return decodeUdp(inner, off, payloadLen, out);
    }
    case 50: // ESP: encrypted
    case 115: // L2TPv3
        return unknown(out, DecodeStatus::NotTcp, UnknownEncap::IpProtocol, proto);
    default:
        break;
    }
    fail(out, DecodeStatus::NotTcp, nullptr);
}

void decodeIpv4(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 20 > c.caplen)
        return shortHeader(c, off + 20, out, "IPv4 header not captured", "IPv4 header longer than the frame");
    const std::uint8_t *ip = c.base + off;
    const std::uint32_t ihl = std::uint32_t(ip[0] & 0x0f) * 4;
    if (ihl < 20)
        return fail(out, DecodeStatus::Malformed, "IPv4 header length below 20 bytes");
    if (off + ihl > c.caplen)
        return fail(out, DecodeStatus::Truncated, "IPv4 options not captured");
    out.encap.push(EncapKind::Ipv4);
    const std::uint32_t totalField = be16(ip + 2);
    const std::uint32_t onWire = c.origlen > off ? c.origlen - off : 0;
    std::uint32_t total = totalField;
    out.ipLengthZero = false;
    if (totalField == 0) {
        // Windows LSO and Linux BIG TCP leave the field 0; the frame length is the truth then.
        total = onWire;
        out.ipLengthZero = true;
    } else if (totalField < ihl) {
        return fail(out, DecodeStatus::Malformed, "IPv4 total length shorter than its header");
    } else {
        judgeLength(c, totalField, onWire, out);
    }
    // Every IP header overwrites these: the innermost one, which carries the TCP, is what is judged.
    out.ipVersion = 4;
    out.ttl = ip[8];
    out.ipId = be16(ip + 4);
    out.ipTotalLength = totalField;
    out.ipChecksum = checkField(onesSum(ip, ihl), be16(ip + 10));
    out.src = IpAddress::v4(ip + 12);
    out.dst = IpAddress::v4(ip + 16);
    const std::uint16_t frag = be16(ip + 6);
    if ((frag & 0x2000) || (frag & 0x1fff))
        return fail(out, DecodeStatus::Fragment, nullptr);
    const std::uint32_t payloadLen = total - ihl;
    std::uint64_t pseudo = onesSum(ip + 12, 8);
    pseudo += ip[9];
    pseudo += payloadLen;
    decodeTransport(c, ip[9], off + ihl, payloadLen, pseudo, totalField != 0, out);
}

void decodeIpv6(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 40 > c.caplen)
        return shortHeader(c, off + 40, out, "IPv6 header not captured", "IPv6 header longer than the frame");
    const std::uint8_t *ip = c.base + off;
    out.encap.push(EncapKind::Ipv6);
    const std::uint32_t plenField = be16(ip + 4);
    const std::uint32_t onWire = c.origlen > off + 40 ? c.origlen - off - 40 : 0;
    std::uint32_t plen = plenField;
    bool lengthFromFrame = false;
    out.ipVersion = 6;
    out.ttl = ip[7];
    out.ipId = 0;
    out.ipTotalLength = plenField ? 40 + plenField : 0;
    out.ipChecksum = ChecksumState::Unknown;
    out.src = IpAddress::v6(ip + 8);
    out.dst = IpAddress::v6(ip + 24);
    out.ipLengthZero = false;
    if (plenField == 0) {
        plen = onWire; // BIG TCP without a Jumbo option; corrected below if a Jumbo option is present
        lengthFromFrame = true;
        out.ipLengthZero = true;
    } else {
        judgeLength(c, plenField, onWire, out);
    }
    std::uint8_t next = ip[6];
    std::uint32_t pos = off + 40;
    std::uint32_t consumed = 0; // extension header bytes inside plen
    auto isExtension = [](std::uint8_t h) {
        return h == 0 || h == 43 || h == 44 || h == 51 || h == 60 || h == 135 || h == 139 || h == 140;
    };
    for (int n = 0; n < MaxIpv6ExtensionHeaders; ++n) {
        if (!isExtension(next))
            break;
        if (pos + 8 > c.caplen)
            return fail(out, DecodeStatus::Truncated, "IPv6 extension header not captured");
        const std::uint8_t *h = c.base + pos;
        std::uint32_t len = next == 51 ? (std::uint32_t(h[1]) + 2) * 4 : (std::uint32_t(h[1]) + 1) * 8;
        if (next == 44) {
            len = 8;
            const std::uint16_t fo = be16(h + 2);
            if ((fo & 0xfff8) || (fo & 1))
                return fail(out, DecodeStatus::Fragment, nullptr);
        }
        if (pos + len > c.caplen)
            return fail(out, DecodeStatus::Truncated, "IPv6 extension header not captured");
        if (next == 0) { // hop-by-hop: look for a Jumbo Payload option (RFC 2675)
            std::uint32_t i = 2;
            while (i + 2 <= len) {
                const std::uint8_t type = h[i];
                if (type == 0) {
                    ++i;
                    continue;
                }
                const std::uint32_t olen = h[i + 1];
                if (i + 2 + olen > len)
                    break;
                if (type == 0xC2 && olen == 4 && plenField == 0) {
                    plen = be32(h + i + 2);
                    lengthFromFrame = false;
                }
                i += 2 + olen;
            }
        }
        consumed += len;
        if (consumed > plen)
            return fail(out, DecodeStatus::Malformed, "IPv6 extension headers longer than the payload");
        next = h[0];
        pos += len;
    }
    // Still an extension header after the bound: a chain that loops (or is absurdly long). Checked for every
    // extension type, so that an AH or Shim6 loop is not passed on as "another transport".
    if (isExtension(next))
        return fail(out, DecodeStatus::Malformed, "IPv6 extension header chain too long");
    if (!lengthFromFrame && plenField == 0 && (plen > onWire || onWire - plen > PaddingAllowance))
        out.lengthMismatch = true; // a Jumbo Payload length that the frame does not carry
    const std::uint32_t payloadLen = plen - consumed;
    std::uint64_t pseudo = onesSum(ip + 8, 32);
    pseudo += next;
    pseudo += payloadLen;
    decodeTransport(c, next, pos, payloadLen, pseudo, plenField != 0, out);
}

RecordedDirection sllDirection(std::uint16_t packetType)
{
    if (packetType == 4)
        return RecordedDirection::Outgoing;
    if (packetType == 0)
        return RecordedDirection::Incoming;
    return RecordedDirection::Unknown;
}

} // namespace

namespace detail {

void decodeIp(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off >= c.caplen)
        return shortHeader(c, off + 1, out, "IP header not captured", "IP header missing from the frame");
    const int version = c.base[off] >> 4;
    if (version == 4)
        return decodeIpv4(c, off, out);
    if (version == 6)
        return decodeIpv6(c, off, out);
    fail(out, DecodeStatus::NotIp, nullptr);
}

// Walks VLAN tags from an ethertype at offset typeOff; IP is decoded here (the common case stays in this
// file), everything else in decodeEthertypeValue().
void decodeEthertype(Cursor &c, std::uint32_t typeOff, DecodedPacket &out)
{
    std::uint32_t off = typeOff;
    for (int tags = 0;; ++tags) {
        if (off + 2 > c.caplen)
            return shortHeader(c, off + 2, out, "link header not captured", "link header longer than the frame");
        const std::uint16_t type = be16(c.base + off);
        if (type == EtherIpv4 || type == EtherIpv6)
            return decodeIp(c, off + 2, out);
        if (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
            if (tags >= MaxVlanTags)
                return fail(out, DecodeStatus::Malformed, "too many VLAN tags");
            if (off + 6 > c.caplen)
                return shortHeader(c, off + 6, out, "VLAN tag not captured", "VLAN tag cut off by the frame end");
            const std::uint32_t vid = be16(c.base + off + 2) & 0x0fff;
            out.vlanKey = out.vlanKey * 4099u + vid + 1; // order-sensitive fold; 0 stays "untagged"
            out.encap.push(EncapKind::Vlan, vid);
            off += 4;
            continue;
        }
        return decodeEthertypeValue(c, type, off + 2, out);
    }
}

void decodeEthernet(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 14 > c.caplen)
        return shortHeader(c, off + 14, out, "inner Ethernet header not captured",
                           "inner Ethernet header longer than the packet");
    out.encap.push(EncapKind::Eth);
    decodeEthertype(c, off + 12, out);
}

} // namespace detail

bool isSupportedLinkType(int linkType)
{
    switch (linkType) {
    case LinkNull:
    case LinkEthernet:
    case LinkPpp:
    case LinkRaw:
    case LinkRawOpenBsd:
    case LinkPppSerial:
    case LinkPppEther:
    case LinkCiscoHdlc:
    case LinkIeee80211:
    case LinkLoop:
    case LinkLinuxSll:
    case LinkPrism:
    case LinkRadiotap:
    case LinkAvs:
    case LinkPpi:
    case LinkIpv4:
    case LinkIpv6:
    case LinkNflog:
    case LinkLinuxSll2:
        return true;
    default:
        return false;
    }
}

const char *linkTypeName(int linkType)
{
    const char *name = pcap_datalink_val_to_name(linkType);
    return name ? name : "unknown";
}

void decodeFrame(int linkType, const std::uint8_t *data, std::uint32_t caplen, std::uint32_t origlen,
                 DecodedPacket &out, bool verifyTcpChecksum)
{
    IcmpTooBigInfo *const icmpSink = out.icmp;
    out = DecodedPacket{};
    out.icmp = icmpSink;
    if (origlen < caplen)
        origlen = caplen; // a damaged record header; what we hold is at least this long
    Cursor c{data, caplen, origlen, verifyTcpChecksum};
    switch (linkType) {
    case LinkEthernet:
        if (caplen < 14)
            return fail(out, DecodeStatus::Truncated, "Ethernet header not captured");
        out.encap.push(EncapKind::Eth);
        return decodeEthertype(c, 12, out);
    case LinkLinuxSll:
        if (caplen < 16)
            return fail(out, DecodeStatus::Truncated, "Linux cooked header not captured");
        out.recordedDirection = sllDirection(be16(data));
        out.encap.push(EncapKind::Sll);
        return decodeEthertype(c, 14, out);
    case LinkLinuxSll2:
        if (caplen < 20)
            return fail(out, DecodeStatus::Truncated, "Linux cooked v2 header not captured");
        out.recordedDirection = sllDirection(data[10]);
        out.encap.push(EncapKind::Sll2);
        // SLL2 keeps the protocol first, then the rest of the header; a VLAN tag follows the header.
        if (be16(data) == 0x8100) {
            if (caplen < 24)
                return fail(out, DecodeStatus::Truncated, "VLAN tag not captured");
            out.vlanKey = (be16(data + 20) & 0x0fff) + 1u;
            out.encap.push(EncapKind::Vlan, be16(data + 20) & 0x0fffu);
            return decodeEthertype(c, 22, out);
        }
        if (be16(data) == EtherIpv4 || be16(data) == EtherIpv6)
            return decodeIp(c, 20, out);
        return decodeEthertypeValue(c, be16(data), 20, out);
    case LinkRaw:
    case LinkRawOpenBsd:
    case LinkIpv4:
    case LinkIpv6:
        return decodeIp(c, 0, out);
    case LinkNull:
    case LinkLoop: {
        if (caplen < 4)
            return fail(out, DecodeStatus::Truncated, "loopback header not captured");
        out.encap.push(EncapKind::Loop);
        // NULL stores the family in the capturing host's byte order, LOOP in network order.
        std::uint32_t family = linkType == LinkLoop ? be32(data) : le32(data);
        if (family > 0xffff)
            family = be32(data);
        if (family == 2 || family == 10 || family == 24 || family == 28 || family == 30)
            return decodeIp(c, 4, out);
        return fail(out, DecodeStatus::NotIp, nullptr);
    }
    case LinkPpp:
        return decodePpp(c, 0, out);
    case LinkPppSerial:
        // libpcap: DLT_PPP_SERIAL frames that start with a Cisco HDLC address are Cisco HDLC.
        if (caplen >= 1 && (data[0] == 0x0f || data[0] == 0x8f))
            return decodeChdlc(c, 0, out);
        return decodePpp(c, 0, out);
    case LinkPppEther:
        return decodePppoe(c, 0, out);
    case LinkCiscoHdlc:
        return decodeChdlc(c, 0, out);
    case LinkIeee80211:
        return decodeWlan(c, 0, out);
    case LinkRadiotap:
        return decodeRadiotap(c, out);
    case LinkPpi:
        return decodePpi(c, out);
    case LinkPrism:
    case LinkAvs:
        return decodePrismOrAvs(c, linkType, out);
    case LinkNflog:
        return decodeNflog(c, out);
    default:
        return fail(out, DecodeStatus::UnknownLinkType, nullptr);
    }
}

} // namespace ol
