// SPDX-License-Identifier: GPL-3.0-or-later
// Capture reading: format and compression detection, libpcap where it reads the file, the pcapng block
// reader in lockstep beside it or in its place, timestamp checks and bounded warnings.
#include "capturereader.h"

#include <pcap/pcap.h>
#include <stdio_ext.h>

#include <cstring>
#include <sys/stat.h>

namespace ol {
namespace {

constexpr std::uint32_t MaxWarningsPerKind = 50;
constexpr std::size_t ReadBufferSize = 1 << 20; // a 1 MiB stdio buffer halves libpcap's read time
// No link or offload engine makes a frame longer than this; a longer "original length" in a record is
// damage, and trusting it would turn a header-only frame with IP length 0 into a gigabyte-sized segment.
constexpr std::uint32_t MaxPlausibleFrameLength = 256 * 1024;
// Timestamps are kept as signed 64-bit nanoseconds and subtracted from each other; seconds outside
// 1970..2106 (an unsigned 32-bit field) would overflow those differences and are clamped. Nothing was
// captured before 1970, and the analysis uses negative times as "not seen".
constexpr std::int64_t MinTimestampSeconds = 0;
constexpr std::int64_t MaxTimestampSeconds = (std::int64_t(1) << 32) - 1;

/// libpcap 1.10 reads pcap versions 2.0..2.4 and 543.0 (DG/UX) only; Wireshark reads any version from
/// 2.0 on the same way (capinfos on a 2.5 and a 3.4 header: all packets; on 1.x: refused).
bool libpcapRefusesVersion(unsigned major, unsigned minor)
{
    return major >= 2 && !(major == 2 && minor <= 4) && !(major == 543 && minor == 0);
}

/// libpcap 1.10's refusals of valid pcapng files (sf-pcapng.c); the block reader reads these on.
bool isMultiInterfaceRefusal(const std::string &reason)
{
    return reason.find("different from the type of the first interface") != std::string::npos
        || reason.find("different from the snapshot length of the first interface") != std::string::npos;
}

const std::vector<PcapngInterface> NoInterfaces;

} // namespace

const char *formatName(CaptureFormat f)
{
    return f == CaptureFormat::PcapNg ? "pcapng" : "pcap";
}

CaptureReader::CaptureReader() = default;

CaptureReader::~CaptureReader()
{
    if (m_pcap)
        pcap_close(m_pcap); // closes m_file too, before the stream a cookie FILE reads from goes
}

const std::vector<PcapngInterface> &CaptureReader::interfaces() const
{
    return m_pcapng ? m_pcapng->interfaces() : NoInterfaces;
}

bool CaptureReader::openLibpcap(std::FILE *file, std::string &error)
{
    m_file = file;
    m_buffer = std::make_unique<char[]>(ReadBufferSize);
    std::setvbuf(m_file, m_buffer.get(), _IOFBF, ReadBufferSize); // must precede any read
    // One thread at a time reads the file (the loader's reading thread, started after this): no lock per
    // fread and ftell. libpcap makes two freads per packet and the snapshot check an ftell.
    __fsetlocking(m_file, FSETLOCKING_BYCALLER);
    // A seek makes glibc cache the file offset; without one every ftell (the snapshot check asks for the
    // position after each full-snapshot record) is an lseek system call: 2.4x the load time of a 1M-packet
    // headers-only capture.
    if (m_plainFile)
        std::fseek(m_file, 0, SEEK_SET);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    m_pcap = pcap_fopen_offline_with_tstamp_precision(m_file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!m_pcap) {
        std::fclose(m_file);
        m_file = nullptr;
        error = std::string("libpcap cannot read it: ") + errbuf;
        return false;
    }
    m_linkType = pcap_datalink(m_pcap);
    m_snapshot = static_cast<std::uint32_t>(pcap_snapshot(m_pcap));
    return true;
}

bool CaptureReader::open(const std::string &path, std::string &error)
{
    if (path != "-") {
        struct stat st { };
        if (::stat(path.c_str(), &st) != 0) {
            error = std::strerror(errno);
            return false;
        }
    }
    m_stream = std::make_unique<InputStream>();
    if (!m_stream->open(path, error))
        return false;
    m_compression = m_stream->compression();
    m_fileSize = m_stream->fileSize();
    const std::string after = m_compression == Compression::None
        ? std::string()
        : std::string(" after ") + compressionName(m_compression) + " decompression";
    std::uint8_t head[8] = {};
    const std::size_t got = m_stream->peek(head, sizeof head);
    if (got == 0) {
        error = m_stream->error().empty()
            ? (m_stream->isStdin() ? "standard input is empty" : "the file is empty" + after)
            : m_stream->error();
        return false;
    }
    const std::uint32_t m = std::uint32_t(head[0]) << 24 | std::uint32_t(head[1]) << 16 | std::uint32_t(head[2]) << 8
        | head[3];
    const bool pcapng = m == 0x0A0D0D0A;
    // Microsecond, nanosecond and Kuznetzov's modified pcap (libpcap reads all three), in either byte order.
    const bool bigEndian = m == 0xA1B2C3D4 || m == 0xA1B23C4D || m == 0xA1B2CD34;
    const bool pcap = bigEndian || m == 0xD4C3B2A1 || m == 0x4D3CB2A1 || m == 0x34CDB2A1;
    if (got < 4 || (!pcapng && !pcap)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "not a pcap or pcapng file%s (starts with bytes %02x %02x %02x %02x)",
                      after.c_str(), head[0], head[1], head[2], head[3]);
        error = buf;
        return false;
    }
    m_format = pcapng ? CaptureFormat::PcapNg : CaptureFormat::Pcap;
    if (pcap) {
        bool patch = false;
        if (got == sizeof head) {
            const unsigned major = bigEndian ? head[4] << 8 | head[5] : head[5] << 8 | head[4];
            const unsigned minor = bigEndian ? head[6] << 8 | head[7] : head[7] << 8 | head[6];
            patch = libpcapRefusesVersion(major, minor);
            if (patch)
                warn(0, "unusual-version",
                     "The pcap header says version " + std::to_string(major) + "." + std::to_string(minor)
                         + ", which libpcap refuses; the file was read as version 2.4, as Wireshark reads it.");
        }
        if (m_stream->seekable() && !patch) {
            // Plain file: libpcap reads it itself, at full speed, and the file position shows skipped bytes.
            m_stream.reset();
            std::FILE *f = std::fopen(path.c_str(), "rb");
            if (!f) {
                error = std::strerror(errno);
                return false;
            }
            m_plainFile = true;
            return openLibpcap(f, error);
        }
        std::FILE *f = m_stream->asFile(patch, bigEndian);
        if (!f) {
            error = "cannot set up reading";
            return false;
        }
        return openLibpcap(f, error);
    }
    if (m_stream->seekable()) {
        std::FILE *f = std::fopen(path.c_str(), "rb");
        if (!f) {
            error = std::strerror(errno);
            return false;
        }
        m_plainFile = true;
        std::string libpcapError;
        const bool libpcapOk = openLibpcap(f, libpcapError);
        m_pcapng = std::make_unique<PcapngReader>(*m_stream);
        if (!m_pcapng->start()) {
            if (!libpcapOk) {
                error = libpcapError;
                return false;
            }
            // libpcap reads what the block reader does not: libpcap alone, without flags.
            warn(0, "pcapng-out-of-step",
                 "The pcapng block reader cannot follow this file (" + m_pcapng->error()
                     + "); recorded directions and pcapng flags are not used.");
            m_pcapng.reset();
            return true;
        }
        if (libpcapOk) {
            m_inStep = true;
            return true;
        }
        // libpcap refused the start (an empty section without interfaces, for one): the block reader reads it.
        m_plainFile = false;
        m_libpcapStop = libpcapError;
        return true;
    }
    m_pcapng = std::make_unique<PcapngReader>(*m_stream);
    if (!m_pcapng->start()) {
        error = m_pcapng->error();
        return false;
    }
    return true;
}

std::uint64_t CaptureReader::bytesRead() const
{
    if (m_pcap && m_plainFile && m_file) {
        const long pos = std::ftell(m_file);
        return pos > 0 ? static_cast<std::uint64_t>(pos) : 0;
    }
    return m_stream ? m_stream->consumed() : 0;
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

void CaptureReader::stopped(const std::string &reason, bool truncated)
{
    warn(m_packets + 1, truncated ? "truncated" : "damaged",
         "Reading stopped at packet " + std::to_string(m_packets + 1) + ": " + reason + ". The "
             + std::to_string(m_packets) + " packets before it are used.");
}

void CaptureReader::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // Summarise what the per-kind bound held back.
    for (const auto &[kind, n] : m_warningsPerKind)
        if (n > MaxWarningsPerKind)
            m_warnings.push_back(
                {0, kind,
                 std::to_string(n - MaxWarningsPerKind) + " more warnings of kind '" + kind + "' were not listed."});
    m_warningsPerKind.clear();
    if (m_backwardsTimes > 1)
        m_warnings.push_back({0, "time-backwards",
                              std::to_string(m_backwardsTimes)
                                  + " packets in all have a timestamp earlier than the packet before them."});
    m_backwardsTimes = 0;
    if (m_pcap) {
        pcap_close(m_pcap);
        m_pcap = nullptr;
        m_file = nullptr;
    }
}

void CaptureReader::accept(RawPacket &packet, std::int64_t sec, std::int64_t frac, std::uint32_t caplen,
                           std::uint32_t len)
{
    ++m_packets;
    if (sec < MinTimestampSeconds || sec > MaxTimestampSeconds) {
        // pcapng timestamps are 64-bit and scaled by an if_tsresol from the file: a hostile value would
        // overflow nanoseconds (undefined behaviour) or the differences taken later.
        warn(m_packets, "bad-timestamp",
             "Packet " + std::to_string(m_packets) + " has a timestamp of " + std::to_string(sec)
                 + " s, outside the years 1970..2106; it was clamped.");
        sec = sec < MinTimestampSeconds ? MinTimestampSeconds : MaxTimestampSeconds;
    }
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
    packet.caplen = caplen;
    packet.origlen = len;
    if (caplen > len) {
        warn(m_packets, "caplen-exceeds-len",
             "Packet " + std::to_string(m_packets) + " claims " + std::to_string(caplen) + " captured bytes of a "
                 + std::to_string(len) + "-byte frame; the captured length is used.");
        packet.origlen = caplen;
    }
    if (packet.origlen > MaxPlausibleFrameLength) {
        warn(m_packets, "absurd-length",
             "Packet " + std::to_string(m_packets) + " claims a frame of " + withThousands(packet.origlen)
                 + " bytes, more than any link or offload engine produces (256 KiB); only its " + std::to_string(caplen)
                 + " captured bytes are trusted.");
        packet.origlen = caplen;
    }
    packet.direction = RecordedDirection::Unknown;
    packet.pcapngFlags = 0;
    packet.interface = 0;
}

namespace {

void setFlags(RawPacket &packet, std::uint32_t flags)
{
    packet.pcapngFlags = flags;
    if ((flags & 3) == 1)
        packet.direction = RecordedDirection::Incoming;
    else if ((flags & 3) == 2)
        packet.direction = RecordedDirection::Outgoing;
}

} // namespace

void CaptureReader::checkLockstep(const pcap_pkthdr &hdr, RawPacket &packet)
{
    PcapngPacket block;
    const PcapngReader::Result r = m_pcapng->next(block);
    // libpcap cuts a packet longer than the snapshot length to it; anything else must agree exactly, or the
    // flags of one packet would be attached to another.
    const bool same = r == PcapngReader::Result::Packet && block.seconds == std::int64_t(hdr.ts.tv_sec)
        && block.nanoseconds == std::int64_t(hdr.ts.tv_usec) && block.origlen == hdr.len
        && (block.caplen == hdr.caplen || (block.caplen > hdr.caplen && hdr.caplen == m_snapshot));
    if (!same) {
        m_inStep = false;
        m_pcapng.reset();
        const std::string why = r == PcapngReader::Result::Packet
            ? "it reads a packet of " + std::to_string(block.caplen) + "/" + std::to_string(block.origlen)
                + " bytes at " + std::to_string(block.seconds) + "." + std::to_string(block.nanoseconds)
                + " s, libpcap " + std::to_string(hdr.caplen) + "/" + std::to_string(hdr.len) + " bytes at "
                + std::to_string(hdr.ts.tv_sec) + "." + std::to_string(hdr.ts.tv_usec) + " s"
            : r == PcapngReader::Result::End ? "it finds no more packets"
                                             : "it stops: " + m_pcapng->error();
        warn(m_packets, "pcapng-out-of-step",
             "Packet " + std::to_string(m_packets) + ": the pcapng block reader is out of step with libpcap (" + why
                 + "); recorded directions and pcapng flags are not used from this packet on.");
        return;
    }
    if (block.caplen > hdr.caplen)
        snapshotExceeded(block.caplen);
    packet.interface = block.interface;
    setFlags(packet, block.flags);
}

bool CaptureReader::nextLibpcap(RawPacket &packet)
{
    struct pcap_pkthdr *hdr = nullptr;
    const u_char *data = nullptr;
    const int rc = pcap_next_ex(m_pcap, &hdr, &data);
    if (rc != 1) {
        if (rc == PCAP_ERROR) {
            const std::string reason = pcap_geterr(m_pcap);
            if (m_inStep) {
                // The block reader stands right after the last packet libpcap delivered: it reads on.
                pcap_close(m_pcap);
                m_pcap = nullptr;
                m_file = nullptr;
                m_inStep = false;
                m_libpcapStop = reason;
                return nextPcapng(packet);
            }
            if (m_stream && !m_stream->error().empty())
                stopped(m_stream->error(), m_stream->errorIsTruncation());
            else
                stopped(reason, reason.find("truncated") != std::string::npos);
        }
        finish();
        return false;
    }
    // hdr->ts.tv_usec holds nanoseconds: we asked for nanosecond precision.
    accept(packet, hdr->ts.tv_sec, hdr->ts.tv_usec, hdr->caplen, hdr->len);
    packet.linkType = m_linkType;
    packet.data = data;
    if (m_format == CaptureFormat::Pcap && m_plainFile) {
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
    if (m_inStep)
        checkLockstep(*hdr, packet);
    return true;
}

bool CaptureReader::nextPcapng(RawPacket &packet)
{
    PcapngPacket block;
    const PcapngReader::Result r = m_pcapng->next(block);
    if (r != PcapngReader::Result::Packet) {
        if (r == PcapngReader::Result::Error)
            stopped(m_pcapng->error(), m_pcapng->errorIsTruncation());
        finish();
        return false;
    }
    if (!m_libpcapStop.empty()) {
        // Say so when libpcap called the file damaged and the block reader still found packets after it. Where
        // libpcap stopped at a new section or interface (other link types, snapshot lengths or byte order) the
        // block reader read without fault, that is a limit of libpcap 1.10, not damage.
        if (!isMultiInterfaceRefusal(m_libpcapStop) && !m_pcapng->passedHeaders())
            warn(m_packets + 1, "libpcap-refused",
                 "libpcap stops before packet " + std::to_string(m_packets + 1) + " (" + m_libpcapStop
                     + "); the pcapng block reader reads on from there.");
        m_libpcapStop.clear();
    }
    accept(packet, block.seconds, block.nanoseconds, block.caplen, block.origlen);
    const PcapngInterface &itf = m_pcapng->interfaces()[block.interface];
    packet.linkType = itf.linkType;
    packet.interface = block.interface;
    packet.data = block.data;
    setFlags(packet, block.flags);
    return true;
}

bool CaptureReader::next(RawPacket &packet)
{
    if (m_finished)
        return false;
    if (m_pcap)
        return nextLibpcap(packet);
    if (m_pcapng)
        return nextPcapng(packet);
    finish();
    return false;
}

} // namespace ol
