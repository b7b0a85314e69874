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
constexpr std::size_t ReadBufferSize = 1 << 20; // a 1 MiB stdio buffer halves libpcap's read time
// The walker follows blocks libpcap has already accepted, and libpcap refuses any block over 16 MiB
// (INITIAL_MAX_BLOCKSIZE in sf-pcapng.c), so a larger length means the walker lost its way.
constexpr std::uint32_t MaxPcapngBlock = 16u << 20;
// Only packet blocks are read into memory (other blocks are skipped with a seek), and libpcap caps those
// at its largest snapshot length plus 128 KiB of options (MAX_BLOCKSIZE_FOR_SNAPLEN): memory stays bounded
// whatever length a hostile file claims.
constexpr std::uint32_t MaxPcapngPacketBlock = 262144 + 131072 + 64;
// No link or offload engine makes a frame longer than this; a longer "original length" in a record is
// damage, and trusting it would turn a header-only frame with IP length 0 into a gigabyte-sized segment.
constexpr std::uint32_t MaxPlausibleFrameLength = 256 * 1024;
// Timestamps are kept as signed 64-bit nanoseconds and subtracted from each other; seconds outside
// 1970..2106 (an unsigned 32-bit field) would overflow those differences and are clamped. Nothing was
// captured before 1970, and the analysis uses negative times as "not seen".
constexpr std::int64_t MinTimestampSeconds = 0;
constexpr std::int64_t MaxTimestampSeconds = (std::int64_t(1) << 32) - 1;

std::uint32_t swap32(std::uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}
std::uint16_t swap16(std::uint16_t v)
{
    return static_cast<std::uint16_t>((v >> 8) | (v << 8));
}

} // namespace

const char *formatName(CaptureFormat f)
{
    return f == CaptureFormat::PcapNg ? "pcapng" : "pcap";
}

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
                                     std::uint32_t &caplen, bool &isPacket)
{
    if (type != 6 && type != 2) {
        // Not a block with options we need: skip it without reading it into memory.
        isPacket = type == 3; // Simple Packet Block: no options, no flags, no captured length field
        return bodyLen == 0 || std::fseek(m_file, static_cast<long>(bodyLen), SEEK_CUR) == 0;
    }
    if (bodyLen > MaxPcapngPacketBlock)
        return false; // libpcap would have refused it: we are out of step
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
    isPacket = true;
    if (bodyLen < 20)
        return true; // libpcap refuses such a block; there are no options to read
    // Enhanced Packet Block and the obsolete Packet Block both keep the captured length at offset 12.
    caplen = u32(12);
    // 64-bit so that a captured length near 4 GiB cannot wrap the option offset back into the packet.
    std::uint64_t optionsAt = 20 + ((std::uint64_t(caplen) + 3) & ~std::uint64_t(3));
    // Options: code, length, value padded to 4.
    while (optionsAt + 4 <= bodyLen) {
        const std::uint16_t code = u16(static_cast<std::uint32_t>(optionsAt));
        const std::uint16_t len = u16(static_cast<std::uint32_t>(optionsAt + 2));
        if (code == 0)
            break;
        if (optionsAt + 4 + len > bodyLen)
            break;
        if (code == 2 && len == 4)
            flags = u32(static_cast<std::uint32_t>(optionsAt + 4));
        optionsAt += 4 + ((len + 3u) & ~3u);
    }
    return true;
}

bool PcapngFlagReader::nextPacketFlags(std::uint32_t &flags, std::uint32_t &caplen)
{
    flags = 0;
    caplen = 0;
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
        if (!readBlockBody(type, len - 12, flags, caplen, isPacket))
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
    struct stat st { };
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
        std::snprintf(buf, sizeof buf, "not a pcap or pcapng file (starts with bytes %02x %02x %02x %02x)", magic[0],
                      magic[1], magic[2], magic[3]);
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
    m_snapshot = static_cast<std::uint32_t>(pcap_snapshot(m_pcap));
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

void CaptureReader::snapshotExceeded(std::uint64_t claimed)
{
    warn(m_packets, "caplen-exceeds-snaplen",
         "Packet " + std::to_string(m_packets) + " claims " + withThousands(claimed)
             + " captured bytes, more than the file's snapshot length of " + withThousands(m_snapshot) + "; the first "
             + withThousands(m_snapshot) + " were used.");
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
    std::int64_t sec = hdr->ts.tv_sec;
    if (sec < MinTimestampSeconds || sec > MaxTimestampSeconds) {
        // pcapng timestamps are 64-bit and scaled by an if_tsresol from the file: a hostile value would
        // overflow nanoseconds (undefined behaviour) or the differences taken later.
        warn(m_packets, "bad-timestamp",
             "Packet " + std::to_string(m_packets) + " has a timestamp of " + std::to_string(sec)
                 + " s, outside the years 1970..2106; it was clamped.");
        sec = sec < MinTimestampSeconds ? MinTimestampSeconds : MaxTimestampSeconds;
    }
    std::int64_t frac = hdr->ts.tv_usec; // nanoseconds, we asked for nanosecond precision
    if (frac < 0 || frac >= 1000000000) {
        warn(m_packets, "bad-timestamp",
             "Packet " + std::to_string(m_packets) + " has a timestamp fraction of " + std::to_string(frac)
                 + " ns, outside 0..999,999,999; it was clamped.");
        frac = frac < 0 ? 0 : 999999999;
    }
    packet.time = static_cast<TimeNs>(sec) * 1000000000LL + frac;
    if (m_packets > 1 && packet.time < m_lastTime) {
        if (++m_backwardsTimes == 1)
            warn(m_packets, "time-backwards",
                 "Packet " + std::to_string(m_packets) + " is timestamped " + formatSeconds(m_lastTime - packet.time, 6)
                     + " s before the packet preceding it.");
    }
    m_lastTime = packet.time;
    packet.caplen = hdr->caplen;
    packet.origlen = hdr->len;
    if (hdr->caplen > hdr->len) {
        warn(m_packets, "caplen-exceeds-len",
             "Packet " + std::to_string(m_packets) + " claims " + std::to_string(hdr->caplen) + " captured bytes of a "
                 + std::to_string(hdr->len) + "-byte frame; the captured length is used.");
        packet.origlen = hdr->caplen;
    }
    if (packet.origlen > MaxPlausibleFrameLength) {
        warn(m_packets, "absurd-length",
             "Packet " + std::to_string(m_packets) + " claims a frame of " + withThousands(packet.origlen)
                 + " bytes, more than any link or offload engine produces (256 KiB); only its "
                 + std::to_string(hdr->caplen) + " captured bytes are trusted.");
        packet.origlen = hdr->caplen;
    }
    if (m_format == CaptureFormat::Pcap) {
        // libpcap silently cuts a record longer than the snapshot length to that length and skips the
        // rest; the file position tells whether it did (looked at only for records of exactly that size).
        m_recordOffset += 16 + std::uint64_t(hdr->caplen);
        if (hdr->caplen == m_snapshot && m_file) {
            const long pos = std::ftell(m_file);
            if (pos > 0 && std::uint64_t(pos) > m_recordOffset) {
                snapshotExceeded(hdr->caplen + (std::uint64_t(pos) - m_recordOffset));
                m_recordOffset = std::uint64_t(pos);
            }
        }
    }
    packet.data = data;
    packet.direction = RecordedDirection::Unknown;
    packet.pcapngFlags = 0;
    if (m_flags) {
        std::uint32_t flags = 0;
        std::uint32_t blockCaplen = 0;
        if (m_flags->nextPacketFlags(flags, blockCaplen)) {
            if (blockCaplen > hdr->caplen && hdr->caplen == m_snapshot)
                snapshotExceeded(blockCaplen);
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
