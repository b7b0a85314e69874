// SPDX-License-Identifier: GPL-3.0-or-later
// Stream graph series (see streamseries.h). Each walks one direction's segments and its peer's ACKs once,
// merged in capture order (frame numbers: the order the capture point saw them).
#include "streamseries.h"

#include "offload.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <deque>

namespace ol {
namespace {

/// The scale the receiver of direction d applies to its window field, and whether the handshake said it.
int peerWindowShift(const Connection &c, int d, bool &known)
{
    const HandshakeOptions &a = c.directions[0].handshake, &b = c.directions[1].handshake;
    known = a.sawSyn && b.sawSyn;
    if (!known || a.windowScale < 0 || b.windowScale < 0)
        return 0; // scaling is on only when both SYNs carried the option
    return std::min<int>(c.directions[1 - d].handshake.windowScale, 14);
}

/// The peer's ACK positions in direction d's relative sequence space, with their peer index.
std::vector<std::pair<std::size_t, std::int64_t>> peerAcks(const Connection &c, int d)
{
    std::vector<std::pair<std::size_t, std::int64_t>> acks;
    forEachPeerAck(c, d, [&acks](std::size_t i, std::int64_t rel) { acks.emplace_back(i, rel); });
    return acks;
}

std::string num(double v, const char *fmt)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string seconds(const Trace &t, TimeNs time)
{
    return num(double(time - t.firstTime) / 1e9, "%.9f");
}

std::string dirName(int d)
{
    return d == 0 ? "c>s" : "s>c";
}

} // namespace

std::vector<RttSample> rttSamples(const Connection &c, int d, bool wire)
{
    std::vector<RttSample> out;
    const FlowDirection &fd = c.directions[d];
    const auto &peer = c.directions[1 - d].segments;
    const auto acks = peerAcks(c, d);
    // Pieces of data in send order: end position, time, frame, whether their bytes were sent again.
    struct Sent {
        std::int64_t start, end;
        TimeNs time;
        std::uint32_t frame;
        bool retransmitted, wireSegment;
    };
    std::vector<Sent> sent;
    sent.reserve(fd.segments.size());
    auto push = [&sent, &fd](std::size_t i, std::int64_t start, std::uint32_t len, bool piece) {
        const Segment &s = fd.segments[i];
        sent.push_back({start, start + len, s.time, s.frame, s.has(Segment::Retransmission), piece});
    };
    if (wire)
        forEachWireSegment(fd,
                           [&push](const WireSegment &w) { push(w.sourceIndex, w.relSeq, w.payload, w.isVirtual); });
    else
        for (std::size_t i = 0; i < fd.segments.size(); ++i)
            if (fd.segments[i].payload)
                push(i, fd.segments[i].relSeq, fd.segments[i].payload, false);
    // A retransmission taints every earlier piece it overlaps (Karn: an ACK may answer either copy).
    std::vector<std::pair<std::int64_t, std::int64_t>> resent; // (start, end), sorted by start
    for (const Sent &s : sent)
        if (s.retransmitted)
            resent.emplace_back(s.start, s.end);
    std::sort(resent.begin(), resent.end());
    std::vector<std::int64_t> maxEnd(resent.size()); // largest end among the first k ranges
    for (std::size_t k = 0; k < resent.size(); ++k)
        maxEnd[k] = std::max(resent[k].second, k ? maxEnd[k - 1] : resent[k].second);
    auto tainted = [&resent, &maxEnd](const Sent &s) {
        // Ranges starting before this piece ends overlap it when one of them ends after it starts.
        const auto it = std::lower_bound(resent.begin(), resent.end(), std::make_pair(s.end, INT64_MIN));
        const std::size_t k = std::size_t(it - resent.begin());
        return k > 0 && maxEnd[k - 1] > s.start;
    };
    // Walk ACKs and pieces in capture order: a piece can only be answered by an ACK captured after it.
    std::size_t next = 0; // first piece not yet acknowledged
    std::int64_t highest = -1;
    for (const auto &[pi, ack] : acks) {
        const Segment &a = peer[pi];
        if (ack <= highest)
            continue; // no new data acknowledged: a duplicate or a window update
        highest = ack;
        const Sent *match = nullptr;
        while (next < sent.size() && sent[next].frame < a.frame && sent[next].end <= ack) {
            if (sent[next].end == ack)
                match = &sent[next];
            ++next;
        }
        if (match && !tainted(*match)) // a retransmitted piece overlaps its own range, so tainted covers it
            out.push_back({a.time, a.frame, match->frame, double(a.time - match->time) / 1e9, match->wireSegment});
    }
    return out;
}

TimeNs adaptiveThroughputWindow(const FlowDirection &fd)
{
    if (fd.segments.empty())
        return 1000000;
    const TimeNs span = fd.segments[fd.segments.size() - 1].time - fd.segments[0].time;
    return std::clamp<TimeNs>(span / 50, 1000000, 1000000000);
}

std::vector<ThroughputSample> throughputSamples(const Connection &c, int d, TimeNs window)
{
    const FlowDirection &fd = c.directions[d];
    if (window <= 0)
        window = adaptiveThroughputWindow(fd);
    std::vector<ThroughputSample> out;
    std::size_t first = 0;
    std::uint64_t all = 0, again = 0;
    const double perSecond = 1e9 / double(window);
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment &s = fd.segments[i];
        all += s.payload;
        if (s.has(Segment::Retransmission))
            again += s.payload;
        while (fd.segments[first].time <= s.time - window) {
            const Segment &old = fd.segments[first++];
            all -= old.payload;
            if (old.has(Segment::Retransmission))
                again -= old.payload;
        }
        if (!s.payload)
            continue;
        out.push_back(
            {s.time, s.frame, double(all) * perSecond, double(all - again) * perSecond, double(again) * perSecond});
    }
    return out;
}

std::vector<InflightSample> inflightSamples(const Connection &c, int d)
{
    std::vector<InflightSample> out;
    const FlowDirection &fd = c.directions[d];
    const auto &peer = c.directions[1 - d].segments;
    const auto acks = peerAcks(c, d);
    bool known = false;
    const int shift = peerWindowShift(c, d, known);
    std::size_t ai = 0;
    std::int64_t highestAck = -1, highestSent = -1, window = -1;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment &s = fd.segments[i];
        while (ai < acks.size() && peer[acks[ai].first].frame < s.frame) {
            const Segment &a = peer[acks[ai].first];
            highestAck = std::max(highestAck, acks[ai].second);
            window = (a.tcpFlags & tcpflag::Syn) ? std::int64_t(a.window) : std::int64_t(a.window) << shift;
            ++ai;
        }
        if (!s.payload)
            continue;
        highestSent = std::max<std::int64_t>(highestSent, s.relSeq + s.payload);
        const std::int64_t acked = highestAck < 0 ? s.relSeq : highestAck; // before any ACK: this segment alone
        out.push_back({s.time, s.frame, std::max<std::int64_t>(0, highestSent - acked), window});
    }
    return out;
}

std::vector<WindowSample> windowSamples(const Connection &c, int d, bool *windowScaleKnown)
{
    std::vector<WindowSample> out;
    bool known = false;
    const int shift = peerWindowShift(c, d, known);
    if (windowScaleKnown)
        *windowScaleKnown = known;
    const auto &peer = c.directions[1 - d].segments;
    for (std::size_t i = 0; i < peer.size(); ++i) {
        const Segment &s = peer[i];
        const std::int64_t w = (s.tcpFlags & tcpflag::Syn) ? std::int64_t(s.window) : std::int64_t(s.window) << shift;
        out.push_back({s.time, s.frame, w});
    }
    return out;
}

const std::vector<std::string> &csvCharts()
{
    static const std::vector<std::string> charts{"frame-size", "sequence", "rtt", "throughput", "inflight", "window"};
    return charts;
}

bool writeChartCsv(const std::string &chart, const Trace &t, const Connection &c, bool wire, std::string &out)
{
    out.clear();
    if (chart == "frame-size") {
        out = "time_s,frame,direction,payload,ip_length,class,retransmission,wire_segments\n";
        // Rows in capture order across both directions.
        std::vector<std::pair<int, std::size_t>> order;
        for (int d = 0; d < 2; ++d)
            for (std::size_t i = 0; i < c.directions[d].segments.size(); ++i)
                order.emplace_back(d, i);
        std::sort(order.begin(), order.end(), [&c](const auto &a, const auto &b) {
            return c.directions[a.first].segments[a.second].frame < c.directions[b.first].segments[b.second].frame;
        });
        for (const auto &[d, i] : order) {
            const Segment &s = c.directions[d].segments[i];
            const std::uint32_t eff = c.directions[d].offload.effectiveMss;
            out += seconds(t, s.time) + "," + std::to_string(s.frame) + "," + dirName(d) + ","
                + std::to_string(s.payload) + "," + std::to_string(s.ipLength) + ","
                + segmentClassName(s.segmentClass()) + "," + (s.has(Segment::Retransmission) ? "1" : "0") + ","
                + std::to_string(s.payload && eff ? ceilDiv(s.payload, eff) : 0) + "\n";
        }
        return true;
    }
    if (chart == "sequence") {
        out = "time_s,frame,direction,rel_seq,payload,end_seq,rel_ack,window_bytes\n";
        for (int d = 0; d < 2; ++d) {
            bool known = false;
            const int shift = peerWindowShift(c, 1 - d, known); // the window this segment's sender advertises
            const auto acks = peerAcks(c, 1 - d); // this direction's ACKs, in the other direction's space
            std::vector<std::int64_t> ackOf(c.directions[d].segments.size(), -1);
            for (const auto &[i, rel] : acks)
                ackOf[i] = rel;
            for (std::size_t i = 0; i < c.directions[d].segments.size(); ++i) {
                const Segment &s = c.directions[d].segments[i];
                const std::int64_t w = (s.tcpFlags & tcpflag::Syn) ? std::int64_t(s.window)
                                                                   : std::int64_t(s.window) << shift;
                out += seconds(t, s.time) + "," + std::to_string(s.frame) + "," + dirName(d) + ","
                    + std::to_string(s.relSeq) + "," + std::to_string(s.payload) + ","
                    + std::to_string(s.relSeq + s.payload) + "," + (ackOf[i] >= 0 ? std::to_string(ackOf[i]) : "") + ","
                    + std::to_string(w) + "\n";
            }
        }
        return true;
    }
    if (chart == "rtt") {
        out = "time_s,frame,direction,rtt_s,data_frame,wire_segment\n";
        for (int d = 0; d < 2; ++d)
            for (const RttSample &r : rttSamples(c, d, wire))
                out += seconds(t, r.time) + "," + std::to_string(r.frame) + "," + dirName(d) + ","
                    + num(r.seconds, "%.9f") + "," + std::to_string(r.dataFrame) + "," + (r.wireSegment ? "1" : "0")
                    + "\n";
        return true;
    }
    if (chart == "throughput") {
        out = "time_s,frame,direction,window_s,bytes_per_s,goodput_bytes_per_s,retransmitted_bytes_per_s\n";
        for (int d = 0; d < 2; ++d) {
            const TimeNs window = adaptiveThroughputWindow(c.directions[d]);
            for (const ThroughputSample &s : throughputSamples(c, d, window))
                out += seconds(t, s.time) + "," + std::to_string(s.frame) + "," + dirName(d) + ","
                    + num(double(window) / 1e9, "%.6f") + "," + num(s.bytesPerSecond, "%.1f") + ","
                    + num(s.goodputPerSecond, "%.1f") + "," + num(s.retransmittedPerSecond, "%.1f") + "\n";
        }
        return true;
    }
    if (chart == "inflight") {
        out = "time_s,frame,direction,bytes_in_flight,receive_window\n";
        for (int d = 0; d < 2; ++d)
            for (const InflightSample &s : inflightSamples(c, d))
                out += seconds(t, s.time) + "," + std::to_string(s.frame) + "," + dirName(d) + ","
                    + std::to_string(s.bytesInFlight) + ","
                    + (s.receiveWindow >= 0 ? std::to_string(s.receiveWindow) : "") + "\n";
        return true;
    }
    if (chart == "window") {
        out = "time_s,frame,direction,window_bytes,scale_known\n";
        for (int d = 0; d < 2; ++d) {
            bool known = false;
            for (const WindowSample &s : windowSamples(c, d, &known))
                // direction: the data direction this window limits (advertised by its receiver)
                out += seconds(t, s.time) + "," + std::to_string(s.frame) + "," + dirName(d) + ","
                    + std::to_string(s.windowBytes) + "," + (known ? "1" : "0") + "\n";
        }
        return true;
    }
    return false;
}

} // namespace ol
