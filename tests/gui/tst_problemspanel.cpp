// SPDX-License-Identifier: GPL-3.0-or-later
// The Problems panel and its model: rows for the current trace, and selecting one selects its connection,
// marks its first frame and asks the charts to zoom to its time range.
#include "problemmodel.h"
#include "problemspanel.h"
#include "tracedocument.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestProblemsPanel : public QObject
{
    Q_OBJECT

private slots:
    void selectingAProblemSelectsItsConnectionAndRange();
    void aCleanCaptureSaysWhatWasChecked();
    void aLargeTraceIsDiagnosedOnAWorker();
};

void TestProblemsPanel::selectingAProblemSelectsItsConnectionAndRange()
{
    TraceDocument doc;
    ProblemsPanel panel(&doc);
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy zoom(&panel, &ProblemsPanel::zoomRequested);
    doc.open({QStringLiteral(OFFLOADLENS_TEST_DATA "/problems_blackhole_server.pcap")});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    doc.setCurrentTrace(0);
    QVERIFY(panel.model()->rowCount() >= 1);
    // Errors come first: the black hole.
    QCOMPARE(panel.model()->index(0, ProblemModel::KindColumn).data().toString(), u"pmtu-black-hole"_s);
    QCOMPARE(panel.model()->index(0, ProblemModel::SeverityColumn).data().toString(), u"error"_s);
    panel.selectRow(0);
    QCOMPARE(doc.currentConnectionIndex(), 0);
    // The first example frame is frame 8 (tshark: the first transmission of the stalled byte), a segment
    // of the server -> client direction.
    QVERIFY(doc.currentSegment().isValid());
    QCOMPARE(doc.currentConnection()
                 ->directions[doc.currentSegment().direction]
                 .segments[std::size_t(doc.currentSegment().index)]
                 .frame,
             8u);
    QCOMPARE(zoom.count(), 1);
    // tshark: the stall runs from 0.012271 s to 6.619273 s of the trace; the connection starts at frame 3
    // (0.000016 s). The zoom must cover it.
    const double lower = zoom.first().at(0).toDouble(), upper = zoom.first().at(1).toDouble();
    QVERIFY2(lower <= 0.0123 && upper >= 6.6192 && upper < 8, qPrintable(u"%1 %2"_s.arg(lower).arg(upper)));
}

void TestProblemsPanel::aCleanCaptureSaysWhatWasChecked()
{
    TraceDocument doc;
    ProblemsPanel panel(&doc);
    doc.open({QStringLiteral(OFFLOADLENS_TEST_DATA "/problems_corrupt_server.pcap")});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    doc.setCurrentTrace(0);
    QCOMPARE(panel.model()->rowCount(), 0);
    QVERIFY(panel.model()->emptyText().contains(u"No problems found: checked PMTU black holes"_s));
}

void TestProblemsPanel::aLargeTraceIsDiagnosedOnAWorker()
{
    TraceDocument doc;
    ProblemsPanel panel(&doc);
    panel.setInlineLimit(0); // every trace counts as large
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Right after the panel reacted to the new trace (it connected first): the diagnosis runs off the GUI thread,
    // so no row is there yet; a row asked for meanwhile is selected once it is.
    int rowsAtOnce = -1;
    connect(&doc, &TraceDocument::currentTraceChanged, &panel, [&](int index) {
        if (index < 0 || rowsAtOnce >= 0)
            return;
        rowsAtOnce = panel.model()->rowCount();
        panel.selectRow(0);
    });
    doc.open({QStringLiteral(OFFLOADLENS_TEST_DATA "/problems_blackhole_server.pcap")});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    QCOMPARE(rowsAtOnce, 0);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->rowCount() >= 1, 20000);
    QCOMPARE(panel.model()->index(0, ProblemModel::KindColumn).data().toString(), u"pmtu-black-hole"_s);
    QTRY_VERIFY(doc.currentSegment().isValid());
    QCOMPARE(doc.currentConnection()
                 ->directions[doc.currentSegment().direction]
                 .segments[std::size_t(doc.currentSegment().index)]
                 .frame,
             8u); // tshark: the first transmission of the stalled byte, as above
}

QTEST_MAIN(TestProblemsPanel)
#include "tst_problemspanel.moc"
