// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt item models on real fixtures: checked by QAbstractItemModelTester from before they are filled,
// row counts, numbers behind SortRole, the filter proxy and a dump of what the table shows.
#include "connectionmodel.h"
#include "evidencemodel.h"
#include "guitestutil.h"
#include "offloadtext.h"
#include "tracelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestModels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void connectionRowsPerFile_data();
    void connectionRowsPerFile();
    void connectionSortRoleIsNumeric_data();
    void connectionSortRoleIsNumeric();
    void connectionTableShowsWhatTheReportSays();
    void filterMatchesAddressAndPort_data();
    void filterMatchesAddressAndPort();
    void sortingUsesNumbersNotText();
    void traceListShowsOneRowPerFileWithItsBadge();
    void evidenceListsCapturePointThenDirections();
    void clearingModelsLeavesThemEmpty();

private:
    std::shared_ptr<const Trace> m_a04;
    std::shared_ptr<const Trace> m_c01;
};

void TestModels::initTestCase()
{
    m_a04 = test::loadFixture(test::A04);
    m_c01 = test::loadFixture(test::C01);
    QVERIFY(m_a04);
    QVERIFY(m_c01);
}

void TestModels::connectionRowsPerFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows");
    QTest::newRow("the HTTP/2 capture holds one connection") << QString::fromLatin1(test::A04) << 1;
    QTest::newRow("the SACK download holds two connections") << QString::fromLatin1(test::C01) << 2;
}

void TestModels::connectionRowsPerFile()
{
    QFETCH(QString, file);
    QFETCH(int, rows);
    ConnectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setTrace(file == QString::fromLatin1(test::A04) ? m_a04 : m_c01);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.columnCount(), int(ConnectionModel::ColumnCount));
}

void TestModels::connectionSortRoleIsNumeric_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<qulonglong>("expected");
    QTest::newRow("packets are 44") << int(ConnectionModel::PacketsColumn) << 44ull;
    QTest::newRow("the server sent 77,552 payload bytes") << int(ConnectionModel::BytesToClientColumn) << 77552ull;
    QTest::newRow("the client sent 939 payload bytes") << int(ConnectionModel::BytesToServerColumn) << 939ull;
    QTest::newRow("the MSS towards the client is 1460") << int(ConnectionModel::MssToClientColumn) << 1460ull;
    QTest::newRow("the MSS towards the server is 1460") << int(ConnectionModel::MssToServerColumn) << 1460ull;
    QTest::newRow("the largest payload is 12,998 bytes") << int(ConnectionModel::MaxPayloadColumn) << 12998ull;
    QTest::newRow("ten segments are oversized") << int(ConnectionModel::OversizedColumn) << 10ull;
    QTest::newRow("one segment was retransmitted") << int(ConnectionModel::RetransmissionsColumn) << 1ull;
}

void TestModels::connectionSortRoleIsNumeric()
{
    QFETCH(int, column);
    QFETCH(qulonglong, expected);
    ConnectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(m_a04);
    const QVariant v = model.index(0, column).data(ConnectionModel::SortRole);
    QVERIFY2(v.typeId() != QMetaType::QString, "SortRole must be a number");
    QCOMPARE(v.toULongLong(), expected);
}

void TestModels::connectionTableShowsWhatTheReportSays()
{
    ConnectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(m_a04);
    QStringList row;
    for (int c = 0; c < model.columnCount(); ++c)
        row << model.index(0, c).data().toString();
    const QStringList expected = {
        u"0"_s, u"172.16.5.1:49178"_s, u"172.16.5.10:8443"_s, u"44"_s, u"939"_s, u"77,552"_s, u"0.191 s"_s,
        u"1460 / 1448"_s, u"1460 / 1448"_s, u"12,998"_s, u"10"_s, u"1"_s,
        // The verdict words follow the core's classification of the ten large frames (see offloadtext.cpp).
        text::connectionVerdict(*m_a04->connections[0]),
        u"eth / ipv4 / tcp"_s, // tshark frame.protocols: eth:ethertype:ip:tcp
    };
    QVERIFY(expected.at(ConnectionModel::VerdictColumn).startsWith(u"server→client: "_s));
    QCOMPARE(row, expected);
}

void TestModels::filterMatchesAddressAndPort_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("rows");
    QTest::newRow("an empty filter keeps both connections") << QString() << 2;
    QTest::newRow("the client port picks one connection") << u":10978"_s << 1;
    QTest::newRow("the server address keeps both") << u"129.174.93.161"_s << 2;
    QTest::newRow("an unknown address keeps none") << u"192.0.2.99"_s << 0;
}

void TestModels::filterMatchesAddressAndPort()
{
    QFETCH(QString, filter);
    QFETCH(int, rows);
    ConnectionModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterRole(ConnectionModel::FilterRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(m_c01);
    proxy.setFilterFixedString(filter);
    QCOMPARE(proxy.rowCount(), rows);
}

void TestModels::sortingUsesNumbersNotText()
{
    ConnectionModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ConnectionModel::SortRole);
    model.setTrace(m_c01);
    proxy.sort(ConnectionModel::PacketsColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, ConnectionModel::PacketsColumn).data().toString(), u"628"_s);
    QCOMPARE(proxy.index(0, 0).data(ConnectionModel::ConnectionIndexRole).toInt(), 1);
    proxy.sort(ConnectionModel::RetransmissionsColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(1, ConnectionModel::RetransmissionsColumn).data(ConnectionModel::SortRole).toULongLong(),
             14ull);
}

void TestModels::traceListShowsOneRowPerFileWithItsBadge()
{
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTraces({m_a04, m_c01});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, TraceListModel::FileColumn).data().toString(), u"a04_linux_http2_server_tso.pcap"_s);
    QCOMPARE(model.index(0, TraceListModel::PacketsColumn).data(TraceListModel::SortRole).toULongLong(), 44ull);
    QCOMPARE(model.index(1, TraceListModel::ConnectionsColumn).data(TraceListModel::SortRole).toULongLong(), 2ull);
    // The a04 frames are oversized either way; which side merged or split them is the core's call.
    const QString badge = model.index(0, 0).data(TraceListModel::BadgeRole).toString();
    QVERIFY2(badge == u"captured on the receiver with GRO/LRO"_s || badge == u"captured on the sender with TSO"_s,
             qPrintable(badge));
    QCOMPARE(model.index(1, 0).data(TraceListModel::BadgeRole).toString(), u"no offload seen"_s);
    QCOMPARE(model.index(0, 0).data(TraceListModel::VerdictRole).toInt(), int(m_a04->offload.verdict));
    QVERIFY(m_a04->offload.verdict != OffloadVerdict::None);
}

void TestModels::evidenceListsCapturePointThenDirections()
{
    EvidenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(m_a04, -1);
    const int pointItems = int(m_a04->offload.capturePoint.evidence.size());
    QCOMPARE(model.rowCount(), pointItems);
    model.setSource(m_a04, 0);
    const Connection &c = *m_a04->connections[0];
    const int all = pointItems + int(c.directions[0].offload.evidence.size() + c.directions[1].offload.evidence.size());
    QVERIFY(all > pointItems);
    QCOMPARE(model.rowCount(), all);
    QCOMPARE(model.index(0, 0).data(EvidenceModel::DirectionRole).toInt(), -1);
    QCOMPARE(model.index(all - 1, 0).data(EvidenceModel::DirectionRole).toInt(), 1);
    QCOMPARE(model.index(all - 1, EvidenceModel::ScopeColumn).data().toString(), u"server→client"_s);
    QVERIFY(!model.index(all - 1, EvidenceModel::TextColumn).data().toString().isEmpty());
    bool sawPayloadOverMss = false;
    for (int r = 0; r < model.rowCount(); ++r)
        sawPayloadOverMss |= model.index(r, 0).data(EvidenceModel::KindRole).toString() == u"payload-over-mss"_s;
    QVERIFY(sawPayloadOverMss);
}

void TestModels::clearingModelsLeavesThemEmpty()
{
    ConnectionModel connections;
    EvidenceModel evidence;
    TraceListModel traces;
    QAbstractItemModelTester t1(&connections, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&evidence, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(&traces, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connections.setTrace(m_c01);
    evidence.setSource(m_c01, 1);
    traces.setTraces({m_c01});
    connections.setTrace(nullptr);
    evidence.clear();
    traces.setTraces({});
    QCOMPARE(connections.rowCount() + evidence.rowCount() + traces.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
