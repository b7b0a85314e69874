// SPDX-License-Identifier: GPL-3.0-or-later
// A TCP connection as reassembled from one capture: its two directions, handshake options and counters.
#pragma once

#include "decoder.h"
#include "offloadtypes.h"
#include "segmentstore.h"
#include "types.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ol {

/// What one side announced in its SYN (or SYN/ACK).
struct HandshakeOptions {
    bool sawSyn = false;
    std::uint16_t mss = 0;
    bool hasMss = false;
    std::int8_t windowScale = -1;
    bool sackPermitted = false;
    bool timestamps = false;
    std::uint32_t isn = 0;
    std::uint8_t ttl = 0;
    TimeNs time = 0;
    std::uint32_t frame = 0;
};

/// Counters of one direction, filled while loading.
struct DirectionStats {
    std::uint64_t segments = 0; // every TCP packet sent this way
    std::uint64_t dataSegments = 0; // with payload
    std::uint64_t payloadBytes = 0; // sum of payload lengths, retransmissions included
    std::uint64_t uniqueBytes = 0; // sequence space covered: bytes delivered at least once
    std::uint32_t maxPayload = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t outOfOrder = 0;
    std::uint64_t duplicateAcks = 0;
    std::uint64_t zeroWindows = 0;
    std::uint64_t sackSegments = 0;
    std::uint64_t keepAlives = 0;
    std::uint64_t gapEvents = 0; // a segment started past the highest byte seen ("previous segment not captured")
    std::uint64_t missingBytes = 0; // bytes the peer acknowledged that this capture never showed
    std::uint64_t ipLengthZero = 0;
    std::uint64_t lengthMismatch = 0;
    std::uint64_t tcpChecksum[4] = {}; // by ChecksumState
    std::uint64_t ipChecksum[4] = {}; // by ChecksumState
    std::uint64_t recorded[3] = {}; // by RecordedDirection
    std::uint64_t pcapngTsoFlag = 0; // pcapng EPB flag bit "TCP segmentation offloaded"
};

/// One direction of a connection.
struct FlowDirection {
    Endpoint from;
    Endpoint to;
    HandshakeOptions handshake; // the SYN this side sent
    DirectionStats stats;
    SegmentStore segments;
    std::uint32_t baseSeq = 0; // raw sequence number that relSeq 0 stands for (ISN, or first seen)
    bool baseSet = false;
    DirectionOffload offload; // filled by analyzeOffload()
};

/// A TCP connection. directions[0] is client -> server, directions[1] is server -> client.
struct Connection {
    std::uint32_t id = 0;
    Endpoint client;
    Endpoint server;
    std::uint32_t vlanKey = 0;
    bool midstream = false; // no SYN seen: the capture started after the connection did
    bool rolesGuessed = false; // client/server chosen by port numbers, not by the handshake
    bool sawSynAck = false;
    bool sawFin[2] = {false, false};
    bool sawRst = false;
    TimeNs firstTime = 0;
    TimeNs lastTime = 0;
    std::uint64_t packets = 0;
    TimeNs synTime = -1, synAckTime = -1, handshakeAckTime = -1; // for handshake timing evidence
    FlowDirection directions[2];

    // Where the TCP was found. The stack is the first packet's; a connection seen in a second stack (mirror
    // copies on several trunks, a VLAN tag one way only) keeps the first and records the other.
    Encapsulation encapsulation; // "eth / vlan 100 / ipv4 / gre / ipv4 / tcp"
    Encapsulation otherEncapsulation; // the first different stack seen, if any
    std::uint64_t otherEncapsulationPackets = 0; // packets whose stack differed from `encapsulation`
    bool tunnelled = false; // carried inside another IP packet (GRE, VXLAN, Geneve, IP-in-IP, ...)
    bool mirrored = false; // a mirror copy: ERSPAN, or both directions inside the same outer src -> dst
    IpAddress tunnelOuterSrc; // outermost IP header of the first tunnelled packet: the tunnel / mirror
    IpAddress tunnelOuterDst; // endpoints (for a mirror: the mirror source and the collector)
    IpAddress tunnelOuterFrom[2]; // per direction: the outer source its first tunnelled packet came from
    std::uint8_t tunnelOuterTtl[2] = {0, 0}; // ... and that packet's outer TTL / hop limit (0: not seen)
    std::uint64_t mirrorTruncated = 0; // packets cut short by the mirror/tunnel, judged on the inner IP length

    FlowDirection &dir(int d) { return directions[d]; }
    const FlowDirection &dir(int d) const { return directions[d]; }

    /// The direction that carried more payload (0 client to server, 1 server to client; 0 on a tie): the one
    /// a chart or a lesson shows first.
    int busiestDirection() const { return directions[1].stats.payloadBytes > directions[0].stats.payloadBytes ? 1 : 0; }
    /// MSS announced by the side that receives direction d (what limits the sender), if seen.
    std::optional<std::uint16_t> announcedMssFor(int d) const
    {
        const HandshakeOptions &rx = directions[1 - d].handshake;
        if (rx.hasMss)
            return rx.mss;
        return std::nullopt;
    }
    /// Bytes of options every data segment of direction d carries (12 with timestamps on both sides).
    int perSegmentOptionBytes(int d) const
    {
        const bool ts = directions[0].handshake.timestamps && directions[1].handshake.timestamps;
        if (ts)
            return 12;
        // Without a handshake, trust what the segments carry.
        if (!directions[0].handshake.sawSyn && !directions[1].handshake.sawSyn) {
            const auto &segs = directions[d].segments;
            for (std::size_t i = 0; i < segs.size() && i < 64; ++i)
                if (segs[i].payload > 0)
                    return segs[i].has(Segment::HasTimestamps) ? 12 : 0;
        }
        return 0;
    }
};

/// Calls sink(peerIndex, relAck) for every segment of the peer of direction d that carries an ACK:
/// relAck is the acknowledged position in direction d's relative sequence space, its 32-bit wrap undone
/// incrementally (ACKs move forward, so each is unwrapped against the highest seen so far).
template <typename Sink> void forEachPeerAck(const Connection &c, int d, Sink &&sink)
{
    const FlowDirection &fd = c.directions[d];
    if (!fd.baseSet)
        return;
    const auto &peer = c.directions[1 - d].segments;
    std::int64_t ref = fd.baseSeq;
    for (std::size_t i = 0; i < peer.size(); ++i) {
        const Segment &s = peer[i];
        if (!(s.tcpFlags & tcpflag::Ack))
            continue;
        const std::int64_t abs = ref + static_cast<std::int32_t>(s.ack - static_cast<std::uint32_t>(ref));
        if (abs > ref)
            ref = abs;
        sink(i, abs - std::int64_t(fd.baseSeq));
    }
}

} // namespace ol
