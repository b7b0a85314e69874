// SPDX-License-Identifier: GPL-3.0-or-later
// Capture-point inference: which endpoint address is the host the capture was taken on, from evidence
// gathered across all connections (recorded direction, checksums, TTL, handshake timing, ACK placement).
#pragma once

#include "offloadtypes.h"
#include "trace.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ol {

/// Facts about the oversized segments of one direction, gathered before the capture host is known.
struct OversizeFacts {
    std::uint64_t oversized = 0; // payload above the per-segment limit, lengths trustworthy
    std::uint64_t lengthSuspect = 0; // above the limit, but the frame and IP lengths disagree
    std::uint64_t ackInside = 0; // a peer ACK landed strictly inside the segment
    std::uint64_t ackChecked = 0; // oversized segments for which peer ACKs existed past their start
    std::uint64_t exactMultiple = 0; // payload an exact multiple of the effective MSS
    std::uint64_t ipIdMatches = 0; // next IPv4 ID advanced by the wire segment count
    std::uint64_t ipIdPlusOne = 0; // next IPv4 ID advanced by one
    std::uint64_t ipIdChecked = 0;
    std::uint64_t ipLengthZero = 0;
    std::uint64_t checksumUnfilled = 0; // TCP or IPv4 checksum bad/zero on the oversized frames
    std::uint64_t checksumGood = 0;
    std::uint64_t recordedOut = 0;
    std::uint64_t recordedIn = 0;
    std::uint64_t ttlInitial = 0; // oversized frames whose TTL is an initial value
    std::uint64_t ttlDecremented = 0; // oversized frames that crossed a router: merged after the wire
    std::uint64_t smallKnown = 0; // frames up to the MSS whose checksum could be checked
    std::uint64_t smallUnfilled = 0; // ... and had it not filled in
    std::uint64_t zeroIpIds = 0; // IPv4 frames with ID 0 (macOS: every DF packet its stack sends)
    std::uint64_t nicIdSteps = 0; // consecutive frames with small IDs counting up by one per wire segment
    std::uint32_t exampleNicIdLast = 0; // the highest such ID seen
    bool peerTtlInitial = false; // the other direction carries an undecremented TTL
    std::uint32_t largest = 0;
    std::int64_t exampleAckInside = -1; // relative ACK that landed inside exampleSegment
    std::int64_t exampleStart = 0;
    std::uint32_t exampleLength = 0;
    std::uint32_t exampleIpIdFrom = 0, exampleIpIdTo = 0, exampleIpIdPayload = 0;
};

/// Per-address accumulators.
struct HostTally {
    std::uint64_t framesFrom = 0;
    std::uint64_t recordedOutFrom = 0; // frames from this host the capture marked outgoing
    std::uint64_t recordedInTo = 0; // frames to this host the capture marked incoming
    std::uint64_t recordedAgainst = 0; // recorded frames that say the opposite
    std::uint64_t checksumKnown = 0; // frames from this host whose checksum could be checked
    std::uint64_t checksumUnfilled = 0;
    std::uint64_t peerChecksumKnown = 0; // frames from its peers whose checksum could be checked
    std::uint64_t peerChecksumUnfilled = 0;
    int checksumVotes = 0; // + per connection where this end's checksums are unfilled and the peer's are not
    std::uint64_t ttlHistogram[256] = {};
    int handshakeNear = 0; // handshakes whose timing puts the capture next to this host
    int handshakeFar = 0;
    TimeNs exampleSynToSynAck = -1, exampleSynAckToAck = -1;
    std::uint64_t oversizedFrom = 0;
    std::uint64_t ackInsideFrom = 0;
    std::uint64_t ackCheckedFrom = 0;
    std::uint64_t routedOversizedFrom = 0; // oversized frames from this host whose TTL a router decremented
    std::uint64_t pcapngTso = 0;
    std::uint64_t ipLengthZeroFrom = 0;
    int asClient = 0, asServer = 0;
    int ttlVotes = 0; // + when this host's TTL is initial and its peer's is not
    std::uint8_t peerTtlExample = 0;
};

/// True for TTL / hop-limit values that are common initial values (not yet decremented by a router).
bool isInitialTtl(std::uint8_t ttl);

/// Decides the capture host from the tallies; fills point (host, role, confidence, evidence).
/// peers holds "a|b" for every pair of addresses that talked to each other (a < b). Returns the addresses
/// that belong to the capture host: the chosen one plus others that score like it but never talk to it
/// (a second address of the same machine, as with MPTCP or dual-stack).
std::vector<std::string> inferCapturePoint(const std::map<std::string, HostTally> &hosts,
                                           const std::set<std::string> &peers, CapturePoint &point);

} // namespace ol
