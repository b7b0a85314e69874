// SPDX-License-Identifier: GPL-3.0-or-later
// Problems and non-problems at the capture host: checksum errors on received frames, what offload looks
// like in Wireshark (so nobody chases it), and the sentence on each host's offload settings.
#include "problemsdetail.h"

namespace ol::problemsdetail {
namespace {

namespace R = problemrules;

bool arrives(const DirectionOffload &o, const Segment &s)
{
    if (s.recordedDirection() == std::uint8_t(RecordedDirection::Incoming))
        return true;
    if (s.recordedDirection() == std::uint8_t(RecordedDirection::Outgoing))
        return false;
    return o.leavesCaptureHost == 0;
}

bool leaves(const DirectionOffload &o, const Segment &s)
{
    if (s.recordedDirection() == std::uint8_t(RecordedDirection::Outgoing))
        return true;
    if (s.recordedDirection() == std::uint8_t(RecordedDirection::Incoming))
        return false;
    return o.leavesCaptureHost == 1;
}

bool badChecksum(const Segment &s)
{
    const auto st = static_cast<ChecksumState>(s.tcpChecksum());
    return st == ChecksumState::Bad || st == ChecksumState::Zero;
}

} // namespace

void detectChecksumsAndArtifacts(const Trace &, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    // Received data frames whose checksum was checked, excluding GRO/LRO-merged ones (their checksum is a
    // pseudo-header sum by design).
    std::uint64_t rxChecked = 0, rxBad = 0, txBad = 0, mergedBad = 0, ipZero = 0;
    Problem bad = makeProblem(c, d, "bad-checksum-received", ProblemSeverity::Warning);
    Problem art = makeProblem(c, d, "offload-artifact", ProblemSeverity::Info);
    std::uint64_t retransmittedAfterBad = 0;
    // Oversized arrivals this host did not merge are wire-oversize (problemspath.cpp), not an artifact.
    const std::vector<std::size_t> unmerged = arrivedUnmerged(c, d);
    const std::uint64_t merged = o.receiveOffload - unmerged.size();
    std::size_t u = 0;
    for (auto it = fd.segments.begin(); it != fd.segments.end(); ++it) {
        const Segment &s = *it;
        const std::size_t i = it.index();
        if (u < unmerged.size() && unmerged[u] == i) {
            ++u;
            continue;
        }
        if (!s.payload)
            continue;
        const bool isBad = badChecksum(s);
        const SegmentClass k = s.segmentClass();
        if (s.ipLength == 0) {
            ++ipZero;
            addExample(art, s.frame, s.time);
        }
        if (k == SegmentClass::ReceiveOffload || k == SegmentClass::SendOffload) {
            mergedBad += isBad;
            addExample(art, s.frame, s.time);
            continue;
        }
        // Where the capture point is unknown, a frame may have arrived too; then only a resend of the same
        // bytes (the receiver dropped the damaged copy) makes it a receive error, see below.
        const bool unknownWay = o.leavesCaptureHost < 0 && s.recordedDirection() == 0;
        if ((arrives(o, s) || unknownWay) && s.tcpChecksum() != std::uint8_t(ChecksumState::Unknown)) {
            ++rxChecked;
            if (isBad) {
                ++rxBad;
                addExample(bad, s.frame, s.time);
                // Look for the resend of the first few only: on a veth capture every frame is "bad".
                const std::size_t horizon = rxBad <= 64 ? 2000 : 0;
                for (std::size_t j = i + 1; j < fd.segments.size() && j < i + horizon; ++j)
                    if (fd.segments[j].relSeq == s.relSeq && fd.segments[j].has(Segment::Retransmission)) {
                        ++retransmittedAfterBad;
                        addExample(bad, fd.segments[j].frame, fd.segments[j].time);
                        break;
                    }
            }
        } else if (leaves(o, s) && isBad) {
            ++txBad;
            addExample(art, s.frame, s.time);
        }
    }
    const bool rxArtifact = rxBad && double(rxBad) > double(rxChecked) * R::BadChecksumMaxFraction;
    const bool knownArrival = o.leavesCaptureHost == 0 || fd.stats.recorded[std::size_t(RecordedDirection::Incoming)];
    if (rxBad && !rxArtifact && (knownArrival || retransmittedAfterBad)) {
        bad.text = num(rxBad) + " of " + num(rxChecked) + " data frames from " + bad.from
            + (knownArrival ? " that arrived at the capture host" : "") + " have a wrong TCP checksum"
            + (retransmittedAfterBad
                   ? ", and " + num(retransmittedAfterBad) + " of them were sent again: the receiver dropped them. "
                   : ". ")
            + "The bytes were damaged on the path (a bad cable, NIC or middlebox), or a receive offload is broken.";
        bad.fix = "Look at the interface error counters on the path (`ip -s link`, `ethtool -S IFACE | grep -i err`) "
                  "and capture one hop earlier to find where the damage starts; a broken receive offload shows "
                  "with `ethtool -K IFACE gro off lro off` on the receiver as a test.";
        out.push_back(std::move(bad));
    }
    const std::uint64_t artifacts = o.sendOffload + merged + txBad + ipZero + (rxArtifact ? rxBad : 0);
    if (!artifacts)
        return;
    if (rxArtifact)
        for (const std::uint32_t f : bad.frames)
            art.frames.size() < problemrules::MaxExampleFrames ? art.frames.push_back(f) : void();
    if (art.firstTime == 0 && art.lastTime == 0) {
        art.firstTime = bad.firstTime ? bad.firstTime : c.firstTime;
        art.lastTime = bad.lastTime ? bad.lastTime : c.lastTime;
    } else if (bad.firstTime) {
        art.firstTime = std::min(art.firstTime, bad.firstTime);
        art.lastTime = std::max(art.lastTime, bad.lastTime);
    }
    std::string what;
    auto add = [&what](const std::string &s) { what += (what.empty() ? "" : "; ") + s; };
    if (o.sendOffload)
        add(num(o.sendOffload) + " send-offload super-segments larger than the MSS (TSO/GSO: the NIC cuts them)");
    if (merged)
        add(num(merged) + " frames merged by receive offload (GRO/LRO) before the capture");
    if (txBad + mergedBad)
        add(num(txBad + mergedBad) + " \"bad checksum\" frames that the NIC had not yet finished (checksum offload)");
    if (rxArtifact)
        add(num(rxBad) + " frames with unfinished checksums (" + num(rxBad) + " of " + num(rxChecked)
            + (knownArrival ? " received" : "")
            + ": a virtual NIC, or a capture before the NIC filled or checked them)");
    if (ipZero)
        add(num(ipZero) + " frames with IP total length 0 (\"presumed to be because of TCP segmentation offload\")");
    art.text = "Wireshark will flag frames from " + art.from + " that are only what offload looks like at this capture "
        + "point: " + what + ". None of this happens on the wire.";
    art.fix = "Nothing to fix, and do not turn offload off because of it. To see wire-sized frames, capture on the "
              "other host or on the wire; in Wireshark turn off TCP checksum validation.";
    out.push_back(std::move(art));
}

std::string settingsSentence(const Trace &t)
{
    const CapturePoint &cp = t.offload.capturePoint;
    if (!t.offload.analyzed || !cp.known)
        return {};
    // What the capture host's sends and receives show, over all connections.
    std::uint64_t sentData = 0, sentOffload = 0, rxData = 0, rxMerged = 0;
    for (const auto &c : t.connections)
        for (int d = 0; d < 2; ++d) {
            const DirectionOffload &o = c->directions[d].offload;
            const std::uint64_t full = o.fullSize + o.oversized();
            if (o.leavesCaptureHost == 1) {
                sentData += full;
                sentOffload += o.sendOffload;
            } else if (o.leavesCaptureHost == 0) {
                rxData += full;
                rxMerged += o.receiveOffload - arrivedUnmerged(*c, d).size(); // those came off the link big
            }
        }
    if (!sentData && !rxData)
        return {};
    std::string tx = sentData ? (sentOffload ? "send offload (TSO/GSO) on" : "send offload off (or unused)")
                              : "send offload not visible (it sent no full-size data)";
    std::string rx = rxData ? (rxMerged ? "receive coalescing (GRO/LRO) on" : "receive coalescing off (or unused)")
                            : "receive coalescing not visible (it received no full-size data)";
    return "Settings seen at " + cp.host + " (the capture host): " + tx + "; " + rx
        + ". Offload settings that differ between the hosts, or between sending and receiving, cause nothing on "
          "the wire by themselves: each is local to one host (Learn: \"What can go wrong\").";
}

} // namespace ol::problemsdetail
