// SPDX-License-Identifier: GPL-3.0-or-later
// Reading pcap and pcapng captures: libpcap (nanosecond precision) where it can, the pcapng block reader
// beside it for the per-packet flags libpcap does not hand over, and in its place where libpcap refuses.
#pragma once

#include "decoder.h"
#include "inputstream.h"
#include "pcapngreader.h"
#include "types.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct pcap;
struct pcap_pkthdr;

namespace ol {

enum class CaptureFormat { Pcap, PcapNg };

const char *formatName(CaptureFormat f); // "pcap" / "pcapng"

/// A problem found while reading; the packets before it are still used.
struct CaptureWarning {
    std::uint64_t packet = 0; // 1-based frame number it concerns (0 = the file as a whole)
    std::string kind; // stable identifier: "truncated", "damaged", "bad-timestamp", ...
    std::string text; // one sentence for people
};

/// One record as read from the file; data stays valid until the next call to next().
struct RawPacket {
    TimeNs time = 0;
    std::uint32_t caplen = 0;
    std::uint32_t origlen = 0;
    const std::uint8_t *data = nullptr;
    RecordedDirection direction = RecordedDirection::Unknown; // from pcapng flags
    std::uint32_t pcapngFlags = 0;
    int linkType = -1; // of the interface the packet was captured on
    std::uint32_t interface = 0; // pcapng interface number across the file (see CaptureReader::interfaces)
};

/// Reads pcap and pcapng from a file, standard input ("-") or gzip/zstd/lz4-compressed data.
/// Plain pcap goes through libpcap; a seekable pcapng through libpcap with the pcapng block reader in
/// lockstep beside it for the flags, which takes over where libpcap refuses a file (interfaces of different
/// link types or snapshot lengths, sections); pcapng from a pipe or compressed data through the block reader.
class CaptureReader
{
public:
    CaptureReader();
    ~CaptureReader();
    CaptureReader(const CaptureReader &) = delete;
    CaptureReader &operator=(const CaptureReader &) = delete;

    /// Opens the file ("-": standard input); on failure returns false and sets error to a reason without
    /// the file name.
    bool open(const std::string &path, std::string &error);
    /// Reads the next packet. False at the end of the file or at damage (then a warning is added).
    bool next(RawPacket &packet);

    CaptureFormat format() const { return m_format; }
    Compression compression() const { return m_compression; }
    /// The link type of the pcap file or of libpcap's first pcapng interface; -1 when not known yet.
    int linkType() const { return m_linkType; }
    /// pcapng interfaces seen so far (empty for pcap).
    const std::vector<PcapngInterface> &interfaces() const;
    /// Size on disk (compressed size when compressed); 0 for a pipe.
    std::uint64_t fileSize() const { return m_fileSize; }
    /// Bytes of the file read so far (compressed bytes when compressed).
    std::uint64_t bytesRead() const;
    std::uint64_t packetsRead() const { return m_packets; }
    const std::vector<CaptureWarning> &warnings() const { return m_warnings; }
    /// Adds a warning, keeping at most a bounded number of each kind (hostile files can have millions).
    void warn(std::uint64_t packet, const std::string &kind, const std::string &text);
    /// How many warnings of all kinds were raised, including those not kept.
    std::uint64_t warningCount() const { return m_warningCount; }

private:
    bool openLibpcap(std::FILE *file, std::string &error);
    bool nextLibpcap(RawPacket &packet);
    bool nextPcapng(RawPacket &packet);
    void checkLockstep(const pcap_pkthdr &hdr, RawPacket &packet);
    void accept(RawPacket &packet, std::int64_t sec, std::int64_t frac, std::uint32_t caplen, std::uint32_t len);
    void stopped(const std::string &reason, bool truncated);
    void finish();
    void snapshotExceeded(std::uint64_t claimed);

    std::unique_ptr<InputStream> m_stream; // stdin, compressed data, or the block reader's own view of a file
    std::unique_ptr<PcapngReader> m_pcapng; // in lockstep with libpcap, or the reader itself
    bool m_inStep = false; // m_pcapng walks beside libpcap and agrees with it so far
    pcap *m_pcap = nullptr;
    std::FILE *m_file = nullptr; // what libpcap reads
    bool m_plainFile = false; // m_file is the file itself (ftell is a file position)
    std::unique_ptr<char[]> m_buffer;
    std::string m_libpcapStop; // why libpcap stopped before the block reader took over
    CaptureFormat m_format = CaptureFormat::Pcap;
    Compression m_compression = Compression::None;
    int m_linkType = -1;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_packets = 0;
    std::uint32_t m_snapshot = 0; // the file's snapshot length, as libpcap applies it
    std::uint64_t m_recordOffset = 24; // pcap: where the next record starts if libpcap skipped nothing
    TimeNs m_lastTime = 0;
    std::uint64_t m_backwardsTimes = 0;
    bool m_finished = false;
    std::vector<CaptureWarning> m_warnings;
    std::vector<std::pair<std::string, std::uint32_t>> m_warningsPerKind;
    std::uint64_t m_warningCount = 0;
};

} // namespace ol
