// SPDX-License-Identifier: GPL-3.0-or-later
// Internals shared by the problem detectors (problems*.cpp): helpers and one function per detector.
#pragma once

#include "problemrules.h"
#include "problems.h"

#include <algorithm>
#include <string>
#include <vector>

namespace ol::problemsdetail {

/// A problem about direction d of connection c (d < 0: the connection as a whole).
inline Problem makeProblem(const Connection &c, int d, const char *kind, ProblemSeverity severity)
{
    Problem p;
    p.kind = kind;
    p.severity = severity;
    p.connection = c.id;
    p.direction = d;
    if (d >= 0) {
        p.from = c.directions[d].from.toString();
        p.to = c.directions[d].to.toString();
    }
    return p;
}

/// Adds an example frame (at most MaxExampleFrames are kept) and widens the time range.
inline void addExample(Problem &p, std::uint32_t frame, TimeNs time)
{
    if (p.firstTime == 0 && p.lastTime == 0) {
        p.firstTime = p.lastTime = time;
    } else {
        p.firstTime = std::min(p.firstTime, time);
        p.lastTime = std::max(p.lastTime, time);
    }
    if (p.frames.size() < problemrules::MaxExampleFrames && frame
        && std::find(p.frames.begin(), p.frames.end(), frame) == p.frames.end())
        p.frames.push_back(frame);
}

/// "1,348 bytes"-style number text.
inline std::string num(std::uint64_t v)
{
    return withThousands(v);
}
std::string secondsText(double s); // "6.6 s", "120 ms"

/// IP + TCP header bytes of a data segment of direction d (options included).
int headerBytes(const Connection &c, int d);

/// The peer's ACKs of direction d: (time, relAck) in time order.
struct AckPoint {
    TimeNs time;
    std::int64_t relAck;
};
std::vector<AckPoint> peerAcks(const Connection &c, int d);

// Detectors of one trace (problemspath.cpp, problemslocal.cpp, problemsloss.cpp).
void detectIcmpTooBig(const Trace &t, std::vector<Problem> &out);
void detectBlackHole(const Trace &t, const Connection &c, int d, std::vector<Problem> &out);
void detectBelowMss(const Trace &t, const Connection &c, int d, std::vector<Problem> &out);
void detectWireOversize(const Trace &t, const Connection &c, int d, std::vector<Problem> &out);
void detectChecksumsAndArtifacts(const Trace &t, const Connection &c, int d, std::vector<Problem> &out);
void detectBurstLoss(const Trace &t, const Connection &c, int d, std::vector<Problem> &out);
std::string settingsSentence(const Trace &t);

/// Data frames of direction d that arrived at the capture host larger than the MSS with a correct TCP
/// checksum, at a receiver that leaves its own checksums to its NIC: frames the offload analysis counts as
/// merged by direction alone, but that this host did not merge (problemrules.h, wire-oversize). Empty
/// unless the direction as a whole qualifies. Indices into the direction's segment store.
std::vector<std::size_t> arrivedUnmerged(const Connection &c, int d);

/// True when an ICMP too-big in the trace quotes a segment of direction d of c.
bool icmpQuotes(const IcmpTooBigEvent &e, const Connection &c, int d);

// Pair detectors (problemspayload.cpp): one pass over each file for all pairs; out gets one list per pair.
void detectPayloadDiffers(const Trace &a, const Trace &b, const AlignmentResult &r,
                          std::vector<std::vector<Problem>> &out);

} // namespace ol::problemsdetail
