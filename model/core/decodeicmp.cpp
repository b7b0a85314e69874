// SPDX-License-Identifier: GPL-3.0-or-later
// ICMP "too big" errors: ICMPv4 type 3 code 4 (fragmentation needed, RFC 1191) and ICMPv6 type 2 (packet
// too big, RFC 4443), with the quoted IP header and the first 8 bytes of the quoted TCP header.
#include "decoderinternal.h"

namespace ol::detail {
namespace {

constexpr int MaxQuotedExtensionHeaders = 8;

// The quoted TCP header: RFC 792 guarantees its first 8 bytes (ports and sequence number).
void quotedTcp(const Cursor &c, std::uint32_t off, DecodedPacket &out)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "TCP header quoted in ICMP not captured",
                           "ICMP error quotes less than 8 bytes of TCP");
    const std::uint8_t *t = c.base + off;
    out.icmp.quotedSrcPort = be16(t);
    out.icmp.quotedDstPort = be16(t + 2);
    out.icmp.quotedSeq = be32(t + 4);
    out.icmp.reporter = out.src;
    out.icmp.sentTo = out.dst;
    out.encap.push(EncapKind::Icmp);
    out.status = DecodeStatus::IcmpTooBig;
}

} // namespace

void decodeIcmpv4(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out)
{
    if (off + 8 > c.caplen || len < 8)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint8_t *m = c.base + off;
    if (m[0] != 3 || m[1] != 4)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint32_t q = off + 8;
    if (q + 20 > c.caplen)
        return shortHeader(c, q + 20, out, "IPv4 header quoted in ICMP not captured",
                           "ICMP error quotes less than an IPv4 header");
    const std::uint8_t *ip = c.base + q;
    const std::uint32_t ihl = std::uint32_t(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ihl < 20)
        return fail(out, DecodeStatus::Malformed, "ICMP error quotes a damaged IPv4 header");
    if (ip[9] != 6)
        return fail(out, DecodeStatus::NotTcp, nullptr); // too big, but not about TCP
    out.icmp = IcmpTooBigInfo{};
    out.icmp.ipVersion = 4;
    out.icmp.mtu = be16(m + 6);
    out.icmp.quotedIpLength = be16(ip + 2);
    out.icmp.quotedSrc = IpAddress::v4(ip + 12);
    out.icmp.quotedDst = IpAddress::v4(ip + 16);
    quotedTcp(c, q + ihl, out);
}

void decodeIcmpv6(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out)
{
    if (off + 8 > c.caplen || len < 8)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint8_t *m = c.base + off;
    if (m[0] != 2)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint32_t q = off + 8;
    if (q + 40 > c.caplen)
        return shortHeader(c, q + 40, out, "IPv6 header quoted in ICMPv6 not captured",
                           "ICMPv6 error quotes less than an IPv6 header");
    const std::uint8_t *ip = c.base + q;
    if ((ip[0] >> 4) != 6)
        return fail(out, DecodeStatus::Malformed, "ICMPv6 error quotes a damaged IPv6 header");
    std::uint8_t next = ip[6];
    std::uint32_t pos = q + 40;
    for (int n = 0; n < MaxQuotedExtensionHeaders && (next == 0 || next == 43 || next == 60); ++n) {
        if (pos + 8 > c.caplen)
            return fail(out, DecodeStatus::Truncated, "IPv6 extension header quoted in ICMPv6 not captured");
        const std::uint8_t *h = c.base + pos;
        next = h[0];
        pos += (std::uint32_t(h[1]) + 1) * 8;
    }
    if (next != 6)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    out.icmp = IcmpTooBigInfo{};
    out.icmp.ipVersion = 6;
    out.icmp.mtu = be32(m + 4);
    out.icmp.quotedIpLength = 40 + std::uint32_t(be16(ip + 4));
    out.icmp.quotedSrc = IpAddress::v6(ip + 8);
    out.icmp.quotedDst = IpAddress::v6(ip + 24);
    quotedTcp(c, pos, out);
}

} // namespace ol::detail
