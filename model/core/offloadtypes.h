// SPDX-License-Identifier: GPL-3.0-or-later
// Result types of the offload analysis: per-direction and per-file verdicts with their evidence.
#pragma once

#include "types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ol {

enum class OffloadVerdict : std::uint8_t { None, SendOffload, ReceiveOffload, Both };

/// "none", "send-offload", "receive-offload", "both" (the JSON contract's words).
const char *verdictName(OffloadVerdict v);

/// One piece of evidence, with a sentence a learner understands.
struct Evidence {
    std::string kind; // stable identifier, e.g. "payload-over-mss", "ip-id-advance"
    std::string text;
    double weight = 0; // how strongly it points at the capture host, 0..1
    std::string host; // the address it speaks about, if any
};

/// Offload facts of one direction of one connection.
struct DirectionOffload {
    bool analyzed = false;
    OffloadVerdict verdict = OffloadVerdict::None;
    std::uint32_t mss = 0; // MSS limiting this direction (announced by the receiver, or inferred)
    std::uint32_t effectiveMss = 0; // per-segment maximum payload: MSS minus options on every segment
    bool mssInferred = false; // not from this connection's SYN: see mssSource
    bool mssKnown = false;
    /// Where the MSS came from: "syn" (the receiver's SYN, capped by the sender's own), "loopback" (a loopback
    /// default, no SYN), "same-hosts" (another connection between the same hosts in the file), "ip-id" (IPv4 ID
    /// steps of large frames), "gcd" (common divisor of large frames), "data-mode" (the most common full-size
    /// payload), "assumed" (too little data: a 1,500-byte MTU assumed).
    std::string mssSource;
    std::string mssEvidence; // one sentence: from what, e.g. "inferred from 1,402 segments of 1,368 bytes"
    bool mssLimitedBySender = false; // the sender's own SYN announced less than the receiver's
    bool loopback = false; // loopback traffic: never offload, whatever the sizes
    std::uint64_t normal = 0;
    std::uint64_t fullSize = 0;
    std::uint64_t sendOffload = 0;
    std::uint64_t receiveOffload = 0;
    std::uint64_t unexplained = 0;
    std::uint32_t maxSegmentsInOne = 0; // largest payload in wire segments (ceil(payload / effective MSS))
    std::string unexplainedWhy;
    int leavesCaptureHost = -1; // 1 = sent by the capture host, 0 = arriving at it, -1 = unknown
    /// The large frames crossed a router (TTL decremented) and the receiver acknowledged inside them: they
    /// were merged after the wire, before this capture point, and the receiver got the wire segments.
    bool mergedOnPath = false;
    std::vector<Evidence> evidence;

    std::uint64_t oversized() const { return sendOffload + receiveOffload + unexplained; }
};

/// Where the capture was taken.
struct CapturePoint {
    bool known = false;
    std::string host; // address without port
    std::string role; // "client", "server", "both ends", "" when not tied to one role
    double confidence = 0;
    std::vector<Evidence> evidence;
    /// Where the capture sat when that is more than "on host X": "mirror" (copies sent by a mirror session),
    /// "tunnel-endpoint" (on the underlay at one end of a tunnel, named in host), "tunnel" (on a tunnel's
    /// underlay, end unknown), "path" (a device between two hosts that merged their segments); "" otherwise.
    std::string location;
    std::string locationText; // the sentence that says it, naming the link, tunnel or hosts
};

/// File-wide verdict.
struct FileOffloadVerdict {
    bool analyzed = false;
    OffloadVerdict verdict = OffloadVerdict::None;
    CapturePoint capturePoint;
    std::string summary; // plain-language paragraph shown by the report and the GUI
};

} // namespace ol
