// SPDX-License-Identifier: GPL-3.0-or-later
// A loaded capture: file facts, counters, warnings and the reassembled connections.
#pragma once

#include "capturereader.h"
#include "connection.h"
#include "interfaceinfo.h"
#include "offloadtypes.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ol {

/// Packet counts by what the decoder made of them.
struct TraceCounters {
    std::uint64_t packets = 0; // records read
    std::uint64_t tcpPackets = 0;
    std::uint64_t notIp = 0;
    std::uint64_t notTcp = 0;
    std::uint64_t fragments = 0;
    std::uint64_t truncated = 0; // headers cut short by the snapshot length or damage
    std::uint64_t malformed = 0;
    std::uint64_t unknownLinkType = 0;
    std::uint64_t lengthMismatch = 0;
    std::uint64_t tunnelled = 0;
    std::uint64_t icmpTooBig = 0;
};

/// An ICMP "too big" error seen in the capture, kept for the problem diagnosis (model/core/problems).
struct IcmpTooBigEvent {
    TimeNs time = 0;
    std::uint32_t frame = 0;
    IcmpTooBigInfo info;
};

/// An encapsulation seen but not decoded, and how many frames stopped at it (kind None: all others, once
/// the loader's bound on distinct kinds is reached).
struct UnknownEncapCount {
    UnknownEncap kind = UnknownEncap::None;
    std::uint32_t value = 0;
    std::uint64_t packets = 0;
};

struct Trace {
    std::string path;
    CaptureFormat format = CaptureFormat::Pcap;
    std::vector<std::string> linkTypes; // libpcap names, e.g. "EN10MB"
    std::uint64_t fileSize = 0;
    TraceCounters counts;
    TimeNs firstTime = 0;
    TimeNs lastTime = 0;
    std::vector<CaptureWarning> warnings;
    std::vector<std::unique_ptr<Connection>> connections;
    std::vector<IcmpTooBigEvent> icmpTooBig; // in capture order; bounded by the loader
    std::vector<UnknownEncapCount> unknownEncapsulations; // first-seen order; bounded by the loader
    FileOffloadVerdict offload; // filled by analyzeOffload()
    std::optional<InterfaceInfo> interface; // live captures only: the interface and what the kernel said
    std::vector<std::string> localAddresses; // live captures only: this host's addresses (set before analysis)

    // A snapshot handed out while the file is still loading (LoadOptions::partial; model/core/tracesnapshot.h):
    // the part read so far, analysed like a whole file. A final trace has partial == false.
    bool partial = false;
    double fractionRead = 1.0; // bytes read of fileSize when the snapshot was taken
    /// When the snapshot's segment budget was hit: every direction holds only its first this many segments
    /// (its counters still count them all); 0 when every segment read so far is in it.
    std::uint64_t partialSegmentLimit = 0;
    std::uint64_t partialSegmentsLeftOut = 0; // segments read but not copied (the budget)
    std::uint64_t partialConnectionsLeftOut = 0; // connections read but not copied (the budget)

    /// The connection with this id, or nullptr (ids are indices unless a caller renumbered them).
    const Connection *connectionById(std::uint32_t id) const
    {
        if (id < connections.size() && connections[id]->id == id)
            return connections[id].get();
        for (const auto &c : connections)
            if (c->id == id)
                return c.get();
        return nullptr;
    }

    /// Bytes held by all segment stores, for memory reports.
    std::size_t segmentBytes() const
    {
        std::size_t n = 0;
        for (const auto &c : connections)
            n += c->directions[0].segments.capacityBytes() + c->directions[1].segments.capacityBytes();
        return n;
    }
};

} // namespace ol
