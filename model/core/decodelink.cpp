// SPDX-License-Identifier: GPL-3.0-or-later
// Link-layer encapsulations below IP: ethertypes past VLAN tags, MPLS label stacks, PPPoE, PPP, Cisco HDLC,
// IEEE 802.11 (plain, radiotap, PPI, Prism, AVS) with LLC/SNAP, and NFLOG. Bounds-checked, no allocation.
#include "decoderinternal.h"

namespace ol::detail {
namespace {

constexpr int MaxMplsLabels = 8;
constexpr int MaxNflogTlvs = 64;
constexpr int MaxRadiotapPresenceWords = 8;

} // namespace

void decodeEthertypeValue(Cursor &c, std::uint16_t type, std::uint32_t off, DecodedPacket &out)
{
    switch (type) {
    case EtherIpv4:
    case EtherIpv6:
        return decodeIp(c, off, out);
    case 0x8847: // MPLS unicast
    case 0x8848: // MPLS multicast
        if (!enter(c, out))
            return;
        return decodeMpls(c, off, out);
    case 0x8864: // PPPoE session
        if (!enter(c, out))
            return;
        return decodePppoe(c, off, out);
    case 0x88E5: // MACsec: encrypted or integrity-only, either way not decoded
    case 0x88E7: // 802.1ah provider backbone bridging
    case 0x894F: // network service header
        return unknown(out, DecodeStatus::NotIp, UnknownEncap::EtherType, type);
    default:
        break;
    }
    if (type <= 1500 && off + 8 <= c.caplen) { // 802.3 length field: IP can still follow in LLC/SNAP
        const std::uint8_t *l = c.base + off;
        if (l[0] == 0xAA && l[1] == 0xAA && l[2] == 0x03 && l[3] == 0 && l[4] == 0 && l[5] == 0) {
            out.encap.push(EncapKind::Llc);
            const std::uint16_t inner = be16(l + 6);
            if (inner == EtherIpv4 || inner == EtherIpv6)
                return decodeIp(c, off + 8, out);
        }
        return fail(out, DecodeStatus::NotIp, nullptr);
    }
    // Inside a tunnel, a frame that is not IP (and not ARP) is an encapsulation we stopped at.
    if (c.depth > 0 && type != 0x0806 && type > 1500)
        return unknown(out, DecodeStatus::NotIp, UnknownEncap::EtherType, type);
    fail(out, DecodeStatus::NotIp, nullptr);
}

void decodeMpls(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    for (int n = 0;; ++n) {
        if (n >= MaxMplsLabels)
            return fail(out, DecodeStatus::Malformed, "MPLS label stack without a bottom label");
        if (off + 4 > c.caplen)
            return shortHeader(c, off + 4, out, "MPLS label stack not captured",
                               "MPLS label stack without a bottom label before the frame end");
        const std::uint32_t entry = be32(c.base + off);
        out.encap.push(EncapKind::Mpls, entry >> 12);
        off += 4;
        if (entry & 0x100)
            break; // bottom of stack
    }
    if (off >= c.caplen)
        return shortHeader(c, off + 1, out, "MPLS payload not captured", "MPLS bottom label ends the frame");
    // RFC 4385: what follows is recognised by its first nibble: 4 or 6 is IP, 0 a pseudowire control word.
    const int nibble = c.base[off] >> 4;
    if (nibble == 4 || nibble == 6)
        return decodeIp(c, off, out);
    if (nibble == 0 && off + 4 + 14 <= c.caplen) { // Ethernet pseudowire with a control word (RFC 4448)
        if (!enter(c, out))
            return;
        Cursor inner = c;
        ++inner.depth; // an inner Ethernet: its non-IP frames are "not decoded", not plain "not IP"
        return decodeEthernet(inner, off + 4, out);
    }
    unknown(out, DecodeStatus::NotIp, UnknownEncap::MplsPayload, static_cast<std::uint32_t>(nibble));
}

// A PPP protocol number and the packet after it.
static void decodePppProtocol(Cursor &c, std::uint16_t proto, std::uint32_t off, DecodedPacket &out)
{
    switch (proto) {
    case 0x0021:
    case 0x0057:
        return decodeIp(c, off, out);
    case 0x0281:
    case 0x0283:
        if (!enter(c, out))
            return;
        return decodeMpls(c, off, out);
    default:
        break;
    }
    // Below 0x4000 are network-layer protocols (VJ-compressed TCP, multilink, compressed datagrams...): data
    // we stopped at. Above are control protocols (LCP, IPCP, authentication): not IP, nothing lost.
    if (proto < 0x4000)
        return unknown(out, DecodeStatus::NotIp, UnknownEncap::PppProtocol, proto);
    fail(out, DecodeStatus::NotIp, nullptr);
}

void decodePppoe(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "PPPoE header not captured", "PPPoE header longer than the frame");
    const std::uint8_t *p = c.base + off;
    if (p[0] != 0x11 || p[1] != 0x00)
        return fail(out, DecodeStatus::Malformed, "PPPoE session header with a wrong version or code");
    out.encap.push(EncapKind::Pppoe, be16(p + 2));
    out.encap.push(EncapKind::Ppp);
    if (p[6] & 1) // a compressed one-byte protocol field (RFC 1661 PFC; e11 sends 0x21 then IPv4)
        return decodePppProtocol(c, p[6], off + 7, out);
    decodePppProtocol(c, be16(p + 6), off + 8, out);
}

void decodePpp(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 2 > c.caplen)
        return shortHeader(c, off + 2, out, "PPP header not captured", "PPP header longer than the frame");
    out.encap.push(EncapKind::Ppp);
    const std::uint8_t *p = c.base + off;
    if (p[0] == 0xFF && p[1] == 0x03) { // HDLC-like framing: address and control (RFC 1662)
        off += 2;
        if (off + 1 > c.caplen)
            return shortHeader(c, off + 1, out, "PPP protocol not captured", "PPP header longer than the frame");
        p = c.base + off;
    }
    if (p[0] & 1) // a compressed one-byte protocol field (RFC 1661 PFC)
        return decodePppProtocol(c, p[0], off + 1, out);
    if (off + 2 > c.caplen)
        return shortHeader(c, off + 2, out, "PPP protocol not captured", "PPP header longer than the frame");
    decodePppProtocol(c, be16(p), off + 2, out);
}

void decodeChdlc(Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 4 > c.caplen)
        return shortHeader(c, off + 4, out, "Cisco HDLC header not captured",
                           "Cisco HDLC header longer than the frame");
    out.encap.push(EncapKind::Chdlc);
    // Address (0x0f unicast, 0x8f broadcast), control 0, then an ethertype.
    decodeEthertypeValue(c, be16(c.base + off + 2), off + 4, out);
}

void decodeWlan(Cursor &c, std::uint32_t off, DecodedPacket &out, bool swappedFrameControl)
{
    if (off + 2 > c.caplen)
        return shortHeader(c, off + 2, out, "802.11 header not captured", "802.11 frame shorter than its header");
    const std::uint8_t *w = c.base + off;
    const std::uint8_t fc0 = swappedFrameControl ? w[1] : w[0];
    const std::uint8_t fc1 = swappedFrameControl ? w[0] : w[1];
    if ((fc0 & 0x03) != 0)
        return fail(out, DecodeStatus::Malformed, "802.11 frame control with an unknown protocol version");
    if (((fc0 >> 2) & 0x03) != 2)
        return fail(out, DecodeStatus::NotIp, nullptr); // management or control frame
    const std::uint8_t subtype = fc0 >> 4;
    std::uint32_t hl = 24;
    if ((fc1 & 0x03) == 0x03)
        hl += 6; // ToDS and FromDS: a fourth address (mesh / WDS)
    const bool qos = subtype & 0x08;
    if (qos) {
        hl += 2;
        if (fc1 & 0x80)
            hl += 4; // +HTC: the order bit on a QoS frame adds an HT control field
    }
    if (off + hl > c.caplen)
        return shortHeader(c, off + hl, out, "802.11 header not captured", "802.11 frame shorter than its header");
    out.encap.push(EncapKind::Wlan);
    if (subtype & 0x04)
        return fail(out, DecodeStatus::NotIp, nullptr); // a null-data frame: no body
    if (fc1 & 0x40)
        return unknown(out, DecodeStatus::NotIp, UnknownEncap::WlanProtected, 0);
    // 802.11 fragmentation: counted, not reassembled. A fragment number without "more fragments" is a last
    // fragment or a stray number (Cisco CAPWAP sets it): the LLC/SNAP check below tells.
    if (fc1 & 0x04)
        return fail(out, DecodeStatus::Fragment, nullptr);
    if (qos && (w[24] & 0x80))
        return unknown(out, DecodeStatus::NotIp, UnknownEncap::WlanAmsdu, 0);
    const std::uint32_t llc = off + hl;
    if (llc + 8 > c.caplen)
        return shortHeader(c, llc + 8, out, "LLC/SNAP header not captured", "802.11 body shorter than LLC/SNAP");
    const std::uint8_t *l = c.base + llc;
    // SNAP with the RFC 1042 OUI, or 00-00-F8 (802.1H bridge tunnel).
    if (l[0] != 0xAA || l[1] != 0xAA || l[2] != 0x03 || l[3] != 0 || l[4] != 0 || (l[5] != 0 && l[5] != 0xF8))
        return fail(out, DecodeStatus::NotIp, nullptr);
    out.encap.push(EncapKind::Llc);
    decodeEthertypeValue(c, be16(l + 6), llc + 8, out);
}

// The frame after a radio header of hdrLen bytes; a trailing FCS is not part of the 802.11 frame.
static void decodeWlanAfter(Cursor &c, std::uint32_t hdrLen, bool fcs, DecodedPacket &out)
{
    Cursor inner = c;
    if (fcs && inner.origlen >= hdrLen + 4) {
        inner.origlen -= 4;
        if (inner.caplen > inner.origlen)
            inner.caplen = inner.origlen;
    }
    decodeWlan(inner, hdrLen, out);
}

void decodeRadiotap(Cursor &c, DecodedPacket &out)
{
    if (c.caplen < 8)
        return shortHeader(c, 8, out, "radiotap header not captured", "radiotap header longer than the frame");
    const std::uint8_t *r = c.base;
    if (r[0] != 0)
        return fail(out, DecodeStatus::Malformed, "radiotap header with an unknown version");
    const std::uint32_t len = le16(r + 2);
    if (len < 8)
        return fail(out, DecodeStatus::Malformed, "radiotap length below 8 bytes");
    if (len > c.caplen)
        return shortHeader(c, len, out, "radiotap header not captured", "radiotap length past the end of the frame");
    out.encap.push(EncapKind::Radiotap);
    // Presence words chain while bit 31 is set; the fields start after the last one. The Flags field (bit 1)
    // says whether the frame ends in an FCS; only TSFT (bit 0, 8 bytes, 8-aligned) can come before it.
    const std::uint32_t present = le32(r + 4);
    std::uint32_t pos = 4;
    for (int n = 0; n < MaxRadiotapPresenceWords && (le32(r + pos) & 0x80000000u); ++n) {
        pos += 4;
        if (pos + 4 > len)
            return fail(out, DecodeStatus::Malformed, "radiotap presence words past the header length");
    }
    std::uint32_t field = pos + 4;
    bool fcs = false;
    if (present & 0x2) {
        if (present & 0x1)
            field = ((field + 7) & ~7u) + 8;
        if (field + 1 > len)
            return fail(out, DecodeStatus::Malformed, "radiotap fields past the header length");
        fcs = r[field] & 0x10;
    }
    decodeWlanAfter(c, len, fcs, out);
}

void decodePpi(Cursor &c, DecodedPacket &out)
{
    if (c.caplen < 8)
        return shortHeader(c, 8, out, "PPI header not captured", "PPI header longer than the frame");
    const std::uint8_t *p = c.base;
    const std::uint32_t len = le16(p + 2);
    const std::uint32_t dlt = le32(p + 4);
    if (p[0] != 0 || len < 8)
        return fail(out, DecodeStatus::Malformed, "PPI header with an unknown version or a length below 8");
    if (len > c.caplen)
        return shortHeader(c, len, out, "PPI header not captured", "PPI length past the end of the frame");
    out.encap.push(EncapKind::Ppi);
    // Fields: type, length (little-endian), data. 802.11-Common (type 2) carries flags with "FCS present".
    bool fcs = false;
    std::uint32_t pos = 8;
    for (int n = 0; n < 32 && pos + 4 <= len; ++n) {
        const std::uint32_t type = le16(p + pos);
        const std::uint32_t flen = le16(p + pos + 2);
        if (pos + 4 + flen > len)
            return fail(out, DecodeStatus::Malformed, "PPI field past the header length");
        if (type == 2 && flen >= 10)
            fcs = le16(p + pos + 4 + 8) & 0x1;
        pos += 4 + flen;
    }
    if (dlt == LinkIeee80211)
        return decodeWlanAfter(c, len, fcs, out);
    if (dlt == LinkEthernet) {
        if (len + 14 > c.caplen)
            return shortHeader(c, len + 14, out, "Ethernet header not captured", "Ethernet header past the frame");
        out.encap.push(EncapKind::Eth);
        return decodeEthertype(c, len + 12, out);
    }
    fail(out, DecodeStatus::NotIp, nullptr);
}

void decodePrismOrAvs(Cursor &c, int linkType, DecodedPacket &out)
{
    if (c.caplen < 8)
        return shortHeader(c, 8, out, "radio header not captured", "radio header longer than the frame");
    // Prism: message code, then the message length (host order, written little-endian in practice).
    // AVS: version and header length, both big-endian.
    const std::uint32_t len = linkType == LinkPrism ? le32(c.base + 4) : be32(c.base + 4);
    if (len < 8)
        return fail(out, DecodeStatus::Malformed, "radio header length below 8 bytes");
    if (len > c.caplen)
        return shortHeader(c, len, out, "radio header not captured", "radio header length past the end of the frame");
    out.encap.push(linkType == LinkPrism ? EncapKind::Prism : EncapKind::Avs);
    decodeWlan(c, len, out);
}

void decodeNflog(Cursor &c, DecodedPacket &out)
{
    if (c.caplen < 4)
        return shortHeader(c, 4, out, "NFLOG header not captured", "NFLOG header longer than the frame");
    out.encap.push(EncapKind::Nflog);
    // Family, version, resource id; then TLVs whose length and type are in the logging host's byte order
    // (little-endian in every capture seen), each padded to 4 bytes. NFULA_PAYLOAD (9) holds the IP packet.
    std::uint32_t pos = 4;
    for (int n = 0; n < MaxNflogTlvs; ++n) {
        if (pos + 4 > c.caplen)
            break;
        const std::uint32_t len = le16(c.base + pos);
        const std::uint32_t type = le16(c.base + pos + 2) & 0x7fff;
        if (len < 4)
            return fail(out, DecodeStatus::Malformed, "NFLOG TLV length below 4");
        if (type == 1 && len >= 8) { // NFULA_PACKET_HDR: hw protocol, hook
            const std::uint8_t hook = c.base[pos + 6];
            if (hook == 0 || hook == 1) // PRE_ROUTING, LOCAL_IN
                out.recordedDirection = RecordedDirection::Incoming;
            else if (hook == 3 || hook == 4) // LOCAL_OUT, POST_ROUTING
                out.recordedDirection = RecordedDirection::Outgoing;
        }
        if (type == 9) {
            if (pos + len > c.origlen)
                return fail(out, DecodeStatus::Malformed, "NFLOG payload past the end of the frame");
            Cursor inner = c;
            inner.origlen = pos + len;
            if (inner.caplen > inner.origlen)
                inner.caplen = inner.origlen;
            return decodeIp(inner, pos + 4, out);
        }
        pos += (len + 3) & ~3u;
    }
    if (pos + 4 > c.caplen && c.caplen < c.origlen)
        return fail(out, DecodeStatus::Truncated, "NFLOG TLVs not captured");
    fail(out, DecodeStatus::NotIp, nullptr); // no payload logged
}

} // namespace ol::detail
