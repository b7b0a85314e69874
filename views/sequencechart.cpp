// SPDX-License-Identifier: GPL-3.0-or-later
// Time-sequence chart of one direction (see sequencechart.h).
#include "sequencechart.h"

#include "offloadtext.h"

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
constexpr ChartSeries::Kind BarOrder[] = {
    ChartSeries::Normal,         ChartSeries::FullSize,    ChartSeries::SendOffload,
    ChartSeries::ReceiveOffload, ChartSeries::Unexplained, ChartSeries::Retransmission,
};
}

SequenceChart::SequenceChart(QWidget *parent)
    : ChartBase(parent)
{
    setAccessibleName(u"Time-sequence chart"_s);
    plot()->xAxis->setLabel(u"time since the connection's first packet (s)"_s);
    plot()->yAxis->setLabel(u"relative sequence number (bytes)"_s);
    plot()->yAxis->setNumberFormat(u"f"_s);
    plot()->yAxis->setNumberPrecision(0);
}

void SequenceChart::setDirection(int direction)
{
    if (direction == m_direction)
        return;
    m_direction = direction;
    const QCPRange x = timeRange();
    setSeries(m_series);
    setTimeRange(x.lower, x.upper);
}

void SequenceChart::forgetGraphs()
{
    std::fill(std::begin(m_bars), std::end(m_bars), nullptr);
    std::fill(std::begin(m_errors), std::end(m_errors), nullptr);
    m_ack = nullptr;
    m_window = nullptr;
}

void SequenceChart::rebuild()
{
    m_series->buildSequence();
    const int d = m_direction;

    m_window = plot()->addGraph();
    m_window->setLineStyle(QCPGraph::lsStepLeft);
    m_window->setPen(QPen(theme().window, 1.2, Qt::DashLine));
    m_window->setName(u"receive window of the peer (ACK + window)"_s);
    m_window->setAdaptiveSampling(false);
    m_window->setSelectable(QCP::stNone);

    m_ack = plot()->addGraph();
    m_ack->setLineStyle(QCPGraph::lsStepLeft);
    m_ack->setPen(QPen(theme().ack, 1.5));
    m_ack->setName(u"ACK of the peer"_s);
    m_ack->setAdaptiveSampling(false);
    m_ack->setSelectable(QCP::stNone);

    for (ChartSeries::Kind k : BarOrder) {
        if (m_series->sequenceBars(d, k).isEmpty())
            continue;
        const QColor colour = theme().kindColor(d, k);
        QCPGraph *g = plot()->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
        g->setPen(QPen(colour, 2));
        g->setAdaptiveSampling(false);
        g->setSelectable(QCP::stNone);
        g->removeFromLegend();
        // The bars themselves have no legend icon; an empty graph with a vertical dash stands in for them.
        QCPGraph *legendEntry = plot()->addGraph();
        QPainterPath dash;
        dash.moveTo(0, -5);
        dash.lineTo(0, 5);
        legendEntry->setLineStyle(QCPGraph::lsNone);
        legendEntry->setScatterStyle(QCPScatterStyle(dash, QPen(colour, k == ChartSeries::Retransmission ? 3 : 2)));
        legendEntry->setName(ChartSeries::kindName(k));
        legendEntry->setSelectable(QCP::stNone);
        auto *bars = new QCPErrorBars(plot()->xAxis, plot()->yAxis);
        bars->setDataPlottable(g);
        bars->setErrorType(QCPErrorBars::etValueError);
        bars->setWhiskerWidth(k == ChartSeries::Retransmission ? 8 : 4);
        bars->setSymbolGap(0);
        bars->setPen(QPen(colour, k == ChartSeries::Retransmission ? 2.5 : 1.6));
        bars->setSelectable(QCP::stNone);
        bars->removeFromLegend();
        m_bars[k] = g;
        m_errors[k] = bars;
        m_layer[k] = int(hitLayers().size());
        addHitLayer(g, d);
    }
    // Short enough for a chart 200 px high at 1280x800 ("relative sequence (server→client)" was cut off).
    plot()->yAxis->setLabel(d == 0 ? u"rel. sequence, c→s"_s : u"rel. sequence, s→c"_s);
}

int SequenceChart::updateData(const PixelMapping &mapping)
{
    const int d = m_direction;
    int total = 0;
    for (int k = 0; k < ChartSeries::KindCount; ++k) {
        if (!m_bars[k])
            continue;
        DecimatedPoints p = m_series->sequenceBars(d, ChartSeries::Kind(k)).decimate(mapping);
        QVector<double> mids(p.size()), errors(p.size());
        for (qsizetype i = 0; i < p.size(); ++i) {
            mids[i] = (p.values[i] + p.highs[i]) / 2;
            errors[i] = (p.highs[i] - p.values[i]) / 2;
        }
        m_bars[k]->setData(p.keys, mids, true);
        m_errors[k]->setData(errors);
        HitLayer &layer = hitLayers()[std::size_t(m_layer[k])];
        layer.indices = std::move(p.indices);
        layer.highs = std::move(p.highs);
        total += int(p.keys.size());
    }
    const DecimatedPoints acks = m_series->ackLine(d).decimate(mapping, true);
    m_ack->setData(acks.keys, acks.values, true);
    const DecimatedPoints win = m_series->windowLine(d).decimate(mapping, true);
    m_window->setData(win.keys, win.values, true);
    return total + int(acks.keys.size() + win.keys.size());
}

void SequenceChart::dataRange(QCPRange &x, QCPRange &y) const
{
    const double duration = std::max(m_series->duration(), 1e-3);
    x = QCPRange(-0.02 * duration, 1.02 * duration);
    double lo = 0, hi = 1;
    for (int k = 0; k < ChartSeries::KindCount; ++k) {
        const PointSeries &s = m_series->sequenceBars(m_direction, ChartSeries::Kind(k));
        if (s.isEmpty())
            continue;
        lo = std::min(lo, s.minValue());
        hi = std::max(hi, s.maxValue());
    }
    const PointSeries &acks = m_series->ackLine(m_direction);
    if (!acks.isEmpty())
        hi = std::max(hi, acks.maxValue());
    const double pad = 0.05 * (hi - lo);
    y = QCPRange(lo - pad, hi + pad);
}

bool SequenceChart::markerPosition(SegmentRef segment, double &key, double &value) const
{
    if (segment.direction != m_direction)
        return false;
    const std::optional<Segment> s = m_series->segment(segment.direction, std::uint32_t(segment.index));
    if (!s)
        return false;
    key = m_series->seconds(s->time);
    value = double(s->relSeq + s->payload);
    return true;
}

int SequenceChart::barCount(ChartSeries::Kind kind) const
{
    return m_bars[kind] ? m_bars[kind]->dataCount() : 0;
}

int SequenceChart::ackPointCount() const
{
    return m_ack ? m_ack->dataCount() : 0;
}

} // namespace ol
