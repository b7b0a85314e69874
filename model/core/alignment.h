// SPDX-License-Identifier: GPL-3.0-or-later
// Two-trace alignment: pairs the connections two captures share, maps their byte ranges segment to
// segment, and derives clock offset, one-way delay, skew, loss and reordering between the capture points.
#pragma once

#include "trace.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ol {

class JsonWriter;
struct Problem;

/// How the first transmissions of one direction map between the two traces, counted in groups of
/// segments that carry the same bytes (a group is one super-segment and its wire pieces, or one
/// coalesced frame and its parts, or one segment seen as is at both points).
struct MappingCounts {
    std::uint64_t oneToOne = 0; // one A segment carries exactly the bytes of one B segment
    std::uint64_t oneToMany = 0; // one A segment = N B segments (A shows a send-offload super-segment, or B
        // shows the wire pieces of what A's receive offload merged)
    std::uint64_t manyToOne = 0; // N A segments = one B segment (the mirror image)
    std::uint64_t manyToMany = 0; // boundaries differ on both sides
    std::uint64_t onlyA = 0; // A segments none of whose new bytes B ever shows
    std::uint64_t onlyB = 0; // B segments none of whose new bytes A ever shows
};

/// One group of the segment mapping: A segments [aFirst, aLast] carry the same new bytes as B segments
/// [bFirst, bLast] (indices into the direction's segment store; -1 on a side that never showed them).
struct SegmentMapping {
    std::int64_t aFirst = -1, aLast = -1;
    std::int64_t bFirst = -1, bLast = -1;
};

/// Facts of one direction of a pair. Direction 0 is A's client -> server.
struct PairDirection {
    int bDirection = 0; // index of the same direction in B's connection
    std::int64_t relShift = 0; // B relSeq = A relSeq + relShift (0 when both saw the handshake)
    std::uint32_t seqOffset = 0; // raw B seq - raw A seq (mod 2^32); non-zero = sequence randomizer
    bool seqOffsetKnown = false; // both traces saw this direction's SYN
    int senderSide = -1; // 0 = A is nearer the sender, 1 = B is, -1 unknown
    std::uint64_t samples = 0; // byte ranges and ACKs seen at both points with a time each
    double minDeltaS =
        std::numeric_limits<double>::quiet_NaN(); // min over samples of t_receiver - t_sender (clocks included)
    double oneWayDelayS = std::numeric_limits<double>::quiet_NaN(); // min one-way delay with the clock offset removed
    double medianDelayS = std::numeric_limits<double>::quiet_NaN(); // median one-way delay (queueing included)
    std::uint64_t lostBetweenPoints =
        0; // sender-side segments whose bytes the receiver side never saw before a retransmission
    std::uint64_t lostBytes = 0; // bytes of those segments that were missing
    std::vector<std::uint32_t> lostSegments; // their indices in the sender side's segment store, ascending
    std::uint64_t reordered = 0; // groups that reached the receiver side before a group sent earlier
    int ttlSender = -1, ttlReceiver = -1; // TTL of the first segment at each point
    int ttlDecrease = 0; // hops between the points (sender-side TTL - receiver-side TTL)
    int mssA = -1, mssB = -1; // MSS option in this direction's SYN at A and at B (-1 = not seen)
    bool mssClamped = false; // the SYN's MSS option was changed between the points
    int wscaleA = -1, wscaleB = -1; // window scale option of this direction's SYN at A and at B
    bool wscaleChanged = false;
    MappingCounts mapping;
    /// The mapping itself, group by group in sequence order (what `mapping` counts): kept from the alignment,
    /// so that views draw connector lines without aligning again.
    std::vector<SegmentMapping> groups;
};

/// Two connections, one from each trace, judged to be the same TCP connection.
struct ConnectionPair {
    std::uint32_t a = 0; // Connection::id in trace A
    std::uint32_t b = 0; // Connection::id in trace B
    bool nat = false; // addresses or ports differ between the points
    bool rolesSwapped = false; // B took the client/server roles the other way round
    double score = 0; // matching score, higher = more evidence (>= about 3 to be paired)
    int aSide = -1; // 0 = A is nearer the client, 1 = A is nearer the server, -1 unknown
    double clockOffsetS = std::numeric_limits<double>::quiet_NaN(); // how far B's clock is ahead of A's
    double offsetUncertaintyS = std::numeric_limits<double>::quiet_NaN(); // half-width of [lower, upper]
    double offsetLowerS = std::numeric_limits<double>::quiet_NaN();
    double offsetUpperS = std::numeric_limits<double>::quiet_NaN();
    bool boundsConsistent = true; // false when lower > upper (clock noise or skew): the offset is then a guess
    bool skewKnown = false; // the pair spans > 10 s and both envelopes gave a slope
    bool skewApplied = false; // the offset was computed after removing the skew (it narrowed the bounds)
    double skewPpm = 0; // B's clock runs this many ppm faster than A's
    TimeNs offsetReference = 0; // A-clock time the offset refers to when the skew was applied
    std::uint64_t lostBetweenPoints = 0; // both directions
    PairDirection dir[2];
};

/// Every pair found, plus the connections of each trace that have no partner.
struct AlignmentResult {
    std::vector<ConnectionPair> pairs;
    std::vector<std::uint32_t> unpairedA, unpairedB; // connection ids
};

/// Pairs the connections of two traces (same 4-tuple, or through NAT / port rewriting / sequence
/// randomizers by ISN, handshake options, byte counts and timing) and aligns every pair.
AlignmentResult alignTraces(const Trace &a, const Trace &b);

/// Aligns one known pair of connections: fills every field but a, b, score and rolesSwapped, which the
/// caller sets first (rolesSwapped = B's client is A's server).
void alignPair(const Connection &ca, const Connection &cb, ConnectionPair &pair);

/// Writes "alignment": { "pairs": [...], "unpaired_a": [...], "unpaired_b": [...] } into an open object.
/// With pairProblems (one list per pair, see problems.h) each pair gets "problems", times relative to origin.
void writeAlignmentJson(JsonWriter &w, const AlignmentResult &a,
                        const std::vector<std::vector<Problem>> *pairProblems = nullptr, TimeNs origin = 0);

/// The same facts as readable text for a terminal: one paragraph per pair, then the unpaired counts.
std::string alignmentText(const AlignmentResult &r, const Trace &a, const Trace &b);

} // namespace ol
