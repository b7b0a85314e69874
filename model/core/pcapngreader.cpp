// SPDX-License-Identifier: GPL-3.0-or-later
// pcapng block parsing with every length checked against the block it lives in.
#include "pcapngreader.h"

#include "pcapngformat.h"

#include <algorithm>
#include <cstring>

namespace ol {
namespace {

using namespace pcapng;

// The largest snapshot length libpcap and Wireshark accept (262,144 bytes); a longer captured length is damage.
constexpr std::uint32_t MaxCaplen = 262144;
// ... and a packet block may carry at most 128 KiB of options beside it (MAX_BLOCKSIZE_FOR_SNAPLEN).
constexpr std::uint32_t MaxPacketBlockBody = MaxCaplen + 131072 + 64;

__extension__ typedef unsigned __int128 Wide; // exact timestamp scaling (the fraction times 10^9 overflows 64 bits)

} // namespace

PcapngReader::PcapngReader(InputStream &in)
    : m_in(in)
{ }

std::uint32_t PcapngReader::u32(const std::uint8_t *p) const
{
    return ByteOrder{m_swap}.u32(p);
}

std::uint16_t PcapngReader::u16(const std::uint8_t *p) const
{
    return ByteOrder{m_swap}.u16(p);
}

PcapngReader::Result PcapngReader::fail(const std::string &why, bool truncated)
{
    if (m_error.empty()) {
        // A stream that failed underneath (damaged compressed data, I/O) is the real reason.
        if (!m_in.error().empty()) {
            m_error = m_in.error();
            m_truncated = m_in.errorIsTruncation();
        } else {
            m_error = why;
            m_truncated = truncated;
        }
    }
    return Result::Error;
}

bool PcapngReader::readExact(void *out, std::size_t n, const char *what)
{
    if (m_in.read(out, n) == n)
        return true;
    fail(std::string("truncated pcapng file: the data ends inside ") + what + " at byte " + std::to_string(m_block),
         true);
    return false;
}

bool PcapngReader::readTrailer(std::uint32_t length)
{
    std::uint32_t trailer = 0;
    if (!readExact(&trailer, 4, "a block"))
        return false;
    if ((m_swap ? swap32(trailer) : trailer) != length) {
        fail("damaged pcapng block at byte " + std::to_string(m_block)
             + ": its total length in header and trailer do not match");
        return false;
    }
    return true;
}

bool PcapngReader::start()
{
    m_block = m_in.position();
    std::uint32_t head[2];
    if (m_in.read(head, 8) != 8 || head[0] != SectionHeaderType) {
        fail("not a pcapng file: it does not start with a section header block");
        return false;
    }
    return readSectionHeader(head[1]);
}

bool PcapngReader::readSectionHeader(std::uint32_t lengthField)
{
    std::uint8_t fixed[4 + 2 + 2 + 8]; // byte-order magic, major, minor, section length
    if (!readExact(fixed, sizeof fixed, "a section header block"))
        return false;
    std::uint32_t magic;
    std::memcpy(&magic, fixed, 4);
    if (magic == ByteOrderMagic)
        m_swap = false;
    else if (magic == SwappedByteOrderMagic)
        m_swap = true;
    else {
        fail("damaged pcapng section header at byte " + std::to_string(m_block) + ": unknown byte-order magic");
        return false;
    }
    const std::uint32_t len = m_swap ? swap32(lengthField) : lengthField;
    if (len < 28 || len > MaxBlock || (len & 3)) {
        fail("damaged pcapng section header at byte " + std::to_string(m_block) + ": block total length "
             + std::to_string(len) + " is impossible");
        return false;
    }
    const std::uint16_t major = u16(fixed + 4);
    if (major != 1) {
        fail("unsupported pcapng major version " + std::to_string(major));
        return false;
    }
    if (!m_in.skip(len - 28)) {
        fail("truncated pcapng file: the data ends inside a section header block", true);
        return false;
    }
    if (!readTrailer(len))
        return false;
    ++m_sections;
    m_sectionBase = static_cast<std::uint32_t>(m_interfaces.size()); // interface numbers start again
    return true;
}

bool PcapngReader::readInterface(std::uint32_t bodyLen)
{
    m_body.resize(bodyLen);
    if (!readExact(m_body.data(), bodyLen, "an interface description block"))
        return false;
    if (bodyLen < 8) {
        fail("damaged pcapng interface description block at byte " + std::to_string(m_block) + ": too short");
        return false;
    }
    const std::uint8_t *b = m_body.data();
    PcapngInterface itf;
    itf.linkType = u16(b);
    itf.snaplen = u32(b + 4);
    // Options (code, length, value padded to 4); one that overruns the block ends the list.
    std::uint32_t at = 8;
    while (at + 4 <= bodyLen) {
        const std::uint16_t code = u16(b + at);
        const std::uint16_t len = u16(b + at + 2);
        if (code == 0 || at + 4 + len > bodyLen)
            break;
        const std::uint8_t *v = b + at + 4;
        if (code == 2) { // if_name
            itf.name.assign(reinterpret_cast<const char *>(v), len);
            itf.name.erase(std::find(itf.name.begin(), itf.name.end(), '\0'), itf.name.end());
        } else if (code == 9 && len == 1) { // if_tsresol: 10^-n, or 2^-n with the top bit set
            const unsigned n = v[0] & 0x7fu;
            if ((v[0] & 0x80) ? n > 63 : n > 19) {
                fail("damaged pcapng interface description block at byte " + std::to_string(m_block)
                     + ": time resolution too fine");
                return false;
            }
            std::uint64_t units = 1;
            for (unsigned i = 0; i < n; ++i)
                units *= (v[0] & 0x80) ? 2 : 10;
            itf.unitsPerSecond = units;
        } else if (code == 14 && len == 8) { // if_tsoffset, seconds
            std::uint64_t lo = u32(v), hi = u32(v + 4);
            if (m_swap) // a 64-bit value swapped as a whole: the halves change places too
                std::swap(lo, hi);
            itf.offsetSeconds = static_cast<std::int64_t>(hi << 32 | lo);
        }
        at += 4 + pad4(len);
    }
    m_interfaces.push_back(std::move(itf));
    return true;
}

PcapngReader::Result PcapngReader::readPacket(std::uint32_t type, std::uint32_t bodyLen, PcapngPacket &packet)
{
    const std::string where = " at byte " + std::to_string(m_block);
    if (bodyLen > MaxPacketBlockBody)
        return fail("damaged pcapng packet block" + where + ": block of " + std::to_string(bodyLen + 12)
                    + " bytes is larger than any packet block can be");
    m_body.resize(bodyLen);
    if (!readExact(m_body.data(), bodyLen, "a packet block"))
        return Result::Error;
    const std::uint8_t *b = m_body.data();
    const std::uint32_t sectionInterfaces = static_cast<std::uint32_t>(m_interfaces.size()) - m_sectionBase;
    std::uint32_t local = 0;
    std::uint32_t dataAt = 0;
    std::uint64_t stamp = 0;
    if (type == SimplePacketType) {
        if (bodyLen < 4)
            return fail("damaged pcapng simple packet block" + where + ": too short");
        if (sectionInterfaces == 0)
            return fail("damaged pcapng file: a simple packet block" + where + " precedes every interface");
        const PcapngInterface &itf = m_interfaces[m_sectionBase];
        packet.origlen = u32(b);
        std::uint32_t cap = std::min(packet.origlen, bodyLen - 4);
        if (itf.snaplen)
            cap = std::min(cap, itf.snaplen);
        packet.caplen = std::min(cap, MaxCaplen);
        dataAt = 4;
        packet.flags = 0;
    } else {
        if (bodyLen < 20)
            return fail("damaged pcapng packet block" + where + ": too short");
        local = type == EnhancedPacketType ? u32(b) : u16(b);
        stamp = std::uint64_t(u32(b + 4)) << 32 | u32(b + 8);
        packet.caplen = u32(b + 12);
        packet.origlen = u32(b + 16);
        if (packet.caplen > MaxCaplen)
            return fail("damaged pcapng packet block" + where + ": captured length " + std::to_string(packet.caplen)
                        + " is larger than the 262,144-byte maximum");
        if (20 + std::uint64_t(pad4(packet.caplen)) > bodyLen)
            return fail("damaged pcapng packet block" + where + ": its captured length " + std::to_string(packet.caplen)
                        + " runs past the end of the block");
        if (local >= sectionInterfaces)
            return fail("damaged pcapng packet block" + where + ": it names interface " + std::to_string(local)
                        + " but the section describes " + std::to_string(sectionInterfaces));
        dataAt = 20;
        // Options: only the flags word (epb_flags / pack_flags, code 2) matters here.
        packet.flags = 0;
        std::uint32_t at = 20 + pad4(packet.caplen);
        while (at + 4 <= bodyLen) {
            const std::uint16_t code = u16(b + at);
            const std::uint16_t len = u16(b + at + 2);
            if (code == 0 || at + 4 + len > bodyLen)
                break;
            if (code == 2 && len == 4)
                packet.flags = u32(b + at + 4);
            at += 4 + pad4(len);
        }
    }
    packet.interface = m_sectionBase + local;
    const PcapngInterface &itf = m_interfaces[packet.interface];
    // The same arithmetic as libpcap's (seconds wrap as unsigned), exact where its fraction scaling is.
    const std::uint64_t units = itf.unitsPerSecond;
    packet.seconds = static_cast<std::int64_t>(stamp / units + static_cast<std::uint64_t>(itf.offsetSeconds));
    packet.nanoseconds = static_cast<std::int64_t>(Wide(stamp % units) * 1000000000u / units);
    packet.data = b + dataAt;
    return Result::Packet;
}

PcapngReader::Result PcapngReader::next(PcapngPacket &packet)
{
    if (!m_error.empty())
        return Result::Error;
    m_passedHeaders = false;
    for (;;) {
        m_block = m_in.position();
        std::uint32_t head[2];
        const std::size_t got = m_in.read(head, 8);
        if (got == 0)
            return m_in.error().empty() ? Result::End : fail(m_in.error());
        if (got < 8)
            return fail("truncated pcapng file: the data ends inside a block header at byte " + std::to_string(m_block),
                        true);
        if (head[0] == SectionHeaderType) {
            if (!readSectionHeader(head[1]))
                return Result::Error;
            m_passedHeaders = true;
            continue;
        }
        const std::uint32_t type = m_swap ? swap32(head[0]) : head[0];
        const std::uint32_t len = m_swap ? swap32(head[1]) : head[1];
        if (len < 12 || len > MaxBlock || (len & 3))
            return fail("damaged pcapng block at byte " + std::to_string(m_block) + ": block total length "
                        + std::to_string(len) + " is impossible");
        const std::uint32_t bodyLen = len - 12;
        Result r = Result::End;
        if (type == InterfaceDescriptionType) {
            if (!readInterface(bodyLen))
                return Result::Error;
            m_passedHeaders = true;
        } else if (type == EnhancedPacketType || type == SimplePacketType || type == ObsoletePacketType) {
            r = readPacket(type, bodyLen, packet);
            if (r == Result::Error)
                return r;
        } else if (!m_in.skip(bodyLen)) {
            return fail("truncated pcapng file: the data ends inside a block at byte " + std::to_string(m_block), true);
        }
        if (!readTrailer(len))
            return Result::Error;
        if (r == Result::Packet)
            return r;
    }
}

} // namespace ol
