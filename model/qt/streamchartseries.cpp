// SPDX-License-Identifier: GPL-3.0-or-later
// The stream graphs of a connection as decimation-ready series (see streamchartseries.h).
#include "streamchartseries.h"

#include "annotation.h"
#include "streamseries.h"

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

bool cancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

/// Maps the frames of a direction's samples, which come in capture order, to segment indices: a cursor that moves
/// forward, with a binary search when a frame lies behind it.
class FrameIndex
{
public:
    explicit FrameIndex(const FlowDirection &fd)
        : m_fd(fd)
    { }
    std::uint32_t operator()(std::uint32_t frame)
    {
        const auto &segs = m_fd.segments;
        while (m_next < segs.size() && segs[m_next].frame < frame)
            ++m_next;
        if (m_next < segs.size() && segs[m_next].frame == frame)
            return std::uint32_t(m_next);
        const qint64 i = segmentIndexOfFrame(m_fd, frame);
        return i >= 0 ? std::uint32_t(i) : 0;
    }

private:
    const FlowDirection &m_fd;
    std::size_t m_next = 0;
};

/// Finishes the lines of a part and notes which keep their indices in order (see pointOf).
void finishLines(std::array<PointSeries, StreamChartSeries::LineCount> &lines,
                 std::array<bool, StreamChartSeries::LineCount> &indexSorted)
{
    for (std::size_t l = 0; l < lines.size(); ++l) {
        PointSeries &line = lines[l];
        line.finish();
        bool sorted = true;
        for (std::size_t i = 1; i < line.size() && sorted; ++i)
            sorted = line.index(i - 1) <= line.index(i);
        indexSorted[l] = sorted;
    }
}

double secondsSince(TimeNs t, TimeNs origin)
{
    return double(t - origin) / 1e9;
}

} // namespace

std::shared_ptr<const StreamChartSeries::Part> StreamChartSeries::buildMain(const Connection &c, TimeNs origin,
                                                                            bool wireView,
                                                                            const std::atomic<bool> *cancel)
{
    auto part = std::make_shared<Part>();
    for (int d = 0; d < 2; ++d) {
        Direction &out = part->directions[d];
        const FlowDirection &fd = c.directions[d];
        {
            const std::vector<RttSample> samples = rttSamples(c, d, wireView);
            if (cancelled(cancel))
                return nullptr;
            FrameIndex indexOf(fd);
            std::vector<double> ms;
            ms.reserve(samples.size());
            out.rttAcks.reserve(samples.size());
            for (const RttSample &r : samples) {
                const std::uint32_t index = indexOf(r.dataFrame);
                const double v = r.seconds * 1e3;
                out.lines[r.wireSegment ? RttWire : Rtt].append(secondsSince(r.time, origin), v, index);
                out.rttAcks.emplace_back(index, r.frame);
                ms.push_back(v);
                out.rtt.wireSamples += r.wireSegment;
            }
            out.rtt.samples = ms.size();
            if (!ms.empty()) {
                const auto [lo, hi] = std::minmax_element(ms.begin(), ms.end());
                out.rtt.minMs = *lo;
                out.rtt.maxMs = *hi;
                // The lower median for an even count: a value that was measured, as tshark users would read it.
                const auto mid = ms.begin() + std::ptrdiff_t((ms.size() - 1) / 2);
                std::nth_element(ms.begin(), mid, ms.end());
                out.rtt.medianMs = *mid;
            }
            // The data segments are in capture order and so are the samples: the pairs are sorted by index.
            std::stable_sort(out.rttAcks.begin(), out.rttAcks.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
        }
        if (cancelled(cancel))
            return nullptr;
        {
            FrameIndex indexOf(fd);
            for (const InflightSample &s : inflightSamples(c, d)) {
                const std::uint32_t index = indexOf(s.frame);
                const double t = secondsSince(s.time, origin);
                out.lines[Inflight].append(t, double(s.bytesInFlight), index);
                if (s.receiveWindow >= 0)
                    out.lines[ReceiveWindow].append(t, double(s.receiveWindow), index);
            }
        }
        if (cancelled(cancel))
            return nullptr;
        {
            FrameIndex indexOf(c.directions[1 - d]);
            bool known = false;
            for (const WindowSample &s : windowSamples(c, d, &known))
                out.lines[Window].append(secondsSince(s.time, origin), double(s.windowBytes), indexOf(s.frame));
            out.windowScaleKnown = known;
        }
        for (std::size_t i = 0; i < fd.segments.size(); ++i) {
            const Segment &s = fd.segments[i];
            if (s.segmentClass() == SegmentClass::SendOffload && s.payload > out.largestSuperSegment.payload)
                out.largestSuperSegment = {s.payload, std::uint32_t(i)};
        }
        finishLines(out.lines, out.indexSorted);
    }
    return part;
}

std::shared_ptr<const StreamChartSeries::Part> StreamChartSeries::buildThroughput(const Connection &c, TimeNs origin,
                                                                                  TimeNs window,
                                                                                  const std::atomic<bool> *cancel)
{
    auto part = std::make_shared<Part>();
    for (int d = 0; d < 2; ++d) {
        Direction &out = part->directions[d];
        const FlowDirection &fd = c.directions[d];
        const TimeNs used = window > 0 ? window : adaptiveThroughputWindow(fd);
        out.throughputWindowSeconds = double(used) / 1e9;
        const std::vector<ThroughputSample> samples = throughputSamples(c, d, used);
        if (cancelled(cancel))
            return nullptr;
        FrameIndex indexOf(fd);
        for (Line l : {Throughput, Goodput, Retransmitted})
            out.lines[l].reserve(samples.size());
        for (const ThroughputSample &s : samples) {
            const std::uint32_t index = indexOf(s.frame);
            const double t = secondsSince(s.time, origin);
            out.lines[Throughput].append(t, s.bytesPerSecond, index);
            out.lines[Goodput].append(t, s.goodputPerSecond, index);
            out.lines[Retransmitted].append(t, s.retransmittedPerSecond, index);
        }
        finishLines(out.lines, out.indexSorted);
    }
    return part;
}

std::shared_ptr<const StreamChartSeries> StreamChartSeries::build(const Connection &c, TimeNs origin, bool wireView,
                                                                  TimeNs throughputWindow,
                                                                  const std::atomic<bool> *cancel)
{
    auto series = std::make_shared<StreamChartSeries>();
    series->m_main = buildMain(c, origin, wireView, cancel);
    series->m_throughput = series->m_main ? buildThroughput(c, origin, throughputWindow, cancel) : nullptr;
    if (!series->m_main || !series->m_throughput)
        return nullptr;
    series->m_wireView = wireView;
    series->m_throughputWindow = std::max<TimeNs>(throughputWindow, 0);
    return series;
}

std::shared_ptr<const StreamChartSeries> StreamChartSeries::withThroughputWindow(const StreamChartSeries &from,
                                                                                 const Connection &c, TimeNs origin,
                                                                                 TimeNs throughputWindow,
                                                                                 const std::atomic<bool> *cancel)
{
    auto series = std::make_shared<StreamChartSeries>(from);
    series->m_throughput = buildThroughput(c, origin, throughputWindow, cancel);
    if (!series->m_throughput)
        return nullptr;
    series->m_throughputWindow = std::max<TimeNs>(throughputWindow, 0);
    return series;
}

const PointSeries &StreamChartSeries::line(int direction, Line line) const
{
    const bool throughput = line == Throughput || line == Goodput || line == Retransmitted;
    return (throughput ? m_throughput : m_main)->directions[direction].lines[line];
}

bool StreamChartSeries::pointOf(int direction, Line l, std::uint32_t segmentIndex, double &time, double &value) const
{
    const PointSeries &s = line(direction, l);
    const bool throughput = l == Throughput || l == Goodput || l == Retransmitted;
    std::size_t i = 0;
    if ((throughput ? m_throughput : m_main)->directions[direction].indexSorted[l]) {
        // Points come in capture order, and so do their segments: a binary search by index.
        std::size_t hi = s.size();
        while (i < hi) {
            const std::size_t mid = (i + hi) / 2;
            if (s.index(mid) < segmentIndex)
                i = mid + 1;
            else
                hi = mid;
        }
    } else {
        // Sorting the times (a capture that steps back) moved some points: only a scan finds them.
        while (i < s.size() && s.index(i) != segmentIndex)
            ++i;
    }
    if (i >= s.size() || s.index(i) != segmentIndex)
        return false;
    time = s.time(i);
    value = s.value(i);
    return true;
}

std::uint32_t StreamChartSeries::rttAckFrame(int direction, std::uint32_t dataIndex) const
{
    const auto &acks = m_main->directions[direction].rttAcks;
    const auto it = std::lower_bound(acks.begin(), acks.end(), dataIndex,
                                     [](const auto &pair, std::uint32_t index) { return pair.first < index; });
    return it != acks.end() && it->first == dataIndex ? it->second : 0;
}

QString StreamChartSeries::lineName(Line line)
{
    switch (line) {
    case Rtt:
        return u"round-trip time"_s;
    case RttWire:
        return u"round-trip time of a wire segment (virtual)"_s;
    case Throughput:
        return u"throughput (all payload)"_s;
    case Goodput:
        return u"goodput (sent once)"_s;
    case Retransmitted:
        return u"retransmitted"_s;
    case Inflight:
        return u"bytes in flight"_s;
    case ReceiveWindow:
        return u"receive window of the peer"_s;
    case Window:
        return u"advertised receive window (scaled)"_s;
    case LineCount:
        break;
    }
    return QString();
}

} // namespace ol
