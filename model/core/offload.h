// SPDX-License-Identifier: GPL-3.0-or-later
// Offload analysis: effective MSS per direction (announced or inferred), the class of every data segment,
// where the capture was taken, and the evidence for it in plain language.
#pragma once

#include "trace.h"

#include <cstdint>
#include <functional>

namespace ol {

/// Classifies every segment of every connection, infers the capture point and writes the verdicts into
/// the trace (Connection::directions[].offload, Trace::offload). Safe to call again.
void analyzeOffload(Trace &trace);

/// The per-segment size inferred from one direction's data alone (IPv4 ID steps, the common divisor of
/// super-segments, or the most common full-size payload; see inferMss in offloadmss.h). 0 when the data
/// cannot tell. The analysis itself also uses SYNs, loopback and the other connections of the file.
std::uint32_t inferEffectiveMss(const FlowDirection &direction);

/// One MSS-sized piece of a super-segment as the NIC would have put it on the wire.
struct WireSegment {
    std::int64_t relSeq = 0;
    std::uint32_t payload = 0;
    std::size_t sourceIndex = 0; // index of the captured segment it came from
    bool isVirtual = false; // true when cut from a super-segment, false when captured as is
};

/// Wire view of one direction: send-offload super-segments split into effective-MSS pieces, every other
/// segment with payload passed through. Calls sink for each piece in capture order.
void forEachWireSegment(const FlowDirection &direction, const std::function<void(const WireSegment &)> &sink);

/// "65,160 bytes = 45 × 1,448-byte segments" style phrase used by reports and tooltips.
std::string segmentsPhrase(std::uint32_t payload, std::uint32_t effectiveMss);

/// The stable name of a segment class: "normal", "full-size", "send-offload", "receive-offload",
/// "oversized-unexplained", "none" (CSV columns and packet comments).
const char *segmentClassName(SegmentClass c);

/// One sentence why a segment of a direction has its class, with numbers (tooltips, tables, packet comments).
std::string segmentExplanation(const DirectionOffload &offload, const Segment &segment);

} // namespace ol
