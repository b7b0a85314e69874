// SPDX-License-Identifier: GPL-3.0-or-later
// The weights and thresholds of the offload decisions (MSS inference, the per-direction "sent by the capture
// host?" vote, what counts as finished or unfinished checksums), one documented table per decision.
// Each value says why it is what it is and which real capture it was tuned on; change a value here, never
// a literal in the code. Internal to the core.
#pragma once

#include <cstdint>

namespace ol::rules {

/// The segment size of a direction without a SYN (inferMss in offload.cpp).
struct MssInference {
    /// Payloads below this never stand for a full segment: the IPv4 default MSS 536 less 12 bytes of
    /// timestamps is 524, so no real path has smaller full segments. Below it lie ACK-sized messages.
    std::uint32_t minFullSegment = 500;
    /// Largest MTU of a path that is not loopback: 9,216-byte jumbo frames are the most switches accept
    /// (e08: 9,001-byte cloud MTU, e24: MSS 8,961). A wire segment size above it is a super-segment size.
    std::uint32_t maxWireMtu = 9216;
    /// A candidate segment size needs this many frames that are it or a multiple of it (a08: one GSO frame
    /// alone says nothing; gen_mss_mtu1420_midstream_server: 12 super-segments, all multiples of 1,368).
    std::uint32_t minSupport = 3;
    /// ... and is rejected when, per frame supporting it, more than 1 in this many larger frames are not a
    /// multiple of it (the tails of bursts: gen_mss_jumbo_mixed_server has 2 such tails against 17 multiples;
    /// an application message size below the MSS meets every full segment against it and fails).
    std::uint32_t supportPerAgainst = 4;
    /// IPv4 ID steps (Linux gives each wire segment its own ID, so the next frame's ID advances by the
    /// number of segments a large frame holds): agreeing frames needed before the step size is trusted.
    /// gen_mss_mtu1492_midstream_client: GRO-merged 64,800-byte frames followed by +45, i.e. 1,440 bytes.
    std::uint32_t minIpIdVotes = 3;
    /// Distinct payload sizes considered for the pairwise common divisors (bounded work on hostile files).
    std::uint32_t maxDistinctSizes = 64;
    /// Distinct sizes (most common first) each candidate is checked against: bounds the work to about
    /// 2,080 candidates x 4,096 sizes on a direction with tens of thousands of distinct sizes.
    std::uint32_t maxEvaluatedSizes = 4096;
    /// With too little data and no SYN anywhere: the MTU assumed for the sender's interface.
    std::uint32_t assumedMtu = 1500;
    /// Loopback MSS when no SYN says it: Linux lo (MTU 65,536, IP packets end at 65,535) and BSD/macOS lo0
    /// (MTU 16,384). e33/e34 (Linux lo), e21/e22 (lo0) announce exactly these.
    std::uint32_t linuxLoopbackMssV4 = 65495, linuxLoopbackMssV6 = 65476;
    std::uint32_t bsdLoopbackMssV4 = 16344, bsdLoopbackMssV6 = 16324;
    /// A DLT_NULL link announcing an MSS below this is a tunnel (macOS utun, VPN), not lo0.
    std::uint32_t minLoopbackMss = 16000;
};
inline constexpr MssInference mssInference{};

/// What "this sender leaves its checksums to the NIC" means, on the frames up to the MSS (the small frames).
/// The same ratios serve the per-direction vote and the per-connection checksum vote of the capture point.
struct SmallFrameChecksums {
    /// Small frames whose checksum could be checked before the state of a sender's checksums counts.
    std::uint64_t minKnown = 3;
    /// "Unfinished": at least 1 in this many small frames unfilled. A Linux TSO sender leaves all of them
    /// (b01 client 613/613, a07 20/20); half allows for the frames a driver finishes in software.
    std::uint64_t unfinishedOneIn = 2;
    /// "Finished": fewer than 1 in this many unfilled. A GRO receiver's peer arrives finished (a04: 12/12,
    /// a03: 115/115); one stray frame in ten is still finished. Earlier versions used 1 in 20 for the host vote
    /// and 1 in 10 for the direction vote with no reason for the difference; one value now serves both.
    std::uint64_t finishedOneIn = 10;
};
inline constexpr SmallFrameChecksums smallFrameChecksums{};

/// The per-direction vote: were this direction's oversized frames sent by the capture host (> 0) or
/// received by it (< 0)? Used only when the capture host itself is unknown or not one of the two ends.
struct LocalSendVote {
    /// Recorded direction (SLL packet type, pcapng flags): the capture says it itself (a05, b01).
    int recordedDirection = 3;
    /// Peer ACKs inside the large frames: the receiver saw the wire segments (b01). Only when the large frames
    /// carry an initial TTL: routed ones were merged after the wire (e07: 3 of 4 frames, TTL 51-52).
    int ackInside = 2;
    /// ... counted when at least 1 in this many checked large frames had one.
    std::uint64_t ackInsideOneIn = 5;
    /// All the sender's small frames unfinished too: its own stack, captured inside it (a07, b01 client).
    int ownChecksums = 2;
    /// Small frames finished but large ones stale: the receiver merged them (GRO writes the pseudo-header sum
    /// for the merged length, the same value a TSO sender leaves: a03, a04, e18).
    int mergedChecksums = 2;
    /// No small frames to compare: an unfinished checksum on the large frames alone still points at the
    /// sender's stack (a08-a14 single-frame files).
    int loneChecksum = 2;
    /// Large frames arriving with a decremented TTL while the peer's is initial: they crossed a router as
    /// ordinary packets and were merged after the wire (a06: TTL 53 from a remote server).
    int routedTtl = 3;
    /// IP length 0 on half the large frames: Windows LSO / BIG TCP leave it to the NIC (a01, a11).
    int ipLengthZero = 1;
    /// macOS sends IPv4 ID 0 on every DF packet; large frames whose IDs count 1, 2, 3 ... one per wire
    /// segment were numbered by the sender's NIC, so the capture is downstream of it (a03: 86 frames with ID 0,
    /// 68 with IDs 1-36 counting up). Needs this many ID-0 frames and this many counting steps.
    int nicNumberedIds = 2;
    std::uint64_t nicIdMinFrames = 3;
    /// IDs at or above this are a real per-flow counter (Linux starts anywhere), not a NIC's segment number.
    std::uint16_t nicIdMax = 256;
    /// |vote| needed to decide; one weak item (IP length 0 alone) does not.
    int decide = 2;
};
inline constexpr LocalSendVote localSendVote{};

} // namespace ol::rules
