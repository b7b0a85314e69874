// SPDX-License-Identifier: GPL-3.0-or-later
// Frame size over time for one connection (see framesizechart.h).
#include "framesizechart.h"

#include "offloadtext.h"

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

// Draw order: quiet kinds first, the interesting ones on top.
constexpr ChartSeries::Kind DrawOrder[] = {
    ChartSeries::NoPayload,   ChartSeries::Normal,         ChartSeries::FullSize,    ChartSeries::WirePiece,
    ChartSeries::SendOffload, ChartSeries::ReceiveOffload, ChartSeries::Unexplained, ChartSeries::Retransmission,
};

QString shortDirection(int d)
{
    return d == 0 ? u"c→s"_s : u"s→c"_s;
}

} // namespace

FrameSizeChart::FrameSizeChart(QWidget *parent)
    : ChartBase(parent)
{
    setAccessibleName(u"Frame size chart"_s);
    plot()->xAxis->setLabel(u"time since the connection's first packet (s)"_s);
    plot()->yAxis->setLabel(u"TCP payload (bytes)"_s);
    plot()->yAxis->setNumberFormat(u"f"_s);
    plot()->yAxis->setNumberPrecision(0);
    // The right axis shows the MSS values; it follows the left one.
    connect(plot()->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), plot()->yAxis2,
            qOverload<const QCPRange &>(&QCPAxis::setRange));
}

void FrameSizeChart::setWireView(bool on)
{
    if (on == m_wireView)
        return;
    m_wireView = on;
    const QCPRange x = timeRange();
    setSeries(m_series); // rebuilds with the pieces
    setTimeRange(x.lower, x.upper);
}

void FrameSizeChart::setYMode(ChartSeries::YMode mode)
{
    if (mode == m_yMode)
        return;
    m_yMode = mode;
    plot()->yAxis->setLabel(mode == ChartSeries::YMode::Payload ? u"TCP payload (bytes)"_s
                                                                : u"IP length field (bytes)"_s);
    const QCPRange x = timeRange();
    setSeries(m_series);
    setTimeRange(x.lower, x.upper);
}

void FrameSizeChart::ensureSeries()
{
    if (!m_series->hasFrameSizes(m_yMode, m_wireView))
        m_series->buildFrameSizes(m_yMode, m_wireView);
}

void FrameSizeChart::forgetGraphs()
{
    for (auto &row : m_graphs)
        std::fill(std::begin(row), std::end(row), nullptr);
    m_mssValues.clear();
    m_mssLabels.clear();
}

void FrameSizeChart::rebuild()
{
    ensureSeries();
    const Connection *c = m_series->connection();
    for (int d = 0; d < 2; ++d) {
        for (ChartSeries::Kind k : DrawOrder) {
            if (m_series->frameSizes(d, k).isEmpty())
                continue;
            QCPGraph *g = plot()->addGraph();
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(theme().scatter(d, k));
            g->setAdaptiveSampling(false); // the series already decimated it
            g->setName(shortDirection(d) + u" · "_s + ChartSeries::kindName(k));
            g->setSelectable(QCP::stNone);
            m_graphs[d][k] = g;
            m_layer[d][k] = int(hitLayers().size());
            addHitLayer(g, d);
        }
    }
    // Pure ACKs of a bulk transfer are not worth a legend line of their own when the other side carries data.
    for (int d = 0; d < 2; ++d)
        if (QCPGraph *g = m_graphs[d][ChartSeries::NoPayload]; g && c->directions[1 - d].stats.dataSegments)
            g->removeFromLegend();
    addMssLines();
}

double FrameSizeChart::lineOffset(int direction) const
{
    // In IP-length mode the lines move up by the headers a full segment of that direction carries.
    if (m_yMode == ChartSeries::YMode::Payload)
        return 0;
    return double(ChartSeries::headerBytes(*m_series->connection(), direction));
}

void FrameSizeChart::addMssLines()
{
    const Connection *c = m_series->connection();
    struct Line {
        int direction;
        double eff, mss;
        QString label;
    };
    std::vector<Line> lines;
    for (int d = 0; d < 2; ++d) {
        const DirectionOffload &o = c->directions[d].offload;
        if (!o.mssKnown || !o.mss || !c->directions[d].stats.dataSegments)
            continue;
        const double off = lineOffset(d);
        const double eff = (o.effectiveMss ? o.effectiveMss : o.mss) + off;
        lines.push_back({d, eff, o.mss + off, text::mssLabel(o, d)});
    }
    // Both directions with the same limits: one pair of lines and one label say it without overlap.
    const bool same = lines.size() == 2 && lines[0].eff == lines[1].eff && lines[0].mss == lines[1].mss;
    if (same) {
        QString label = lines[0].label;
        label.replace(text::directionName(0), u"both directions"_s);
        lines.resize(1);
        lines[0].label = label;
        lines[0].direction = -1;
    }
    // The lines carry their numbers on the right axis and their meaning in the legend, so no label ever
    // sits on top of the data.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (const Line &l : lines) {
        const QColor colour = l.direction < 0 ? theme().foreground : theme().direction[l.direction];
        auto addLine = [&](double y, Qt::PenStyle style, bool tick) {
            auto *line = new QCPItemStraightLine(plot());
            line->point1->setCoords(0, y);
            line->point2->setCoords(1, y);
            line->setPen(QPen(colour, 1.2, style));
            line->setSelectable(false);
            m_mssValues << y;
            if (tick)
                ticker->addTick(y, text::thousands(quint64(y)));
        };
        addLine(l.eff, Qt::DashLine, true);
        // The announced MSS sits a few bytes above the effective one: a second number there would collide.
        if (l.mss != l.eff)
            addLine(l.mss, Qt::DotLine, false);
        QCPGraph *legendEntry = plot()->addGraph();
        legendEntry->setPen(QPen(colour, 1.5, Qt::DashLine));
        legendEntry->setName(l.label);
        legendEntry->setSelectable(QCP::stNone);
        m_mssLabels << l.label;
    }
    QCPAxis *right = plot()->yAxis2;
    right->setVisible(!lines.empty());
    right->setTicker(ticker);
    right->setTickLabelColor(lines.size() == 1 && lines[0].direction >= 0 ? theme().direction[lines[0].direction]
                                                                          : theme().foreground);
    right->setSubTicks(false);
    right->grid()->setVisible(false);
    right->setRange(plot()->yAxis->range());
}

int FrameSizeChart::updateData(const PixelMapping &mapping)
{
    int total = 0;
    for (int d = 0; d < 2; ++d)
        for (int k = 0; k < ChartSeries::KindCount; ++k) {
            QCPGraph *g = m_graphs[d][k];
            if (!g)
                continue;
            DecimatedPoints p = m_series->frameSizes(d, ChartSeries::Kind(k)).decimate(mapping);
            g->setData(p.keys, p.values, true);
            hitLayers()[std::size_t(m_layer[d][k])].indices = std::move(p.indices);
            total += int(p.keys.size());
        }
    return total;
}

void FrameSizeChart::dataRange(QCPRange &x, QCPRange &y) const
{
    const double duration = std::max(m_series->duration(), 1e-3);
    x = QCPRange(-0.02 * duration, 1.02 * duration);
    double top = 0;
    for (int d = 0; d < 2; ++d)
        for (int k = 0; k < ChartSeries::KindCount; ++k)
            top = std::max(top, m_series->frameSizes(d, ChartSeries::Kind(k)).maxValue());
    for (double v : m_mssValues)
        top = std::max(top, v);
    y = QCPRange(0, std::max(top, 100.0) * 1.12);
}

bool FrameSizeChart::markerPosition(SegmentRef segment, double &key, double &value) const
{
    const std::optional<Segment> s = m_series->segment(segment.direction, std::uint32_t(segment.index));
    if (!s)
        return false;
    key = m_series->seconds(s->time);
    value = m_yMode == ChartSeries::YMode::Payload ? s->payload : s->ipLength;
    // In the wire view a super-segment is drawn as its pieces: mark the first one.
    if (m_wireView)
        m_series->firstWirePiece(segment.direction, std::uint32_t(segment.index), value);
    return true;
}

int FrameSizeChart::pointCount(int direction, ChartSeries::Kind kind) const
{
    const QCPGraph *g = m_graphs[direction][kind];
    return g ? g->dataCount() : 0;
}

QVector<double> FrameSizeChart::mssLineValues() const
{
    return m_mssValues;
}

QStringList FrameSizeChart::mssLabels() const
{
    return m_mssLabels;
}

} // namespace ol
