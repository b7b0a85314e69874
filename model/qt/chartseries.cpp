// SPDX-License-Identifier: GPL-3.0-or-later
// Plot data of one connection (see chartseries.h).
#include "chartseries.h"

#include "offload.h"
#include "offloadtext.h"

namespace ol {

using namespace Qt::StringLiterals;

namespace {

void resetAll(std::array<PointSeries, ChartSeries::KindCount> &series, PointSeries::Shape shape)
{
    for (auto &s : series)
        s = PointSeries(shape);
}

/// Bytes of IP + TCP headers of a segment, to turn a wire piece's payload into an IP length.
std::uint32_t headerBytes(const Segment &s)
{
    return s.ipLength > s.payload ? s.ipLength - s.payload : 0;
}

} // namespace

void ChartSeries::setConnection(std::shared_ptr<const Trace> trace, int connectionIndex)
{
    m_trace = std::move(trace);
    m_connectionIndex = connectionIndex;
    m_sequenceBuilt = false;
    m_framesBuilt = false;
    for (int d = 0; d < 2; ++d) {
        resetAll(m_frames[d], PointSeries::Shape::Points);
        resetAll(m_bars[d], PointSeries::Shape::Bars);
        m_acks[d] = PointSeries(PointSeries::Shape::Points);
        m_windows[d] = PointSeries(PointSeries::Shape::Points);
    }
}

const Connection *ChartSeries::connection() const
{
    if (!m_trace || m_connectionIndex < 0 || m_connectionIndex >= int(m_trace->connections.size()))
        return nullptr;
    return m_trace->connections[std::size_t(m_connectionIndex)].get();
}

const Segment *ChartSeries::segment(int direction, std::uint32_t index) const
{
    const Connection *c = connection();
    if (!c || direction < 0 || direction > 1 || index >= c->directions[direction].segments.size())
        return nullptr;
    return &c->directions[direction].segments[index];
}

TimeNs ChartSeries::origin() const
{
    const Connection *c = connection();
    return c ? c->firstTime : 0;
}

double ChartSeries::duration() const
{
    const Connection *c = connection();
    return c ? double(c->lastTime - c->firstTime) / 1e9 : 0;
}

void ChartSeries::buildFrameSizes(YMode mode, bool wireView)
{
    m_yMode = mode;
    m_wireView = wireView;
    m_framesBuilt = true;
    const Connection *c = connection();
    for (int d = 0; d < 2; ++d) {
        resetAll(m_frames[d], PointSeries::Shape::Points);
        if (!c)
            continue;
        const FlowDirection &fd = c->directions[d];
        const auto &segs = fd.segments;
        const TimeNs t0 = origin();
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const Segment &s = segs[i];
            const double t = double(s.time - t0) / 1e9;
            const double y = mode == YMode::Payload ? double(s.payload) : double(s.ipLength);
            const auto cls = s.segmentClass();
            if (wireView && cls == SegmentClass::SendOffload)
                continue; // replaced by its wire pieces below
            m_frames[d][int(cls)].append(t, y, std::uint32_t(i));
            if (s.has(Segment::Retransmission) && s.payload)
                m_frames[d][Retransmission].append(t, y, std::uint32_t(i));
        }
        if (wireView && fd.offload.sendOffload) {
            PointSeries &pieces = m_frames[d][WirePiece];
            forEachWireSegment(fd, [&](const WireSegment &w) {
                if (!w.isVirtual)
                    return;
                const Segment &s = segs[w.sourceIndex];
                const double y = mode == YMode::Payload ? double(w.payload) : double(w.payload + headerBytes(s));
                pieces.append(double(s.time - t0) / 1e9, y, std::uint32_t(w.sourceIndex));
            });
        }
        for (auto &s : m_frames[d])
            s.finish();
    }
}

void ChartSeries::buildSequence()
{
    if (m_sequenceBuilt)
        return;
    m_sequenceBuilt = true;
    const Connection *c = connection();
    if (!c)
        return;
    const TimeNs t0 = origin();
    for (int d = 0; d < 2; ++d) {
        const FlowDirection &fd = c->directions[d];
        const FlowDirection &peer = c->directions[1 - d];
        for (std::size_t i = 0; i < fd.segments.size(); ++i) {
            const Segment &s = fd.segments[i];
            if (!s.payload)
                continue;
            const double t = double(s.time - t0) / 1e9;
            const double lo = double(s.relSeq), hi = double(s.relSeq + s.payload);
            m_bars[d][int(s.segmentClass())].appendBar(t, lo, hi, std::uint32_t(i));
            if (s.has(Segment::Retransmission))
                m_bars[d][Retransmission].appendBar(t, lo, hi, std::uint32_t(i));
        }
        // The peer's ACKs, unwrapped incrementally against this direction's base sequence exactly as the
        // offload analysis does, so that the lines and the bars share one sequence space.
        if (fd.baseSet) {
            const bool scaled = fd.handshake.windowScale >= 0 && peer.handshake.windowScale >= 0;
            const int shift = scaled ? peer.handshake.windowScale : 0;
            std::int64_t ref = fd.baseSeq;
            for (std::size_t i = 0; i < peer.segments.size(); ++i) {
                const Segment &s = peer.segments[i];
                if (!(s.tcpFlags & 0x10))
                    continue;
                const std::int64_t abs = ref + static_cast<std::int32_t>(s.ack - static_cast<std::uint32_t>(ref));
                ref = std::max(ref, abs);
                const double t = double(s.time - t0) / 1e9;
                const double rel = double(abs - std::int64_t(fd.baseSeq));
                m_acks[d].append(t, rel, std::uint32_t(i));
                // Window fields of SYN segments are never scaled.
                const std::int64_t win = (s.tcpFlags & 0x02) ? s.window : std::int64_t(s.window) << shift;
                m_windows[d].append(t, rel + double(win), std::uint32_t(i));
            }
        }
        for (auto &s : m_bars[d])
            s.finish();
        m_acks[d].finish();
        m_windows[d].finish();
    }
}

QString ChartSeries::kindName(Kind kind)
{
    switch (kind) {
    case NoPayload:
    case Normal:
    case FullSize:
    case SendOffload:
    case ReceiveOffload:
    case Unexplained:
        return text::className(SegmentClass(kind));
    case Retransmission:
        return u"retransmission"_s;
    case WirePiece:
        return u"wire piece (virtual)"_s;
    case KindCount:
        break;
    }
    return QString();
}

} // namespace ol
