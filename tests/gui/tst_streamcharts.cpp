// SPDX-License-Identifier: GPL-3.0-or-later
// The drawn stream graphs (views/streamchart.h): every sample of the core's series (model/core/streamseries.h,
// checked against tshark in tst_streamseries) reaches the plot when the view has room for it, the legend carries
// the RTT statistics, selection and hover work, the chart choice is remembered, and the headless export draws
// all four kinds through the one chart renderer.
#include "annotation.h"
#include "chartspanel.h"
#include "framesizechart.h"
#include "guitestutil.h"
#include "offloadtext.h"
#include "sequencechart.h"
#include "streamchart.h"
#include "streamseries.h"
#include "tracedocument.h"

#include <QImage>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <QApplication>

#include <algorithm>
#include <cmath>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {

// A TSO sender's own capture (super-segments) and a download with retransmissions.
const char *TsoSender = "gen_tso_on_gro_off_server.pcap";

int dataDirection(const Connection &c)
{
    return ChartSeries::busiestDirection(c);
}

/// A chart of a kind on a connection, wide enough that a small connection is not decimated.
struct Shown {
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<ChartSeries> series;
    std::unique_ptr<StreamChart> chart;
    int direction = 0;
    const Connection &connection() const { return *trace->connections[0]; }
};

Shown show(const char *fixture, StreamChart::Kind kind, bool wire = false)
{
    Shown s;
    s.trace = test::loadFixture(fixture);
    if (!s.trace || s.trace->connections.empty())
        return s;
    s.series = std::make_shared<ChartSeries>();
    s.series->setConnection(s.trace, 0);
    s.chart = std::make_unique<StreamChart>(kind);
    s.chart->resize(1600, 600);
    s.chart->show();
    s.direction = dataDirection(s.connection());
    s.chart->setDirection(s.direction);
    s.chart->setWireView(wire);
    s.chart->setSeries(s.series);
    s.chart->redecimate();
    return s;
}

/// Points a view shows of `samples` samples: all of them while they fit two per pixel column.
void compareCounts(int drawn, std::size_t samples, const StreamChart &chart)
{
    const int columns = chart.pixelMapping().pixels();
    if (samples <= std::size_t(2 * columns))
        QCOMPARE(std::size_t(drawn), samples);
    else
        QVERIFY2(drawn > 0 && drawn <= 2 * columns + 2, qPrintable(u"%1 points"_s.arg(drawn)));
}

} // namespace

class TestStreamCharts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void rttChartDrawsEverySampleWithMinMedianMaxInTheLegend();
    void wireViewDrawsASampleForEveryWireSegment();
    void throughputChartDrawsAPointPerDataSegmentOverTheChosenWindow();
    void inflightChartMarksTheLargestSuperSegmentAndThePeersWindow();
    void windowChartDrawsEveryPeerSegment();
    void aSelectedDataSegmentIsMarkedAndExplainedOnHover();
    void aRightClickOffersWiresharkAtTheSampleUnderTheCursor();
    void theChartChoiceIsRememberedAndTheStreamsAreBuiltForIt();
    void theRttChartFollowsThePanelsWireView();
    void headlessExportDrawsEachKind_data();
    void headlessExportDrawsEachKind();
};

void TestStreamCharts::rttChartDrawsEverySampleWithMinMedianMaxInTheLegend()
{
    Shown s = show(test::C01, StreamChart::Kind::Rtt);
    QVERIFY(s.chart);
    const std::vector<RttSample> samples = rttSamples(s.connection(), s.direction, false);
    QVERIFY(!samples.empty());
    compareCounts(s.chart->pointCount(StreamChartSeries::Rtt), samples.size(), *s.chart);
    QCOMPARE(s.chart->pointCount(StreamChartSeries::RttWire), 0);
    // The legend's numbers are the samples' own: min, (lower) median and max in milliseconds.
    std::vector<double> ms;
    for (const RttSample &r : samples)
        ms.push_back(r.seconds * 1e3);
    std::sort(ms.begin(), ms.end());
    const StreamChartSeries::RttSummary &sum = s.series->streams().rttSummary(s.direction);
    QCOMPARE(sum.samples, samples.size());
    QCOMPARE(sum.minMs, ms.front());
    QCOMPARE(sum.maxMs, ms.back());
    QCOMPARE(sum.medianMs, ms[(ms.size() - 1) / 2]);
    const QString legend = s.chart->legendTexts().join(u'\n');
    QVERIFY2(legend.contains(u"min "_s) && legend.contains(u"median "_s) && legend.contains(u"max "_s),
             qPrintable(legend));
    QVERIFY2(legend.contains(u"(%1 samples)"_s.arg(samples.size())), qPrintable(legend));
    QVERIFY(s.chart->plot()->yAxis->label().startsWith(u"RTT (ms)"_s));
}

void TestStreamCharts::wireViewDrawsASampleForEveryWireSegment()
{
    Shown plain = show(TsoSender, StreamChart::Kind::Rtt, false);
    Shown wire = show(TsoSender, StreamChart::Kind::Rtt, true);
    QVERIFY(plain.chart && wire.chart);
    const std::vector<RttSample> samples = rttSamples(wire.connection(), wire.direction, true);
    const auto wireSamples = std::size_t(
        std::count_if(samples.begin(), samples.end(), [](const RttSample &r) { return r.wireSegment; }));
    QVERIFY(wireSamples > 0);
    compareCounts(wire.chart->pointCount(StreamChartSeries::RttWire), wireSamples, *wire.chart);
    compareCounts(wire.chart->pointCount(StreamChartSeries::Rtt), samples.size() - wireSamples, *wire.chart);
    // A TSO sender's capture gets many more samples in the wire view than frame by frame.
    const std::size_t captured = rttSamples(plain.connection(), plain.direction, false).size();
    QVERIFY2(samples.size() > 2 * captured, qPrintable(u"%1 vs %2"_s.arg(samples.size()).arg(captured)));
}

void TestStreamCharts::throughputChartDrawsAPointPerDataSegmentOverTheChosenWindow()
{
    Shown s = show(test::C01, StreamChart::Kind::Throughput);
    QVERIFY(s.chart);
    const FlowDirection &fd = s.connection().directions[s.direction];
    const std::size_t samples = throughputSamples(s.connection(), s.direction, 0).size();
    QCOMPARE(samples, std::size_t(fd.stats.dataSegments)); // one per data segment, as documented
    for (auto line : {StreamChartSeries::Throughput, StreamChartSeries::Goodput, StreamChartSeries::Retransmitted})
        compareCounts(s.chart->pointCount(line), samples, *s.chart);
    QCOMPARE(s.series->streams().throughputWindowSeconds(s.direction), double(adaptiveThroughputWindow(fd)) / 1e9);
    QVERIFY(s.chart->legendTexts().join(u'\n').contains(u"(adaptive)"_s));
    // A window the user sets: the throughput lines are rebuilt with it, the legend says it.
    s.chart->setThroughputWindow(100'000'000);
    QVERIFY(s.series->hasStreams(false, 100'000'000));
    QCOMPARE(s.series->streams().throughputWindowSeconds(s.direction), 0.1);
    QVERIFY2(s.chart->legendTexts().join(u'\n').contains(u"over 100 ms"_s),
             qPrintable(s.chart->legendTexts().join(u'\n')));
}

void TestStreamCharts::inflightChartMarksTheLargestSuperSegmentAndThePeersWindow()
{
    Shown s = show(TsoSender, StreamChart::Kind::Inflight);
    QVERIFY(s.chart);
    const std::vector<InflightSample> samples = inflightSamples(s.connection(), s.direction);
    compareCounts(s.chart->pointCount(StreamChartSeries::Inflight), samples.size(), *s.chart);
    const auto withWindow = std::size_t(
        std::count_if(samples.begin(), samples.end(), [](const InflightSample &i) { return i.receiveWindow >= 0; }));
    compareCounts(s.chart->pointCount(StreamChartSeries::ReceiveWindow), withWindow, *s.chart);
    // The capture is at the TSO sender: its largest super-segment is marked with its size.
    const FlowDirection &fd = s.connection().directions[s.direction];
    QVERIFY(fd.offload.sendOffload > 0);
    std::uint32_t largest = 0;
    for (std::size_t i = 0; i < fd.segments.size(); ++i)
        if (fd.segments[i].segmentClass() == SegmentClass::SendOffload)
            largest = std::max(largest, fd.segments[i].payload);
    const QString legend = s.chart->legendTexts().join(u'\n');
    QVERIFY2(legend.contains(u"largest super-segment: %1 bytes"_s.arg(text::thousands(largest))), qPrintable(legend));

    // Where the capture is not at a sender with offload, nothing is marked.
    Shown plain = show(test::C01, StreamChart::Kind::Inflight);
    QVERIFY(!plain.chart->legendTexts().join(u'\n').contains(u"super-segment"_s));
}

void TestStreamCharts::windowChartDrawsEveryPeerSegment()
{
    Shown s = show(test::C01, StreamChart::Kind::Window);
    QVERIFY(s.chart);
    const std::size_t samples = windowSamples(s.connection(), s.direction).size();
    QCOMPARE(samples, s.connection().directions[1 - s.direction].segments.size());
    compareCounts(s.chart->pointCount(StreamChartSeries::Window), samples, *s.chart);
}

void TestStreamCharts::aSelectedDataSegmentIsMarkedAndExplainedOnHover()
{
    Shown s = show(test::C01, StreamChart::Kind::Rtt);
    QVERIFY(s.chart);
    const std::vector<RttSample> samples = rttSamples(s.connection(), s.direction, false);
    QVERIFY(!samples.empty());
    const RttSample &r = samples[samples.size() / 2];
    const qint64 index = segmentIndexOfFrame(s.connection().directions[s.direction], r.dataFrame);
    QVERIFY(index >= 0);
    double key = 0, value = 0;
    QVERIFY(s.chart->segmentPoint({s.direction, index}, key, value));
    QCOMPARE(value, r.seconds * 1e3);
    QCOMPARE(key, s.series->seconds(r.time));
    // Hover at the point: the sample's RTT and its ACK, then the data segment's own explanation.
    s.chart->setTimeRange(key - 1e-3, key + 1e-3);
    s.chart->redecimate();
    s.chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
    const QPointF at(s.chart->plot()->xAxis->coordToPixel(key), s.chart->plot()->yAxis->coordToPixel(value));
    QCOMPARE(s.chart->segmentAt(at), (SegmentRef{s.direction, index}));
    const QString tip = s.chart->tooltipAt(at);
    QVERIFY2(tip.contains(u"acknowledged by frame %1"_s.arg(r.frame)), qPrintable(tip));
    QVERIFY2(tip.contains(u"Frame %1"_s.arg(r.dataFrame)), qPrintable(tip));
    // A click selects it.
    QSignalSpy clicked(s.chart.get(), &ChartBase::segmentClicked);
    QTest::mouseClick(s.chart->plot(), Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().first().value<SegmentRef>(), (SegmentRef{s.direction, index}));
}

void TestStreamCharts::aRightClickOffersWiresharkAtTheSampleUnderTheCursor()
{
    Shown s = show(test::C01, StreamChart::Kind::Rtt);
    QVERIFY(s.chart);
    const std::vector<RttSample> samples = rttSamples(s.connection(), s.direction, false);
    QVERIFY(!samples.empty());
    const RttSample &r = samples[samples.size() / 2];
    const qint64 index = segmentIndexOfFrame(s.connection().directions[s.direction], r.dataFrame);
    double key = 0, value = 0;
    QVERIFY(s.chart->segmentPoint({s.direction, index}, key, value));
    s.chart->setTimeRange(key - 1e-3, key + 1e-3);
    s.chart->redecimate();
    s.chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
    const QPoint at(int(std::lround(s.chart->plot()->xAxis->coordToPixel(key))),
                    int(std::lround(s.chart->plot()->yAxis->coordToPixel(value))));
    // The menu runs its own loop: read it, then close it.
    QStringList texts;
    QTimer::singleShot(0, [&texts] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            for (const QAction *a : menu->actions())
                texts << a->text().remove(u'&');
            menu->close();
        }
    });
    QTest::mouseClick(s.chart->plot(), Qt::RightButton, {}, at);
    QVERIFY2(texts.contains(u"Reset Zoom"_s), qPrintable(texts.join(u" | "_s)));
    QVERIFY2(texts.contains(u"Open in Wireshark at Frame %1"_s.arg(r.dataFrame)), qPrintable(texts.join(u" | "_s)));
    QVERIFY2(texts.contains(u"Copy Display Filter"_s), qPrintable(texts.join(u" | "_s)));
}

void TestStreamCharts::theChartChoiceIsRememberedAndTheStreamsAreBuiltForIt()
{
    QSettings().remove(u"charts/lower"_s);
    QWidget window;
    window.resize(1200, 800);
    TraceDocument doc;
    {
        auto *charts = new ChartsPanel(&doc, &window);
        charts->resize(1200, 800);
        window.show();
        QCOMPARE(charts->lowerChartId(), u"sequence"_s); // the default
        doc.open({test::fixture(test::C01)});
        QTRY_VERIFY_WITH_TIMEOUT(charts->sequenceChart()->series(), 10000);
        QVERIFY(!charts->sequenceChart()->series()->hasAnyStreams()); // built only when a stream chart is shown
        charts->setLowerChart(u"throughput"_s);
        QTRY_VERIFY_WITH_TIMEOUT(charts->streamChart()->series(), 10000);
        QCOMPARE(charts->lowerChart(), static_cast<ChartBase *>(charts->streamChart()));
        QCOMPARE(charts->streamChart()->kind(), StreamChart::Kind::Throughput);
        QVERIFY(charts->streamChart()->pointCount(StreamChartSeries::Throughput) > 0);
        // The linked time axis: a zoom on the frame sizes moves the stream chart.
        charts->frameSizeChart()->setTimeRange(0.1, 0.2);
        charts->frameSizeChart()->plot()->xAxis->setRange(0.1, 0.3);
        QCOMPARE(charts->streamChart()->timeRange().upper, 0.3);
        // The crosshair at the mouse's time shows on the other chart too, and goes when the mouse leaves.
        QCustomPlot *top = charts->frameSizeChart()->plot();
        const QPoint inside = top->axisRect()->center();
        QTest::mouseMove(top, inside);
        QTRY_VERIFY(!std::isnan(charts->frameSizeChart()->crosshair()));
        QCOMPARE(charts->streamChart()->crosshair(), top->xAxis->pixelToCoord(inside.x()));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(top, &leave);
        QVERIFY(std::isnan(charts->streamChart()->crosshair()));
        charts->setLowerChart(u"rtt"_s);
        QCOMPARE(charts->streamChart()->kind(), StreamChart::Kind::Rtt);
        delete charts;
    }
    QCOMPARE(QSettings().value(u"charts/lower"_s).toString(), u"rtt"_s);
    auto *again = new ChartsPanel(&doc, &window);
    QCOMPARE(again->lowerChartId(), u"rtt"_s);
    QTRY_VERIFY_WITH_TIMEOUT(again->streamChart()->series(), 10000);
    QVERIFY(again->streamChart()->pointCount(StreamChartSeries::Rtt) > 0);
    QSettings().remove(u"charts/lower"_s);
}

void TestStreamCharts::theRttChartFollowsThePanelsWireView()
{
    QWidget window;
    window.resize(1200, 800);
    TraceDocument doc;
    auto *charts = new ChartsPanel(&doc, &window);
    charts->resize(1200, 800);
    window.show();
    charts->setLowerChart(u"rtt"_s);
    doc.open({test::fixture(TsoSender)});
    QTRY_VERIFY_WITH_TIMEOUT(charts->streamChart()->series(), 10000);
    StreamChart *rtt = charts->streamChart();
    QVERIFY(!rtt->wireView());
    QCOMPARE(rtt->pointCount(StreamChartSeries::RttWire), 0);
    QVERIFY(rtt->pointCount(StreamChartSeries::Rtt) > 0);
    charts->setWireView(true);
    QTRY_VERIFY_WITH_TIMEOUT(rtt->wireView() && rtt->pointCount(StreamChartSeries::RttWire) > 0, 10000);
    QVERIFY(rtt->series()->streams().wireView());
    charts->setWireView(false);
    QTRY_VERIFY_WITH_TIMEOUT(!rtt->wireView() && rtt->pointCount(StreamChartSeries::RttWire) == 0, 10000);
    QSettings().remove(u"charts/lower"_s);
}

void TestStreamCharts::headlessExportDrawsEachKind_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<QString>("extension");
    for (const char *chart : {"rtt", "throughput", "inflight", "window"})
        for (const char *ext : {"png", "svg", "pdf"})
            QTest::addRow("%s as %s", chart, ext) << QString::fromLatin1(chart) << QString::fromLatin1(ext);
}

void TestStreamCharts::headlessExportDrawsEachKind()
{
    QFETCH(QString, chart);
    QFETCH(QString, extension);
    QTemporaryDir dir;
    const QString out = dir.filePath(chart + u'.' + extension);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(OFFLOADLENS_BINARY),
            {u"export"_s, u"--chart"_s, chart, u"--width"_s, u"900"_s, u"--height"_s, u"500"_s, u"--out"_s, out,
             test::fixture(TsoSender)});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(QFileInfo(out).size() > 1000);
    if (extension != u"png"_s)
        return;
    const QImage image(out);
    QCOMPARE(image.size(), QSize(900, 500));
    // Drawn, not blank: a good share of the pixels differ from the background of the top-left corner.
    const QRgb background = image.pixel(0, 0);
    int other = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            other += image.pixel(x, y) != background;
    QVERIFY2(other > 2000, qPrintable(u"%1 drawn pixels"_s.arg(other)));
}

QTEST_MAIN(TestStreamCharts)
#include "tst_streamcharts.moc"
