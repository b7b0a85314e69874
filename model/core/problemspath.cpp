// SPDX-License-Identifier: GPL-3.0-or-later
// Path-MTU problems: ICMP too-big errors, PMTU black holes, senders held below the announced MSS, and
// frames larger than the MSS that no offload explains.
#include "capturepoint.h"
#include "problemsdetail.h"

#include <map>
#include <unordered_map>

namespace ol::problemsdetail {
namespace {

namespace R = problemrules;

const char *PmtuFixCommon = "Check the path MTU with `tracepath HOST` or `ip route get ADDR` (it shows a cached "
                            "`mtu`). ";

const Connection *connectionOf(const Trace &t, const IcmpTooBigEvent &e, int &dir)
{
    for (const auto &c : t.connections)
        for (int d = 0; d < 2; ++d)
            if (icmpQuotes(e, *c, d)) {
                dir = d;
                return c.get();
            }
    return nullptr;
}

// Largest payload of wire-sized (not offload-merged) data segments of fd sent in [from, to).
std::uint32_t largestWireSegment(const FlowDirection &fd, TimeNs from, TimeNs to)
{
    std::uint32_t m = 0;
    for (const Segment &s : fd.segments) {
        if (s.time < from || s.time >= to || !s.payload)
            continue;
        const SegmentClass k = s.segmentClass();
        if (k == SegmentClass::Normal || k == SegmentClass::FullSize)
            m = std::max(m, s.payload);
    }
    return m;
}

// Largest wire-sized data segment of fd sent from `from` on whose bytes were never sent again: a segment
// that got through (MTU probes that were lost are retransmitted in smaller pieces).
std::uint32_t largestDelivered(const FlowDirection &fd, TimeNs from)
{
    std::uint32_t m = 0;
    const auto &segs = fd.segments;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const Segment &s = segs[i];
        if (s.time < from || !s.payload || s.payload <= m)
            continue;
        const SegmentClass k = s.segmentClass();
        if (k != SegmentClass::Normal && k != SegmentClass::FullSize)
            continue;
        bool resent = false;
        for (std::size_t j = i + 1; j < segs.size() && j < i + 4000 && !resent; ++j)
            resent = segs[j].payload && segs[j].has(Segment::Retransmission) && segs[j].relSeq < s.endSeq()
                && segs[j].endSeq() > s.relSeq;
        if (!resent)
            m = s.payload;
    }
    return m;
}

} // namespace

void detectIcmpTooBig(const Trace &t, std::vector<Problem> &out)
{
    // One problem per connection direction, however many errors quote it.
    std::map<std::pair<std::uint32_t, int>, std::size_t> index;
    std::map<std::size_t, std::uint32_t> mtuOf;
    for (const IcmpTooBigEvent &e : t.icmpTooBig) {
        int d = 0;
        const Connection *c = connectionOf(t, e, d);
        if (!c)
            continue;
        const auto key = std::make_pair(c->id, d);
        auto it = index.find(key);
        if (it == index.end()) {
            Problem p = makeProblem(*c, d, "icmp-too-big", ProblemSeverity::Info);
            it = index.emplace(key, out.size()).first;
            mtuOf[out.size()] = e.info.mtu;
            out.push_back(std::move(p));
        }
        Problem &p = out[it->second];
        addExample(p, e.frame, e.time);
        std::uint32_t &mtu = mtuOf[it->second];
        if (e.info.mtu && (!mtu || e.info.mtu < mtu))
            mtu = e.info.mtu;
    }
    for (const auto &[key, at] : index) {
        Problem &p = out[at];
        const Connection *c = nullptr;
        for (const auto &cp : t.connections)
            if (cp->id == key.first)
                c = cp.get();
        const int d = key.second;
        const std::uint32_t mtu = mtuOf[at];
        const FlowDirection &fd = c->directions[d];
        const std::uint32_t before = largestWireSegment(fd, c->firstTime, p.firstTime);
        // Segments already in flight when the error left the router still arrive big; judge from 1 ms on.
        const std::uint32_t after = largestWireSegment(fd, p.lastTime + 1'000'000, c->lastTime + 1);
        const int hdr = headerBytes(*c, d);
        p.text = std::to_string(p.frames.size()) + (p.frames.size() >= R::MaxExampleFrames ? "+" : "") + " ICMP \""
            + (fd.from.addr.family == 6 ? "packet too big" : "fragmentation needed")
            + "\" error(s) quote segments from " + p.from + " to " + p.to
            + ": a router on the path has a next-hop MTU of "
            + (mtu ? num(mtu) + " bytes" : "unknown size (an old router that leaves it 0)") + ". ";
        if (mtu && after && after + hdr <= mtu) {
            p.text += "The sender then shrank its segments from " + num(before) + " to " + num(after)
                + " bytes: path MTU discovery works.";
            p.fix = "Nothing to fix: the sender adapted. To avoid the first lost round trip, use the smaller MTU on "
                    "this side too, or clamp the MSS on the router (`iptables -t mangle -A FORWARD -p tcp "
                    "--tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu`).";
        } else if (after) {
            p.severity = ProblemSeverity::Warning;
            p.text += "The sender kept sending segments of up to " + num(after) + " bytes (" + num(after + hdr)
                + "-byte packets) after it: it ignores the error or never got it.";
            p.fix = std::string(PmtuFixCommon)
                + "A firewall on the sender's side may drop ICMP type 3 code 4 / ICMPv6 type 2 before it reaches the "
                  "host; allow them. On Linux, `sysctl net.ipv4.tcp_mtu_probing=1` makes TCP find the MTU without "
                  "ICMP.";
        } else {
            p.text += "The capture ends before the sender sent more data.";
            p.fix = std::string(PmtuFixCommon) + "Nothing else to do if later transfers use smaller segments.";
        }
    }
}

void detectBlackHole(const Trace &t, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    if (!o.analyzed || !o.effectiveMss)
        return;
    const auto &segs = fd.segments;
    // The peer's ACKs, gathered only once a run of retransmissions needs them: 16 bytes per ACK, which
    // most connections never need (they were a third of the report's peak memory on a 1M-frame capture).
    std::vector<AckPoint> acks;
    std::vector<std::int64_t> highestAck; // highestAck[k]: the highest of acks[0..k]
    bool haveAcks = false;
    // Highest ACK at or before a time (acks are in time order): a search, not a scan, since a long capture
    // with many retransmissions asks once per run.
    auto ackAt = [&acks, &highestAck](TimeNs time) -> std::int64_t {
        const auto after = std::upper_bound(acks.begin(), acks.end(), time,
                                            [](TimeNs t, const AckPoint &a) { return t < a.time; });
        return after == acks.begin() ? 0 : std::max<std::int64_t>(0, highestAck[std::size_t(after - acks.begin()) - 1]);
    };
    const std::uint32_t fullSize = std::uint32_t(o.effectiveMss * R::FullSizeFraction);
    std::size_t i = 0;
    std::vector<std::size_t> run;
    while (i < segs.size()) {
        const Segment &s = segs[i];
        if (!s.has(Segment::Retransmission) || s.payload < fullSize) {
            ++i;
            continue;
        }
        // A run of retransmissions of the same start, each gap longer than the one before.
        run.assign(1, i);
        std::size_t j = i + 1;
        for (; j < segs.size(); ++j) {
            const Segment &n = segs[j];
            if (!n.payload)
                continue;
            if (n.relSeq != s.relSeq || n.payload < fullSize)
                break;
            run.push_back(j);
        }
        if (int(run.size()) < R::BlackHoleMinRetransmissions) {
            i = j;
            continue;
        }
        bool backoff = true;
        for (std::size_t k = 2; k < run.size(); ++k) {
            const TimeNs g0 = segs[run[k - 1]].time - segs[run[k - 2]].time;
            const TimeNs g1 = segs[run[k]].time - segs[run[k - 1]].time;
            if (double(g1) < double(g0) * R::BackoffFactor)
                backoff = false;
        }
        const TimeNs lastRetrans = segs[run.back()].time;
        if (backoff && !haveAcks) {
            acks = peerAcks(c, d);
            highestAck.reserve(acks.size());
            for (const AckPoint &a : acks)
                highestAck.push_back(highestAck.empty() ? a.relAck : std::max(highestAck.back(), a.relAck));
            haveAcks = true;
        }
        if (!backoff || ackAt(lastRetrans) > s.relSeq) {
            i = j;
            continue;
        }
        // Recovery: the first later segment that is smaller and gets acknowledged.
        TimeNs recovered = -1;
        std::uint32_t recoveredSize = 0, recoveredFrame = 0;
        if (j < segs.size() && segs[j].payload && segs[j].payload < fullSize && segs[j].relSeq == s.relSeq) {
            for (const AckPoint &a : acks)
                if (a.time > segs[j].time && a.relAck > s.relSeq) {
                    recovered = a.time;
                    recoveredSize = segs[j].payload;
                    recoveredFrame = segs[j].frame;
                    break;
                }
        }
        // An ICMP too-big for this direction near the stall explains it: not a black hole.
        bool icmpInTime = false;
        TimeNs icmpLate = -1;
        for (const IcmpTooBigEvent &e : t.icmpTooBig) {
            if (!icmpQuotes(e, c, d))
                continue;
            if (e.time <= s.time + TimeNs(R::IcmpExplainsWithinS * 1e9))
                icmpInTime = true;
            else if (icmpLate < 0)
                icmpLate = e.time;
        }
        // Without a recovery to smaller segments two resends of a midstream capture are too little: a
        // path that went down looks the same (public e31_midstream_gtp_1400.pcapng shows 2, then nothing).
        if (icmpInTime || (recovered < 0 && (c.midstream || int(run.size()) < R::BlackHoleMinUnrecovered))) {
            i = j;
            continue;
        }
        // The first transmission of the stalled byte (a scan from the start: only for a black hole found).
        TimeNs stallStart = s.time;
        std::uint32_t firstFrame = s.frame;
        for (std::size_t k = 0; k < i; ++k)
            if (segs[k].payload && segs[k].relSeq <= s.relSeq && segs[k].endSeq() > s.relSeq) {
                stallStart = segs[k].time;
                firstFrame = segs[k].frame;
                break;
            }
        Problem p = makeProblem(c, d, "pmtu-black-hole",
                                recovered >= 0 ? ProblemSeverity::Error : ProblemSeverity::Warning);
        addExample(p, firstFrame, stallStart);
        for (std::size_t k : run)
            addExample(p, segs[k].frame, segs[k].time);
        const TimeNs stallEnd = recovered >= 0 ? recovered : lastRetrans;
        if (recoveredFrame)
            addExample(p, recoveredFrame, stallEnd);
        const int hdr = headerBytes(c, d);
        p.text = "Full-size segments (" + num(s.payload) + " bytes, " + num(s.payload + hdr) + "-byte packets) from "
            + p.from + " were retransmitted " + std::to_string(run.size())
            + " times with exponential back-off and no ACK, and no ICMP \"too big\" came back"
            + (icmpLate >= 0 ? " until " + secondsText(double(icmpLate - stallStart) / 1e9) + " later" : "")
            + ": a PMTU black hole. ";
        if (recovered >= 0) {
            const std::uint32_t later = std::max(recoveredSize, largestDelivered(fd, recovered));
            p.text += "The connection stalled for " + secondsText(double(stallEnd - stallStart) / 1e9)
                + " and recovered with " + num(recoveredSize) + "-byte segments; the largest later segment that got "
                + "through was " + num(later) + " bytes, so the path MTU is at least " + num(later + hdr)
                + " and below " + num(s.payload + hdr) + ".";
        } else {
            p.text += "It stalled for " + secondsText(double(stallEnd - stallStart) / 1e9)
                + " without recovering in this capture (a path that went down looks the same).";
        }
        p.fix = std::string(PmtuFixCommon)
            + "Find the device with the smaller MTU and let its ICMP type 3 code 4 (ICMPv6 type 2) errors through "
              "every firewall back to the sender; or clamp the MSS there (`iptables -t mangle -A FORWARD -p tcp "
              "--tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu`). On Linux senders `sysctl "
              "net.ipv4.tcp_mtu_probing=1` recovers without ICMP. Offload settings have nothing to do with it.";
        out.push_back(std::move(p));
        return; // one per direction: the first stall tells the story
    }
}

void detectBelowMss(const Trace &t, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    const auto mss = c.announcedMssFor(d);
    if (!o.analyzed || !mss || !o.effectiveMss || o.oversized())
        return;
    for (const IcmpTooBigEvent &e : t.icmpTooBig)
        if (icmpQuotes(e, c, d))
            return; // icmp-too-big already says why the segments are smaller
    // The largest wire size and how often it occurs.
    std::uint32_t largest = 0;
    std::uint64_t largestCount = 0;
    for (const Segment &s : fd.segments) {
        if (s.payload > largest) {
            largest = s.payload;
            largestCount = 0;
        }
        largestCount += s.payload == largest;
    }
    // Compared with what the receiver announced, not with the direction's effective limit: when the sender's own
    // SYN (as seen here) announced less, that limit is the very thing to explain — its own MTU, or a clamp
    // between it and this capture point (the same SYN option seen here cannot tell them apart).
    const std::uint32_t optionBytes = std::uint32_t(c.perSegmentOptionBytes(d));
    const std::uint32_t announcedLimit = *mss > optionBytes ? *mss - optionBytes : 0;
    if (!largest || largest + R::BelowMssMinGap > announcedLimit || largestCount < R::BelowMssMinSegments)
        return;
    // The largest size must also be the most common one (counted only now: most directions reach the MSS).
    std::unordered_map<std::uint32_t, std::uint64_t> sizes;
    for (const Segment &s : fd.segments)
        if (s.payload && ++sizes[s.payload] > largestCount)
            return;
    Problem p = makeProblem(c, d, "segments-below-mss", ProblemSeverity::Info);
    for (const Segment &s : fd.segments)
        if (s.payload == largest)
            addExample(p, s.frame, s.time);
    const int hdr = headerBytes(c, d);
    p.text = p.from + " sent " + num(largestCount) + " segments of " + num(largest)
        + " bytes and none larger, although " + p.to + " announced MSS " + num(*mss) + " (" + num(announcedLimit)
        + " bytes per segment): the path MTU is smaller, or a device clamped the MSS, on the other side of this "
          "capture point. The implied MTU is "
        + num(largest + hdr) + " bytes.";
    if (o.mssLimitedBySender && fd.handshake.hasMss)
        p.text += " Its own SYN as seen here announced MSS " + num(fd.handshake.mss)
            + ": either its interface MTU is that small, or the MSS was rewritten between it and this capture point.";
    p.fix = "Nothing is lost by itself. To confirm, run `tracepath` from " + fd.from.addr.toString()
        + " or compare the SYN's MSS at the sender (a clamp shows as a different MSS there). Not an offload setting.";
    out.push_back(std::move(p));
}

std::vector<std::size_t> arrivedUnmerged(const Connection &c, int d)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    if (!o.analyzed || o.leavesCaptureHost != 0 || o.receiveOffload < R::WireOversizeMinFrames)
        return {};
    auto state = [](const Segment &s) { return static_cast<ChecksumState>(s.tcpChecksum()); };
    // The receiver's own frames: does it leave its checksums to its NIC (a current, offloading stack)?
    std::uint64_t ownKnown = 0, ownUnfinished = 0;
    for (const Segment &s : c.directions[1 - d].segments) {
        const ChecksumState st = state(s);
        ownKnown += st != ChecksumState::Unknown;
        ownUnfinished += st == ChecksumState::Bad || st == ChecksumState::Zero;
    }
    if (ownKnown < R::OwnChecksumsMinKnown
        || double(ownUnfinished) < double(ownKnown) * R::OwnChecksumsUnfinishedFraction)
        return {};
    std::vector<std::size_t> good;
    std::uint64_t checked = 0;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment &s = fd.segments[i];
        if (s.segmentClass() != SegmentClass::ReceiveOffload || s.has(Segment::LengthMismatch))
            continue;
        const ChecksumState st = state(s);
        if (st == ChecksumState::Unknown)
            continue;
        ++checked;
        if (st == ChecksumState::Good)
            good.push_back(i);
    }
    if (good.size() < R::WireOversizeMinFrames
        || double(good.size()) < double(checked) * R::WireOversizeGoodChecksumFraction)
        return {};
    return good;
}

void detectWireOversize(const Trace &t, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    if (!o.analyzed || !o.effectiveMss)
        return;
    Problem p = makeProblem(c, d, "wire-oversize", ProblemSeverity::Warning);
    std::uint64_t n = 0;
    std::uint32_t largest = 0;
    auto take = [&](const Segment &s) {
        ++n;
        largest = std::max(largest, s.payload);
        addExample(p, s.frame, s.time);
    };
    // Frames the offload analysis could not place at all (captured on a third host, too little evidence).
    for (const Segment &s : fd.segments) {
        if (s.segmentClass() == SegmentClass::OversizedUnexplained && !s.has(Segment::LengthMismatch))
            take(s);
    }
    const std::uint64_t unplaced = n;
    // Frames that arrived that size: received, but not merged by this host.
    const std::vector<std::size_t> unmerged = arrivedUnmerged(c, d);
    std::uint8_t ttl = 0;
    for (const std::size_t i : unmerged) {
        take(fd.segments[i]);
        ttl = std::max(ttl, fd.segments[i].ttl);
    }
    if (n < R::WireOversizeMinFrames)
        return;
    p.text = num(n) + " frames from " + p.from + " carry more than the " + num(o.effectiveMss)
        + "-byte segment size (up to " + num(largest) + " bytes) and no offload at this capture point explains them";
    if (unmerged.empty()) {
        p.text += ": if this is the wire, a device between did not segment them.";
    } else {
        const std::string host = t.offload.capturePoint.known ? t.offload.capturePoint.host : p.to;
        p.text += ". " + num(unmerged.size()) + " of them arrived at the capture host " + host
            + " with a correct TCP checksum"
            + (isInitialTtl(ttl) ? "" : " and a decremented TTL (" + std::to_string(ttl) + ")") + ", while " + host
            + " leaves its own checksums to its NIC: coalescing on this host (GRO) would have left a pseudo-header "
              "sum in a merged frame, so they came off the link this size and a device between did not segment "
              "them (unless the receiving NIC runs a hardware LRO that finishes checksums).";
        if (unplaced)
            p.text.append(" ").append(num(unplaced)).append(" more could not be placed on either host.");
    }
    // (append, not " " + num(...): GCC 12 -O3 warns a false -Wrestrict on literal + temporary string)
    p.text.append(" ").append(num(fd.stats.retransmissions)).append(" retransmissions in this direction.");
    p.fix = "Capture on the sender and the receiver to see where the frames grow (at the sender the same frames are "
            "its TSO super-segments, which its NIC should cut). A bridge or virtual switch that forwards GRO- or "
            "LRO-merged frames (Linux: `ethtool -k IFACE | grep offload` on the bridge ports, `ethtool -K IFACE gro "
            "off lro off` to test), a router with LRO on (Linux turns it off when forwarding; some drivers do not), "
            "or a middlebox that re-segments wrongly is the usual cause. Links whose MTU is smaller drop such frames.";
    out.push_back(std::move(p));
}

} // namespace ol::problemsdetail
