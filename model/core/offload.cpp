// SPDX-License-Identifier: GPL-3.0-or-later
// Offload classification. Runs after reassembly over the compact records (no file access):
// 1. the effective MSS of each direction, 2. facts about its oversized segments, 3. the capture host,
// 4. the class of every segment and the verdicts with evidence, 5. the plain-language summary.
#include "offload.h"

#include "capturelocation.h"
#include "capturepoint.h"
#include "capturepointrules.h"
#include "offloadmss.h"
#include "offloadrules.h"
#include "offloadwords.h"
#include "parallel.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

namespace ol {
namespace {

constexpr std::uint32_t TimestampOptionBytes = 12;

std::uint32_t segmentLimit(const DirectionOffload &o, const Segment &s)
{
    const std::uint32_t ts = s.has(Segment::HasTimestamps) ? TimestampOptionBytes : 0;
    return o.mss > ts ? o.mss - ts : o.mss;
}

/// Larger than the direction allows on the wire. Loopback frames never are: they never reach a NIC.
bool oversized(const DirectionOffload &o, const Segment &s)
{
    return !o.loopback && s.payload > segmentLimit(o, s);
}

/// Walks the peer's ACKs (relative to this direction) and the oversized segments to fill OversizeFacts.
OversizeFacts gatherFacts(const Connection &c, int d, const DirectionOffload &o)
{
    OversizeFacts f;
    const FlowDirection &fd = c.directions[d];
    // Peer ACK positions in this direction's relative sequence space, only needed when something is oversized
    // (a transient array of 8 bytes per peer segment: skip it for the common case).
    bool anyOversized = false;
    for (auto it = fd.segments.begin(); it != fd.segments.end() && !anyOversized; ++it)
        anyOversized = oversized(o, *it);
    std::vector<std::int64_t> acks;
    if (anyOversized) {
        forEachPeerAck(c, d, [&acks](std::size_t, std::int64_t rel) { acks.push_back(rel); });
        if (!std::is_sorted(acks.begin(), acks.end())) // ACKs mostly grow: skip the sort when they do
            std::sort(acks.begin(), acks.end());
    }
    const std::size_t n = fd.segments.size();
    std::optional<Segment> previous; // a copy: the store hands out values
    for (auto at = fd.segments.begin(); at != fd.segments.end(); ++at) {
        const Segment s = *at;
        const std::size_t i = at.index();
        const std::uint8_t tcs = s.tcpChecksum();
        const std::uint8_t ics = s.ipChecksum();
        const bool unfilled = tcs == std::uint8_t(ChecksumState::Bad) || tcs == std::uint8_t(ChecksumState::Zero)
            || ics == std::uint8_t(ChecksumState::Bad) || ics == std::uint8_t(ChecksumState::Zero);
        // A finished IPv4 header checksum says nothing (stacks compute it in software); a TCP checksum
        // that could be checked, or an unfilled IPv4 one, does.
        const bool known = tcs != std::uint8_t(ChecksumState::Unknown) || unfilled;
        if (c.client.addr.family == 4 && o.effectiveMss) {
            f.zeroIpIds += s.ipId == 0;
            // IDs 1, 2, 3 ... one per wire segment: a NIC numbering the segments it cut from an ID-0 template.
            const std::optional<Segment> &p = previous;
            if (p && p->payload && p->ipId && p->ipId < rules::localSendVote.nicIdMax
                && s.ipId == p->ipId + ceilDiv(p->payload, o.effectiveMss)) {
                ++f.nicIdSteps;
                f.exampleNicIdLast = std::max<std::uint32_t>(f.exampleNicIdLast, s.ipId);
            }
        }
        previous = s;
        if (!oversized(o, s)) {
            // Small frames tell whether this sender's stack leaves checksums to the NIC at all; large
            // merged (GRO) frames show a stale checksum whichever side the capture was on.
            f.smallKnown += known;
            f.smallUnfilled += unfilled;
            continue;
        }
        if (s.has(Segment::LengthMismatch)) {
            ++f.lengthSuspect;
            continue;
        }
        ++f.oversized;
        f.largest = std::max(f.largest, s.payload);
        if (o.effectiveMss && s.payload % o.effectiveMss == 0)
            ++f.exactMultiple;
        if (s.ipLength == 0)
            ++f.ipLengthZero;
        if (isInitialTtl(s.ttl))
            ++f.ttlInitial;
        else
            ++f.ttlDecremented;
        if (unfilled)
            ++f.checksumUnfilled;
        else if (tcs == std::uint8_t(ChecksumState::Good))
            ++f.checksumGood;
        if (s.recordedDirection() == std::uint8_t(RecordedDirection::Outgoing))
            ++f.recordedOut;
        else if (s.recordedDirection() == std::uint8_t(RecordedDirection::Incoming))
            ++f.recordedIn;
        // ACKs strictly inside (start, end): the receiver saw wire segments this frame was cut into.
        const auto it = std::upper_bound(acks.begin(), acks.end(), s.relSeq);
        if (it != acks.end()) {
            ++f.ackChecked;
            if (*it < s.endSeq()) {
                ++f.ackInside;
                if (f.exampleAckInside < 0) {
                    f.exampleAckInside = *it;
                    f.exampleStart = s.relSeq;
                    f.exampleLength = s.payload;
                }
            }
        }
        // IPv4 ID of the next data segment: +k means the NIC spent one ID per wire segment.
        if (c.client.addr.family == 4 && o.effectiveMss) {
            for (std::size_t j = i + 1; j < n && j < i + 64; ++j) {
                const Segment &t = fd.segments[j];
                if (!t.payload || t.has(Segment::Retransmission))
                    continue;
                const std::uint16_t delta = static_cast<std::uint16_t>(t.ipId - s.ipId);
                const std::uint32_t k = ceilDiv(s.payload, o.effectiveMss);
                if (s.ipId == 0 && t.ipId == 0)
                    break; // IDs not in use on this flow
                ++f.ipIdChecked;
                if (delta == k) {
                    if (!f.ipIdMatches) {
                        f.exampleIpIdFrom = s.ipId;
                        f.exampleIpIdTo = t.ipId;
                        f.exampleIpIdPayload = s.payload;
                    }
                    ++f.ipIdMatches;
                } else if (delta == 1) {
                    ++f.ipIdPlusOne;
                }
                break;
            }
        }
    }
    return f;
}

bool smallFramesUnfinished(const OversizeFacts &f)
{
    const auto &r = rules::smallFrameChecksums;
    return f.smallKnown >= r.minKnown && f.smallUnfilled * r.unfinishedOneIn >= f.smallKnown;
}

bool smallFramesFinished(const OversizeFacts &f)
{
    const auto &r = rules::smallFrameChecksums;
    return f.smallKnown >= r.minKnown && f.smallUnfilled * r.finishedOneIn < f.smallKnown;
}

/// macOS sends IPv4 ID 0 on every DF packet; frames whose IDs count 1, 2, 3 ... per wire segment were cut
/// by the sender's NIC (which numbers the segments of a template) and so were captured downstream of it.
bool nicNumberedIds(const OversizeFacts &f)
{
    const auto &w = rules::localSendVote;
    return f.oversized && f.zeroIpIds >= w.nicIdMinFrames && f.nicIdSteps >= w.nicIdMinFrames;
}

/// > 0: this direction's oversized frames were sent by the capture host; < 0: received by it.
/// Weights and why: rules::LocalSendVote.
int localSendVote(const OversizeFacts &f)
{
    const auto &w = rules::localSendVote;
    const bool largeUnfinished = f.oversized && f.checksumUnfilled * 2 >= f.oversized;
    int vote = 0;
    if (f.recordedOut > f.recordedIn)
        vote += w.recordedDirection;
    if (f.recordedIn > f.recordedOut)
        vote -= w.recordedDirection;
    // ACKs inside large frames that crossed a router (TTL decremented) say the merge happened between the
    // wire and the receiver, at this capture point, not in the sender's stack: no vote for "sent" then.
    if (f.ackChecked && f.ackInside * w.ackInsideOneIn >= f.ackChecked && f.ttlInitial >= f.ttlDecremented)
        vote += w.ackInside;
    if (smallFramesUnfinished(f))
        vote += w.ownChecksums; // this sender leaves all checksums to its NIC: its own frames, captured inside it
    else if (smallFramesFinished(f) && largeUnfinished)
        vote -= w.mergedChecksums; // finished small frames but pseudo-header sums on large ones: merged (GRO)
    else if (f.smallKnown < rules::smallFrameChecksums.minKnown && largeUnfinished)
        vote += w.loneChecksum; // nothing else from this sender: a checksum left to the NIC points at its stack
    if (f.ttlDecremented > f.ttlInitial && f.peerTtlInitial)
        vote -= w.routedTtl; // crossed a router as ordinary packets to a local receiver: merged after the wire
    if (f.oversized && f.ipLengthZero * 2 >= f.oversized)
        vote += w.ipLengthZero;
    if (nicNumberedIds(f))
        vote -= w.nicNumberedIds; // cut by the sender's NIC, so captured downstream of it
    return vote;
}

/// When the host-level evidence was not enough, oversized directions whose own evidence told their way
/// (sent or received by the capture host) name the capture host, if they agree on one address.
void inferPointFromDirections(const Trace &trace, CapturePoint &point)
{
    std::string host;
    std::vector<Evidence> evidence;
    for (const auto &c : trace.connections)
        for (const auto &fd : c->directions) {
            const DirectionOffload &o = fd.offload;
            if (o.leavesCaptureHost < 0 || !o.oversized() || o.mergedOnPath)
                continue; // merged on the path: its receiver got the wire segments, it is not the capture host
            const std::string h = (o.leavesCaptureHost ? fd.from : fd.to).addr.toString();
            if (!host.empty() && h != host)
                return; // directions disagree: leave the capture point open
            host = h;
            if (evidence.empty())
                for (const Evidence &e : o.evidence)
                    if (e.kind != "payload-over-mss" && e.kind != "payload-multiple" && e.kind != "mss-inferred")
                        evidence.push_back(e);
        }
    if (host.empty())
        return;
    point.known = true;
    point.host = host;
    point.confidence = rules::capturePointScore.directionsOnlyConfidence;
    point.evidence = std::move(evidence);
    point.evidence.push_back({"oversized-direction",
                              "The large frames themselves show which way they went relative to the capture host; "
                              "nothing else in the trace names it.",
                              0.3, host});
}

/// A trace of loopback traffic only was captured on the host at both of its ends.
void loopbackCapturePoint(const Trace &trace, CapturePoint &point)
{
    std::map<std::string, std::uint64_t> frames;
    for (const auto &c : trace.connections)
        for (const auto &fd : c->directions) {
            if (!fd.offload.loopback)
                return;
            frames[fd.from.addr.toString()] += fd.stats.segments;
        }
    if (frames.empty())
        return;
    const auto busiest = std::max_element(frames.begin(), frames.end(),
                                          [](const auto &a, const auto &b) { return a.second < b.second; });
    point.known = true;
    point.host = busiest->first;
    point.role = "both ends";
    point.confidence = rules::capturePointScore.maxConfidence;
    point.evidence = {{"loopback",
                       "Every connection in the trace is loopback traffic: the capture was taken on the host itself, "
                       "which is both ends of each connection.",
                       0.8, point.host}};
}

} // namespace

void forEachWireSegment(const FlowDirection &direction, const std::function<void(const WireSegment &)> &sink)
{
    const std::uint32_t eff = direction.offload.effectiveMss;
    for (std::size_t i = 0; i < direction.segments.size(); ++i) {
        const Segment &s = direction.segments[i];
        if (!s.payload)
            continue;
        if (s.segmentClass() != SegmentClass::SendOffload || !eff) {
            sink({s.relSeq, s.payload, i, false});
            continue;
        }
        for (std::uint32_t off = 0; off < s.payload; off += eff)
            sink({s.relSeq + off, std::min(eff, s.payload - off), i, true});
    }
}

void analyzeOffload(Trace &trace)
{
    std::map<std::string, HostTally> hosts;
    std::set<std::string> peers;
    std::vector<std::array<OversizeFacts, 2>> facts(trace.connections.size());
    // 1. the MSS of every direction, then what directions without enough data learn from the others
    const MssContext mssContext = buildMssContext(trace);
    for (auto &cp : trace.connections)
        for (int d = 0; d < 2; ++d) {
            FlowDirection &fd = cp->directions[d];
            fd.offload = DirectionOffload{};
            fd.offload.analyzed = true;
            determineMss(*cp, d, mssContext, fd.offload);
        }
    shareMssBetweenDirections(trace);

    // 2. what each direction's segments show (its oversized frames, its TTLs): one walk over every segment,
    // independent per direction, so on two cores; the tallies below add them up in connection order.
    std::vector<std::array<std::vector<std::pair<std::uint8_t, std::uint32_t>>, 2>> ttls(trace.connections.size());
    std::uint64_t segments = 0;
    for (const auto &cp : trace.connections)
        segments += cp->directions[0].segments.size() + cp->directions[1].segments.size();
    forEachOnTwoCores(2 * trace.connections.size(), segments, ParallelMinSegments, [&](std::size_t k) {
        const Connection &c = *trace.connections[k / 2];
        const int d = int(k % 2);
        const FlowDirection &fd = c.directions[d];
        facts[k / 2][d] = gatherFacts(c, d, fd.offload);
        std::uint32_t histogram[256] = {};
        for (const Segment &s : fd.segments)
            ++histogram[s.ttl];
        for (int v = 0; v < 256; ++v)
            if (histogram[v])
                ttls[k / 2][d].emplace_back(std::uint8_t(v), histogram[v]);
    });

    for (std::size_t ci = 0; ci < trace.connections.size(); ++ci) {
        Connection &c = *trace.connections[ci];
        std::uint8_t ttlMode[2] = {0, 0};
        {
            const std::string a = c.client.addr.toString(), b = c.server.addr.toString();
            peers.insert(a < b ? a + "|" + b : b + "|" + a);
        }
        for (int d = 0; d < 2; ++d) {
            FlowDirection &fd = c.directions[d];
            OversizeFacts &f = facts[ci][d];
            HostTally &t = hosts[fd.from.addr.toString()];
            HostTally &peer = hosts[fd.to.addr.toString()];
            (d == 0 ? t.asClient : t.asServer) += 1;
            t.framesFrom += fd.stats.segments;
            t.recordedOutFrom += fd.stats.recorded[1];
            peer.recordedInTo += fd.stats.recorded[2];
            t.recordedAgainst += fd.stats.recorded[2];
            peer.recordedAgainst += fd.stats.recorded[1];
            const DirectionStats &st = fd.stats;
            t.checksumKnown += f.smallKnown;
            t.checksumUnfilled += f.smallUnfilled;
            peer.peerChecksumKnown += f.smallKnown;
            peer.peerChecksumUnfilled += f.smallUnfilled;
            t.pcapngTso += st.pcapngTsoFlag;
            t.oversizedFrom += f.oversized;
            t.ackInsideFrom += f.ackInside;
            t.ackCheckedFrom += f.ackChecked;
            t.routedOversizedFrom += f.ttlDecremented;
            t.ipLengthZeroFrom += f.ipLengthZero;
            std::uint32_t modeCount = 0; // the most frequent TTL, the lowest of equals
            for (const auto &[ttl, count] : ttls[ci][d]) {
                t.ttlHistogram[ttl] += count;
                if (count > modeCount) {
                    ttlMode[d] = ttl;
                    modeCount = count;
                }
            }
        }
        // Checksums: only a difference between the two ends points at one of them. Both unfilled is what a
        // virtual link (veth) shows at either end.
        {
            const OversizeFacts &f0 = facts[ci][0], &f1 = facts[ci][1];
            HostTally &h0 = hosts[c.directions[0].from.addr.toString()];
            HostTally &h1 = hosts[c.directions[1].from.addr.toString()];
            if (smallFramesUnfinished(f0) && smallFramesFinished(f1)) {
                ++h0.checksumVotes;
                --h1.checksumVotes;
            } else if (smallFramesUnfinished(f1) && smallFramesFinished(f0)) {
                ++h1.checksumVotes;
                --h0.checksumVotes;
            }
        }
        facts[ci][0].peerTtlInitial = c.directions[1].stats.segments && isInitialTtl(ttlMode[1]);
        facts[ci][1].peerTtlInitial = c.directions[0].stats.segments && isInitialTtl(ttlMode[0]);
        // TTL: an undecremented initial value on one side only points at that side.
        const bool init0 = isInitialTtl(ttlMode[0]), init1 = isInitialTtl(ttlMode[1]);
        if (c.directions[0].stats.segments && c.directions[1].stats.segments && init0 != init1) {
            HostTally &local = hosts[c.directions[init0 ? 0 : 1].from.addr.toString()];
            HostTally &remote = hosts[c.directions[init0 ? 1 : 0].from.addr.toString()];
            ++local.ttlVotes;
            local.peerTtlExample = ttlMode[init0 ? 1 : 0];
            --remote.ttlVotes;
        }
        // Handshake timing: the capture point is next to the host that answers fast.
        if (c.synTime >= 0 && c.synAckTime > c.synTime && c.handshakeAckTime > c.synAckTime) {
            const TimeNs first = c.synAckTime - c.synTime, second = c.handshakeAckTime - c.synAckTime;
            HostTally &client = hosts[c.client.addr.toString()];
            HostTally &server = hosts[c.server.addr.toString()];
            if (double(first) > rules::capturePointScore.handshakeRatio
                    * double(second)) { // in double: gaps of decades overflow 4 * int64
                ++client.handshakeNear;
                ++server.handshakeFar;
                client.exampleSynToSynAck = first;
                client.exampleSynAckToAck = second;
            } else if (double(second) > rules::capturePointScore.handshakeRatio * double(first)) {
                ++server.handshakeNear;
                ++client.handshakeFar;
                server.exampleSynToSynAck = first;
                server.exampleSynAckToAck = second;
            }
        }
    }

    FileOffloadVerdict &file = trace.offload;
    file = FileOffloadVerdict{};
    file.analyzed = true;
    std::vector<std::string> local = inferCapturePoint(hosts, peers, file.capturePoint);
    if (!trace.localAddresses.empty()) {
        // A live capture knows its own addresses: no inference is needed, or allowed to overrule them.
        std::vector<std::string> mine;
        for (const std::string &a : trace.localAddresses)
            if (hosts.count(a))
                mine.push_back(a);
        if (!mine.empty()) {
            CapturePoint &p = file.capturePoint;
            p = CapturePoint{};
            p.known = true;
            p.host = mine.front();
            p.confidence = rules::capturePointScore.maxConfidence;
            p.role = hosts.at(p.host).asClient && hosts.at(p.host).asServer ? "client and server"
                : hosts.at(p.host).asClient                                 ? "client"
                : hosts.at(p.host).asServer                                 ? "server"
                                                                            : "";
            p.evidence.push_back({"local-address",
                                  "Captured live on this host's interface, whose address " + p.host
                                      + " is this end of the traffic: frames from it left this host.",
                                  1.0, p.host});
            local = std::move(mine);
        }
    }
    if (!file.capturePoint.known) {
        loopbackCapturePoint(trace, file.capturePoint);
        if (file.capturePoint.known)
            local = {file.capturePoint.host};
    }
    auto isLocal = [&local](const std::string &h) { return std::find(local.begin(), local.end(), h) != local.end(); };

    bool anySend = false, anyReceive = false;
    for (std::size_t ci = 0; ci < trace.connections.size(); ++ci) {
        Connection &c = *trace.connections[ci];
        for (int d = 0; d < 2; ++d) {
            FlowDirection &fd = c.directions[d];
            DirectionOffload &o = fd.offload;
            const OversizeFacts &f = facts[ci][d];
            const std::string from = fd.from.addr.toString(), to = fd.to.addr.toString();
            int leaves = -1;
            if (isLocal(from) && !isLocal(to))
                leaves = 1;
            else if (isLocal(to) && !isLocal(from))
                leaves = 0;
            else if (f.oversized) {
                const int vote = localSendVote(f);
                leaves = vote >= rules::localSendVote.decide ? 1 : vote <= -rules::localSendVote.decide ? 0 : -1;
            }
            o.leavesCaptureHost = leaves;
            o.mergedOnPath = leaves != 1 && f.ackChecked
                && f.ackInside * rules::localSendVote.ackInsideOneIn >= f.ackChecked && f.ttlDecremented > f.ttlInitial;
            const SegmentClass big = leaves == 1 ? SegmentClass::SendOffload
                : leaves == 0                    ? SegmentClass::ReceiveOffload
                                                 : SegmentClass::OversizedUnexplained;
            if (big == SegmentClass::OversizedUnexplained && f.oversized)
                o.unexplainedWhy = "frames from " + from + " to " + to
                    + " are larger than the MSS, but nothing in the trace says whether the capture "
                      "host sent or received them (captured on a third host, or too little evidence).";
            for (auto at = fd.segments.begin(); at != fd.segments.end(); ++at) {
                const Segment s = *at;
                if (!s.payload) {
                    at.setSegmentClass(SegmentClass::None);
                    continue;
                }
                const std::uint32_t limit = segmentLimit(o, s);
                SegmentClass cls;
                if (s.payload < limit)
                    cls = SegmentClass::Normal;
                else if (s.payload == limit || o.loopback)
                    cls = SegmentClass::FullSize; // loopback: as large as the stack made it, never offload
                else if (s.has(Segment::LengthMismatch))
                    cls = SegmentClass::OversizedUnexplained;
                else
                    cls = big;
                at.setSegmentClass(cls);
                switch (cls) {
                case SegmentClass::Normal:
                    ++o.normal;
                    break;
                case SegmentClass::FullSize:
                    ++o.fullSize;
                    break;
                case SegmentClass::SendOffload:
                    ++o.sendOffload;
                    break;
                case SegmentClass::ReceiveOffload:
                    ++o.receiveOffload;
                    break;
                default:
                    ++o.unexplained;
                    break;
                }
                if (cls >= SegmentClass::SendOffload && o.effectiveMss)
                    o.maxSegmentsInOne = std::max(o.maxSegmentsInOne, ceilDiv(s.payload, o.effectiveMss));
            }
            if (f.lengthSuspect && o.unexplainedWhy.empty())
                o.unexplainedWhy = "their IP length disagrees with the frame length (a damaged or fuzzed record).";
            if (o.sendOffload >= o.receiveOffload && o.sendOffload)
                o.verdict = OffloadVerdict::SendOffload;
            else if (o.receiveOffload)
                o.verdict = OffloadVerdict::ReceiveOffload;
            anySend |= o.verdict == OffloadVerdict::SendOffload;
            anyReceive |= o.verdict == OffloadVerdict::ReceiveOffload;
            describeDirection(fd, f, o);
        }
    }
    if (!file.capturePoint.known)
        inferPointFromDirections(trace, file.capturePoint);
    placeCapture(trace, file.capturePoint);
    file.verdict = anySend && anyReceive ? OffloadVerdict::Both
        : anySend                        ? OffloadVerdict::SendOffload
        : anyReceive                     ? OffloadVerdict::ReceiveOffload
                                         : OffloadVerdict::None;
    file.summary = summaryFor(trace);
}

} // namespace ol
