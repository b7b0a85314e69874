// SPDX-License-Identifier: GPL-3.0-or-later
// The side-by-side view of one connection pair (see comparechart.h).
#include "comparechart.h"

#include "chartexport.h"
#include "compareseries.h"
#include "painterlayer.h"

#include <QEvent>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

QString fileName(const std::shared_ptr<const Trace> &t)
{
    return t ? QFileInfo(QString::fromStdString(t->path)).fileName() : QString();
}

QColor connectorColour(bool dark)
{
    return dark ? QColor(255, 170, 60, 190) : QColor(225, 110, 0, 170);
}

} // namespace

CompareChart::CompareChart(QWidget *parent)
    : PairChart(parent)
    , m_plot(new QCustomPlot(this))
    , m_rectA(m_plot->axisRect())
    , m_rectB(new QCPAxisRect(m_plot))
    , m_rectDelta(new QCPAxisRect(m_plot))
    , m_title(new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold)))
{
    setAccessibleName(u"Compare chart"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(400, 300);

    QCPLayoutGrid *grid = m_plot->plotLayout();
    grid->insertRow(0);
    grid->addElement(0, 0, m_title);
    grid->addElement(2, 0, m_rectB);
    grid->addElement(3, 0, m_rectDelta);
    grid->setRowStretchFactor(1, 4);
    grid->setRowStretchFactor(2, 4);
    grid->setRowStretchFactor(3, 1.6);
    grid->setRowSpacing(0);
    auto *margins = new QCPMarginGroup(m_plot);
    for (QCPAxisRect *r : {m_rectA, m_rectB, m_rectDelta}) {
        r->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        r->axis(QCPAxis::atTop)->setVisible(false);
        r->axis(QCPAxis::atRight)->setVisible(false);
        r->setRangeDrag(Qt::Horizontal);
        r->setRangeZoom(Qt::Horizontal);
        connect(r->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
                &CompareChart::onRangeChanged);
    }
    // One time axis for the three lanes: only the bottom lane labels it.
    for (QCPAxisRect *r : {m_rectA, m_rectB}) {
        r->axis(QCPAxis::atBottom)->setTickLabels(false);
        r->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
        r->setMargins(QMargins(0, 0, 0, 6));
    }
    m_rectDelta->axis(QCPAxis::atBottom)
        ->setLabel(u"time since A's connection start (s) — B's times moved back by the clock offset"_s);
    m_rectDelta->axis(QCPAxis::atLeft)->setLabel(u"one-way\ndelay (ms)"_s);
    m_rectDelta->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), std::max(7, font().pointSize() - 1)));
    // The legend gets a row of its own under the lanes: inside any lane it would hide frames.
    m_rectA->insetLayout()->take(m_plot->legend);
    m_rectA->insetLayout()->simplify();
    grid->addElement(4, 0, m_plot->legend);
    grid->setRowStretchFactor(4, 0.001);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(3);
    m_plot->legend->setMargins(QMargins(4, 2, 4, 2));

    m_plot->addLayer(u"connectors"_s, m_plot->layer(u"main"_s), QCustomPlot::limAbove);
    m_overlay = new PainterLayer(m_plot, u"connectors"_s, [this](QCPPainter *p) { drawOverlay(p); });
    applyTheme();
}

void CompareChart::rebuild()
{
    m_plot->clearGraphs();
    m_decimated.clear();
    m_lostMarks = 0;
    m_data = m_model ? m_model->compareResult() : nullptr;
    m_series = m_model ? m_model->compareSeries(m_pair) : nullptr;
    const PairMapping *m = m_series ? &m_model->mapping(m_pair) : nullptr;
    if (!m || !m->isValid()) {
        m_series = nullptr;
        m_title->setText(u"No connection pair selected"_s);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    m_offset = m_model->effectiveOffset(m_pair);
    updateTitle();
    m_rectA->axis(QCPAxis::atLeft)->setLabel(u"A: %1\npayload (bytes)"_s.arg(fileName(m_model->traceA())));
    m_rectB->axis(QCPAxis::atLeft)->setLabel(u"B: %1\npayload (bytes)"_s.arg(fileName(m_model->traceB())));

    // Frame sizes of both points, a graph per (side, direction, kind), built by the model with the alignment.
    QStringList named;
    for (const CompareSeries::Lane &lane : m_series->frames) {
        QCPAxisRect *rect = lane.side == 0 ? m_rectA : m_rectB;
        QCPGraph *g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(m_theme.scatter(lane.direction, lane.kind));
        addDecimated(g, rect, lane.points, lane.side);
        g->setName((lane.direction == 0 ? u"c→s · "_s : u"s→c · "_s) + ChartSeries::kindName(lane.kind));
        // Both lanes use the same marks: the legend lists each once.
        if (named.contains(g->name()))
            g->removeFromLegend();
        named << g->name();
    }

    // Lost between the points: crossed out where the sender's capture shows them leaving.
    for (int side = 0; side < 2; ++side) {
        const PointSeries &lost = m_series->lost[side];
        if (lost.isEmpty())
            continue;
        m_lostMarks += int(lost.size());
        QCPAxisRect *rect = side == 0 ? m_rectA : m_rectB;
        QCPGraph *g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(220, 0, 0), 2.5), Qt::NoBrush, 14));
        g->setName(u"lost between the points (marked on the sender side)"_s);
        if (named.contains(g->name()))
            g->removeFromLegend();
        named << g->name();
        addDecimated(g, rect, lost, side);
    }

    // The delta lane: receiver time − sender time of each group's last bytes, with the offset removed.
    for (int d = 0; d < 2; ++d) {
        if (m_series->delay[d].isEmpty())
            continue;
        QCPGraph *g = m_plot->addGraph(m_rectDelta->axis(QCPAxis::atBottom), m_rectDelta->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, m_theme.direction[d], 3));
        addDecimated(g, m_rectDelta, m_series->delay[d], m_series->delaySender[d], d);
        g->removeFromLegend();
    }

    // Legend-only entry for the connectors.
    QCPGraph *connector = m_plot->addGraph(m_rectA->axis(QCPAxis::atBottom), m_rectA->axis(QCPAxis::atLeft));
    connector->setPen(QPen(connectorColour(m_theme.dark), 2));
    connector->setName(u"same bytes at the other point (one segment → its N pieces)"_s);
    redecimate();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CompareChart::updateTitle()
{
    const PairMapping &m = m_model->mapping(m_pair);
    m_title->setText(u"Pair %1: A #%2 ↔ B #%3 · B's clock moved back by %4 s%5"_s.arg(m_pair)
                         .arg(m.a->id)
                         .arg(m.b->id)
                         .arg(m_offset, 0, 'f', 6)
                         .arg(m_model->clockOffsetOverride() ? u" (manual)"_s : QString()));
}

void CompareChart::offsetChanged()
{
    if (!m_series) {
        rebuild();
        return;
    }
    m_offset = m_model->effectiveOffset(m_pair);
    updateTitle();
    redecimate();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CompareChart::addDecimated(QCPGraph *graph, QCPAxisRect *rect, const PointSeries &series, int side,
                                int delayDirection)
{
    m_decimated.push_back({graph, rect, &series, side, delayDirection});
}

double CompareChart::keyShift(const Decimated &d) const
{
    return CompareSeries::keyShift(d.side, m_offset);
}

double CompareChart::valueShift(const Decimated &d) const
{
    return d.delayDirection >= 0 ? m_series->delayShift(d.delayDirection, m_offset) : 0.0;
}

void CompareChart::redecimate()
{
    const QCPRange x = timeRange();
    for (Decimated &d : m_decimated) {
        const int width = d.rect->width() > 10 ? d.rect->width() : 800; // before the first layout
        const DecimatedPoints p = CompareSeries::take(*d.series, x.lower, x.upper, width, keyShift(d), valueShift(d));
        d.graph->setData(p.keys, p.values, true);
    }
}

template <typename F> int CompareChart::forVisibleConnectors(F &&visit) const
{
    const PairMapping *m = m_model && m_model->pair(m_pair) ? &m_model->mapping(m_pair) : nullptr;
    if (!m || !m->isValid())
        return 0;
    const QCPRange x = timeRange();
    int groups = 0, lines = 0;
    for (int d = 0; d < 2; ++d)
        for (const SegmentMapping &g : m->groups[d]) {
            if (!PairMapping::isSplit(g))
                continue;
            const double ta = m->timeA(d, g.aFirst), tb = m->timeB(d, g.bFirst, m_offset);
            if (std::max(ta, tb) < x.lower || std::min(ta, tb) > x.upper)
                continue;
            const int n = int(std::max(g.aLast - g.aFirst, g.bLast - g.bFirst)) + 1;
            if (lines + n > MaxConnectorLines)
                return groups;
            ++groups;
            lines += n;
            visit(*m, d, g);
        }
    return groups;
}

int CompareChart::connectorGroupsInView() const
{
    return forVisibleConnectors([](const PairMapping &, int, const SegmentMapping &) {});
}

int CompareChart::connectorLinesInView() const
{
    int lines = 0;
    forVisibleConnectors([&](const PairMapping &, int, const SegmentMapping &g) {
        lines += int(std::max(g.aLast - g.aFirst, g.bLast - g.bFirst)) + 1;
    });
    return lines;
}

void CompareChart::drawOverlay(QCPPainter *painter)
{
    QCPAxis *xa = m_rectA->axis(QCPAxis::atBottom), *ya = m_rectA->axis(QCPAxis::atLeft);
    QCPAxis *xb = m_rectB->axis(QCPAxis::atBottom), *yb = m_rectB->axis(QCPAxis::atLeft);
    painter->save();
    painter->setClipRect(QRect(m_rectA->rect().topLeft(), m_rectB->rect().bottomRight()));
    painter->setPen(QPen(connectorColour(m_theme.dark), 1.2));
    forVisibleConnectors([&](const PairMapping &m, int d, const SegmentMapping &g) {
        // From the single segment on one side to each segment that carried its bytes on the other.
        const bool oneA = g.aFirst == g.aLast;
        auto pointA = [&](std::int64_t i) {
            return QPointF(xa->coordToPixel(m.timeA(d, i)), ya->coordToPixel(m.segA(d, i).payload));
        };
        auto pointB = [&](std::int64_t i) {
            return QPointF(xb->coordToPixel(m.timeB(d, i, m_offset)), yb->coordToPixel(m.segB(d, i).payload));
        };
        if (oneA) {
            const QPointF from = pointA(g.aFirst);
            for (std::int64_t i = g.bFirst; i <= g.bLast; ++i)
                painter->drawLine(from, pointB(i));
        } else {
            const QPointF from = pointB(g.bFirst);
            for (std::int64_t i = g.aFirst; i <= g.aLast; ++i)
                painter->drawLine(pointA(i), from);
        }
    });
    painter->restore();
}

void CompareChart::resetZoom()
{
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    double top[3] = {100, 100, 1};
    double deltaLow = 0;
    for (const Decimated &d : m_decimated) {
        if (d.series->isEmpty())
            continue;
        lo = std::min(lo, d.series->firstTime() + keyShift(d));
        hi = std::max(hi, d.series->lastTime() + keyShift(d));
        const int lane = d.rect == m_rectA ? 0 : d.rect == m_rectB ? 1 : 2;
        top[lane] = std::max(top[lane], d.series->maxValue() + valueShift(d));
        if (lane == 2)
            deltaLow = std::min(deltaLow, d.series->minValue() + valueShift(d));
    }
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *g = m_plot->graph(i);
        const bool decimated = std::any_of(m_decimated.begin(), m_decimated.end(),
                                           [g](const Decimated &d) { return d.graph == g; });
        if (decimated || g->data()->isEmpty())
            continue;
        bool ok = false;
        const QCPRange k = g->getKeyRange(ok);
        if (ok)
            lo = std::min(lo, k.lower), hi = std::max(hi, k.upper);
        const QCPRange v = g->getValueRange(ok);
        const int lane = g->keyAxis()->axisRect() == m_rectA ? 0 : g->keyAxis()->axisRect() == m_rectB ? 1 : 2;
        if (ok) {
            top[lane] = std::max(top[lane], v.upper);
            if (lane == 2)
                deltaLow = std::min(deltaLow, v.lower);
        }
    }
    if (lo > hi)
        lo = 0, hi = 1;
    const double pad = std::max(hi - lo, 1e-3) * 0.02;
    m_rectA->axis(QCPAxis::atLeft)->setRange(0, top[0] * 1.12);
    m_rectB->axis(QCPAxis::atLeft)->setRange(0, top[1] * 1.12);
    m_rectDelta->axis(QCPAxis::atLeft)->setRange(deltaLow * 1.1, top[2] * 1.15);
    setTimeRange(lo - pad, hi + pad);
}

void CompareChart::zoomToFirstSplits(int count)
{
    const PairMapping *m = m_model && m_model->pair(m_pair) ? &m_model->mapping(m_pair) : nullptr;
    if (!m || !m->isValid())
        return;
    double lo = std::numeric_limits<double>::max(), hi = lo;
    for (int d = 0; d < 2; ++d) {
        int seen = 0;
        double first = 0, last = 0;
        for (const SegmentMapping &g : m->groups[d]) {
            if (!PairMapping::isSplit(g))
                continue;
            const double t0 = std::min(m->timeA(d, g.aFirst), m->timeB(d, g.bFirst, m_offset));
            const double t1 = std::max(m->timeA(d, g.aLast), m->timeB(d, g.bLast, m_offset));
            if (seen == 0)
                first = t0;
            last = t1;
            if (++seen == count)
                break;
        }
        if (seen && first < lo)
            lo = first, hi = last;
    }
    if (lo > hi)
        return;
    const double pad = std::max(hi - lo, 1e-4) * 0.15;
    setTimeRange(lo - pad, hi + pad);
}

void CompareChart::setTimeRange(double lower, double upper)
{
    m_rectA->axis(QCPAxis::atBottom)->setRange(lower, upper);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QCPRange CompareChart::timeRange() const
{
    return m_rectA->axis(QCPAxis::atBottom)->range();
}

void CompareChart::onRangeChanged(const QCPRange &range)
{
    if (m_syncing)
        return;
    m_syncing = true;
    for (QCPAxisRect *r : {m_rectA, m_rectB, m_rectDelta})
        r->axis(QCPAxis::atBottom)->setRange(range);
    m_syncing = false;
    redecimate();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    emit timeRangeChanged(range.lower, range.upper);
}

double CompareChart::firstPointTimeA() const
{
    const PairMapping *m = m_model && m_model->pair(m_pair) ? &m_model->mapping(m_pair) : nullptr;
    return m && m->a->directions[0].segments.size() ? m->timeA(0, 0) : std::nan("");
}

double CompareChart::firstPointTimeB() const
{
    const PairMapping *m = m_model && m_model->pair(m_pair) ? &m_model->mapping(m_pair) : nullptr;
    return m && m->b->directions[m->bDirection[0]].segments.size() ? m->timeB(0, 0, m_offset) : std::nan("");
}

int CompareChart::deltaPointCount() const
{
    int n = 0;
    for (const Decimated &d : m_decimated)
        if (d.rect == m_rectDelta)
            n += int(d.series->size()); // all points, not just those drawn at this zoom
    return n;
}

bool CompareChart::exportTo(const QString &path, int width, int height)
{
    ExportOptions options;
    options.width = width;
    options.height = height;
    return exportPlot(m_plot, path, options, accessibleName());
}

void CompareChart::applyTheme()
{
    m_theme = ChartTheme::fromPalette(palette());
    m_theme.apply(m_plot);
    for (QCPAxisRect *r : {m_rectB, m_rectDelta})
        for (QCPAxis *axis : r->axes()) {
            axis->setBasePen(QPen(m_theme.foreground, 1));
            axis->setTickPen(QPen(m_theme.foreground, 1));
            axis->setSubTickPen(QPen(m_theme.foreground, 1));
            axis->setTickLabelColor(m_theme.foreground);
            axis->setLabelColor(m_theme.foreground);
            axis->grid()->setPen(QPen(m_theme.grid, 1, Qt::SolidLine));
            axis->grid()->setSubGridPen(QPen(m_theme.subGrid, 1, Qt::DotLine));
        }
    m_title->setTextColor(m_theme.foreground);
}

void CompareChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        const QCPRange x = timeRange();
        rebuild();
        setTimeRange(x.lower, x.upper);
    }
}

} // namespace ol
