// SPDX-License-Identifier: GPL-3.0-or-later
// A bounds-checked pcapng packet reader: every section (either byte order), every interface with its own
// link type, snapshot length, name and time resolution, and the packet blocks (EPB, SPB, obsolete PB).
#pragma once

#include "inputstream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ol {

/// An Interface Description Block, numbered across all sections of the file.
struct PcapngInterface {
    int linkType = -1;
    std::uint32_t snaplen = 0; // 0: no limit
    std::string name; // if_name, may be empty
    std::uint64_t unitsPerSecond = 1000000; // if_tsresol (default microseconds)
    std::int64_t offsetSeconds = 0; // if_tsoffset
};

struct PcapngPacket {
    std::uint32_t interface = 0; // index into PcapngReader::interfaces()
    std::int64_t seconds = 0; // the block's timestamp as libpcap computes it for nanosecond precision
    std::int64_t nanoseconds = 0;
    std::uint32_t caplen = 0;
    std::uint32_t origlen = 0;
    const std::uint8_t *data = nullptr; // valid until the next call to next()
    std::uint32_t flags = 0; // epb_flags / pack_flags option, 0 when absent
};

class PcapngReader
{
public:
    enum class Result { Packet, End, Error };

    explicit PcapngReader(InputStream &in);

    /// Reads the first Section Header Block; false (with error()) when the stream does not start with one.
    bool start();
    /// The next packet block; End at a clean end of the data; Error at damage (see error()).
    Result next(PcapngPacket &packet);

    const std::vector<PcapngInterface> &interfaces() const { return m_interfaces; }
    std::uint32_t sections() const { return m_sections; }
    /// The last next() passed a section header or interface description before its packet.
    bool passedHeaders() const { return m_passedHeaders; }
    const std::string &error() const { return m_error; }
    /// The error is data that ends in the middle of a block (a cut file), not damage.
    bool errorIsTruncation() const { return m_truncated; }

private:
    bool readSectionHeader(std::uint32_t lengthField);
    bool readInterface(std::uint32_t bodyLen);
    Result readPacket(std::uint32_t type, std::uint32_t bodyLen, PcapngPacket &packet);
    bool readExact(void *out, std::size_t n, const char *what);
    bool readTrailer(std::uint32_t length);
    Result fail(const std::string &why, bool truncated = false);
    std::uint32_t u32(const std::uint8_t *p) const;
    std::uint16_t u16(const std::uint8_t *p) const;

    InputStream &m_in;
    bool m_swap = false;
    std::uint32_t m_sections = 0;
    std::uint32_t m_sectionBase = 0; // index of the current section's first interface
    std::vector<PcapngInterface> m_interfaces;
    std::vector<std::uint8_t> m_body;
    std::string m_error;
    bool m_truncated = false;
    bool m_passedHeaders = false;
    std::uint64_t m_block = 0; // offset of the block being read, for messages
};

} // namespace ol
