// SPDX-License-Identifier: GPL-3.0-or-later
// The two connection charts and their options (see chartspanel.h).
#include "chartspanel.h"

#include "elidedlabel.h"
#include "framesizechart.h"
#include "offloadtext.h"
#include "sequencechart.h"
#include "streamchart.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
// The lower chart's choices, in the selector's order: the chart factory's names.
const char *const LowerCharts[] = {"sequence", "rtt", "throughput", "inflight", "window"};
constexpr int LowerChartCount = int(std::size(LowerCharts));
// Throughput windows offered besides the adaptive one (index 0), in milliseconds.
constexpr int WindowChoicesMs[] = {1, 10, 100, 1000};
} // namespace

ChartsPanel::ChartsPanel(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_frameSizes(new FrameSizeChart(this))
    , m_sequence(new SequenceChart(this))
    , m_title(new ElidedLabel(this))
    , m_wire(new QCheckBox(u"&Wire view"_s, this))
    , m_yAxis(new QComboBox(this))
    , m_direction(new QComboBox(this))
    , m_lower(new QComboBox(this))
    , m_window(new QComboBox(this))
    , m_stream(new StreamChart(StreamChart::Kind::Rtt, this))
    , m_link(new QCheckBox(u"&Link time axes"_s, this))
    , m_builder(new ChartSeriesBuilder(this))
{
    setAccessibleName(u"Charts"_s);
    m_title->setAccessibleName(u"Chart title"_s);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_wire->setAccessibleName(u"Wire view"_s);
    // The shortcuts are the View menu's (app/mainwindow.cpp).
    m_wire->setToolTip(
        u"Show send-offload super-segments as the MSS-sized segments the NIC put on the wire (Ctrl+Shift+W)"_s);
    m_yAxis->setAccessibleName(u"Y axis"_s);
    m_yAxis->addItem(u"TCP payload"_s);
    m_yAxis->addItem(u"IP length"_s);
    m_lower->setAccessibleName(u"Lower chart"_s);
    m_lower->setToolTip(u"The chart below the frame sizes"_s);
    m_lower->addItem(u"Time-sequence"_s);
    for (int k = 0; k < StreamChart::KindCount; ++k)
        m_lower->addItem(StreamChart::kindTitle(StreamChart::Kind(k)));
    m_window->setAccessibleName(u"Throughput window"_s);
    m_window->setToolTip(u"The sliding window the throughput is averaged over; adaptive: 1/50 of the direction's "_s
                         u"duration, from 1 ms to 1 s"_s);
    m_window->addItem(u"adaptive"_s, 0);
    for (int ms : WindowChoicesMs)
        m_window->addItem(ms < 1000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(ms / 1000), ms);
    m_direction->setAccessibleName(u"Direction"_s);
    m_direction->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_direction->setMinimumContentsLength(14); // "server→client" fits before the items exist
    m_direction->setToolTip(
        u"Direction shown in the lower chart (time-sequence, RTT, throughput, in flight, window)"_s);
    m_link->setAccessibleName(u"Link time axes"_s);
    m_link->setChecked(true);
    auto *reset = new QPushButton(u"&Reset zoom"_s, this);
    reset->setAccessibleName(u"Reset zoom"_s);
    reset->setToolTip(u"Show the whole connection (Ctrl+0; R or Home in a chart). Wheel: zoom time, Ctrl+wheel: zoom "_s
                      u"bytes, drag: pan, Shift+drag or right-drag: zoom to a rectangle."_s);

    // The options sit right of the title; when the panel is too narrow for both they move under it
    // (resizeEvent), so that the charts, and the window, can give way to the docks.
    auto *yLabel = new QLabel(u"&Y axis:"_s, this);
    yLabel->setBuddy(m_yAxis);
    auto *directionLabel = new QLabel(u"&Direction:"_s, this);
    directionLabel->setBuddy(m_direction);
    auto *lowerLabel = new QLabel(u"&Chart:"_s, this);
    lowerLabel->setBuddy(m_lower);
    auto *windowLabel = new QLabel(u"Wi&ndow:"_s, this);
    windowLabel->setBuddy(m_window);
    m_windowControls = new QWidget(this);
    auto *windowRow = new QHBoxLayout(m_windowControls);
    windowRow->setContentsMargins(0, 0, 0, 0);
    windowRow->addWidget(windowLabel);
    windowRow->addWidget(m_window);
    m_controls = new QWidget(this);
    auto *controls = new QHBoxLayout(m_controls);
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addStretch(1);
    controls->addWidget(yLabel);
    controls->addWidget(m_yAxis);
    controls->addWidget(m_wire);
    controls->addSpacing(12);
    controls->addWidget(m_link);
    controls->addWidget(reset);
    m_top = new QBoxLayout(QBoxLayout::LeftToRight);
    m_top->addWidget(m_title, 1);
    m_top->addWidget(m_controls);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    // The lower chart with its own options above it: which chart, its direction, the throughput window.
    auto *lowerPane = new QWidget(this);
    auto *lowerControls = new QHBoxLayout;
    lowerControls->setContentsMargins(4, 2, 0, 0);
    lowerControls->addWidget(lowerLabel);
    lowerControls->addWidget(m_lower);
    lowerControls->addSpacing(8);
    lowerControls->addWidget(directionLabel);
    lowerControls->addWidget(m_direction);
    lowerControls->addSpacing(8);
    lowerControls->addWidget(m_windowControls);
    lowerControls->addStretch(1);
    m_lowerStack = new QStackedWidget(this);
    m_lowerStack->addWidget(m_sequence);
    m_lowerStack->addWidget(m_stream);
    auto *lowerLayout = new QVBoxLayout(lowerPane);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->setSpacing(2);
    lowerLayout->addLayout(lowerControls);
    lowerLayout->addWidget(m_lowerStack, 1);
    splitter->addWidget(m_frameSizes);
    splitter->addWidget(lowerPane);
    splitter->setChildrenCollapsible(false);

    // Without a connection to chart, a sentence says why (and what to do) in place of two empty plots.
    m_empty = new QLabel(this);
    m_empty->setAccessibleName(u"Charts empty"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chartsStack = new QStackedWidget(this);
    m_chartsStack->addWidget(splitter);
    m_chartsStack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_top);
    layout->addWidget(m_chartsStack, 1);

    // Tab walks the options in the order they are shown, then the two charts (R or Home resets their zoom).
    setTabOrder(m_yAxis, m_wire);
    setTabOrder(m_wire, m_link);
    setTabOrder(m_link, reset);
    setTabOrder(reset, m_frameSizes->plot());
    setTabOrder(m_frameSizes->plot(), m_lower);
    setTabOrder(m_lower, m_direction);
    setTabOrder(m_direction, m_window);
    setTabOrder(m_window, m_sequence->plot());
    setTabOrder(m_sequence->plot(), m_stream->plot());

    connect(reset, &QPushButton::clicked, this, &ChartsPanel::resetZoom);
    connect(m_wire, &QCheckBox::toggled, this, [this](bool on) {
        rebuildFrameSizes();
        emit wireViewChanged(on);
    });
    connect(m_yAxis, &QComboBox::currentIndexChanged, this, [this](int) {
        rebuildFrameSizes();
        emit yModeChanged(yMode());
    });
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0)
            return;
        m_sequence->setDirection(index);
        m_stream->setDirection(index);
    });
    connect(m_lower, &QComboBox::currentIndexChanged, this, [this](int) { lowerChartChosen(); });
    connect(m_window, &QComboBox::currentIndexChanged, this, [this](int) {
        QSettings().setValue(u"charts/throughputWindowMs"_s, m_window->currentData().toInt());
        m_builder->setStreams(m_builder->streamsWanted(), throughputWindow());
        if (lowerChart() == m_stream && !streamsReady())
            rebuildFrameSizes(); // the throughput lines again, on the worker for a large connection
    });
    // Linked time axes: zooming or panning one chart moves the other (the lower chart shown; a hidden one
    // takes the range when it is shown).
    connect(m_frameSizes, &ChartBase::timeRangeChanged, this, [this](double lo, double hi) {
        if (m_link->isChecked())
            lowerChart()->setTimeRange(lo, hi);
    });
    for (ChartBase *lower : {static_cast<ChartBase *>(m_sequence), static_cast<ChartBase *>(m_stream)})
        connect(lower, &ChartBase::timeRangeChanged, this, [this, lower](double lo, double hi) {
            if (m_link->isChecked() && lower == lowerChart())
                m_frameSizes->setTimeRange(lo, hi);
        });
    // The crosshair at the mouse's time shows on both charts shown while their time axes are linked.
    connect(m_frameSizes, &ChartBase::crosshairMoved, this, [this](double time) {
        if (m_link->isChecked())
            lowerChart()->setCrosshair(time);
    });
    for (ChartBase *lower : {static_cast<ChartBase *>(m_sequence), static_cast<ChartBase *>(m_stream)})
        connect(lower, &ChartBase::crosshairMoved, this, [this, lower](double time) {
            if (m_link->isChecked() && lower == lowerChart())
                m_frameSizes->setCrosshair(time);
        });
    for (ChartBase *chart : {static_cast<ChartBase *>(m_frameSizes), static_cast<ChartBase *>(m_sequence),
                             static_cast<ChartBase *>(m_stream)})
        connect(chart, &ChartBase::segmentClicked, this,
                [this](const SegmentRef &segment) { m_document->setCurrentSegment(segment); });
    connect(document, &TraceDocument::currentSegmentChanged, this, [this](const SegmentRef &segment) {
        m_frameSizes->setSelectedSegment(segment);
        // Show the picked segment in the lower chart: its sequence space, or the direction whose graph has it
        // (the window chart's points are the peer's segments).
        const bool peerPoints = lowerChart() == m_stream && m_stream->kind() == StreamChart::Kind::Window;
        const int wanted = peerPoints ? 1 - segment.direction : segment.direction;
        if (segment.isValid() && wanted != m_sequence->direction())
            m_direction->setCurrentIndex(wanted);
        m_sequence->setSelectedSegment(segment);
        m_stream->setSelectedSegment(segment);
    });
    connect(m_builder, &ChartSeriesBuilder::seriesReady, this,
            [this](quint64, std::shared_ptr<ChartSeries> series) { showSeries(std::move(series)); });
    connect(document, &TraceDocument::currentConnectionChanged, this, &ChartsPanel::showConnection);
    connect(document, &TraceDocument::currentTraceChanged, this, &ChartsPanel::showConnection);

    // The remembered choices; unknown values (an older or newer version's) fall back to the defaults.
    {
        const QSettings settings;
        const int ms = settings.value(u"charts/throughputWindowMs"_s, 0).toInt();
        const QSignalBlocker block(m_window);
        m_window->setCurrentIndex(std::max(0, m_window->findData(ms)));
    }
    const QString lower = QSettings().value(u"charts/lower"_s, u"sequence"_s).toString();
    int lowerIndex = 0;
    for (int i = 0; i < LowerChartCount; ++i)
        if (lower == QLatin1StringView(LowerCharts[i]))
            lowerIndex = i;
    {
        const QSignalBlocker block(m_lower);
        m_lower->setCurrentIndex(lowerIndex);
    }
    lowerChartChosen();
    showConnection();
}

ChartBase *ChartsPanel::lowerChart() const
{
    return m_lower->currentIndex() > 0 ? static_cast<ChartBase *>(m_stream) : static_cast<ChartBase *>(m_sequence);
}

QString ChartsPanel::lowerChartId() const
{
    return QLatin1StringView(LowerCharts[std::clamp(m_lower->currentIndex(), 0, LowerChartCount - 1)]);
}

void ChartsPanel::setLowerChart(const QString &id)
{
    for (int i = 0; i < LowerChartCount; ++i)
        if (id == QLatin1StringView(LowerCharts[i]))
            m_lower->setCurrentIndex(i);
}

TimeNs ChartsPanel::throughputWindow() const
{
    return TimeNs(m_window->currentData().toInt()) * 1'000'000;
}

void ChartsPanel::setThroughputWindow(TimeNs window)
{
    const int index = m_window->findData(int(window / 1'000'000));
    m_window->setCurrentIndex(index >= 0 ? index : 0);
}

bool ChartsPanel::streamsReady() const
{
    return m_series && m_series->hasStreams(m_series->wireView(), throughputWindow());
}

void ChartsPanel::showStreams()
{
    m_stream->setSeries(nullptr); // the options below would rebuild the old series otherwise
    m_stream->setDirection(m_direction->currentIndex() >= 0 ? m_direction->currentIndex() : 0);
    if (!m_series || !m_series->hasAnyStreams())
        return;
    m_stream->setWireView(m_series->streams().wireView());
    m_stream->setThroughputWindow(m_series->streams().throughputWindow());
    m_stream->setSeries(m_series);
}

void ChartsPanel::lowerChartChosen()
{
    const int index = m_lower->currentIndex();
    QSettings().setValue(u"charts/lower"_s, lowerChartId());
    const bool stream = index > 0;
    if (stream)
        m_stream->setKind(StreamChart::Kind(index - 1));
    m_windowControls->setVisible(stream && m_stream->kind() == StreamChart::Kind::Throughput);
    m_builder->setStreams(stream, throughputWindow());
    m_lowerStack->setCurrentWidget(lowerChart());
    if (!m_series || m_series->connection() != m_requested)
        return; // the series being built brings what the chart needs
    const QCPRange x = m_frameSizes->timeRange();
    if (stream) {
        if (!streamsReady()) {
            m_stream->setSeries(nullptr);
            m_title->setTitle(connectionTitle(*m_series->connection()) + u" · preparing the chart…"_s);
            rebuildFrameSizes(); // builds the stream series (on the worker when large); showSeries() follows
            return;
        }
        if (m_stream->series() != m_series)
            showStreams();
        m_stream->setSelectedSegment(m_document->currentSegment());
    }
    if (m_link->isChecked())
        lowerChart()->setTimeRange(x.lower, x.upper);
}

QString ChartsPanel::emptyText() const
{
    return m_chartsStack->currentWidget() == m_empty ? m_empty->text() : QString();
}

QSize ChartsPanel::minimumSizeHint() const
{
    // The narrowest is with the options under the title: the layout's own hint is the side-by-side one, which
    // would hold the panel too wide ever to get there.
    const QSize layout = QWidget::minimumSizeHint();
    const int width = std::max({m_controls->minimumSizeHint().width(), m_title->minimumSizeHint().width(),
                                m_frameSizes->minimumSizeHint().width(), m_frameSizes->minimumWidth()});
    return {width, layout.height() + m_title->sizeHint().height()};
}

void ChartsPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Side by side while the title keeps 30 characters of room; one above the other below that.
    const int titleRoom = width() - m_controls->sizeHint().width() - m_top->spacing();
    const bool stacked = titleRoom < m_title->fontMetrics().averageCharWidth() * 30;
    m_top->setDirection(stacked ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
}

bool ChartsPanel::wireView() const
{
    return m_wire->isChecked();
}
void ChartsPanel::setWireView(bool on)
{
    m_wire->setChecked(on);
}

ChartSeries::YMode ChartsPanel::yMode() const
{
    return m_yAxis->currentIndex() == 1 ? ChartSeries::YMode::IpLength : ChartSeries::YMode::Payload;
}

void ChartsPanel::setYMode(ChartSeries::YMode mode)
{
    m_yAxis->setCurrentIndex(mode == ChartSeries::YMode::IpLength);
}

void ChartsPanel::resetZoom()
{
    m_zoomUpper = -1;
    m_frameSizes->resetZoom();
    m_sequence->resetZoom();
    m_stream->resetZoom();
}

void ChartsPanel::zoomToTime(double lower, double upper)
{
    m_zoomLower = lower;
    m_zoomUpper = upper;
    if (!m_series || m_series->connection() != m_document->currentConnection())
        return; // applied by showSeries()
    m_frameSizes->setTimeRange(lower, upper);
    if (m_series->hasSequence()) {
        m_sequence->setTimeRange(lower, upper);
        m_stream->setTimeRange(lower, upper);
        m_zoomUpper = -1;
    }
}

void ChartsPanel::showConnection()
{
    const Connection *c = m_document->currentConnection();
    if (!c) {
        m_builder->cancel();
        m_requested = nullptr;
        m_series.reset();
        m_frameSizes->setSeries(nullptr);
        m_sequence->setSeries(nullptr);
        m_stream->setSeries(nullptr);
        const auto trace = m_document->currentTrace();
        const QString empty = trace ? text::noConnectionsText(*trace) : QString();
        m_title->setTitle(empty.isEmpty() ? u"No connection selected"_s : u"No TCP connections"_s);
        m_empty->setText(!trace                ? u"Open a capture to chart its connections."_s
                             : empty.isEmpty() ? u"Select a connection in the table above to chart it."_s
                                               : empty);
        m_chartsStack->setCurrentWidget(m_empty);
        m_controls->setEnabled(false); // options of charts that are not there
        return;
    }
    m_chartsStack->setCurrentIndex(0);
    m_controls->setEnabled(true);
    if (m_requested == c)
        return;
    const bool snapshot = isSnapshotOf(c);
    m_requested = c;
    m_zoomUpper = -1; // a zoom asked for before belongs to another connection
    m_title->setTitle(connectionTitle(*c) + u" · preparing chart…"_s);
    if (!snapshot) { // a newer snapshot keeps the direction shown
        const QSignalBlocker block(m_direction);
        m_direction->clear();
        m_direction->addItem(text::directionName(0));
        m_direction->addItem(text::directionName(1));
        m_direction->setCurrentIndex(ChartSeries::busiestDirection(*c));
    }
    // The old connection's points must not pass for the new one's while the series is built; an earlier
    // snapshot's points of the same connection may (they are a part of the new ones).
    if (snapshot)
        m_title->setTitle(connectionTitle(*c));
    else if (m_series) {
        m_series.reset();
        m_frameSizes->setSeries(nullptr);
        m_sequence->setSeries(nullptr);
        m_stream->setSeries(nullptr);
    }
    // Large connections are built on a worker thread; showSeries() follows (at once for small ones). A newer
    // snapshot's always on the worker: the old points stay meanwhile, and the GUI thread stays free.
    m_builder->request(m_document->currentTrace(), m_document->currentConnectionIndex(), yMode(), wireView(), snapshot);
}

void ChartsPanel::rebuildFrameSizes()
{
    if (!m_requested)
        return;
    if (m_series && m_series->connection() == m_requested)
        m_builder->request(*m_series, yMode(), wireView()); // the shown connection stays until the new one is there
    else // still being built: build it again with these options
        m_builder->request(m_document->currentTrace(), m_document->currentConnectionIndex(), yMode(), wireView());
}

void ChartsPanel::showSeries(std::shared_ptr<ChartSeries> series)
{
    const Connection *c = series ? series->connection() : nullptr;
    if (!c || c != m_requested)
        return;
    // Same connection, other frame-size options: keep the zoom and the selected segment. The same connection in
    // a newer snapshot: keep a zoom, but let a whole view grow with the data.
    const bool snapshot = isSnapshotOf(c);
    const bool zoomed = snapshot && m_frameSizes->timeRange().size() < 0.99 * m_series->duration();
    const bool sameConnection = m_series && (m_series->connection() == c || zoomed);
    const bool hadSequence = sameConnection && m_series->hasSequence();
    const bool hadStreams = sameConnection && m_stream->series() == m_series;
    const QCPRange x = m_frameSizes->timeRange(), xs = m_sequence->timeRange(), xst = m_stream->timeRange();
    m_series = std::move(series);
    // A large connection's frame sizes come first; its sequence (and stream) series follow.
    const bool stream = lowerChart() == m_stream;
    const bool complete = m_series->hasSequence() && (!stream || streamsReady());
    // A newer snapshot's frame sizes before its sequence: the older snapshot's lower chart stays until then.
    const bool keepLower = snapshot && !complete;
    m_title->setTitle(connectionTitle(*c)
                      + (complete || keepLower ? QString()
                                               : u" · preparing the %1 chart…"_s.arg(
                                                   stream ? m_lower->currentText().toLower() : u"time-sequence"_s)));
    // The chart takes the options the series was built with; without a series adopting them costs nothing.
    m_frameSizes->setSeries(nullptr);
    m_frameSizes->setYMode(m_series->yMode());
    m_frameSizes->setWireView(m_series->wireView());
    m_frameSizes->setSeries(m_series);
    if (!keepLower) {
        m_sequence->setSeries(nullptr); // so that changing the direction does not rebuild the old connection
        m_sequence->setDirection(m_direction->currentIndex());
        if (m_series->hasSequence())
            m_sequence->setSeries(m_series);
        // The stream chart only when it is shown: its series are built on demand.
        if (stream && streamsReady())
            showStreams();
        else
            m_stream->setSeries(nullptr);
    }
    if (sameConnection) {
        m_frameSizes->setTimeRange(x.lower, x.upper);
        if (hadSequence)
            m_sequence->setTimeRange(xs.lower, xs.upper);
        else if (m_link->isChecked())
            m_sequence->setTimeRange(x.lower, x.upper);
        if (hadStreams)
            m_stream->setTimeRange(xst.lower, xst.upper);
        else if (m_link->isChecked())
            m_stream->setTimeRange(x.lower, x.upper);
        m_frameSizes->setSelectedSegment(m_document->currentSegment());
        m_sequence->setSelectedSegment(m_document->currentSegment());
        m_stream->setSelectedSegment(m_document->currentSegment());
    }
    if (m_zoomUpper >= m_zoomLower)
        zoomToTime(m_zoomLower, m_zoomUpper);
}

bool ChartsPanel::isSnapshotOf(const Connection *c) const
{
    const auto now = m_document->currentTrace();
    if (!c || !m_series || !m_series->connection() || !now)
        return false;
    const auto shown = m_series->trace();
    return shown && shown != now && shown->partial && shown->path == now->path && m_series->connection()->id == c->id;
}

QString ChartsPanel::connectionTitle(const Connection &c)
{
    return u"Connection #%1: %2 ⇄ %3"_s.arg(QString::number(c.id), text::fromStd(c.client.toString()),
                                            text::fromStd(c.server.toString()));
}

} // namespace ol
