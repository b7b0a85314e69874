// SPDX-License-Identifier: GPL-3.0-or-later
// Results while loading in the document: a large file shows as snapshots (marked partial, the banner saying so)
// that replace each other in place, then exactly one final trace for the file; a cancel removes the snapshot.
#include "chartseries.h"
#include "chartseriesbuilder.h"
#include "chartspanel.h"
#include "framesizechart.h"
#include "partialcapture.h"
#include "summarybanner.h"
#include "tracedocument.h"

#include <QSignalSpy>
#include <QtTest>

using namespace testutil;
using namespace Qt::StringLiterals;

class TestPartialLoad : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_file;
    PartialTruth m_truth;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = writePartialCapture(m_dir, 8, 25'000, m_truth); // 300,000 frames
    }

    void snapshotsThenExactlyOneFinalTrace()
    {
        ol::TraceDocument doc;
        ol::SummaryBanner banner(&doc);
        doc.loader()->setPartialResults(0, 0.001); // as often as the loader's cost rule allows
        QSignalSpy added(&doc, &ol::TraceDocument::traceAdded);
        QSignalSpy replaced(&doc, &ol::TraceDocument::traceReplaced);
        QSignalSpy finished(&doc, &ol::TraceDocument::loadingFinished);
        int partialsShown = 0;
        bool bannerSaidPartial = false;
        std::uint32_t chosenId = 0;
        bool chose = false;
        connect(&doc, &ol::TraceDocument::currentConnectionChanged, this, [&](int c) {
            const auto t = doc.currentTrace();
            if (c < 0 || !t || !t->partial)
                return;
            ++partialsShown;
            bannerSaidPartial = bannerSaidPartial || banner.detailText().contains(u"results so far"_s);
            QCOMPARE(doc.traceCount(), 1); // replaced in place, never a second entry
            if (!chose && t->connections.size() > 3) {
                chose = true; // as a user would: another connection than the document's pick
                chosenId = t->connections[3]->id;
                QMetaObject::invokeMethod(
                    &doc, [&doc] { doc.setCurrentConnection(3); }, Qt::QueuedConnection);
            }
        });
        doc.open({m_file});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(doc.traceCount(), 1);
        QCOMPARE(added.count(), 1); // the first snapshot; everything after it replaced it
        QVERIFY(replaced.count() >= 1);
        QVERIFY(partialsShown >= 1);
        QVERIFY(bannerSaidPartial);
        const auto t = doc.trace(0);
        QVERIFY(!t->partial);
        QCOMPARE(t->counts.packets, m_truth.packets);
        QCOMPARE(t->connections.size(), m_truth.conns.size());
        QVERIFY(!banner.detailText().contains(u"results so far"_s));
        if (chose && doc.currentConnection()) // the user's choice survived the later snapshots and the final
            QCOMPARE(doc.currentConnection()->id, chosenId);
        QVERIFY(chose);
        // Opening it again shows the one entry.
        doc.open({m_file});
        QCOMPARE(doc.traceCount(), 1);
    }

    void chartsKeepTheirPointsAndZoomAcrossSnapshots()
    {
        ol::TraceDocument doc;
        ol::ChartsPanel panel(&doc);
        panel.resize(1200, 800);
        panel.show();
        doc.loader()->setPartialResults(0, 0.001);
        ol::FrameSizeChart *chart = panel.frameSizeChart();
        bool zoomed = false;
        int emptied = 0, replacedWhileShown = 0;
        const QCPRange zoom(0.0, 0.002);
        connect(panel.seriesBuilder(), &ol::ChartSeriesBuilder::seriesReady, this, [&] {
            // The panel has shown the series (it is connected first): zoom in on the first snapshot's chart.
            if (!zoomed && chart->series() && chart->series()->trace()->partial) {
                zoomed = true;
                chart->setTimeRange(zoom.lower, zoom.upper);
            }
        });
        connect(&doc, &ol::TraceDocument::currentConnectionChanged, this, [&] {
            if (!zoomed)
                return;
            ++replacedWhileShown;
            if (!chart->series()) // the old points went away before the new ones were built
                ++emptied;
        });
        QSignalSpy finished(&doc, &ol::TraceDocument::loadingFinished);
        doc.open({m_file});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(chart->series() && !chart->series()->trace()->partial, 30000);
        QVERIFY(zoomed);
        QVERIFY(replacedWhileShown >= 1); // at least the final trace came after the zoom
        QCOMPARE(emptied, 0);
        QCOMPARE(chart->timeRange().lower, zoom.lower);
        QCOMPARE(chart->timeRange().upper, zoom.upper);
    }

    void cancelRemovesTheSnapshot()
    {
        ol::TraceDocument doc;
        doc.loader()->setPartialResults(0, 0.001);
        QSignalSpy cancelled(&doc, &ol::TraceDocument::loadCancelled);
        QSignalSpy finished(&doc, &ol::TraceDocument::loadingFinished);
        bool sawPartial = false;
        // Cancelled from the first snapshot's arrival: the load is still running then (the final result is
        // posted after every snapshot), so this cannot race with its end.
        connect(&doc, &ol::TraceDocument::traceAdded, this, [&](int index) {
            if (doc.trace(index)->partial && !sawPartial) {
                sawPartial = true;
                QMetaObject::invokeMethod(
                    &doc, [&doc] { doc.cancelLoading(); }, Qt::QueuedConnection);
            }
        });
        doc.open({m_file});
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1 || finished.count() == 1, 60000);
        QVERIFY(sawPartial);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(doc.traceCount(), 0);
        QTest::qWait(200); // nothing of the cancelled load arrives later
        QCOMPARE(doc.traceCount(), 0);
    }

    void closingTheSnapshotStopsItsLoad()
    {
        ol::TraceDocument doc;
        doc.loader()->setPartialResults(0, 0.001);
        QSignalSpy cancelled(&doc, &ol::TraceDocument::loadCancelled);
        bool closed = false;
        connect(&doc, &ol::TraceDocument::traceAdded, this, [&](int index) {
            if (doc.trace(index)->partial && !closed) {
                closed = true;
                QMetaObject::invokeMethod(
                    &doc, [&doc] { doc.close(0); }, Qt::QueuedConnection);
            }
        });
        doc.open({m_file});
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
        QCOMPARE(doc.traceCount(), 0);
        QTest::qWait(200);
        QCOMPARE(doc.traceCount(), 0);
    }
};

QTEST_MAIN(TestPartialLoad)
#include "tst_partialload.moc"
