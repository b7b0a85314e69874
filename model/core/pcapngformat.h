// SPDX-License-Identifier: GPL-3.0-or-later
// What the pcapng reader, writer and annotated copy share of the format (draft-ietf-opsawg-pcapng): block types,
// option codes, the bounds libpcap and Wireshark put on a block, and fields read in a section's byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ol::pcapng {

constexpr std::uint32_t SectionHeaderType = 0x0A0D0D0A;
constexpr std::uint32_t InterfaceDescriptionType = 1;
constexpr std::uint32_t ObsoletePacketType = 2;
constexpr std::uint32_t SimplePacketType = 3;
constexpr std::uint32_t EnhancedPacketType = 6;
/// The section header's byte-order magic as written; read swapped, the section has the other byte order.
constexpr std::uint32_t ByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t SwappedByteOrderMagic = 0x4D3C2B1A;
constexpr std::uint16_t OptEnd = 0;
constexpr std::uint16_t OptComment = 1;
/// libpcap refuses any block over 16 MiB (INITIAL_MAX_BLOCKSIZE in sf-pcapng.c); Wireshark too (MAX_BLOCK_SIZE):
/// a larger length is damage, and memory stays bounded whatever a file claims.
constexpr std::uint32_t MaxBlock = 16u << 20;
/// The longest option value: its length field is 16 bits and the value is padded to 4.
constexpr std::size_t MaxOptionLength = 65532;

inline std::uint32_t swap32(std::uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

inline std::uint16_t swap16(std::uint16_t v)
{
    return static_cast<std::uint16_t>((v >> 8) | (v << 8));
}

/// Lengths in pcapng are padded to 32 bits.
inline std::uint32_t pad4(std::uint32_t n)
{
    return (n + 3u) & ~3u;
}

/// Reads 32- and 16-bit fields in a section's byte order.
struct ByteOrder {
    bool swap = false;
    std::uint32_t u32(const std::uint8_t *p) const
    {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return swap ? swap32(v) : v;
    }
    std::uint16_t u16(const std::uint8_t *p) const
    {
        std::uint16_t v;
        std::memcpy(&v, p, 2);
        return swap ? swap16(v) : v;
    }
};

} // namespace ol::pcapng
