// SPDX-License-Identifier: GPL-3.0-or-later
// pcapng blocks (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html), host byte order: the
// byte-order magic in the section header tells readers which it is.
#include "pcapngwriter.h"

#include "pcapngformat.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ol {
using namespace pcapng;

namespace {
constexpr std::uint16_t OptIfName = 2, OptIfTsResol = 9, OptIfFcsLen = 13, OptShbUserAppl = 4;
constexpr std::size_t FlushAt = 64 * 1024;
} // namespace

PcapngWriter::PcapngWriter(std::vector<int> fds)
    : m_fds(std::move(fds))
{
    m_buf.reserve(FlushAt + 70000);
}

void PcapngWriter::put32(std::uint32_t v)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
    m_buf.insert(m_buf.end(), p, p + 4);
}

void PcapngWriter::put16(std::uint16_t v)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
    m_buf.insert(m_buf.end(), p, p + 2);
}

void PcapngWriter::pad()
{
    while (m_buf.size() % 4)
        m_buf.push_back(0);
}

void PcapngWriter::option(std::uint16_t code, const void *data, std::uint16_t length)
{
    put16(code);
    put16(length);
    const auto *p = static_cast<const std::uint8_t *>(data);
    m_buf.insert(m_buf.end(), p, p + length);
    pad();
}

void PcapngWriter::finishBlock(std::size_t from)
{
    const std::uint32_t total = std::uint32_t(m_buf.size() - from + 4);
    put32(total);
    std::memcpy(m_buf.data() + from + 4, &total, 4);
}

bool PcapngWriter::section(const std::string &comment)
{
    // Section header: byte-order magic, version 1.0, section length unknown (-1).
    const std::size_t start = m_buf.size();
    put32(SectionHeaderType);
    put32(0); // total length, patched by finishBlock
    put32(ByteOrderMagic);
    put16(1);
    put16(0);
    put32(0xffffffffu);
    put32(0xffffffffu);
    const std::string appl = "OffloadLens";
    option(OptShbUserAppl, appl.data(), std::uint16_t(appl.size()));
    if (!comment.empty())
        option(OptComment, comment.data(), std::uint16_t(std::min<std::size_t>(comment.size(), 60000)));
    option(OptEnd, nullptr, 0);
    finishBlock(start);
    return m_buf.size() < FlushAt || flush();
}

bool PcapngWriter::interface(int linkType, std::uint32_t snaplen, const std::string &interfaceName,
                             std::uint8_t tsresol, int fcsLength)
{
    // Interface description: link type, reserved, snaplen, then the options.
    const std::size_t start = m_buf.size();
    put32(InterfaceDescriptionType);
    put32(0);
    put16(std::uint16_t(linkType));
    put16(0);
    put32(snaplen);
    if (!interfaceName.empty())
        option(OptIfName, interfaceName.data(), std::uint16_t(std::min<std::size_t>(interfaceName.size(), 255)));
    if (tsresol != 6) // microseconds is the default
        option(OptIfTsResol, &tsresol, 1);
    if (fcsLength >= 0) {
        const auto fcs = std::uint8_t(fcsLength);
        option(OptIfFcsLen, &fcs, 1);
    }
    option(OptEnd, nullptr, 0);
    finishBlock(start);
    return m_buf.size() < FlushAt || flush();
}

bool PcapngWriter::begin(int linkType, std::uint32_t snaplen, const std::string &interfaceName,
                         const std::string &comment)
{
    return section(comment) && interface(linkType, snaplen, interfaceName, 9) && flush();
}

bool PcapngWriter::packetBlock(std::uint32_t interface, std::uint64_t timestamp, const std::uint8_t *data,
                               std::uint32_t caplen, std::uint32_t origlen, const std::vector<std::string> &comments)
{
    const std::size_t start = m_buf.size();
    put32(EnhancedPacketType);
    put32(0);
    put32(interface);
    put32(std::uint32_t(timestamp >> 32));
    put32(std::uint32_t(timestamp));
    put32(caplen);
    put32(origlen);
    m_buf.insert(m_buf.end(), data, data + caplen);
    pad();
    for (const std::string &c : comments)
        option(OptComment, c.data(), std::uint16_t(std::min(c.size(), MaxOptionLength)));
    if (!comments.empty())
        option(OptEnd, nullptr, 0);
    finishBlock(start);
    return m_buf.size() < FlushAt || flush();
}

bool PcapngWriter::rawBlock(const std::uint8_t *block, std::size_t length)
{
    m_buf.insert(m_buf.end(), block, block + length);
    return m_buf.size() < FlushAt || flush();
}

bool PcapngWriter::packet(std::int64_t timeNs, const std::uint8_t *data, std::uint32_t caplen, std::uint32_t origlen)
{
    const std::uint32_t padded = pad4(caplen);
    const std::uint32_t total = 32 + padded;
    const auto ts = static_cast<std::uint64_t>(timeNs);
    put32(EnhancedPacketType);
    put32(total);
    put32(0); // interface 0
    put32(std::uint32_t(ts >> 32));
    put32(std::uint32_t(ts));
    put32(caplen);
    put32(origlen);
    m_buf.insert(m_buf.end(), data, data + caplen);
    m_buf.resize(m_buf.size() + (padded - caplen), 0);
    put32(total);
    return m_buf.size() < FlushAt || flush();
}

bool PcapngWriter::flush()
{
    if (m_buf.empty() || !m_error.empty())
        return m_error.empty();
    for (int fd : m_fds) {
        std::size_t done = 0;
        while (done < m_buf.size()) {
            const ssize_t n = ::write(fd, m_buf.data() + done, m_buf.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                m_error = std::strerror(errno);
                return false;
            }
            done += std::size_t(n);
        }
    }
    m_written += m_buf.size();
    m_buf.clear();
    return true;
}

} // namespace ol
