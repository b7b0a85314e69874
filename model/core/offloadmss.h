// SPDX-License-Identifier: GPL-3.0-or-later
// The MSS that limits each direction: announced in the SYNs (capped by the sender's own), loopback, learnt
// from other connections of the same hosts in the file, or inferred from the data (IPv4 ID steps, common
// divisor of large frames, most common full-size payload). Internal to the core; used by offload.cpp.
#pragma once

#include "trace.h"

#include <cstdint>
#include <map>
#include <string>

namespace ol {

/// A segment size inferred from one direction's payloads.
struct MssGuess {
    std::uint32_t effective = 0; // per-segment payload limit; 0 = the data cannot tell
    std::string source; // "ip-id", "gcd", "data-mode"
    std::uint64_t samples = 0; // frames that support it
    std::uint32_t smallest = 0, largest = 0; // range of supporting frame sizes (gcd)
    std::uint32_t raisedFrom = 0; // data-mode: the common payload, when a larger one-packet frame raised it
};

/// Infers the per-segment size of a direction from its payloads; candidates above maxEffective are
/// rejected (the sender's or receiver's own MSS, or the largest non-loopback MTU).
MssGuess inferMss(const FlowDirection &direction, std::uint32_t maxEffective);

/// File-wide facts the MSS of a direction without a SYN may be learnt from.
struct MssContext {
    /// "from>to" address pair -> the MSS limiting that way, from connections that saw the receiver's SYN.
    std::map<std::string, std::uint32_t> negotiated;
    std::map<std::string, std::uint32_t> negotiatedConnection; // ... and the id of one such connection
    /// address -> the largest MSS it announced in any SYN: its own interface's limit.
    std::map<std::string, std::uint32_t> ownMss;
    bool loopbackLink = false; // the file's only link type is BSD NULL/LOOP
};

MssContext buildMssContext(const Trace &trace);

/// True when the connection is loopback traffic (127/8, ::1, a host talking to itself, or a BSD loopback
/// link that does not announce a tunnel-sized MSS).
bool isLoopbackConnection(const Connection &c, const MssContext &ctx);

/// Fills o.mss, o.effectiveMss, o.mssKnown, o.mssInferred, o.mssSource, o.mssEvidence and o.loopback.
void determineMss(const Connection &c, int d, const MssContext &ctx, DirectionOffload &o);

/// Second pass: a direction whose MSS had to be assumed takes the measured MSS of the same hosts (either
/// order), or of another connection of one of its hosts ("same-hosts").
void shareMssBetweenDirections(Trace &trace);

} // namespace ol
