// SPDX-License-Identifier: GPL-3.0-or-later
// The compare views of two traces: the pair model, the side-by-side chart's connectors and lost marks, the
// offset override, the ladder and the compare page, under the offscreen platform.
#include "comparechart.h"
#include "comparemodel.h"
#include "comparepage.h"
#include "compareseries.h"
#include "guitestutil.h"
#include "ladderchart.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {
const char *TsoClient = "gen_tso_on_gro_off_client.pcap";
const char *ShiftedServer = "gen_clockshift_server_shifted.pcap";
const char *NatClient = "gen_nat_loss_client.pcap";
const char *NatServer = "gen_nat_loss_server.pcap";

std::uint64_t splitGroups(const ConnectionPair &p)
{
    std::uint64_t n = 0;
    for (const PairDirection &d : p.dir)
        n += d.mapping.oneToMany + d.mapping.manyToOne + d.mapping.manyToMany;
    return n;
}
} // namespace

class TestCompare : public QObject
{
    Q_OBJECT
private slots:
    void modelPairsTheShiftedTraces();
    void largeTracesAlignOnAWorker();
    void destroyingTheModelMidAlignmentJoinsTheWorker();
    void chartConnectsEverySplitInView();
    void overrideMovesTheBLane();
    void ladderDrawsArrowsAndNoLoss();
    void lossBetweenPointsIsMarkedOnTheSender();
    void pageSharesZoomAndOverride();
};

void TestCompare::modelPairsTheShiftedTraces()
{
    CompareModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &CompareModel::alignmentFinished);
    model.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(CompareModel::ColumnCount));
    QVERIFY(std::abs(model.pair(0)->clockOffsetS - 3.25) < 1e-3);
    QVERIFY(model.data(model.index(0, CompareModel::OffsetColumn)).toString().startsWith(u"3.25"_s));
    QCOMPARE(model.mapping(0).splitGroups, splitGroups(*model.pair(0)));
    model.setClockOffsetOverride(1.5);
    QCOMPARE(model.effectiveOffset(0), 1.5);
    QVERIFY(model.data(model.index(0, CompareModel::OffsetColumn)).toString().contains(u"manual"_s));
}

void TestCompare::largeTracesAlignOnAWorker()
{
    CompareModel model;
    model.setWorkerThreshold(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &CompareModel::alignmentFinished);
    model.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    QVERIFY(model.isAligning());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.compareResult());
    // A newer request drops the first one's result.
    model.setTraces(test::loadFixture(NatClient), test::loadFixture(NatServer));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(!model.isAligning());
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.pair(0)->nat);
    // The pair's mapping came with the alignment, built off the GUI thread.
    QCOMPARE(model.compareResult()->mappings.size(), std::size_t(1));
    QCOMPARE(&model.mapping(0), &model.compareResult()->mappings[0]);
    // ... and is the alignment's own: the groups were kept from alignPair, not rebuilt by walking both traces
    // again (the alignment used to throw them away and the mapping redid its coverage work).
    for (int d = 0; d < 2; ++d) {
        const std::vector<SegmentMapping> &kept = model.pair(0)->dir[d].groups;
        QVERIFY(!kept.empty());
        QCOMPARE(model.mapping(0).groups[d].data(), kept.data());
        QCOMPARE(model.mapping(0).groups[d].size(), kept.size());
    }
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1);
}

void TestCompare::destroyingTheModelMidAlignmentJoinsTheWorker()
{
    const auto a = test::loadFixture(TsoClient), b = test::loadFixture(ShiftedServer);
    QVERIFY(a && b);
    auto *model = new CompareModel;
    model->setWorkerThreshold(0);
    model->setTraces(a, b);
    QVERIFY(model->isAligning());
    delete model;
    // Joined: the worker is done with both traces before the model is gone, so nothing else holds them.
    QCOMPARE(a.use_count(), 1L);
    QCOMPARE(b.use_count(), 1L);
}

void TestCompare::chartConnectsEverySplitInView()
{
    CompareModel model;
    model.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    QCOMPARE(model.pairCount(), 1);
    CompareChart chart;
    chart.resize(1200, 800);
    chart.show();
    chart.setPair(&model, 0);
    const ConnectionPair &p = *model.pair(0);
    QCOMPARE(quint64(chart.connectorGroupsInView()), splitGroups(p));
    // Every super-segment the server sent (the generator's oversized_out) reaches the client as its pieces: one
    // 1:N group each.
    const int superSegments = test::truth(ShiftedServer, "oversized_out").toInt();
    QCOMPARE(superSegments, 66);
    QCOMPARE(chart.connectorGroupsInView(), superSegments);
    QVERIFY(chart.connectorLinesInView() > chart.connectorGroupsInView());
    QCOMPARE(chart.lostMarkCount(), 0);
    QVERIFY(chart.deltaPointCount() > 0);
    QVERIFY(std::abs(chart.firstPointTimeB() - chart.firstPointTimeA()) < 1e-3);
    // Zoomed into the first half, fewer groups are in view.
    const QCPRange full = chart.timeRange();
    chart.setTimeRange(full.lower, full.lower + full.size() / 100);
    QVERIFY(chart.connectorGroupsInView() < superSegments);
    QVERIFY(chart.plot()->toPixmap(800, 600).width() == 800); // paints without crashing
}

void TestCompare::overrideMovesTheBLane()
{
    CompareModel model;
    model.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    CompareChart chart;
    chart.setPair(&model, 0);
    const double estimate = chart.bShift();
    QVERIFY(std::abs(estimate - 3.25) < 1e-3);
    const double before = chart.firstPointTimeB();
    // The plot data is derived once with the alignment: a new offset moves the points, it rebuilds nothing.
    const auto data = model.compareResult();
    const QPointer<QCPGraph> graph = chart.plot()->graph(0);
    chart.setTimeRange(-1, 1); // the pair lasts 0.04 s: B's points stay in view when they move by 0.25 s
    const double firstKeyB = [&] {
        for (int i = 0; i < chart.plot()->graphCount(); ++i)
            if (QCPGraph *g = chart.plot()->graph(i);
                g->keyAxis()->axisRect() == chart.rectB() && !g->data()->isEmpty())
                return g->data()->constBegin()->key;
        return std::nan("");
    }();
    model.setClockOffsetOverride(3.0);
    QVERIFY2(graph, "the graphs outlive an offset change");
    QCOMPARE(model.compareResult(), data);
    const double movedKeyB = [&] {
        for (int i = 0; i < chart.plot()->graphCount(); ++i)
            if (QCPGraph *g = chart.plot()->graph(i);
                g->keyAxis()->axisRect() == chart.rectB() && !g->data()->isEmpty())
                return g->data()->constBegin()->key;
        return std::nan("");
    }();
    QVERIFY(std::abs(movedKeyB - firstKeyB - (estimate - 3.0)) < 1e-9);
    QCOMPARE(chart.bShift(), 3.0);
    QVERIFY(std::abs(chart.firstPointTimeB() - before - (estimate - 3.0)) < 1e-9);
    model.setClockOffsetOverride(std::nullopt);
    QCOMPARE(chart.bShift(), estimate);
}

void TestCompare::ladderDrawsArrowsAndNoLoss()
{
    CompareModel model;
    model.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    LadderChart ladder;
    ladder.resize(400, 800);
    ladder.show();
    ladder.setPair(&model, 0);
    QVERIFY(ladder.arrowCount() > 0);
    QVERIFY(ladder.arrowCount() <= LadderChart::MaxArrows);
    QVERIFY(ladder.splitArrowCount() > 0);
    QCOMPARE(ladder.lostArrowCount(), 0);
    QCOMPARE(ladder.isCapped(), ladder.title().contains(u"first"_s));
    QVERIFY(ladder.plot()->toPixmap(400, 600).width() == 400);
}

void TestCompare::lossBetweenPointsIsMarkedOnTheSender()
{
    CompareModel model;
    model.setTraces(test::loadFixture(NatClient), test::loadFixture(NatServer));
    QCOMPARE(model.pairCount(), 1);
    QVERIFY(model.pair(0)->nat);
    CompareChart chart;
    chart.setPair(&model, 0);
    QCOMPARE(quint64(chart.lostMarkCount()), model.pair(0)->lostBetweenPoints);
    // The generator's router dropped this many segments between the two capture points.
    const int drops = test::truth(NatServer, "router_drops").toInt();
    QCOMPARE(drops, 2);
    QCOMPARE(chart.lostMarkCount(), drops);
    LadderChart ladder;
    ladder.setPair(&model, 0);
    QCOMPARE(ladder.lostArrowCount(), drops);
}

void TestCompare::pageSharesZoomAndOverride()
{
    ComparePage page;
    page.resize(1400, 900);
    page.show();
    QSignalSpy changed(&page, &ComparePage::pairChanged);
    page.setTraces(test::loadFixture(TsoClient), test::loadFixture(ShiftedServer));
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(page.currentPair(), 0);
    page.compareChart()->setTimeRange(0.1, 0.2);
    QCOMPARE(page.ladderChart()->timeRange().lower, 0.1);
    QCOMPARE(page.ladderChart()->timeRange().upper, 0.2);
    page.ladderChart()->setTimeRange(0.05, 0.15);
    page.ladderChart()->plot()->yAxis->setRange(0.05, 0.15); // as a drag would
    QCOMPARE(page.compareChart()->timeRange().lower, 0.05);
    page.overrideCheck()->setChecked(true);
    page.offsetSpin()->setValue(2.0);
    QCOMPARE(page.compareChart()->bShift(), 2.0);
    page.overrideCheck()->setChecked(false);
    QVERIFY(std::abs(page.compareChart()->bShift() - 3.25) < 1e-3);
}

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
