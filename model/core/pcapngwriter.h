// SPDX-License-Identifier: GPL-3.0-or-later
// A small pcapng writer: one section, one interface, enhanced packet blocks with nanosecond timestamps; or,
// block by block, several interfaces of any time resolution, packet comments and blocks copied as they are.
// Each block is written whole, so a file cut off by an interrupted process ends on a block boundary
// except for the last block, which readers report as truncated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ol {

class PcapngWriter
{
public:
    /// Writes to the descriptors given (a file, a pipe, or both); the writer does not own them.
    explicit PcapngWriter(std::vector<int> fds);

    /// Section header and the one interface description: link type (DLT), snapshot length, name.
    bool begin(int linkType, std::uint32_t snaplen, const std::string &interfaceName, const std::string &comment);
    /// One packet; time in nanoseconds since the epoch.
    bool packet(std::int64_t timeNs, const std::uint8_t *data, std::uint32_t caplen, std::uint32_t origlen);
    /// A section header block only (user application "OffloadLens", an optional comment).
    bool section(const std::string &comment);
    /// An interface description: link type, snapshot length, name (may be empty), time resolution as the
    /// if_tsresol byte (6: microseconds, 9: nanoseconds), FCS length in bytes (-1: not stated).
    bool interface(int linkType, std::uint32_t snaplen, const std::string &interfaceName, std::uint8_t tsresol,
                   int fcsLength = -1);
    /// An enhanced packet block on an interface, timestamp in that interface's units, with one opt_comment
    /// per comment.
    bool packetBlock(std::uint32_t interface, std::uint64_t timestamp, const std::uint8_t *data, std::uint32_t caplen,
                     std::uint32_t origlen, const std::vector<std::string> &comments);
    /// A whole block (header to trailer) copied as it is, in whatever byte order its section uses.
    bool rawBlock(const std::uint8_t *block, std::size_t length);
    /// Writes what is buffered. Called on its own after about 64 KiB and by the owner at least once a
    /// second, so that a reader of a pipe (or a file) sees the packets soon.
    bool flush();

    const std::string &error() const { return m_error; }
    /// Bytes written to every descriptor so far (whole blocks only), while error() is empty.
    std::uint64_t written() const { return m_written; }

private:
    void put32(std::uint32_t v);
    void put16(std::uint16_t v);
    void option(std::uint16_t code, const void *data, std::uint16_t length);
    void pad();
    void finishBlock(std::size_t from);

    std::vector<int> m_fds;
    std::vector<std::uint8_t> m_buf;
    std::string m_error;
    std::uint64_t m_written = 0;
};

} // namespace ol
