// SPDX-License-Identifier: GPL-3.0-or-later
// Evidence sentences and summaries of the offload analysis, written for someone who has never heard of TSO.
#include "offloadwords.h"

#include "offload.h"
#include "offloadrules.h"

#include <algorithm>
#include <cstdio>

namespace ol {
namespace {

std::string hex16(std::uint32_t v)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04x", v & 0xffff);
    return buf;
}

} // namespace

void describeDirection(const FlowDirection &fd, const OversizeFacts &f, DirectionOffload &o)
{
    const std::string from = fd.from.addr.toString();
    auto add = [&o](const char *kind, std::string text, double w) {
        o.evidence.push_back({kind, std::move(text), w, {}});
    };
    if (o.mssInferred && !o.mssEvidence.empty())
        add("mss-inferred", o.mssEvidence, 0.1);
    else if (o.mssLimitedBySender)
        add("mss-sender-limit", o.mssEvidence, 0.3);
    if (o.loopback) {
        add("loopback",
            "Loopback traffic (MSS " + withThousands(o.mss)
                + "): it never reaches a NIC, so large segments are normal here and none is offload.",
            0.3);
        return;
    }
    if (!f.oversized && !f.lengthSuspect) {
        if (o.mss >= 8000)
            add("jumbo",
                "MSS " + withThousands(o.mss) + " means a jumbo-frame path: segments up to "
                    + withThousands(o.effectiveMss) + " bytes are full-size here, not offload.",
                0.3);
        return;
    }
    if (f.oversized) {
        add("payload-over-mss",
            withThousands(f.oversized) + " of " + withThousands(fd.stats.dataSegments) + " data frames from " + from
                + " carry more TCP payload than the " + withThousands(o.effectiveMss)
                + "-byte maximum segment; the largest, " + segmentsPhrase(f.largest, o.effectiveMss) + " on the wire.",
            0.5);
        if (f.exactMultiple)
            add("payload-multiple",
                withThousands(f.exactMultiple) + " of them are exact multiples of " + withThousands(o.effectiveMss)
                    + " bytes, the size a NIC cuts full segments to.",
                0.3);
    }
    if (f.ipLengthZero)
        add("ip-length-zero",
            withThousands(f.ipLengthZero)
                + " of the large frames have an IP length field of 0 (Windows LSO, Linux "
                  "BIG TCP): the stack left the length for the NIC to write per segment.",
            0.4);
    if (f.ipIdMatches)
        add("ip-id-advance",
            "After " + withThousands(f.ipIdMatches) + " of " + withThousands(f.ipIdChecked)
                + " large frames the next IPv4 ID advanced by the number of wire segments the frame holds (e.g. "
                + hex16(f.exampleIpIdFrom) + " → " + hex16(f.exampleIpIdTo) + " after "
                + segmentsPhrase(f.exampleIpIdPayload, o.effectiveMss)
                + "): each wire segment used its own ID, so the frame was cut up or merged.",
            0.4);
    else if (f.ipIdPlusOne && f.ipIdChecked)
        add("ip-id-plus-one",
            "After " + withThousands(f.ipIdPlusOne) + " of " + withThousands(f.ipIdChecked)
                + " large frames the next IPv4 ID advanced by one: the stack numbered them as single packets.",
            0.1);
    if (f.oversized && f.zeroIpIds >= rules::localSendVote.nicIdMinFrames
        && f.nicIdSteps >= rules::localSendVote.nicIdMinFrames)
        add("ip-id-nic-numbered",
            withThousands(f.zeroIpIds) + " frames from " + from
                + " carry IPv4 ID 0, as macOS sends on every DF packet, yet consecutive frames carry small IDs that "
                  "count up by one per wire segment (up to "
                + std::to_string(f.exampleNicIdLast) + ", " + withThousands(f.nicIdSteps)
                + " steps): the sender's NIC numbered the segments it cut, so these frames were captured downstream "
                  "of the sender, not inside it.",
            0.4);
    if (f.ackInside)
        add("ack-inside-segment",
            "The receiver acknowledged byte " + withThousands(static_cast<std::uint64_t>(f.exampleAckInside))
                + ", inside the " + withThousands(f.exampleLength) + "-byte frame covering "
                + withThousands(static_cast<std::uint64_t>(f.exampleStart)) + "–"
                + withThousands(static_cast<std::uint64_t>(f.exampleStart + f.exampleLength)) + " ("
                + withThousands(f.ackInside) + " of " + withThousands(f.ackChecked)
                + " large frames were acknowledged part-way): it received smaller wire segments than this capture "
                  "shows.",
            0.6);
    else if (f.ackChecked >= 3)
        add("ack-at-frame-end",
            "Every acknowledgement of the large frames falls on a frame boundary: the receiving stack itself handled "
            "them as whole frames.",
            0.3);
    if (f.checksumUnfilled)
        add("checksum-unfilled",
            o.verdict == OffloadVerdict::ReceiveOffload ? withThousands(f.checksumUnfilled)
                    + " of the large frames carry only the pseudo-header sum for their merged length: Linux GRO "
                      "writes it into a merged frame, exactly like a TSO sender's unfinished checksum. The sender's "
                      "small, unmerged frames arrive with finished checksums, which a Linux TSO sender would leave "
                      "unfinished too (one item of evidence: some older Windows drivers finish small frames in "
                      "software)."
                                                        : withThousands(f.checksumUnfilled)
                    + " of the large frames have checksums not yet filled in (checksum offload): they were "
                      "captured before reaching the NIC.",
            0.5);
    if (f.recordedOut || f.recordedIn)
        add("recorded-direction",
            "The capture marks " + withThousands(f.recordedOut) + " of the large frames as outgoing and "
                + withThousands(f.recordedIn) + " as incoming.",
            0.8);
    if (f.lengthSuspect)
        add("length-mismatch",
            withThousands(f.lengthSuspect)
                + " frames claim a size their frame length does not carry (damaged or fuzzed): not counted as offload.",
            0.2);
}

/// Which way the oversized frames of a direction went, when the capture host is unknown or uninvolved.
std::string summaryFor(const Trace &trace)
{
    const FileOffloadVerdict &v = trace.offload;
    std::string s;
    const CapturePoint &cp = v.capturePoint;
    // Not on one of the hosts: the sentences below must not speak of "it" as the sender or receiver.
    const bool onHost = cp.known && cp.location != "tunnel-endpoint";
    if (!cp.locationText.empty())
        s = cp.locationText + " ";
    else if (v.capturePoint.known)
        s = "Captured on " + v.capturePoint.host
            + (v.capturePoint.role.empty() ? "" : " (the " + v.capturePoint.role + ")") + ". ";
    else
        s = "The trace does not show clearly which host it was captured on. ";
    std::uint64_t sendN = 0, sendOf = 0, recvN = 0, recvOf = 0, unexplained = 0;
    std::uint32_t sendMax = 0, recvMax = 0, sendEff = 0, recvEff = 0, maxMss = 0;
    std::string why;
    for (const auto &c : trace.connections)
        for (const auto &fd : c->directions) {
            const DirectionOffload &o = fd.offload;
            maxMss = std::max(maxMss, o.mss);
            unexplained += o.unexplained;
            if (o.unexplained && why.empty())
                why = o.unexplainedWhy;
            if (o.sendOffload) {
                sendN += o.sendOffload;
                sendOf += fd.stats.dataSegments;
                if (o.maxSegmentsInOne > sendMax) {
                    sendMax = o.maxSegmentsInOne;
                    sendEff = o.effectiveMss;
                }
            }
            if (o.receiveOffload) {
                recvN += o.receiveOffload;
                recvOf += fd.stats.dataSegments;
                if (o.maxSegmentsInOne > recvMax) {
                    recvMax = o.maxSegmentsInOne;
                    recvEff = o.effectiveMss;
                }
            }
        }
    if (sendN)
        s += std::string(onHost ? "Its NIC does" : "The sending host's NIC does")
            + " TCP segmentation offload (LSO/TSO/GSO): " + withThousands(sendN) + " of " + withThousands(sendOf)
            + " data frames it sent are larger than the MSS, up to " + std::to_string(sendMax)
            + " × MSS. On the wire these were ordinary " + withThousands(sendEff)
            + "-byte segments; a capture on the receiving host would show none of them. ";
    if (recvN && onHost)
        s += std::string(sendN ? "It also" : "It")
            + " merges incoming segments before the capture point (LRO/GRO): " + withThousands(recvN) + " of "
            + withThousands(recvOf) + " data frames it received are larger than the MSS, up to "
            + std::to_string(recvMax) + " × MSS. The sender put ordinary " + withThousands(recvEff)
            + "-byte segments on the wire; they were combined inside the receiving host. ";
    else if (recvN)
        s += "Incoming segments were merged before the capture point (LRO/GRO): " + withThousands(recvN) + " of "
            + withThousands(recvOf) + " data frames are larger than the MSS, up to " + std::to_string(recvMax)
            + " × MSS. The sender put ordinary " + withThousands(recvEff)
            + "-byte segments on the wire; they were combined after it, on the way to this capture. ";
    if (sendN || recvN)
        s += "Mismatched offload settings between the hosts do not affect the wire: offload is local to each host.";
    else if (unexplained == 0)
        s += "No frame carries more payload than its connection's MSS: no sign of segmentation offload or receive "
             "coalescing in this trace.";
    if (maxMss >= 8000 && !sendN && !recvN)
        s += " The path uses jumbo frames (MSS " + withThousands(maxMss) + "); large segments are legitimate there.";
    if (unexplained) {
        // (append, not literal + temporary string: GCC 12 -O3 warns a false -Wrestrict on that)
        if (!s.empty() && s.back() != ' ')
            s += ' ';
        s.append(withThousands(unexplained))
            .append(" frames exceed the MSS without a consistent explanation: ")
            .append(why);
    }
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

const char *verdictName(OffloadVerdict v)
{
    switch (v) {
    case OffloadVerdict::SendOffload:
        return "send-offload";
    case OffloadVerdict::ReceiveOffload:
        return "receive-offload";
    case OffloadVerdict::Both:
        return "both";
    case OffloadVerdict::None:
        break;
    }
    return "none";
}

std::string segmentsPhrase(std::uint32_t payload, std::uint32_t effectiveMss)
{
    if (!effectiveMss)
        return withThousands(payload) + " bytes";
    const std::uint32_t k = ceilDiv(payload, effectiveMss);
    if (payload % effectiveMss == 0)
        return withThousands(payload) + " bytes = " + std::to_string(k) + " × " + withThousands(effectiveMss)
            + "-byte segments";
    return withThousands(payload) + " bytes = " + std::to_string(k) + " segments of up to "
        + withThousands(effectiveMss) + " bytes";
}

const char *segmentClassName(SegmentClass c)
{
    switch (c) {
    case SegmentClass::Normal:
        return "normal";
    case SegmentClass::FullSize:
        return "full-size";
    case SegmentClass::SendOffload:
        return "send-offload";
    case SegmentClass::ReceiveOffload:
        return "receive-offload";
    case SegmentClass::OversizedUnexplained:
        return "oversized-unexplained";
    case SegmentClass::None:
        break;
    }
    return "none";
}

std::string segmentExplanation(const DirectionOffload &o, const Segment &s)
{
    const std::string bytes = withThousands(s.payload) + " bytes";
    std::string why;
    switch (s.segmentClass()) {
    case SegmentClass::None:
        why = s.payload ? bytes + ": not classified (the MSS of this direction is unknown)."
                        : "No payload: a pure ACK, SYN, FIN or RST.";
        break;
    case SegmentClass::Normal:
        why = bytes + ": below the effective MSS of " + withThousands(o.effectiveMss) + " bytes — an ordinary segment.";
        break;
    case SegmentClass::FullSize:
        why = bytes + ": exactly the effective MSS — a full-sized segment as it appears on the wire.";
        break;
    case SegmentClass::SendOffload:
        why = segmentsPhrase(s.payload, o.effectiveMss)
            + ": larger than the MSS and leaving the capture host → sent before the NIC split it (TSO).";
        break;
    case SegmentClass::ReceiveOffload:
        why = segmentsPhrase(s.payload, o.effectiveMss)
            + ": larger than the MSS and arriving at the capture host → merged before the capture (LRO/GRO).";
        break;
    case SegmentClass::OversizedUnexplained:
        why = segmentsPhrase(s.payload, o.effectiveMss) + ": larger than the MSS with no consistent explanation"
            + (o.unexplainedWhy.empty() ? "." : ": " + o.unexplainedWhy);
        break;
    }
    if (s.has(Segment::Retransmission))
        why += " It is a retransmission: this sequence range was sent before.";
    if (s.ipLength == 0 && s.payload)
        why += " Its IP total length is 0, left for the NIC to fill in.";
    return why;
}

} // namespace ol
