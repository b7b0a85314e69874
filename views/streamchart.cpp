// SPDX-License-Identifier: GPL-3.0-or-later
// The stream graphs of one direction (see streamchart.h).
#include "streamchart.h"

#include "byteticker.h"
#include "offloadtext.h"
#include "wiresharkactions.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>

#include <algorithm>
#include <cmath>

namespace ol {

using namespace Qt::StringLiterals;
using Line = StreamChartSeries::Line;

namespace {

QString shortDirection(int d)
{
    return d == 0 ? u"c→s"_s : u"s→c"_s;
}

/// "0.352 ms", "12.3 ms", "1,204 ms": three significant digits, as RTTs are read.
QString milliseconds(double ms)
{
    const int decimals = ms < 1 ? 3 : ms < 10 ? 2 : ms < 100 ? 1 : 0;
    return (ms < 1000 ? QString::number(ms, 'f', decimals) : text::thousands(quint64(std::llround(ms)))) + u" ms"_s;
}

/// "12.5 MB/s", "830 kB/s", "120 B/s" (decimal units, as link speeds are given).
QString rate(double bytesPerSecond)
{
    const double a = std::abs(bytesPerSecond);
    if (a >= 1e9)
        return QString::number(bytesPerSecond / 1e9, 'f', 2) + u" GB/s"_s;
    if (a >= 1e6)
        return QString::number(bytesPerSecond / 1e6, 'f', 2) + u" MB/s"_s;
    if (a >= 1e3)
        return QString::number(bytesPerSecond / 1e3, 'f', 1) + u" kB/s"_s;
    return QString::number(bytesPerSecond, 'f', 0) + u" B/s"_s;
}

QString bytes(double b)
{
    return text::thousands(quint64(std::max(0.0, b))) + u" bytes"_s;
}

bool isScatter(Line line)
{
    return line == StreamChartSeries::Rtt || line == StreamChartSeries::RttWire;
}

} // namespace

StreamChart::StreamChart(Kind kind, QWidget *parent)
    : ChartBase(parent)
    , m_kind(kind)
{
    plot()->xAxis->setLabel(u"time since the connection's first packet (s)"_s);
    // Lines of thousands of decimated min/max points: Qt strokes a wide polyline as one path, which costs seconds
    // on a 10M-segment connection (GUI benchmark); segment by segment it stays within milliseconds.
    plot()->setPlottingHint(QCP::phFastPolylines, true);
    applyAxes();
}

bool StreamChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == plot()) {
        if (event->type() == QEvent::MouseButtonPress) {
            auto *e = static_cast<QMouseEvent *>(event);
            if (e->button() == Qt::RightButton)
                m_rightPressPos = e->position().toPoint();
        } else if (event->type() == QEvent::MouseButtonRelease) {
            auto *e = static_cast<QMouseEvent *>(event);
            if (e->button() == Qt::RightButton && (e->position().toPoint() - m_rightPressPos).manhattanLength() < 4)
                showContextMenu(e->position().toPoint(), e->globalPosition().toPoint());
        } else if (event->type() == QEvent::ContextMenu) {
            auto *e = static_cast<QContextMenuEvent *>(event);
            if (e->reason() == QContextMenuEvent::Keyboard) {
                const QPoint centre = plot()->axisRect()->rect().center();
                showContextMenu(centre, plot()->mapToGlobal(centre));
                return true;
            }
        }
    }
    return ChartBase::eventFilter(watched, event);
}

void StreamChart::showContextMenu(const QPoint &pos, const QPoint &globalPos)
{
    QMenu menu(this);
    menu.addAction(u"&Reset Zoom"_s, this, &ChartBase::resetZoom);
    // The sample under the cursor (an RTT point is its ACK's segment), else the selected one.
    const SegmentRef under = segmentAt(pos);
    wireshark::addChartActions(&menu, this, under.isValid() ? under : selectedSegment());
    menu.exec(globalPos);
}

QString StreamChart::kindId(Kind kind)
{
    switch (kind) {
    case Kind::Rtt:
        return u"rtt"_s;
    case Kind::Throughput:
        return u"throughput"_s;
    case Kind::Inflight:
        return u"inflight"_s;
    case Kind::Window:
        return u"window"_s;
    }
    return QString();
}

std::optional<StreamChart::Kind> StreamChart::kindFromId(const QString &id)
{
    for (int k = 0; k < KindCount; ++k)
        if (kindId(Kind(k)) == id)
            return Kind(k);
    return std::nullopt;
}

QString StreamChart::kindTitle(Kind kind)
{
    switch (kind) {
    case Kind::Rtt:
        return u"Round-trip time"_s;
    case Kind::Throughput:
        return u"Throughput"_s;
    case Kind::Inflight:
        return u"Bytes in flight"_s;
    case Kind::Window:
        return u"Receive window"_s;
    }
    return QString();
}

void StreamChart::applyAxes()
{
    setAccessibleName(kindTitle(m_kind) + u" chart"_s);
    QCPAxis *y = plot()->yAxis;
    // Short enough for a chart 200 px high at 1280x800.
    const QString dir = shortDirection(m_direction);
    if (m_kind == Kind::Rtt) {
        y->setTicker(QSharedPointer<QCPAxisTicker>::create());
        y->setNumberFormat(u"g"_s);
        y->setNumberPrecision(4);
        y->setLabel(u"RTT (ms), "_s + dir);
    } else {
        y->setTicker(QSharedPointer<ByteTicker>::create());
        y->setNumberFormat(u"f"_s);
        y->setNumberPrecision(0);
        y->setLabel((m_kind == Kind::Throughput     ? u"bytes/s, "_s
                         : m_kind == Kind::Inflight ? u"bytes in flight, "_s
                                                    : u"window (bytes), "_s)
                    + dir);
    }
}

void StreamChart::rebuildKeepingRange()
{
    applyAxes();
    const QCPRange x = timeRange();
    const bool had = m_series && m_series->isValid();
    setSeries(m_series);
    if (had)
        setTimeRange(x.lower, x.upper);
}

void StreamChart::setKind(Kind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    rebuildKeepingRange();
}

void StreamChart::setDirection(int direction)
{
    if (direction == m_direction)
        return;
    m_direction = direction;
    rebuildKeepingRange();
}

void StreamChart::setWireView(bool on)
{
    if (on == m_wireView)
        return;
    m_wireView = on;
    rebuildKeepingRange();
}

void StreamChart::setThroughputWindow(TimeNs window)
{
    window = std::max<TimeNs>(window, 0);
    if (window == m_throughputWindow)
        return;
    m_throughputWindow = window;
    rebuildKeepingRange();
}

std::vector<Line> StreamChart::lines() const
{
    switch (m_kind) {
    case Kind::Rtt:
        return {StreamChartSeries::Rtt, StreamChartSeries::RttWire};
    case Kind::Throughput:
        return {StreamChartSeries::Throughput, StreamChartSeries::Goodput, StreamChartSeries::Retransmitted};
    case Kind::Inflight:
        return {StreamChartSeries::ReceiveWindow, StreamChartSeries::Inflight};
    case Kind::Window:
        return {StreamChartSeries::Window};
    }
    return {};
}

void StreamChart::forgetGraphs()
{
    std::fill(std::begin(m_graphs), std::end(m_graphs), nullptr);
    m_superSegment = 0;
}

QCPGraph *StreamChart::addLine(Line line, const QString &name)
{
    const int d = m_direction;
    QCPGraph *g = plot()->addGraph();
    g->setName(name);
    g->setAdaptiveSampling(false); // the series already decimated it
    g->setSelectable(QCP::stNone);
    const QColor colour = theme().direction[d];
    switch (line) {
    case StreamChartSeries::Rtt:
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 4));
        break;
    case StreamChartSeries::RttWire: {
        const QColor piece = theme().kindColor(d, ChartSeries::WirePiece);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(piece, 1), Qt::NoBrush, 5));
        break;
    }
    case StreamChartSeries::Throughput: {
        // Wide and light under the goodput, which equals it without retransmissions: both stay visible.
        QColor wide = colour;
        wide.setAlpha(120);
        g->setLineStyle(QCPGraph::lsLine);
        g->setPen(QPen(wide, 4));
        break;
    }
    case StreamChartSeries::Goodput:
        g->setLineStyle(QCPGraph::lsLine);
        g->setPen(QPen(theme().ack, 1.2));
        break;
    case StreamChartSeries::Retransmitted: {
        // Apart from the others: filled down to zero in red, so that a few retransmitted bytes still show.
        QColor fill = theme().retransmission;
        fill.setAlpha(90);
        g->setLineStyle(QCPGraph::lsLine);
        g->setPen(QPen(theme().retransmission, 1.2));
        g->setBrush(fill);
        break;
    }
    case StreamChartSeries::Inflight:
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(colour, 1.5));
        break;
    case StreamChartSeries::ReceiveWindow: {
        // Solid and light rather than dashed: a dashed pen along a million-step line costs more to draw than
        // the re-render budget of a zoom (the GUI benchmark measured 83 ms against 50).
        QColor light = theme().window;
        light.setAlpha(170);
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(light, 1.3));
        break;
    }
    case StreamChartSeries::Window:
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(theme().window, 1.6));
        break;
    case StreamChartSeries::LineCount:
        break;
    }
    m_graphs[line] = g;
    m_layer[line] = int(hitLayers().size());
    addHitLayer(g, StreamChartSeries::sourceDirection(line, d));
    return g;
}

void StreamChart::rebuild()
{
    if (!m_series->hasStreams(m_wireView, m_throughputWindow))
        m_series->buildStreams(m_wireView, m_throughputWindow);
    applyAxes();
    const StreamChartSeries &streams = m_series->streams();
    const int d = m_direction;
    const QString dir = shortDirection(d) + u" · "_s;
    switch (m_kind) {
    case Kind::Rtt: {
        const StreamChartSeries::RttSummary &r = streams.rttSummary(d);
        const QString stats = r.samples
            ? u": min %1 · median %2 (dashed) · max %3 (%4 samples)"_s.arg(
                milliseconds(r.minMs), milliseconds(r.medianMs), milliseconds(r.maxMs), text::thousands(r.samples))
            : u": no samples (Karn's rule, or no ACK of new data)"_s;
        // The first line drawn carries the statistics of all samples; in the wire view a TSO sender's samples are
        // (nearly) all measured against wire segments, and its captured-segment line may be empty.
        const QString name = dir + StreamChartSeries::lineName(StreamChartSeries::Rtt) + stats;
        const bool captured = !streams.line(d, StreamChartSeries::Rtt).isEmpty() || !r.wireSamples;
        if (captured)
            addLine(StreamChartSeries::Rtt, name);
        if (r.wireSamples) {
            const QString wire = u"%1 against a wire segment cut from a super-segment"_s.arg(
                text::thousands(r.wireSamples));
            addLine(StreamChartSeries::RttWire, captured ? dir + u"of them "_s + wire : name + u", "_s + wire);
        }
        if (r.samples) {
            // The median as a line: where the bulk of the samples sit, whatever the outliers do to the axis.
            auto *median = new QCPItemStraightLine(plot());
            median->point1->setCoords(0, r.medianMs);
            median->point2->setCoords(1, r.medianMs);
            median->setPen(QPen(theme().foreground, 1, Qt::DashLine));
            median->setSelectable(false);
        }
        break;
    }
    case Kind::Throughput: {
        const double window = streams.throughputWindowSeconds(d);
        const QString over = u" over %1%2"_s.arg(milliseconds(window * 1e3),
                                                 m_throughputWindow > 0 ? QString() : u" (adaptive)"_s);
        addLine(StreamChartSeries::Throughput, dir + StreamChartSeries::lineName(StreamChartSeries::Throughput) + over);
        addLine(StreamChartSeries::Goodput, dir + StreamChartSeries::lineName(StreamChartSeries::Goodput));
        addLine(StreamChartSeries::Retransmitted,
                dir + StreamChartSeries::lineName(StreamChartSeries::Retransmitted) + u" bytes"_s);
        break;
    }
    case Kind::Inflight: {
        addLine(StreamChartSeries::ReceiveWindow, dir + StreamChartSeries::lineName(StreamChartSeries::ReceiveWindow));
        addLine(StreamChartSeries::Inflight, dir + StreamChartSeries::lineName(StreamChartSeries::Inflight));
        const StreamChartSeries::SuperSegment &big = streams.largestSuperSegment(d);
        if (big.payload) {
            // A capture at a TSO/GSO sender: how much one super-segment alone puts in flight.
            const QColor colour = theme().kindColor(d, ChartSeries::SendOffload);
            m_superSegment = big.payload;
            auto *line = new QCPItemStraightLine(plot());
            line->point1->setCoords(0, m_superSegment);
            line->point2->setCoords(1, m_superSegment);
            line->setPen(QPen(colour, 1.3, Qt::DotLine));
            line->setSelectable(false);
            QCPGraph *legendEntry = plot()->addGraph();
            legendEntry->setPen(QPen(colour, 1.5, Qt::DotLine));
            const std::optional<Segment> s = m_series->segment(d, big.index);
            legendEntry->setName(u"largest super-segment: %1 bytes (frame %2)"_s.arg(
                text::thousands(big.payload), QString::number(s ? s->frame : 0)));
            legendEntry->setSelectable(QCP::stNone);
        }
        break;
    }
    case Kind::Window: {
        const bool known = streams.windowScaleKnown(d);
        addLine(StreamChartSeries::Window,
                dir + u"receive window advertised by the peer"_s
                    + (known ? u" (scaled)"_s : u" (raw field: no SYNs, scale unknown)"_s));
        break;
    }
    }
}

int StreamChart::updateData(const PixelMapping &mapping)
{
    const StreamChartSeries &streams = m_series->streams();
    int total = 0;
    for (Line l : lines()) {
        QCPGraph *g = m_graphs[l];
        if (!g)
            continue;
        DecimatedPoints p = streams.line(m_direction, l).decimate(mapping, !isScatter(l));
        g->setData(p.keys, p.values, true);
        hitLayers()[std::size_t(m_layer[l])].indices = std::move(p.indices);
        total += int(p.keys.size());
    }
    return total;
}

void StreamChart::dataRange(QCPRange &x, QCPRange &y) const
{
    const double duration = std::max(m_series->duration(), 1e-3);
    x = QCPRange(-0.02 * duration, 1.02 * duration);
    double top = m_superSegment;
    if (m_series->hasAnyStreams())
        for (Line l : lines())
            if (m_graphs[l])
                top = std::max(top, m_series->streams().line(m_direction, l).maxValue());
    const double fallback = m_kind == Kind::Rtt ? 1.0 : 1000.0;
    y = QCPRange(0, (top > 0 ? top : fallback) * 1.1);
}

bool StreamChart::markerPosition(SegmentRef segment, double &key, double &value) const
{
    if (!m_series->hasAnyStreams())
        return false;
    const StreamChartSeries &streams = m_series->streams();
    // The primary line of the kind first: the RTT of a data segment, its throughput, its bytes in flight.
    for (Line l : {StreamChartSeries::Rtt, StreamChartSeries::RttWire, StreamChartSeries::Throughput,
                   StreamChartSeries::Inflight, StreamChartSeries::Window}) {
        if (!m_graphs[l] || StreamChartSeries::sourceDirection(l, m_direction) != segment.direction)
            continue;
        if (streams.pointOf(m_direction, l, std::uint32_t(segment.index), key, value))
            return true;
    }
    return false;
}

QString StreamChart::pointTooltip(const HitLayer &layer, int point) const
{
    Line line = StreamChartSeries::LineCount;
    for (Line l : lines())
        if (m_graphs[l] == layer.graph)
            line = l;
    if (line == StreamChartSeries::LineCount || point < 0 || point >= layer.graph->dataCount())
        return QString();
    const double v = (layer.graph->data()->constBegin() + point)->value;
    const StreamChartSeries &streams = m_series->streams();
    switch (line) {
    case StreamChartSeries::Rtt:
    case StreamChartSeries::RttWire: {
        const std::uint32_t ack = streams.rttAckFrame(m_direction, layer.indices[point]);
        return u"<b>RTT %1</b> · acknowledged by frame %2%3"_s.arg(
            milliseconds(v), QString::number(ack),
            line == StreamChartSeries::RttWire ? u" (a wire segment of this super-segment)"_s : QString());
    }
    case StreamChartSeries::Throughput:
    case StreamChartSeries::Goodput:
    case StreamChartSeries::Retransmitted:
        return u"<b>%1 %2</b> over the %3 before this segment"_s.arg(
            StreamChartSeries::lineName(line), rate(v),
            milliseconds(streams.throughputWindowSeconds(m_direction) * 1e3));
    case StreamChartSeries::Inflight:
        return u"<b>%1 in flight</b> (sent, not yet acknowledged)"_s.arg(bytes(v));
    case StreamChartSeries::ReceiveWindow:
        return u"<b>peer's receive window %1</b>"_s.arg(bytes(v));
    case StreamChartSeries::Window:
        return u"<b>advertised window %1</b>"_s.arg(bytes(v));
    case StreamChartSeries::LineCount:
        break;
    }
    return QString();
}

int StreamChart::pointCount(Line line) const
{
    return m_graphs[line] ? m_graphs[line]->dataCount() : 0;
}

QStringList StreamChart::legendTexts() const
{
    QStringList out;
    for (int i = 0; i < plot()->graphCount(); ++i)
        if (QCPGraph *g = plot()->graph(i); g && !g->name().isEmpty() && plot()->legend->hasItemWithPlottable(g))
            out << g->name();
    return out;
}

} // namespace ol
