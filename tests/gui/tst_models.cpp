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

#include <algorithm>

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
    // Each expected number is tshark's reading of the capture (run below): a display filter and what to do with
    // the field it prints. The capture holds one connection, 172.16.5.1:49178 (client) <-> 172.16.5.10:8443.
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reduce"); // count, sum, max or first
    QTest::newRow("packets are every frame of the connection")
        << int(ConnectionModel::PacketsColumn) << u"tcp.stream == 0"_s << u"frame.number"_s << u"count"_s;
    QTest::newRow("bytes to the client are the TCP payload the server sent")
        << int(ConnectionModel::BytesToClientColumn) << u"ip.src == 172.16.5.10"_s << u"tcp.len"_s << u"sum"_s;
    QTest::newRow("bytes to the server are the TCP payload the client sent")
        << int(ConnectionModel::BytesToServerColumn) << u"ip.src == 172.16.5.1"_s << u"tcp.len"_s << u"sum"_s;
    QTest::newRow("the MSS towards the client is the one the client's SYN announced")
        << int(ConnectionModel::MssToClientColumn) << u"tcp.flags.syn == 1 && ip.src == 172.16.5.1"_s
        << u"tcp.options.mss_val"_s << u"first"_s;
    QTest::newRow("the MSS towards the server is the one the server's SYN/ACK announced")
        << int(ConnectionModel::MssToServerColumn) << u"tcp.flags.syn == 1 && ip.src == 172.16.5.10"_s
        << u"tcp.options.mss_val"_s << u"first"_s;
    QTest::newRow("the largest payload is tshark's largest tcp.len")
        << int(ConnectionModel::MaxPayloadColumn) << u"tcp"_s << u"tcp.len"_s << u"max"_s;
    // 1448 = the MSS of 1460 minus the 12 bytes of the timestamp option every segment of this capture carries.
    QTest::newRow("oversized segments carry more than the effective MSS of 1448 bytes")
        << int(ConnectionModel::OversizedColumn) << u"tcp.len > 1448"_s << u"frame.number"_s << u"count"_s;
    QTest::newRow("retransmissions are those tshark's analysis flags")
        << int(ConnectionModel::RetransmissionsColumn) << u"tcp.analysis.retransmission"_s << u"frame.number"_s
        << u"count"_s;
}

void TestModels::connectionSortRoleIsNumeric()
{
    QFETCH(int, column);
    QFETCH(QString, filter);
    QFETCH(QString, field);
    QFETCH(QString, reduce);
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    const QStringList values = test::tsharkField(test::A04, filter, field);
    QVERIFY2(!values.isEmpty() && values.first() != u"tshark failed"_s, qPrintable(filter));
    qulonglong expected = 0;
    for (const QString &v : values) {
        const qulonglong n = v.section(u',', 0, 0).toULongLong();
        if (reduce == u"count"_s)
            ++expected;
        else if (reduce == u"sum"_s)
            expected += n;
        else if (reduce == u"max"_s)
            expected = std::max(expected, n);
    }
    if (reduce == u"first"_s)
        expected = values.first().toULongLong();
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
    // Where each cell comes from: `tshark -q -z conv,tcp` (endpoints, 44 frames, duration 0.1911 s), tshark's
    // tcp.len summed per ip.src (939 from the client, 77,552 from the server) and its largest tcp.len (12,998),
    // the SYN and SYN/ACK MSS options (1460 each; 1448 after the 12-byte timestamp option), `tcp.len > 1448`
    // (10 frames, all from the server) and tcp.analysis.retransmission (1 frame). The verdict is the capture's
    // provenance in /work/shared/captures/public/MANIFEST.md: captured on the receiving client, the large frames
    // coalesced there (GRO), despite the file name.
    const QStringList expected = {
        u"0"_s,
        u"172.16.5.1:49178"_s,
        u"172.16.5.10:8443"_s,
        u"44"_s,
        u"939"_s,
        u"77,552"_s,
        u"0.191 s"_s,
        u"1460 / 1448"_s,
        u"1460 / 1448"_s,
        u"12,998"_s,
        u"10"_s,
        u"1"_s,
        u"server→client: receive coalescing (LRO/GRO)"_s,
        u"eth / ipv4 / tcp"_s, // tshark frame.protocols: eth:ethertype:ip:tcp
    };
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
