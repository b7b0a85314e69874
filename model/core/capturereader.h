// SPDX-License-Identifier: GPL-3.0-or-later
// Reading pcap and pcapng files through libpcap (nanosecond precision), plus a small bounds-checked pcapng
// block walker beside it for the per-packet flags libpcap does not hand over (direction, offload bits).
#pragma once

#include "decoder.h"
#include "types.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct pcap;

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
};

/// Walks pcapng blocks in lockstep with libpcap to read each packet block's flags option.
class PcapngFlagReader
{
public:
    explicit PcapngFlagReader(const std::string &path);
    ~PcapngFlagReader();
    PcapngFlagReader(const PcapngFlagReader &) = delete;
    PcapngFlagReader &operator=(const PcapngFlagReader &) = delete;

    /// Flags of the next packet block (EPB/PB; 0 for SPB), and the captured length its header claims
    /// (0 for SPB). False once the walker lost its way.
    bool nextPacketFlags(std::uint32_t &flags, std::uint32_t &caplen);

private:
    bool readBlockBody(std::uint32_t type, std::uint32_t bodyLen, std::uint32_t &flags, std::uint32_t &caplen,
                       bool &isPacket);
    std::FILE *m_file = nullptr;
    bool m_swap = false;
    bool m_ok = false;
    std::vector<std::uint8_t> m_body;
};

class CaptureReader
{
public:
    CaptureReader();
    ~CaptureReader();
    CaptureReader(const CaptureReader &) = delete;
    CaptureReader &operator=(const CaptureReader &) = delete;

    /// Opens the file; on failure returns false and sets error to a reason without the file name.
    bool open(const std::string &path, std::string &error);
    /// Reads the next packet. False at the end of the file or at damage (then a warning is added).
    bool next(RawPacket &packet);

    CaptureFormat format() const { return m_format; }
    int linkType() const { return m_linkType; }
    std::uint64_t fileSize() const { return m_fileSize; }
    std::uint64_t bytesRead() const;
    std::uint64_t packetsRead() const { return m_packets; }
    const std::vector<CaptureWarning> &warnings() const { return m_warnings; }
    /// Adds a warning, keeping at most a bounded number of each kind (hostile files can have millions).
    void warn(std::uint64_t packet, const std::string &kind, const std::string &text);
    /// How many warnings of all kinds were raised, including those not kept.
    std::uint64_t warningCount() const { return m_warningCount; }

private:
    void snapshotExceeded(std::uint64_t claimed);

    pcap *m_pcap = nullptr;
    std::FILE *m_file = nullptr;
    std::unique_ptr<char[]> m_buffer;
    std::unique_ptr<PcapngFlagReader> m_flags;
    CaptureFormat m_format = CaptureFormat::Pcap;
    int m_linkType = -1;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_packets = 0;
    std::uint32_t m_snapshot = 0; // the file's snapshot length, as libpcap applies it
    std::uint64_t m_recordOffset = 24; // pcap: where the next record starts if libpcap skipped nothing
    TimeNs m_lastTime = 0;
    std::uint64_t m_backwardsTimes = 0;
    std::vector<CaptureWarning> m_warnings;
    std::vector<std::pair<std::string, std::uint32_t>> m_warningsPerKind;
    std::uint64_t m_warningCount = 0;
};

} // namespace ol
