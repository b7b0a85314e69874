// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder diagram of one connection pair (see ladderchart.h).
#include "ladderchart.h"

#include "chartexport.h"
#include "painterlayer.h"

#include <QEvent>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

QString fileName(const std::shared_ptr<const Trace> &t)
{
    return t ? QFileInfo(QString::fromStdString(t->path)).fileName() : QString();
}

QColor splitColour(bool dark)
{
    return dark ? QColor(255, 170, 60) : QColor(225, 110, 0);
}

} // namespace

LadderChart::LadderChart(QWidget *parent)
    : PairChart(parent)
    , m_plot(new QCustomPlot(this))
    , m_title(new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize(), QFont::Bold)))
{
    setAccessibleName(u"Ladder chart"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(240, 300);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_title);
    // The capture points head their lines on the top axis; the bottom one is not needed.
    m_plot->xAxis->setVisible(false);
    m_plot->xAxis->setRange(-0.25, 1.25);
    QCPAxis *x = m_plot->xAxis2, *y = m_plot->yAxis;
    x->setVisible(true);
    x->setRange(-0.25, 1.25);
    x->grid()->setVisible(false);
    x->setSubTicks(false);
    x->setTickLength(0);
    y->setRangeReversed(true); // time runs downwards, as in every ladder diagram
    y->setLabel(u"time since A's connection start (s)"_s);
    m_plot->axisRect()->setRangeDrag(Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Vertical);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(y, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &LadderChart::onRangeChanged);
    m_plot->addLayer(u"arrows"_s, m_plot->layer(u"main"_s), QCustomPlot::limAbove);
    m_overlay = new PainterLayer(m_plot, u"arrows"_s, [this](QCPPainter *p) { drawArrows(p); });
    applyTheme();
}

void LadderChart::rebuild()
{
    m_arrows.clear();
    const PairMapping *m = m_model && m_model->pair(m_pair) ? &m_model->mapping(m_pair) : nullptr;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    if (m && m->isValid()) {
        m_offset = m_model->effectiveOffset(m_pair);
        m_aLeft = m_model->pair(m_pair)->aSide != 1;
        // Short heads: the file names are on the compare chart and in the tooltip.
        ticker->addTick(0, m_aLeft ? u"client side (A)"_s : u"client side (B)"_s);
        ticker->addTick(1, m_aLeft ? u"server side (B)"_s : u"server side (A)"_s);
        m_plot->setToolTip(u"A: %1\nB: %2"_s.arg(fileName(m_model->traceA()), fileName(m_model->traceB())));
        for (int d = 0; d < 2; ++d) {
            const bool senderA = m->senderSide[d] == 0;
            // Sender and receiver times of the i-th segment of a side.
            auto time = [&](bool sideA, std::int64_t i) { return sideA ? m->timeA(d, i) : m->timeB(d, i, m_offset); };
            // Groups with lost bytes: the lost segments end mid-way, the retransmission carries the bytes across.
            std::vector<char> lostGroup(m->groups[d].size(), 0);
            const int sender = senderA ? 0 : 1;
            for (const PairMapping::Lost &l : m->lost[d]) {
                lostGroup[std::size_t(l.group)] = 1;
                Arrow arrow;
                arrow.direction = d;
                arrow.fromLeft = senderA == m_aLeft;
                arrow.lost = true;
                arrow.t0 = m->time(sender, d, l.sender, m_offset);
                arrow.t1 = arrow.t0 + std::max(m->oneWayDelayS[d], 1e-4);
                m_arrows.push_back(arrow);
                const SegmentMapping &g = m->groups[d][std::size_t(l.group)];
                const std::int64_t rFirst = senderA ? g.bFirst : g.aFirst;
                if (l.retransmission >= 0 && rFirst >= 0) {
                    arrow.lost = false;
                    arrow.t0 = m->time(sender, d, l.retransmission, m_offset);
                    arrow.t1 = m->time(1 - sender, d, rFirst, m_offset);
                    m_arrows.push_back(arrow);
                }
            }
            for (std::size_t gi = 0; gi < m->groups[d].size(); ++gi) {
                const SegmentMapping &g = m->groups[d][gi];
                if (lostGroup[gi])
                    continue;
                Arrow arrow;
                arrow.direction = d;
                arrow.fromLeft = senderA == m_aLeft;
                const std::int64_t sFirst = senderA ? g.aFirst : g.bFirst, sLast = senderA ? g.aLast : g.bLast;
                const std::int64_t rFirst = senderA ? g.bFirst : g.aFirst, rLast = senderA ? g.bLast : g.aLast;
                if (sFirst < 0 || rFirst < 0)
                    continue; // seen at one point only and not judged lost (outside the other capture)
                const std::int64_t ns = sLast - sFirst + 1, nr = rLast - rFirst + 1, n = std::max(ns, nr);
                arrow.split = n > 1;
                // One arrow per segment of the side with more of them, fanning from (or into) the other.
                for (std::int64_t k = 0; k < n; ++k) {
                    arrow.t0 = time(senderA, sFirst + std::min(k * ns / n, ns - 1));
                    arrow.t1 = time(!senderA, rFirst + std::min(k * nr / n, nr - 1));
                    m_arrows.push_back(arrow);
                }
            }
        }
        std::stable_sort(m_arrows.begin(), m_arrows.end(), [](const Arrow &l, const Arrow &r) { return l.t0 < r.t0; });
    }
    m_plot->xAxis2->setTicker(ticker);
    updateVisible();
}

void LadderChart::updateVisible()
{
    m_visible.clear();
    m_capped = false;
    m_inView = 0;
    const QCPRange r = timeRange();
    for (std::size_t i = 0; i < m_arrows.size(); ++i) {
        const Arrow &a = m_arrows[i];
        if (a.t0 > r.upper)
            break;
        if (std::max(a.t0, a.t1) < r.lower)
            continue;
        ++m_inView;
        if (int(m_visible.size()) < MaxArrows)
            m_visible.push_back(int(i));
        else
            m_capped = true;
    }
    m_title->setText(title());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString LadderChart::title() const
{
    if (!m_model || !m_model->pair(m_pair))
        return u"Ladder: no pair selected"_s;
    if (m_capped)
        return u"Ladder · first %1 of %2 arrows (zoom in)"_s.arg(m_visible.size()).arg(m_inView);
    return u"Ladder · %1 arrows"_s.arg(m_visible.size());
}

int LadderChart::lostArrowCount() const
{
    return int(
        std::count_if(m_visible.begin(), m_visible.end(), [this](int i) { return m_arrows[std::size_t(i)].lost; }));
}

int LadderChart::splitArrowCount() const
{
    return int(
        std::count_if(m_visible.begin(), m_visible.end(), [this](int i) { return m_arrows[std::size_t(i)].split; }));
}

void LadderChart::drawArrows(QCPPainter *painter)
{
    QCPAxis *x = m_plot->xAxis, *y = m_plot->yAxis;
    painter->save();
    painter->setClipRect(m_plot->axisRect()->rect());
    // The two capture points as thick vertical lines.
    painter->setPen(QPen(m_theme.foreground, 3));
    for (double side : {0.0, 1.0})
        painter->drawLine(QPointF(x->coordToPixel(side), m_plot->axisRect()->top()),
                          QPointF(x->coordToPixel(side), m_plot->axisRect()->bottom()));
    for (int i : m_visible) {
        const Arrow &a = m_arrows[std::size_t(i)];
        const double x0 = a.fromLeft ? 0 : 1, x1 = a.lost ? 0.5 : 1 - x0;
        const QPointF p0(x->coordToPixel(x0), y->coordToPixel(a.t0));
        const QPointF p1(x->coordToPixel(x1), y->coordToPixel(a.lost ? (a.t0 + a.t1) / 2 : a.t1));
        QColor c = a.lost ? QColor(220, 0, 0) : a.split ? splitColour(m_theme.dark) : m_theme.direction[a.direction];
        painter->setPen(QPen(c, a.split || a.lost ? 1.4 : 1.0));
        painter->drawLine(p0, p1);
        if (a.lost) {
            const double s = 5;
            painter->setPen(QPen(c, 2.2));
            painter->drawLine(p1 + QPointF(-s, -s), p1 + QPointF(s, s));
            painter->drawLine(p1 + QPointF(-s, s), p1 + QPointF(s, -s));
            continue;
        }
        // Arrowhead at the receiver's line.
        const QPointF v = p1 - p0;
        const double len = std::hypot(v.x(), v.y());
        if (len < 8)
            continue;
        const QPointF u = v / len, nrm(-u.y(), u.x());
        painter->drawLine(p1, p1 - u * 7 + nrm * 3);
        painter->drawLine(p1, p1 - u * 7 - nrm * 3);
    }
    painter->restore();
}

void LadderChart::resetZoom()
{
    double lo = 0, hi = 1;
    if (!m_arrows.empty()) {
        lo = m_arrows.front().t0, hi = lo;
        for (const Arrow &a : m_arrows)
            lo = std::min({lo, a.t0, a.t1}), hi = std::max({hi, a.t0, a.t1});
    }
    const double pad = std::max(hi - lo, 1e-3) * 0.02;
    setTimeRange(lo - pad, hi + pad);
}

void LadderChart::setTimeRange(double lower, double upper)
{
    m_plot->yAxis->setRange(lower, upper);
    updateVisible();
}

QCPRange LadderChart::timeRange() const
{
    return m_plot->yAxis->range();
}

void LadderChart::onRangeChanged(const QCPRange &range)
{
    updateVisible();
    emit timeRangeChanged(range.lower, range.upper);
}

bool LadderChart::exportTo(const QString &path, int width, int height)
{
    ExportOptions options;
    options.width = width;
    options.height = height;
    return exportPlot(m_plot, path, options, accessibleName());
}

void LadderChart::applyTheme()
{
    m_theme = ChartTheme::fromPalette(palette());
    m_theme.apply(m_plot);
    m_title->setTextColor(m_theme.foreground);
}

void LadderChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace ol
