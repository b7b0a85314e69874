// SPDX-License-Identifier: GPL-3.0-or-later
// Shared chart behaviour: zoom, pan, linked time axis, decimation on range change, hover and click.
#include "chartbase.h"

#include "byteticker.h"
#include "chartexport.h"
#include "offloadtext.h"

#include <QEvent>
#include <QFileInfo>
#include <QMouseEvent>
#include <QShortcut>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
constexpr double HitRadius = 8; // pixels
constexpr int LeftMargin = 84;
constexpr int RightMargin = 64;
constexpr int MinimumPlotWidth = 320;
constexpr int MaxLegendColumns = 4;
} // namespace

ChartBase::ChartBase(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setFocusPolicy(Qt::StrongFocus);
    m_plot->setAccessibleName(u"Chart plot area"_s);
    m_plot->setAccessibleDescription(u"Wheel: zoom time. Ctrl+wheel: zoom bytes. Drag: pan. Shift+drag or "_s
                                     u"right-drag: zoom to a rectangle. R or Home: show everything. Click a "_s
                                     u"point to explain it."_s);
    m_plot->setMouseTracking(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->yAxis->setTicker(QSharedPointer<ByteTicker>::create());
    // Fixed side margins: the two charts' time axes line up pixel for pixel when they are linked.
    m_plot->axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    m_plot->axisRect()->setMargins(QMargins(LeftMargin, 0, RightMargin, 0));
    m_plot->installEventFilter(this);
    m_plot->layer(u"overlay"_s)->setMode(QCPLayer::lmBuffered);

    // The legend goes below the plot, in as many columns as fit, so it never hides data.
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(6, 0, 6, 4));
    legendRow->addElement(0, 0, m_plot->legend);
    // QCustomPlot caps a layout column at the smallest maximum width in it, and an empty legend's is its margins:
    // with no graphs (a chart still waiting for its series) the axis rect shrank to its minimum at the left. An
    // empty element beside the legend, which may grow without bound, lifts that cap.
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(1, 0.001);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setIconSize(18, 12);
    m_plot->legend->setRowSpacing(0);
    m_plot->legend->setColumnSpacing(12);
    // The plot's own minimum is that of four legend columns side by side; the legend wraps into fewer columns
    // instead (fitLegend), so the charts give way when the docks beside them need the room.
    m_plot->setMinimumWidth(MinimumPlotWidth);

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &ChartBase::onRangeChanged);

    for (const QKeySequence &key : {QKeySequence(Qt::Key_R), QKeySequence(Qt::Key_Home)}) {
        auto *shortcut = new QShortcut(key, this, this, &ChartBase::resetZoom, Qt::WidgetWithChildrenShortcut);
        Q_UNUSED(shortcut);
    }
    applyTheme();
}

void ChartBase::setSeries(std::shared_ptr<ChartSeries> series)
{
    if (series != m_series)
        m_selected = {};
    m_series = std::move(series);
    clearPlot();
    if (m_series && m_series->isValid())
        rebuild();
    resetZoom();
    redecimate();
    emit plotRebuilt();
}

void ChartBase::clearPlot()
{
    m_hitLayers.clear();
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_marker = nullptr;
    m_crosshair = nullptr; // clearItems() deleted it
    forgetGraphs();
}

ChartBase::HitLayer &ChartBase::addHitLayer(QCPGraph *graph, int direction)
{
    HitLayer layer;
    layer.graph = graph;
    layer.direction = direction;
    m_hitLayers.push_back(layer);
    return m_hitLayers.back();
}

void ChartBase::resetZoom()
{
    QCPRange x(0, 1), y(0, 1);
    const bool haveData = m_series && m_series->isValid();
    if (haveData)
        dataRange(x, y);
    m_plot->yAxis->setRange(y);
    // Emits timeRangeChanged, so linked charts follow. An empty chart's placeholder 0–1 s is no time range to
    // share: while a large connection's time-sequence series is still being built, it would pull the frame-size
    // chart, already showing the whole connection, to its first second.
    m_settingRange = !haveData;
    m_plot->xAxis->setRange(x);
    m_settingRange = false;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartBase::setTimeRange(double lower, double upper)
{
    const QCPRange current = m_plot->xAxis->range();
    if (qFuzzyCompare(current.lower + 1, lower + 1) && qFuzzyCompare(current.upper + 1, upper + 1))
        return;
    m_settingRange = true;
    m_plot->xAxis->setRange(lower, upper);
    m_settingRange = false;
}

QCPRange ChartBase::timeRange() const
{
    return m_plot->xAxis->range();
}

PixelMapping ChartBase::pixelMapping() const
{
    const QCPRange r = m_plot->xAxis->range();
    // Before the first layout the axis rect has no size yet; assume a typical width.
    const int width = m_plot->axisRect()->width() > 10 ? m_plot->axisRect()->width() : 800;
    return {r.lower, r.upper, width};
}

void ChartBase::onRangeChanged(const QCPRange &range)
{
    if (!m_settingRange)
        emit timeRangeChanged(range.lower, range.upper);
    scheduleRedecimate();
}

void ChartBase::scheduleRedecimate()
{
    if (m_redecimatePending)
        return;
    m_redecimatePending = true;
    // Coalesces the x and y range changes of one zoom step into one decimation.
    QTimer::singleShot(0, this, [this] {
        m_redecimatePending = false;
        redecimate();
    });
}

int ChartBase::redecimate()
{
    int points = 0;
    m_lastMapping = pixelMapping();
    if (m_series && m_series->isValid())
        points = updateData(m_lastMapping);
    updateMarker();
    fitLegend(); // the marker's legend entry comes and goes
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    return points;
}

void ChartBase::setSelectedSegment(SegmentRef segment)
{
    m_selected = segment;
    updateMarker();
    fitLegend();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartBase::updateMarker()
{
    double key = 0, value = 0;
    const bool show = m_series && m_selected.isValid() && markerPosition(m_selected, key, value);
    if (!show) {
        if (m_marker) {
            m_marker->data()->clear();
            m_marker->removeFromLegend();
        }
        return;
    }
    if (!m_marker) {
        m_marker = m_plot->addGraph();
        m_marker->setLineStyle(QCPGraph::lsNone);
        m_marker->setSelectable(QCP::stNone);
        m_marker->setName(u"selected segment (explained in the Evidence panel)"_s);
    }
    // The ring is a mark like any other: the legend says what it is while it is shown.
    m_marker->addToLegend();
    m_marker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(m_theme.selection, 2), Qt::NoBrush, 16));
    m_marker->setData({key}, {value}, true);
}

bool ChartBase::exportTo(const QString &path, int width, int height)
{
    ExportOptions options;
    options.width = width;
    options.height = height;
    options.scale = 2.0; // sharp on a high-density screen and in print
    return exportFormatFor(path) != ExportFormat::Csv && exportPlot(m_plot, path, options, accessibleName());
}

bool ChartBase::hitAt(const QPointF &pos, int &bestLayer, int &bestPoint) const
{
    bestLayer = bestPoint = -1;
    double bestDist = HitRadius;
    const QCPAxis *x = m_plot->xAxis;
    const QCPAxis *y = m_plot->yAxis;
    for (std::size_t l = 0; l < m_hitLayers.size(); ++l) {
        const HitLayer &layer = m_hitLayers[l];
        if (!layer.graph || !layer.graph->visible())
            continue;
        const auto data = layer.graph->data();
        int i = 0;
        for (auto it = data->constBegin(); it != data->constEnd(); ++it, ++i) {
            const double px = x->coordToPixel(it->key);
            const double dx = std::abs(px - pos.x());
            if (dx >= bestDist)
                continue;
            double dy;
            if (!layer.highs.isEmpty()) {
                // A bar: value is its middle, highs the top.
                const double top = y->coordToPixel(layer.highs[i]);
                const double bottom = y->coordToPixel(2 * it->value - layer.highs[i]);
                const double lo = std::min(top, bottom), hi = std::max(top, bottom);
                dy = pos.y() < lo ? lo - pos.y() : pos.y() > hi ? pos.y() - hi : 0;
            } else {
                dy = std::abs(y->coordToPixel(it->value) - pos.y());
            }
            const double dist = std::hypot(dx, dy);
            if (dist < bestDist && i < layer.indices.size()) {
                bestDist = dist;
                bestLayer = int(l);
                bestPoint = i;
            }
        }
    }
    return bestLayer >= 0;
}

SegmentRef ChartBase::segmentAt(const QPointF &pos) const
{
    int layer = -1, point = -1;
    if (!hitAt(pos, layer, point))
        return {};
    const HitLayer &hit = m_hitLayers[std::size_t(layer)];
    return {hit.direction, qint64(hit.indices[point])};
}

void ChartBase::setCrosshair(double time)
{
    if (std::isnan(time)) {
        if (!m_crosshair || !m_crosshair->visible())
            return;
        m_crosshair->setVisible(false);
    } else {
        if (!m_crosshair) {
            m_crosshair = new QCPItemStraightLine(m_plot);
            m_crosshair->setLayer(u"overlay"_s);
            m_crosshair->setSelectable(false);
            m_crosshair->setClipToAxisRect(true);
        }
        QColor colour = m_theme.foreground;
        colour.setAlpha(120);
        m_crosshair->setPen(QPen(colour, 1, Qt::DotLine));
        m_crosshair->point1->setCoords(time, 0);
        m_crosshair->point2->setCoords(time, 1);
        m_crosshair->setVisible(true);
    }
    m_plot->layer(u"overlay"_s)->replot();
}

double ChartBase::crosshair() const
{
    return m_crosshair && m_crosshair->visible() ? m_crosshair->point1->coords().x()
                                                 : std::numeric_limits<double>::quiet_NaN();
}

quint32 ChartBase::frameOfPoint(const QCPAbstractPlottable *graph, int i) const
{
    for (const HitLayer &layer : m_hitLayers)
        if (layer.graph == graph && i >= 0 && i < layer.indices.size()) {
            const std::optional<Segment> s = m_series ? m_series->segment(layer.direction, layer.indices[i])
                                                      : std::nullopt;
            return s ? s->frame : 0;
        }
    return 0;
}

QString ChartBase::tooltipAt(const QPointF &pos) const
{
    int layer = -1, point = -1;
    if (!m_series || !hitAt(pos, layer, point))
        return QString();
    const HitLayer &hit = m_hitLayers[std::size_t(layer)];
    const std::optional<Segment> s = m_series->segment(hit.direction, hit.indices[point]);
    if (!s)
        return QString();
    const QString first = pointTooltip(hit, point);
    const QString segment = text::segmentTooltip(*m_series->connection(), hit.direction, *s, m_series->origin());
    return first.isEmpty() ? segment : first + u"<br>"_s + segment;
}

bool ChartBase::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        m_pressPos = e->position().toPoint();
        // Shift+drag or right-drag draws a zoom rectangle; a plain drag pans.
        const bool rubberBand = e->button() == Qt::RightButton || (e->modifiers() & Qt::ShiftModifier);
        m_plot->setSelectionRectMode(rubberBand ? QCP::srmZoom : QCP::srmNone);
        break;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::LeftButton && (e->position().toPoint() - m_pressPos).manhattanLength() < 4)
            emit segmentClicked(segmentAt(e->position()));
        break;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (m_plot->axisRect()->rect().contains(e->position().toPoint())) {
            const double time = m_plot->xAxis->pixelToCoord(e->position().x());
            setCrosshair(time);
            emit crosshairMoved(time);
        } else if (!std::isnan(crosshair())) { // the mouse left the plot area for the margins
            setCrosshair(std::numeric_limits<double>::quiet_NaN());
            emit crosshairMoved(std::numeric_limits<double>::quiet_NaN());
        }
        if (e->buttons() == Qt::NoButton) {
            const QString tip = tooltipAt(e->position());
            if (tip.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(e->globalPosition().toPoint(), tip, m_plot);
        }
        break;
    }
    case QEvent::Wheel: {
        // Ctrl+wheel zooms the y axis, the plain wheel zooms time.
        auto *e = static_cast<QWheelEvent *>(event);
        m_plot->axisRect()->setRangeZoom((e->modifiers() & Qt::ControlModifier) ? Qt::Vertical : Qt::Horizontal);
        break;
    }
    case QEvent::Leave:
        setCrosshair(std::numeric_limits<double>::quiet_NaN());
        emit crosshairMoved(std::numeric_limits<double>::quiet_NaN());
        break;
    case QEvent::Resize:
        fitLegend();
        scheduleRedecimate();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void ChartBase::fitLegend()
{
    QCPLegend *legend = m_plot->legend;
    std::vector<int> widths;
    for (int i = 0; i < legend->elementCount(); ++i)
        if (QCPLayoutElement *item = legend->elementAt(i))
            widths.push_back(item->minimumOuterSizeHint().width());
    const int available = m_plot->width() - 12 - legend->margins().left() - legend->margins().right();
    // The most columns whose widest items, side by side, fit (items fill a row before the next one).
    int columns = 1;
    for (int n = MaxLegendColumns; n > 1; --n) {
        std::vector<int> column(std::size_t(n), 0);
        for (std::size_t i = 0; i < widths.size(); ++i)
            column[i % std::size_t(n)] = std::max(column[i % std::size_t(n)], widths[i]);
        int total = legend->columnSpacing() * (n - 1);
        for (int w : column)
            total += w;
        if (total <= available) {
            columns = n;
            break;
        }
    }
    if (columns == legend->wrap())
        return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLegend::foColumnsFirst, true); // lays the items out again in that many columns
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartBase::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void ChartBase::applyTheme()
{
    m_theme = ChartTheme::fromPalette(palette());
    m_theme.apply(m_plot);
    if (m_series && m_series->isValid()) {
        const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
        clearPlot();
        rebuild();
        m_settingRange = true;
        m_plot->xAxis->setRange(x);
        m_settingRange = false;
        m_plot->yAxis->setRange(y);
        redecimate();
        emit plotRebuilt();
    } else {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace ol
