// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the decoder's translation units (decoder.cpp, decodelink.cpp, decodetunnel.cpp, decodeicmp.cpp):
// byte readers, the bounds cursor and the functions that hand a frame from one layer to the next.
#pragma once

#include "decoder.h"

#include <cstdint>

namespace ol::detail {

constexpr std::uint16_t EtherIpv4 = 0x0800;
constexpr std::uint16_t EtherIpv6 = 0x86DD;
// Tunnels inside tunnels (e08 is Geneve -> IPv4 -> GRE -> IPv4 -> TCP); every level consumes header bytes,
// this bound keeps a hostile file from recursing deep.
constexpr int MaxNesting = 8;

inline std::uint16_t be16(const std::uint8_t *p)
{
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
inline std::uint32_t be32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
inline std::uint16_t le16(const std::uint8_t *p)
{
    return static_cast<std::uint16_t>(p[1] << 8 | p[0]);
}
inline std::uint32_t le32(const std::uint8_t *p)
{
    return std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0];
}

/// Where decoding stands: the captured bytes, the frame length on the wire (both may be narrowed to an
/// inner packet), and how deep in encapsulations we are.
struct Cursor {
    const std::uint8_t *base;
    std::uint32_t caplen;
    std::uint32_t origlen;
    bool verifyTcp;
    int depth = 0; // IP headers passed through (0 = at the outermost one)
    int nesting = 0; // encapsulations entered of any kind
};

inline void fail(DecodedPacket &out, DecodeStatus status, const char *why)
{
    out.status = status;
    out.problem = why;
}

inline void unknown(DecodedPacket &out, DecodeStatus status, UnknownEncap kind, std::uint32_t value)
{
    out.status = status;
    out.unknownEncap = kind;
    out.unknownValue = value;
}

/// Counts one more level of encapsulation; false (and Malformed) when the nesting is past the bound.
inline bool enter(Cursor &c, DecodedPacket &out)
{
    if (++c.nesting > MaxNesting) {
        fail(out, DecodeStatus::Malformed, "encapsulations nested too deep");
        out.unknownEncap = UnknownEncap::NestedTooDeep;
        return false;
    }
    return true;
}

/// One more tunnel level to look through (IP in IP, GRE, a UDP tunnel): the first time, the packet decoded so
/// far is the outermost one, so its addresses and TTL are the tunnel (or mirror) endpoints'. VLAN tags outside
/// the tunnel belong to the transport network (mirror copies cross several trunks): the connection key keeps
/// only the tags inside it.
inline void passIntoTunnel(Cursor &c, DecodedPacket &out)
{
    if (!out.tunnelled) {
        out.tunnelled = true;
        out.outerSrc = out.src;
        out.outerDst = out.dst;
        out.outerTtl = out.ttl;
    }
    out.vlanKey = 0;
    ++c.depth;
}

/// Truncated when the capture stopped inside the header, Malformed when the frame itself is too short.
inline void shortHeader(const Cursor &c, std::uint32_t needEnd, DecodedPacket &out, const char *truncated,
                        const char *malformed)
{
    if (needEnd > c.origlen)
        fail(out, DecodeStatus::Malformed, malformed);
    else
        fail(out, DecodeStatus::Truncated, truncated);
}

// decoder.cpp
void decodeIp(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodeEthertype(Cursor &c, std::uint32_t typeOff, DecodedPacket &out);
void decodeEthernet(Cursor &c, std::uint32_t off, DecodedPacket &out);
// decodelink.cpp
void decodeEthertypeValue(Cursor &c, std::uint16_t type, std::uint32_t off, DecodedPacket &out);
void decodeMpls(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodePppoe(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodePpp(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodeChdlc(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodeWlan(Cursor &c, std::uint32_t off, DecodedPacket &out, bool swappedFrameControl = false);
void decodeRadiotap(Cursor &c, DecodedPacket &out);
void decodePpi(Cursor &c, DecodedPacket &out);
void decodeNflog(Cursor &c, DecodedPacket &out);
void decodePrismOrAvs(Cursor &c, int linkType, DecodedPacket &out);
// decodetunnel.cpp
void decodeGre(Cursor &c, std::uint32_t off, DecodedPacket &out);
void decodeUdp(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out);
void decodeEtherIp(Cursor &c, std::uint32_t off, DecodedPacket &out);
// decodeicmp.cpp
void decodeIcmpv4(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out);
void decodeIcmpv6(Cursor &c, std::uint32_t off, std::uint32_t len, DecodedPacket &out);

} // namespace ol::detail
