// SPDX-License-Identifier: GPL-3.0-or-later
// The compare chart's plot data of one pair (see compareseries.h).
#include "compareseries.h"

#include <array>

namespace ol {

CompareSeries CompareSeries::build(const PairMapping &m)
{
    CompareSeries out;
    if (!m.isValid())
        return out;
    for (int side = 0; side < 2; ++side)
        for (int d = 0; d < 2; ++d) {
            const FlowDirection &fd = side == 0 ? m.a->directions[d] : m.b->directions[m.bDirection[d]];
            // The frame-size chart's classification: a series per segment class, retransmissions also in an
            // overlay of their own.
            std::array<PointSeries, ChartSeries::KindCount> kinds;
            for (std::size_t i = 0; i < fd.segments.size(); ++i) {
                const Segment &s = fd.segments[i];
                if (!s.payload)
                    continue;
                const double t = m.time(side, d, std::int64_t(i), 0);
                kinds[ChartSeries::classKind(s)].append(t, s.payload, std::uint32_t(i));
                if (ChartSeries::inRetransmissionOverlay(s))
                    kinds[ChartSeries::Retransmission].append(t, s.payload, std::uint32_t(i));
            }
            for (int k = 0; k < ChartSeries::KindCount; ++k) {
                if (kinds[std::size_t(k)].isEmpty())
                    continue;
                kinds[std::size_t(k)].finish();
                out.frames.push_back({side, d, ChartSeries::Kind(k), std::move(kinds[std::size_t(k)])});
            }
        }
    for (int d = 0; d < 2; ++d) {
        const int side = m.senderSide[d];
        for (const PairMapping::Lost &l : m.lost[d])
            out.lost[side].append(m.time(side, d, l.sender, 0), m.seg(side, d, l.sender).payload,
                                  std::uint32_t(l.sender));
    }
    for (PointSeries &l : out.lost)
        l.finish();
    for (int d = 0; d < 2; ++d) {
        const int sender = m.senderSide[d] == 0 ? 0 : 1;
        out.delaySender[d] = sender;
        for (std::size_t gi = 0; gi < m.groups[d].size(); ++gi) {
            const SegmentMapping &g = m.groups[d][gi];
            if (g.aFirst < 0 || g.bFirst < 0)
                continue;
            const double ts = sender == 0 ? m.timeA(d, g.aFirst) : m.timeB(d, g.bFirst, 0);
            const double tr = sender == 0 ? m.timeB(d, g.bLast, 0) : m.timeA(d, g.aLast);
            out.delay[d].append(ts, (tr - ts) * 1e3, std::uint32_t(gi));
        }
        out.delay[d].finish();
    }
    return out;
}

DecimatedPoints CompareSeries::take(const PointSeries &series, double lower, double upper, int width, double keyShift,
                                    double valueShift)
{
    // The series' keys are unshifted: the view range moves the other way before decimating.
    DecimatedPoints p = series.decimate(PixelMapping(lower - keyShift, upper - keyShift, width));
    if (keyShift != 0)
        for (double &k : p.keys)
            k += keyShift;
    if (valueShift != 0)
        for (double &v : p.values)
            v += valueShift;
    return p;
}

} // namespace ol

namespace ol {

std::shared_ptr<const CompareResult> CompareResult::compute(std::shared_ptr<const Trace> a,
                                                            std::shared_ptr<const Trace> b,
                                                            const std::atomic<bool> *cancel)
{
    auto r = std::make_shared<CompareResult>();
    r->a = std::move(a);
    r->b = std::move(b);
    r->alignment = std::make_shared<const AlignmentResult>(alignTraces(*r->a, *r->b));
    r->mappings.reserve(r->alignment->pairs.size());
    r->series.reserve(r->alignment->pairs.size());
    for (const ConnectionPair &pair : r->alignment->pairs) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return nullptr;
        r->mappings.push_back(buildPairMapping(*r->a, *r->b, pair));
        r->series.push_back(CompareSeries::build(r->mappings.back()));
    }
    return r;
}

} // namespace ol
