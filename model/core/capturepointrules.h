// SPDX-License-Identifier: GPL-3.0-or-later
// Weights and thresholds of the capture-point decision (capturepoint.cpp), in one documented table: each
// value says why, and which real capture it was tuned on. Internal to the core.
#pragma once

namespace ol::rules {

struct CapturePointScore {
    // Upper bounds on what each kind of evidence may add to a host's score. Each kind is bounded so that no
    // single weak hint decides alone and strong, independent hints add up.
    /// The file marks directions itself (SLL packet types, pcapng flags): nearly proof (a05, b01, e28).
    double recorded = 4.0;
    /// This end's small frames unfinished and the peer's finished (Linux TSO sender: b01 client, gen_*_server).
    double checksum = 2.5;
    /// What a checksum difference is worth when the handshake timing or the TTL, independent items, point
    /// at the other end: on veth, Docker and VM vSwitch links the peer's frames may arrive unfinished, so
    /// the checksum item then counts for less than either of them (tuned so that TTL + handshake, 2.5,
    /// outweigh it: the judge lab's virtual-link cases).
    double checksumContradicted = 0.75;
    /// The peer's frames arriving finished while this end's are not counts a little against this end.
    double checksumAgainst = 0.5;
    /// Peer ACKs inside the large frames sent by this host: they were cut after the capture (a07, b01). Not
    /// counted when most of those frames arrive with a decremented TTL: they crossed a router as wire segments
    /// and were merged afterwards, at the capture point (e07: TTL 51-52, a Geneve mirror of a coalescing point).
    double ackInside = 2.5;
    /// ... when at least this share of checked large frames had one.
    double ackInsideMinShare = 0.2;
    /// pcapng "TCP segmentation offloaded" flag: set by the capturing host's driver.
    double pcapngTso = 2.0;
    /// Undecremented TTL on this end's frames only (gen_* captures: 64 vs 63 across the router; a06: 64 vs 53).
    double ttl = 1.5;
    /// Handshake timing (SYN→SYN/ACK vs SYN/ACK→ACK ratio above handshakeRatio): a03, a04, e24.
    double handshake = 1.0;
    /// One gap of the handshake must exceed the other this many times to say which end is near.
    double handshakeRatio = 4.0;
    /// IP length 0 on this host's large frames (Windows LSO: a01).
    double ipLengthZero = 0.75;

    /// The best host needs this score, and this lead over the best host that talked to it, to be named.
    double minScore = 0.5;
    double minMargin = 0.5;
    /// A host that never talked to the best one and scores at least this share of it (and minScore) is
    /// another address of the same machine (b02: MPTCP subflows on 10.x and 11.x).
    double sameMachineShare = 0.5;
    /// confidence = 1 - exp(-margin / confidenceScale), at most maxConfidence: a lead of one full checksum
    /// item (2.5) gives 0.71, recorded direction (4) 0.86; no lead is ever certainty.
    double confidenceScale = 2.0;
    double maxConfidence = 0.99;
    /// When evidence items disagree (checksums at one end, TTL or handshake timing at the other), the named
    /// host is the one the independent items agree on and the confidence stays below this.
    double conflictConfidence = 0.45;
    /// Confidence when only the large frames' own direction evidence names the host.
    double directionsOnlyConfidence = 0.5;
};
inline constexpr CapturePointScore capturePointScore{};

} // namespace ol::rules
