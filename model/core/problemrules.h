// SPDX-License-Identifier: GPL-3.0-or-later
// The thresholds of the problem diagnosis in one table, each with why and which capture it was tuned on
// (captures: tests/data/problems_*.pcap, made by tests/data/gen/make-problem-captures.sh).
#pragma once

#include <cstdint>

namespace ol::problemrules {

// --- pmtu-black-hole ---
// Retransmissions of the same full-size segment with no ACK progress before we call it a stall. Linux
// gives up on the path MTU (tcp_mtu_probing=1) only after tcp_retries1 = 3 timeouts; problems_blackhole
// shows 4 retransmissions of byte 1 over 6.6 s. Two already rule out a single lost segment.
inline constexpr int BlackHoleMinRetransmissions = 2;
// When the connection never recovers with smaller segments, at least this many (and a handshake seen).
inline constexpr int BlackHoleMinUnrecovered = 4;
// Each gap between retransmissions at least this factor of the previous one (exponential back-off doubles;
// 1.5 leaves room for timer granularity: the blackhole capture shows 0.20, 0.44, 0.83, 1.66, 3.46 s).
inline constexpr double BackoffFactor = 1.5;
// A stalled segment counts as "full size" when it is at least this fraction of the effective MSS
// (1,448 of 1,448 in the capture; 0.9 keeps a segment that carries a few option bytes more).
inline constexpr double FullSizeFraction = 0.9;
// An ICMP too-big within this time of the first retransmission explains the stall (the pmtud capture
// gets it 0.1 ms after the first big segment); one arriving later is "only much later".
inline constexpr double IcmpExplainsWithinS = 1.0;

// --- segments-below-mss ---
// A sender whose largest data segment stays at least this many bytes under the effective MSS, over at
// least MinFullSegments segments of that largest size, has a smaller limit somewhere: 1,348 vs 1,448
// (pmtud client capture) and 1,188 vs 1,448 (clamp client capture). 40 bytes keeps IPv6/option noise out.
inline constexpr std::uint32_t BelowMssMinGap = 40;
inline constexpr std::uint64_t BelowMssMinSegments = 20;

// --- bad-checksum-received ---
// Received frames with a wrong TCP checksum are corruption when they are a minority of the checked
// received data frames; when (nearly) all are wrong it is an unfinished checksum (veth/virtual NICs, a
// capture taken before the receiving NIC verified it): an offload artifact. problems_corrupt_client has
// 2 of ~150 wrong; veth fixtures have 100 % wrong.
inline constexpr double BadChecksumMaxFraction = 0.2;

// --- burst-loss ---
// At least this many super-segments lost whole (every byte retransmitted later) ...
inline constexpr int BurstMinWhole = 2;
// ... and the Poisson chance of seeing that many with independent per-wire-segment loss below this.
// problems_burstloss_server: 5 of ~40 super-segments of 15-45 wire segments lost whole, chance ~1e-30.
inline constexpr double BurstMaxChance = 1e-3;
// Super-segments of fewer wire segments are not counted (two lost together happens by chance).
inline constexpr std::uint32_t BurstMinWireSegments = 3;
// Downstream of the loss (at the receiver) the super-segments are not visible: a gap of at least
// BurstMinWireSegments wire segments that never arrived and was later resent whole counts instead, and
// the chance is that of runs that long with independent loss. problems_burstloss_client: 5 gaps of 32-45
// segments (the 5 super-segments the router dropped), 19.6 % of wire segments lost, chance ~1e-101.

// --- wire-oversize ---
// Frames larger than the MSS that no offload at the capture point explains, at least this many.
inline constexpr std::uint64_t WireOversizeMinFrames = 3;
// Frames that arrived at the capture host larger than the MSS count as not merged there when their TCP
// checksum is correct: Linux GRO (software and hardware GRO) writes the pseudo-header sum into a merged
// frame, so a finished checksum means the frame came off the link that size. At least this fraction of
// the checksum-checked oversized frames of the direction must be correct (one GRO-merged frame among them
// says the host does coalesce). problems_oversize_client: 9 of 9 correct; the GRO fixtures with payload
// captured (public a05, b01, b02, e07, e18, e20): 0 %.
inline constexpr double WireOversizeGoodChecksumFraction = 0.9;
// Old software LRO (Linux inet_lro, gone since 4.x) finished the checksum of a merged frame; hosts of that
// kind also finished their own outgoing checksums in software (public a06_linux_ssh_client_gro: every
// checksum in the file correct, merged frames of 2-4 segments). So the receiver must show that it leaves
// its own checksums to its NIC: at least this many of its frames in the connection checked, and at least
// this fraction of them unfinished (problems_oversize_client: 11 of 11). Not ruled out: a NIC whose
// hardware LRO finishes checksums (some do, e.g. mlx5 with LRO on; off by default, and Linux turns LRO off
// on forwarding and bridged devices). The problem text says so.
inline constexpr std::uint64_t OwnChecksumsMinKnown = 4;
inline constexpr double OwnChecksumsUnfinishedFraction = 0.75;

// --- payload-differs-between-points ---
// Stop comparing a direction after this many differing ranges (a few examples are enough).
inline constexpr int PayloadDiffMaxExamples = 8;

// How many example frame numbers a problem lists.
inline constexpr std::size_t MaxExampleFrames = 6;

} // namespace ol::problemrules
