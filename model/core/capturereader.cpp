// SPDX-License-Identifier: GPL-3.0-or-later
// libpcap-based reader. libpcap validates record headers; we add format detection, timestamp checks,
// bounded warnings, and the pcapng flags walker.
#include "capturereader.h"

#include <pcap/pcap.h>

#include <cstring>
#include <sys/stat.h>

namespace ol {
namespace {

constexpr std::uint32_t MaxWarningsPerKind = 50;
constexpr std::size_t ReadBufferSize = 1 << 20;     // a 1 MiB stdio buffer halves libpcap's read time
constexpr std::uint32_t MaxPcapngBlock = 64u << 20; // walker refuses blocks larger than this

std::uint32_t swap32(std::uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}
std::uint16_t swap16(std::uint16_t v) { return static_cast<std::uint16_t>((v >> 8) | (v << 8)); }

} // namespace

const char *formatName(CaptureFormat f) { return f == CaptureFormat::PcapNg ? "pcapng" : "pcap"; }

// ---------------------------------------------------------------------------------------------------------
PcapngFlagReader::PcapngFlagReader(const std::string &path)
{
    m_file = std::fopen(path.c_str(), "rb");
    m_ok = m_file != nullptr;
}

PcapngFlagReader::~PcapngFlagReader()
{
    if (m_file)
        std::fclose(m_file);
}

bool PcapngFlagReader::readBlockBody(std::uint32_t type, std::uint32_t bodyLen, std::uint32_t &flags,
                                     bool &isPacket)
{
    m_body.resize(bodyLen);
    if (bodyLen && std::fread(m_body.data(), 1, bodyLen, m_file) != bodyLen)
        return false;
    const std::uint8_t *b = m_body.data();
    auto u32 = [&](std::uint32_t off) {
        std::uint32_t v;
        std::memcpy(&v, b + off, 4);
        return m_swap ? swap32(v) : v;
    };
    auto u16 = [&](std::uint32_t off) {
        std::uint16_t v;
        std::memcpy(&v, b + off, 2);
        return m_swap ? swap16(v) : v;
    };
    std::uint32_t optionsAt = 0;
    if (type == 6 && bodyLen >= 20) { // Enhanced Packet Block
        const std::uint32_t caplen = u32(12);
        optionsAt = 20 + ((caplen + 3) & ~3u);
        isPacket = true;
    } else if (type == 2 && bodyLen >= 20) { // obsolete Packet Block
        const std::uint32_t caplen = u32(12);
        optionsAt = 20 + ((caplen + 3) & ~3u);
        isPacket = true;
    } else if (type == 3) { // Simple Packet Block: no options
        isPacket = true;
        return true;
    } else {
        return true;
    }
    // Options: code, length, value padded to 4.
    while (optionsAt + 4 <= bodyLen) {
        const std::uint16_t code = u16(optionsAt);
        const std::uint16_t len = u16(optionsAt + 2);
        if (code == 0)
            break;
        if (optionsAt + 4 + len > bodyLen)
            break;
        if (code == 2 && len == 4)
            flags = u32(optionsAt + 4);
        optionsAt += 4 + ((len + 3u) & ~3u);
    }
    return true;
}

bool PcapngFlagReader::nextPacketFlags(std::uint32_t &flags)
{
    flags = 0;
    while (m_ok) {
        std::uint32_t head[2];
        if (std::fread(head, 4, 2, m_file) != 2)
            return m_ok = false;
        std::uint32_t type = head[0];
        std::uint32_t len = head[1];
        if (type == 0x0A0D0D0A) { // Section Header Block: learn the byte order from its magic
            std::uint32_t magic;
            if (std::fread(&magic, 4, 1, m_file) != 1)
                return m_ok = false;
            if (magic == 0x1A2B3C4D)
                m_swap = false;
            else if (magic == 0x4D3C2B1A)
                m_swap = true;
            else
                return m_ok = false;
            if (m_swap)
                len = swap32(len);
            if (len < 16 || len > MaxPcapngBlock || (len & 3))
                return m_ok = false;
            if (std::fseek(m_file, static_cast<long>(len - 12), SEEK_CUR) != 0)
                return m_ok = false;
            continue;
        }
        if (m_swap) {
            type = swap32(type);
            len = swap32(len);
        }
        if (len < 12 || len > MaxPcapngBlock || (len & 3))
            return m_ok = false;
        bool isPacket = false;
        if (!readBlockBody(type, len - 12, flags, isPacket))
            return m_ok = false;
        std::uint32_t trailer;
        if (std::fread(&trailer, 4, 1, m_file) != 1)
            return m_ok = false;
        if (isPacket)
            return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------------------
CaptureReader::CaptureReader() = default;

CaptureReader::~CaptureReader()
{
    if (m_pcap)
        pcap_close(m_pcap); // closes m_file too
}

bool CaptureReader::open(const std::string &path, std::string &error)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = std::strerror(errno);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        error = "is a directory, not a capture file";
        return false;
    }
    m_fileSize = static_cast<std::uint64_t>(st.st_size);
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file) {
        error = std::strerror(errno);
        return false;
    }
    m_buffer = std::make_unique<char[]>(ReadBufferSize);
    std::setvbuf(m_file, m_buffer.get(), _IOFBF, ReadBufferSize); // must precede any read
    std::uint8_t magic[4] = {};
    const std::size_t got = std::fread(magic, 1, 4, m_file);
    if (got == 0) {
        std::fclose(m_file);
        m_file = nullptr;
        error = "the file is empty";
        return false;
    }
    std::uint32_t m = std::uint32_t(magic[0]) << 24 | std::uint32_t(magic[1]) << 16 | std::uint32_t(magic[2]) << 8
                      | magic[3];
    const bool pcapng = m == 0x0A0D0D0A;
    const bool pcap = m == 0xA1B2C3D4 || m == 0xD4C3B2A1 || m == 0xA1B23C4D || m == 0x4D3CB2A1;
    if (got < 4 || (!pcapng && !pcap)) {
        std::fclose(m_file);
        m_file = nullptr;
        char buf[128];
        std::snprintf(buf, sizeof buf, "not a pcap or pcapng file (starts with bytes %02x %02x %02x %02x)",
                      magic[0], magic[1], magic[2], magic[3]);
        error = buf;
        return false;
    }
    std::rewind(m_file);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    m_pcap = pcap_fopen_offline_with_tstamp_precision(m_file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!m_pcap) {
        std::fclose(m_file);
        m_file = nullptr;
        error = std::string("libpcap cannot read it: ") + errbuf;
        return false;
    }
    m_format = pcapng ? CaptureFormat::PcapNg : CaptureFormat::Pcap;
    m_linkType = pcap_datalink(m_pcap);
    if (pcapng)
        m_flags = std::make_unique<PcapngFlagReader>(path);
    return true;
}

std::uint64_t CaptureReader::bytesRead() const
{
    if (!m_file)
        return 0;
    const long pos = std::ftell(m_file);
    return pos > 0 ? static_cast<std::uint64_t>(pos) : 0;
}

void CaptureReader::warn(std::uint64_t packet, const std::string &kind, const std::string &text)
{
    ++m_warningCount;
    for (auto &[k, n] : m_warningsPerKind) {
        if (k == kind) {
            if (++n > MaxWarningsPerKind)
                return;
            m_warnings.push_back({packet, kind, text});
            return;
        }
    }
    m_warningsPerKind.emplace_back(kind, 1);
    m_warnings.push_back({packet, kind, text});
}

bool CaptureReader::next(RawPacket &packet)
{
    if (!m_pcap)
        return false;
    struct pcap_pkthdr *hdr = nullptr;
    const u_char *data = nullptr;
    const int rc = pcap_next_ex(m_pcap, &hdr, &data);
    if (rc != 1) {
        if (rc == PCAP_ERROR) {
            const std::string reason = pcap_geterr(m_pcap);
            const bool truncated = reason.find("truncated") != std::string::npos;
            warn(m_packets + 1, truncated ? "truncated" : "damaged",
                 "Reading stopped at packet " + std::to_string(m_packets + 1) + ": " + reason + ". The "
                     + std::to_string(m_packets) + " packets before it are used.");
        }
        // Summarise what the per-kind bound held back.
        for (const auto &[kind, n] : m_warningsPerKind)
            if (n > MaxWarningsPerKind)
                m_warnings.push_back({0, kind,
                                      std::to_string(n - MaxWarningsPerKind) + " more warnings of kind '" + kind
                                          + "' were not listed."});
        m_warningsPerKind.clear();
        if (m_backwardsTimes > 1)
            m_warnings.push_back({0, "time-backwards",
                                  std::to_string(m_backwardsTimes)
                                      + " packets in all have a timestamp earlier than the packet before them."});
        m_backwardsTimes = 0;
        pcap_close(m_pcap);
        m_pcap = nullptr;
        m_file = nullptr;
        return false;
    }
    ++m_packets;
    std::int64_t frac = hdr->ts.tv_usec; // nanoseconds, we asked for nanosecond precision
    if (frac < 0 || frac >= 1000000000) {
        warn(m_packets, "bad-timestamp",
             "Packet " + std::to_string(m_packets) + " has a timestamp fraction of " + std::to_string(frac)
                 + " ns, outside 0..999,999,999; it was clamped.");
        frac = frac < 0 ? 0 : 999999999;
    }
    packet.time = static_cast<TimeNs>(hdr->ts.tv_sec) * 1000000000LL + frac;
    if (m_packets > 1 && packet.time < m_lastTime) {
        if (++m_backwardsTimes == 1)
            warn(m_packets, "time-backwards",
                 "Packet " + std::to_string(m_packets) + " is timestamped "
                     + formatSeconds(m_lastTime - packet.time, 6) + " s before the packet preceding it.");
    }
    m_lastTime = packet.time;
    packet.caplen = hdr->caplen;
    packet.origlen = hdr->len;
    if (hdr->caplen > hdr->len) {
        warn(m_packets, "caplen-exceeds-len",
             "Packet " + std::to_string(m_packets) + " claims " + std::to_string(hdr->caplen)
                 + " captured bytes of a " + std::to_string(hdr->len) + "-byte frame; the captured length is used.");
        packet.origlen = hdr->caplen;
    }
    packet.data = data;
    packet.direction = RecordedDirection::Unknown;
    packet.pcapngFlags = 0;
    if (m_flags) {
        std::uint32_t flags = 0;
        if (m_flags->nextPacketFlags(flags)) {
            packet.pcapngFlags = flags;
            if ((flags & 3) == 1)
                packet.direction = RecordedDirection::Incoming;
            else if ((flags & 3) == 2)
                packet.direction = RecordedDirection::Outgoing;
        } else {
            m_flags.reset(); // lost lockstep: stop reading flags rather than attach wrong ones
        }
    }
    return true;
}

} // namespace ol
