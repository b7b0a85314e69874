// SPDX-License-Identifier: GPL-3.0-or-later
// The views on a real fixture, offscreen: load through the document and the worker thread, let the charts
// show the selected connection, check the points per class and the MSS lines, click a segment and read the
// explanation panel.
#include "chartspanel.h"
#include "evidencemodel.h"
#include "evidencepanel.h"
#include "framesizechart.h"
#include "guitestutil.h"
#include "offloadtext.h"
#include "sequencechart.h"
#include "summarybanner.h"
#include "tracedocument.h"

#include <QApplication>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestViews : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void loadingAddsTheTraceAndSelectsTheOversizedConnection();
    void frameSizeChartHasOneGraphPerClass();
    void mssLinesSitAtTheAnnouncedAndEffectiveMss();
    void wireViewAndIpLengthModeRedrawTheChart();
    void sequenceChartShowsTheBusyDirectionWithAckLine();
    void clickingASegmentFillsTheEvidencePanel();
    void zoomingOneChartMovesTheOther();
    void aMissingFileReportsItsNameAndReason();
    void openingTwoFilesQueuesThem();
    void cancellingEndsTheLoadAndKeepsTheDocumentUsable();
    void chartsExportToPngAndPdf();
    void clearingTheSeriesLeavesNoGraphBehind();
    void aFileWithoutTcpSaysWhyInsteadOfEmptyCharts();

private:
    void openAndWait(const QStringList &paths, int expectedTraces);

    TraceDocument *m_doc = nullptr;
    ChartsPanel *m_charts = nullptr;
    EvidencePanel *m_evidence = nullptr;
    SummaryBanner *m_banner = nullptr;
    QWidget *m_window = nullptr;
};

void TestViews::init()
{
    m_window = new QWidget;
    m_window->resize(1200, 800);
    m_doc = new TraceDocument(m_window);
    m_charts = new ChartsPanel(m_doc, m_window);
    m_evidence = new EvidencePanel(m_doc, m_window);
    m_banner = new SummaryBanner(m_doc, m_window);
    m_charts->resize(900, 700);
    m_window->show();
}

void TestViews::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

void TestViews::openAndWait(const QStringList &paths, int expectedTraces)
{
    QSignalSpy added(m_doc, &TraceDocument::traceAdded);
    QSignalSpy finished(m_doc, &TraceDocument::loadingFinished);
    m_doc->open(paths);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(added.count(), expectedTraces);
}

void TestViews::loadingAddsTheTraceAndSelectsTheOversizedConnection()
{
    QSignalSpy started(m_doc, &TraceDocument::loadStarted);
    openAndWait({test::fixture(test::A04)}, 1);
    QCOMPARE(started.count(), 1);
    QCOMPARE(m_doc->traceCount(), 1);
    QCOMPARE(m_doc->currentTraceIndex(), 0);
    QCOMPARE(m_doc->currentConnectionIndex(), 0);
    QVERIFY(!m_doc->isLoading());
    QCOMPARE(m_banner->badgeText(), text::fileBadge(*m_doc->currentTrace()));
    QVERIFY(m_banner->badgeText().startsWith(u"captured on the"_s));
    QVERIFY(m_evidence->plainText().contains(u"172.16.5.1"_s));
    QVERIFY(m_evidence->evidenceModel()->rowCount() > 0);
}

void TestViews::frameSizeChartHasOneGraphPerClass()
{
    openAndWait({test::fixture(test::A04)}, 1);
    FrameSizeChart *chart = m_charts->frameSizeChart();
    chart->redecimate();
    // The ten large server→client frames are receive-coalesced in the core's reading of this capture.
    QCOMPARE(chart->pointCount(1, ChartSeries::ReceiveOffload) + chart->pointCount(1, ChartSeries::SendOffload), 10);
    QCOMPARE(chart->pointCount(1, ChartSeries::ReceiveOffload),
             int(m_doc->currentConnection()->directions[1].offload.receiveOffload));
    QCOMPARE(chart->pointCount(1, ChartSeries::Normal), 8);
    QCOMPARE(chart->pointCount(0, ChartSeries::Normal), 8);
    QCOMPARE(chart->pointCount(1, ChartSeries::Retransmission), 1);
    QCOMPARE(chart->pointCount(1, ChartSeries::Unexplained), 0);
    QCOMPARE(chart->pointCount(0, ChartSeries::ReceiveOffload) + chart->pointCount(0, ChartSeries::SendOffload), 0);
    // Every data segment is drawn: 18 server→client, 8 client→server.
    int drawn = 0;
    for (int k = ChartSeries::Normal; k <= ChartSeries::Unexplained; ++k)
        drawn += chart->pointCount(1, ChartSeries::Kind(k));
    QCOMPARE(drawn, 18);
}

void TestViews::mssLinesSitAtTheAnnouncedAndEffectiveMss()
{
    openAndWait({test::fixture(test::A04)}, 1);
    FrameSizeChart *chart = m_charts->frameSizeChart();
    const QVector<double> values = chart->mssLineValues();
    QVERIFY2(values.contains(1448.0), "effective MSS line");
    QVERIFY2(values.contains(1460.0), "announced MSS line");
    // Both directions share their MSS here, so one label speaks for both.
    QCOMPARE(chart->mssLabels(), QStringList{u"MSS 1460 / eff. 1448 (both directions)"_s});
    QVERIFY(chart->plot()->yAxis->range().upper > 12998);
}

void TestViews::wireViewAndIpLengthModeRedrawTheChart()
{
    openAndWait({test::fixture(test::A04)}, 1);
    FrameSizeChart *chart = m_charts->frameSizeChart();
    m_charts->setYMode(ChartSeries::YMode::IpLength);
    QCOMPARE(chart->yMode(), ChartSeries::YMode::IpLength);
    // IP length = payload + 20 bytes of IPv4 + 32 of TCP with timestamps.
    QVERIFY(chart->mssLineValues().contains(1448.0 + 52));
    const auto &o = m_doc->currentConnection()->directions[1].offload;
    QCOMPARE(chart->pointCount(1, ChartSeries::ReceiveOffload), int(o.receiveOffload));
    m_charts->setYMode(ChartSeries::YMode::Payload);
    // Wire view cuts send-offload frames into MSS pieces and leaves receive-coalesced ones alone.
    m_charts->setWireView(true);
    QVERIFY(chart->wireView());
    QCOMPARE(chart->pointCount(1, ChartSeries::ReceiveOffload), int(o.receiveOffload));
    QCOMPARE(chart->pointCount(1, ChartSeries::SendOffload), 0);
    QCOMPARE(chart->pointCount(1, ChartSeries::WirePiece) > 0, o.sendOffload > 0);
}

void TestViews::sequenceChartShowsTheBusyDirectionWithAckLine()
{
    openAndWait({test::fixture(test::A04)}, 1);
    SequenceChart *seq = m_charts->sequenceChart();
    QCOMPARE(seq->direction(), 1);
    seq->redecimate();
    QCOMPARE(seq->barCount(ChartSeries::ReceiveOffload) + seq->barCount(ChartSeries::SendOffload), 10);
    QCOMPARE(seq->barCount(ChartSeries::Retransmission), 1);
    QVERIFY(seq->ackPointCount() > 5);
    // The ACK line ends at the last byte the server sent (77,514 unique bytes), in the same sequence space.
    QVERIFY(seq->series()->ackLine(1).maxValue() >= 77514);
    QVERIFY(seq->series()->ackLine(1).maxValue() <= 77514 + 2);
}

void TestViews::clickingASegmentFillsTheEvidencePanel()
{
    openAndWait({test::fixture(test::A04)}, 1);
    QVERIFY(m_evidence->segmentText().isEmpty());
    FrameSizeChart *chart = m_charts->frameSizeChart();
    QCustomPlot *plot = chart->plot();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    chart->redecimate();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    // Find the biggest receive-coalesced frame and click on it.
    const Connection *c = m_doc->currentConnection();
    const auto &segs = c->directions[1].segments;
    std::size_t biggest = 0;
    for (std::size_t i = 0; i < segs.size(); ++i)
        if (segs[i].payload > segs[biggest].payload)
            biggest = i;
    const double x = plot->xAxis->coordToPixel(double(segs[biggest].time - c->firstTime) / 1e9);
    const double y = plot->yAxis->coordToPixel(segs[biggest].payload);
    const QPoint pos(qRound(x), qRound(y));
    QCOMPARE(chart->segmentAt(pos), (SegmentRef{1, qint64(biggest)}));
    QVERIFY(chart->tooltipAt(pos).contains(u"12,998"_s));
    QVERIFY(chart->tooltipAt(pos).contains(u"larger than the MSS"_s));
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, pos);
    QCOMPARE(m_doc->currentSegment(), (SegmentRef{1, qint64(biggest)}));
    QCOMPARE(chart->selectedSegment(), m_doc->currentSegment());
    QVERIFY2(m_evidence->segmentText().startsWith(u"12,998 bytes = 9 segments of up to 1,448 bytes"_s),
             qPrintable(m_evidence->segmentText()));
    QVERIFY(m_evidence->segmentText().contains(u"the capture host"_s));
    QVERIFY(m_evidence->plainText().contains(u"Selected segment"_s));
    // Clicking empty space clears the selection.
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, QPoint(qRound(x), plot->height() / 6));
    QVERIFY(!m_doc->currentSegment().isValid());
    QVERIFY(m_evidence->segmentText().isEmpty());
}

void TestViews::zoomingOneChartMovesTheOther()
{
    openAndWait({test::fixture(test::A04)}, 1);
    m_charts->frameSizeChart()->plot()->xAxis->setRange(0.03, 0.04);
    const QCPRange r = m_charts->sequenceChart()->timeRange();
    QCOMPARE(r.lower, 0.03);
    QCOMPARE(r.upper, 0.04);
    // Zoomed in, every point is still there (18 frames over 0.03–0.04 s is far below the pixel budget).
    QTRY_COMPARE(m_charts->frameSizeChart()->pointCount(1, ChartSeries::ReceiveOffload)
                     + m_charts->frameSizeChart()->pointCount(1, ChartSeries::SendOffload),
                 10);
    m_charts->resetZoom();
    QVERIFY(m_charts->sequenceChart()->timeRange().upper > 0.19);
}

void TestViews::aMissingFileReportsItsNameAndReason()
{
    QSignalSpy failed(m_doc, &TraceDocument::loadFailed);
    QSignalSpy finished(m_doc, &TraceDocument::loadingFinished);
    m_doc->open({u"/nonexistent/capture.pcap"_s});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), u"/nonexistent/capture.pcap"_s);
    const QString error = failed.at(0).at(1).toString();
    QVERIFY2(error.contains(u"capture.pcap"_s) && error.size() > 30, qPrintable(error));
    QCOMPARE(m_doc->traceCount(), 0);
}

void TestViews::openingTwoFilesQueuesThem()
{
    openAndWait({test::fixture(test::A04), test::fixture(test::C01)}, 2);
    QCOMPARE(m_doc->traceCount(), 2);
    QCOMPARE(m_doc->currentTraceIndex(), 1);
    // Opening a file again just selects it.
    m_doc->open({test::fixture(test::A04)});
    QCOMPARE(m_doc->currentTraceIndex(), 0);
    QVERIFY(!m_doc->isLoading());
    m_doc->close(0);
    QCOMPARE(m_doc->traceCount(), 1);
    QVERIFY(m_doc->currentTrace()->path.find("c01_") != std::string::npos);
}

void TestViews::cancellingEndsTheLoadAndKeepsTheDocumentUsable()
{
    QSignalSpy cancelled(m_doc, &TraceDocument::loadCancelled);
    QSignalSpy added(m_doc, &TraceDocument::traceAdded);
    QSignalSpy finished(m_doc, &TraceDocument::loadingFinished);
    m_doc->open({test::fixture(test::C01), test::fixture(test::A04)});
    m_doc->cancelLoading(); // the running load stops (or already finished); the queued one never starts
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(cancelled.count() + added.count(), 1);
    QVERIFY(!m_doc->isLoading());
    openAndWait({test::fixture(test::A04)}, 1);
    QVERIFY(m_doc->indexOf(test::fixture(test::A04)) >= 0);
}

void TestViews::chartsExportToPngAndPdf()
{
    openAndWait({test::fixture(test::A04)}, 1);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(u"frames.png"_s), pdf = dir.filePath(u"sequence.pdf"_s),
                  svg = dir.filePath(u"frames.svg"_s);
    QVERIFY(m_charts->frameSizeChart()->exportTo(png));
    QVERIFY(m_charts->sequenceChart()->exportTo(pdf));
    QVERIFY(m_charts->frameSizeChart()->exportTo(svg));
    QVERIFY(QFileInfo(png).size() > 5000);
    QVERIFY(QFileInfo(pdf).size() > 1000);
    QVERIFY(QFileInfo(svg).size() > 1000);
    QVERIFY(!m_charts->frameSizeChart()->exportTo(dir.filePath(u"frames.unknown"_s)));
}

void TestViews::clearingTheSeriesLeavesNoGraphBehind()
{
    // The panel clears both charts on every connection switch; the charts' graphs are deleted then, and the
    // counts must not read them afterwards (under ASan a read of the freed graph aborts the test).
    openAndWait({test::fixture(test::A04)}, 1);
    FrameSizeChart *chart = m_charts->frameSizeChart();
    SequenceChart *seq = m_charts->sequenceChart();
    QVERIFY(chart->pointCount(1, ChartSeries::Normal) > 0);
    QVERIFY(seq->ackPointCount() > 0);
    chart->setSeries(nullptr);
    seq->setSeries(nullptr);
    for (int d = 0; d < 2; ++d)
        for (int k = 0; k < ChartSeries::KindCount; ++k)
            QCOMPARE(chart->pointCount(d, ChartSeries::Kind(k)), 0);
    for (int k = 0; k < ChartSeries::KindCount; ++k)
        QCOMPARE(seq->barCount(ChartSeries::Kind(k)), 0);
    QCOMPARE(seq->ackPointCount(), 0);
    QVERIFY(chart->mssLabels().isEmpty());
}

void TestViews::aFileWithoutTcpSaysWhyInsteadOfEmptyCharts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"esp.pcap"_s);
    QVERIFY(test::writeEspOnly(path, 287)); // the generator's truth: 287 frames, all IPv4 ESP
    openAndWait({path}, 1);
    QCOMPARE(m_doc->currentTrace()->connections.size(), std::size_t(0));
    // The counts the issue asked for, and where the frames stopped.
    const QString expected = u"No TCP connections in this file — 287 packets, 0 TCP: 287 in ip protocol 50"_s;
    QVERIFY2(m_charts->emptyText().startsWith(expected), qPrintable(m_charts->emptyText()));
    QVERIFY2(m_evidence->plainText().contains(expected), qPrintable(m_evidence->plainText()));
    QVERIFY2(m_banner->detailText().contains(expected), qPrintable(m_banner->detailText()));
    // Not "no offload seen": there was nothing to judge.
    QCOMPARE(m_banner->badgeText(), u"no TCP connections"_s);
    // A file with connections charts them again.
    openAndWait({test::fixture(test::A04)}, 1);
    QVERIFY(m_charts->emptyText().isEmpty());
}

QTEST_MAIN(TestViews)
#include "tst_views.moc"
