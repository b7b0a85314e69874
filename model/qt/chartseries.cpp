// SPDX-License-Identifier: GPL-3.0-or-later
// Plot data of one connection (see chartseries.h).
#include "chartseries.h"

#include "decoder.h"
#include "offload.h"
#include "offloadtext.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

/// Bytes of IP + TCP headers of a segment, to turn a wire piece's payload into an IP length; 0 if not recorded.
std::uint32_t recordedHeaderBytes(const Segment &s)
{
    return s.ipLength > s.payload ? s.ipLength - s.payload : 0;
}

/// Checked every CancelStride records: often enough to stop within milliseconds, rarely enough to cost nothing.
constexpr std::size_t CancelStride = 1u << 16;

bool cancelled(const std::atomic<bool> *cancel, std::size_t i)
{
    return cancel && i % CancelStride == 0 && cancel->load(std::memory_order_relaxed);
}

/// Below this many segments the two halves of create() are not worth a second task.
constexpr std::size_t ParallelFrom = 100'000;

} // namespace

std::shared_ptr<const ChartSeries::Frames> ChartSeries::emptyFrames()
{
    static const auto empty = std::make_shared<const Frames>();
    return empty;
}

std::shared_ptr<const ChartSeries::Sequence> ChartSeries::emptySequence()
{
    static const auto empty = [] {
        auto s = std::make_shared<Sequence>();
        for (auto &direction : s->bars)
            for (auto &bars : direction)
                bars = PointSeries(PointSeries::Shape::Bars);
        return std::shared_ptr<const Sequence>(std::move(s));
    }();
    return empty;
}

void ChartSeries::setConnection(std::shared_ptr<const Trace> trace, int connectionIndex)
{
    m_trace = std::move(trace);
    m_connectionIndex = connectionIndex;
    m_sequenceBuilt = false;
    m_framesBuilt = false;
    m_frames = emptyFrames();
    m_sequence = emptySequence();
    m_streams.reset();
}

std::shared_ptr<ChartSeries> ChartSeries::create(std::shared_ptr<const Trace> trace, int connectionIndex, YMode mode,
                                                 bool wireView, const std::atomic<bool> *cancel,
                                                 const FramesReady &framesReady)
{
    auto series = std::make_shared<ChartSeries>();
    const std::size_t segments = trace ? segmentCount(*trace, connectionIndex) : 0;
    series->setConnection(std::move(trace), connectionIndex);
    if (segments < ParallelFrom) {
        const bool ok = series->buildFrameSizes(mode, wireView, cancel) && series->buildSequence(cancel);
        return ok ? series : nullptr;
    }
    // Both cores: the sequence series as a task of Qt's thread pool, into a copy of its own, while this job
    // builds the frame sizes and hands them on before the sequence is done. A fork-join inside the job: the
    // task never outlives this call (the guard waits for it on every path, an exception included; a task the
    // pool had not started yet is run right here), so it needs no id or cancel of its own: it checks the job's.
    ChartSeries sequence = *series;
    QFuture<bool> sequenceTask = QtConcurrent::run([&sequence, cancel] { return sequence.buildSequence(cancel); });
    struct Join {
        QFuture<bool> &task;
        ~Join()
        {
            try {
                task.waitForFinished();
            } catch (...) { // already unwinding, or rethrown below by result()
            }
        }
    } join{sequenceTask};
    const bool framesOk = series->buildFrameSizes(mode, wireView, cancel);
    if (framesOk && framesReady)
        framesReady(std::make_shared<ChartSeries>(*series));
    const bool sequenceOk = sequenceTask.result(); // waits; rethrows what the task threw
    if (!framesOk || !sequenceOk)
        return nullptr;
    series->m_sequence = std::move(sequence.m_sequence);
    series->m_sequenceBuilt = true;
    return series;
}

std::size_t ChartSeries::segmentCount(const Trace &trace, int connectionIndex)
{
    if (connectionIndex < 0 || connectionIndex >= int(trace.connections.size()))
        return 0;
    const Connection &c = *trace.connections[std::size_t(connectionIndex)];
    return c.directions[0].segments.size() + c.directions[1].segments.size();
}

const Connection *ChartSeries::connection() const
{
    if (!m_trace || m_connectionIndex < 0 || m_connectionIndex >= int(m_trace->connections.size()))
        return nullptr;
    return m_trace->connections[std::size_t(m_connectionIndex)].get();
}

std::optional<Segment> ChartSeries::segment(int direction, std::uint32_t index) const
{
    const Connection *c = connection();
    if (!c || direction < 0 || direction > 1 || index >= c->directions[direction].segments.size())
        return std::nullopt;
    return c->directions[direction].segments[index];
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

bool ChartSeries::buildFrameSizes(YMode mode, bool wireView, const std::atomic<bool> *cancel)
{
    auto frames = std::make_shared<Frames>();
    const Connection *c = connection();
    for (int d = 0; c && d < 2; ++d) {
        auto &out = frames->series[d];
        const FlowDirection &fd = c->directions[d];
        const auto &segs = fd.segments;
        const TimeNs t0 = origin();
        // Exact sizes first: growing ten-million-point vectors by doubling costs more than this pass.
        std::array<std::size_t, KindCount> counts{};
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const Segment &s = segs[i];
            ++counts[classKind(s)];
            counts[Retransmission] += inRetransmissionOverlay(s);
        }
        if (wireView)
            counts[SendOffload] = 0;
        for (int k = 0; k < KindCount; ++k)
            out[k].reserve(counts[k]);
        for (std::size_t i = 0; i < segs.size(); ++i) {
            if (cancelled(cancel, i))
                return false;
            const Segment &s = segs[i];
            const double t = double(s.time - t0) / 1e9;
            const double y = mode == YMode::Payload ? double(s.payload) : double(s.ipLength);
            const Kind kind = classKind(s);
            if (wireView && kind == SendOffload)
                continue; // replaced by its wire pieces below
            out[kind].append(t, y, std::uint32_t(i));
            if (inRetransmissionOverlay(s))
                out[Retransmission].append(t, y, std::uint32_t(i));
        }
        if (wireView && fd.offload.sendOffload) {
            PointSeries &pieces = out[WirePiece];
            const std::uint32_t headers = headerBytes(*c, d);
            forEachWireSegment(fd, [&](const WireSegment &w) {
                if (!w.isVirtual)
                    return;
                const Segment &s = segs[w.sourceIndex];
                const std::uint32_t h = recordedHeaderBytes(s) ? recordedHeaderBytes(s) : headers;
                const double y = mode == YMode::Payload ? double(w.payload) : double(w.payload + h);
                pieces.append(double(s.time - t0) / 1e9, y, std::uint32_t(w.sourceIndex));
            });
        }
        for (auto &s : out)
            s.finish();
    }
    m_frames = std::move(frames);
    m_yMode = mode;
    m_wireView = wireView;
    m_framesBuilt = true;
    return true;
}

bool ChartSeries::buildSequence(const std::atomic<bool> *cancel)
{
    if (m_sequenceBuilt)
        return true;
    const Connection *c = connection();
    if (!c) {
        m_sequenceBuilt = true;
        return true;
    }
    auto sequence = std::make_shared<Sequence>();
    const TimeNs t0 = origin();
    for (int d = 0; d < 2; ++d) {
        auto &bars = sequence->bars[d];
        for (auto &b : bars)
            b = PointSeries(PointSeries::Shape::Bars);
        const FlowDirection &fd = c->directions[d];
        const FlowDirection &peer = c->directions[1 - d];
        std::array<std::size_t, KindCount> counts{};
        for (std::size_t i = 0; i < fd.segments.size(); ++i) {
            const Segment &s = fd.segments[i];
            counts[classKind(s)] += s.payload != 0;
            counts[Retransmission] += inRetransmissionOverlay(s);
        }
        for (int k = 0; k < KindCount; ++k)
            bars[k].reserve(counts[k]);
        for (std::size_t i = 0; i < fd.segments.size(); ++i) {
            if (cancelled(cancel, i))
                return false;
            const Segment &s = fd.segments[i];
            if (!s.payload)
                continue;
            const double t = double(s.time - t0) / 1e9;
            const double lo = double(s.relSeq), hi = double(s.relSeq + s.payload);
            bars[classKind(s)].appendBar(t, lo, hi, std::uint32_t(i));
            if (inRetransmissionOverlay(s))
                bars[Retransmission].appendBar(t, lo, hi, std::uint32_t(i));
        }
        if (cancelled(cancel, 0))
            return false;
        // The peer's ACKs, unwrapped against this direction's base sequence exactly as the offload analysis
        // does, so that the lines and the bars share one sequence space.
        const bool scaled = fd.handshake.windowScale >= 0 && peer.handshake.windowScale >= 0;
        const int shift = scaled ? peer.handshake.windowScale : 0;
        sequence->acks[d].reserve(peer.segments.size());
        sequence->windows[d].reserve(peer.segments.size());
        forEachPeerAck(*c, d, [&](std::size_t i, std::int64_t relAck) {
            const Segment &s = peer.segments[i];
            const double t = double(s.time - t0) / 1e9;
            const double rel = double(relAck);
            sequence->acks[d].append(t, rel, std::uint32_t(i));
            // Window fields of SYN segments are never scaled.
            const std::int64_t win = (s.tcpFlags & tcpflag::Syn) ? s.window : std::int64_t(s.window) << shift;
            sequence->windows[d].append(t, rel + double(win), std::uint32_t(i));
        });
        for (auto &b : bars)
            b.finish();
        sequence->acks[d].finish();
        sequence->windows[d].finish();
    }
    m_sequence = std::move(sequence);
    m_sequenceBuilt = true;
    return true;
}

bool ChartSeries::buildStreams(bool wireView, TimeNs throughputWindow, const std::atomic<bool> *cancel)
{
    if (hasStreams(wireView, throughputWindow))
        return true;
    const Connection *c = connection();
    if (!c)
        return true;
    std::shared_ptr<const StreamChartSeries> built = m_streams && m_streams->wireView() == wireView
        ? StreamChartSeries::withThroughputWindow(*m_streams, *c, origin(), throughputWindow, cancel)
        : StreamChartSeries::build(*c, origin(), wireView, throughputWindow, cancel);
    if (!built)
        return false;
    m_streams = std::move(built);
    return true;
}

std::uint32_t ChartSeries::headerBytes(const Connection &c, int direction)
{
    const FlowDirection &fd = c.directions[direction];
    std::optional<Segment> firstData;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment s = fd.segments[i];
        if (!s.payload)
            continue;
        if (const std::uint32_t h = recordedHeaderBytes(s))
            return h;
        if (!firstData)
            firstData = s;
    }
    // RFC 791 / RFC 8200 fixed headers, RFC 9293's 20-byte TCP header, RFC 7323's 12 bytes of timestamps.
    const std::uint32_t ip = c.client.addr.family == 6 ? 40 : 20;
    return ip + 20 + (firstData && firstData->has(Segment::HasTimestamps) ? 12 : 0);
}

bool ChartSeries::firstWirePiece(int direction, std::uint32_t index, double &value) const
{
    const PointSeries &pieces = m_frames->series[direction][WirePiece];
    const std::optional<Segment> s = segment(direction, index);
    if (!s || pieces.isEmpty())
        return false;
    // The pieces are sorted by time and share their segment's time: find the first at that time.
    const double t = seconds(s->time);
    std::size_t lo = 0, hi = pieces.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (pieces.time(mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (std::size_t i = lo; i < pieces.size() && pieces.time(i) == t; ++i)
        if (pieces.index(i) == index) {
            value = pieces.value(i);
            return true;
        }
    return false;
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
