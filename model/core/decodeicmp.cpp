// SPDX-License-Identifier: GPL-3.0-or-later
// ICMP "too big" errors: ICMPv4 type 3 code 4 (fragmentation needed, RFC 1191) and ICMPv6 type 2 (packet
// too big, RFC 4443), with the quoted IP header and the first 8 bytes of the quoted TCP header.
#include "decoderinternal.h"

namespace ol::detail {
namespace {

constexpr int MaxQuotedExtensionHeaders = 8;

// The quoted TCP header: RFC 792 guarantees its first 8 bytes (ports and sequence number).
void quotedTcp(const Cursor &c, std::uint32_t off, DecodedPacket &out, IcmpTooBigInfo &info)
{
    if (off + 8 > c.caplen)
        return shortHeader(c, off + 8, out, "TCP header quoted in ICMP not captured",
                           "ICMP error quotes less than 8 bytes of TCP");
    const std::uint8_t *t = c.base + off;
    info.quotedSrcPort = be16(t);
    info.quotedDstPort = be16(t + 2);
    info.quotedSeq = be32(t + 4);
    info.reporter = out.src;
    info.sentTo = out.dst;
    out.encap.push(EncapKind::Icmp);
    out.status = DecodeStatus::IcmpTooBig;
}

/// What differs between ICMPv4 "fragmentation needed" and ICMPv6 "packet too big".
struct TooBigFormat {
    std::uint8_t ipVersion;
    std::uint32_t quotedHeader; // the quoted IP header's fixed part: 20 or 40 bytes
    const char *notCaptured, *quotesTooLittle, *damaged;
};

constexpr TooBigFormat TooBigV4{4, 20, "IPv4 header quoted in ICMP not captured",
                                "ICMP error quotes less than an IPv4 header",
                                "ICMP error quotes a damaged IPv4 header"};
constexpr TooBigFormat TooBigV6{6, 40, "IPv6 header quoted in ICMPv6 not captured",
                                "ICMPv6 error quotes less than an IPv6 header",
                                "ICMPv6 error quotes a damaged IPv6 header"};

// The "too big" message of either version at off: the ICMP header (with the MTU), the quoted IP header
// (through IPv6 extension headers) and the quoted TCP header. Anything else is not for us (NotTcp).
void decodeTooBig(const Cursor &c, std::uint32_t off, std::uint32_t len, const TooBigFormat &f, DecodedPacket &out)
{
    if (off + 8 > c.caplen || len < 8)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint8_t *m = c.base + off;
    const bool tooBig = f.ipVersion == 4 ? m[0] == 3 && m[1] == 4 : m[0] == 2;
    if (!tooBig)
        return fail(out, DecodeStatus::NotTcp, nullptr);
    const std::uint32_t q = off + 8;
    if (q + f.quotedHeader > c.caplen)
        return shortHeader(c, q + f.quotedHeader, out, f.notCaptured, f.quotesTooLittle);
    const std::uint8_t *ip = c.base + q;
    if ((ip[0] >> 4) != f.ipVersion)
        return fail(out, DecodeStatus::Malformed, f.damaged);
    std::uint8_t protocol = 0;
    std::uint32_t tcpOff = 0;
    if (f.ipVersion == 4) {
        const std::uint32_t ihl = std::uint32_t(ip[0] & 0x0f) * 4;
        if (ihl < 20)
            return fail(out, DecodeStatus::Malformed, f.damaged);
        protocol = ip[9];
        tcpOff = q + ihl;
    } else {
        protocol = ip[6];
        tcpOff = q + 40;
        for (int n = 0; n < MaxQuotedExtensionHeaders && (protocol == 0 || protocol == 43 || protocol == 60); ++n) {
            if (tcpOff + 8 > c.caplen)
                return fail(out, DecodeStatus::Truncated, "IPv6 extension header quoted in ICMPv6 not captured");
            const std::uint8_t *h = c.base + tcpOff;
            protocol = h[0];
            tcpOff += (std::uint32_t(h[1]) + 1) * 8;
        }
    }
    if (protocol != 6)
        return fail(out, DecodeStatus::NotTcp, nullptr); // too big, but not about TCP
    IcmpTooBigInfo dropped;
    IcmpTooBigInfo &info = out.icmp ? *out.icmp : dropped;
    info = IcmpTooBigInfo{};
    info.ipVersion = f.ipVersion;
    if (f.ipVersion == 4) {
        info.mtu = be16(m + 6);
        info.quotedIpLength = be16(ip + 2);
        info.quotedSrc = IpAddress::v4(ip + 12);
        info.quotedDst = IpAddress::v4(ip + 16);
    } else {
        info.mtu = be32(m + 4);
        info.quotedIpLength = 40 + std::uint32_t(be16(ip + 4));
        info.quotedSrc = IpAddress::v6(ip + 8);
        info.quotedDst = IpAddress::v6(ip + 24);
    }
    quotedTcp(c, tcpOff, out, info);
}

} // namespace

void decodeIcmpv4(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out)
{
    decodeTooBig(c, off, len, TooBigV4, out);
}

void decodeIcmpv6(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out)
{
    decodeTooBig(c, off, len, TooBigV6, out);
}

} // namespace ol::detail
