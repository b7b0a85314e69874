// SPDX-License-Identifier: GPL-3.0-or-later
// Wireshark interop, checked against tshark: the annotated pcapng copy ("offloadlens export --out x.pcapng")
// holds exactly the original packets with a comment on every oversized frame, and the display filters of a
// connection match exactly its frames and its oversized frames.
#include "annotatedpcapng.h"
#include "displayfilter.h"
#include "loader.h"
#include "readerutil.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ol;
using namespace testutil;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run runOffloadlens(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(OFFLOADLENS_BINARY), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QString resource(const QString &name)
{
    return QStringLiteral(OFFLOADLENS_TEST_DATA "/../../resources/demo/") + name;
}

QByteArray md5(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Md5);
    h.addData(&f);
    return h.result().toHex();
}

/// Every frame as tshark sees it: captured and original length, epoch time, the bytes' MD5, link type and
/// interface name. What the copy must keep exactly.
QList<QStringList> framesOf(const QString &tshark, const QString &path)
{
    QProcess p;
    p.start(tshark,
            {QStringLiteral("-r"), path, QStringLiteral("-n"), QStringLiteral("-o"),
             QStringLiteral("frame.generate_md5_hash:TRUE"), QStringLiteral("-T"), QStringLiteral("fields"),
             QStringLiteral("-e"), QStringLiteral("frame.len"), QStringLiteral("-e"), QStringLiteral("frame.cap_len"),
             QStringLiteral("-e"), QStringLiteral("frame.time_epoch"), QStringLiteral("-e"),
             QStringLiteral("frame.md5_hash"), QStringLiteral("-e"), QStringLiteral("frame.encap_type"),
             QStringLiteral("-e"), QStringLiteral("frame.interface_name")});
    p.waitForFinished(120000);
    QList<QStringList> rows;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(QLatin1Char('\t'));
    return rows;
}

/// Sum of oversized_segments over every direction of every connection in the JSON report.
qint64 reportedOversized(const QString &capture)
{
    const Run r = runOffloadlens(
        {QStringLiteral("report"), QStringLiteral("--json"), QStringLiteral("--quiet"), capture});
    const QJsonObject file = QJsonDocument::fromJson(r.out).object()[u"files"].toArray().at(0).toObject();
    qint64 n = 0;
    for (const QJsonValue &c : file[u"connections"].toArray())
        for (const QJsonValue &d : c.toObject()[u"directions"].toArray())
            n += d.toObject()[u"oversized_segments"].toInteger();
    return n;
}

const QRegularExpression ClassComment(
    QStringLiteral("OffloadLens (send-offload|receive-offload|oversized-unexplained): "
                   "([0-9,]+) bytes"));

} // namespace

class TestInterop : public QObject
{
    Q_OBJECT
private slots:
    void annotatedCopyKeepsEveryPacketAndCommentsEveryOversizedFrame_data();
    void annotatedCopyKeepsEveryPacketAndCommentsEveryOversizedFrame();
    void annotatedCopyKeepsTheCommentsAlreadyThere();
    void bothByteOrdersAndSectionsKeepTheirBlocksAndGetTheComments();
    void existingOutputIsRefusedWithoutForce();
    void theInputIsNeverOverwritten();
    void userAnnotationsBecomeComments();
    void connectionFilterMatchesItsFramesInTshark_data();
    void connectionFilterMatchesItsFramesInTshark();
    void filtersNameAddressesAndPorts();
};

void TestInterop::annotatedCopyKeepsEveryPacketAndCommentsEveryOversizedFrame_data()
{
    QTest::addColumn<QString>("capture");
    QTest::addColumn<bool>("expectOversized");
    QTest::newRow("a pcap of a TSO sender") << resource(QStringLiteral("1-sender-with-tso.pcap")) << true;
    QTest::newRow("a pcap of a GRO receiver") << resource(QStringLiteral("3-receiver-with-gro.pcap")) << true;
    QTest::newRow("a pcap without offload") << resource(QStringLiteral("4-no-offload.pcap")) << false;
    QTest::newRow("a pcapng server capture") << dataFile(QStringLiteral("gen_pcapng_server.pcapng")) << true;
    QTest::newRow("an IPv6 TSO capture") << dataFile(QStringLiteral("gen_ipv6_tso_server.pcap")) << true;
    QTest::newRow("a Windows LSO pcapng with IP length 0")
        << publicCapture(QStringLiteral("a02_win_kerberos_smb_tso_iplen0.pcapng")) << true;
    QTest::newRow("a pcapng of two interfaces, Ethernet and SLL")
        << publicCapture(QStringLiteral("c10_pcapng_2if_ether_sll.pcapng")) << true; // frame 74: 2,896 bytes
    QTest::newRow("a pcapng of eleven interfaces") << publicCapture(QStringLiteral("c11_pcapng_11if.pcapng")) << false;
    QTest::newRow("a zstd-compressed pcap") << publicCapture(QStringLiteral("e28_sll_any_dup_unsw.pcap.zst")) << false;
    QTest::newRow("a gzip-compressed pcap")
        << publicCapture(QStringLiteral("e09_mpls_iperf_handshake.pcap.gz")) << false;
    QTest::newRow("a nanosecond pcap") << publicCapture(QStringLiteral("c09_http_nsec.pcap")) << false;
}

void TestInterop::annotatedCopyKeepsEveryPacketAndCommentsEveryOversizedFrame()
{
    QFETCH(QString, capture);
    QFETCH(bool, expectOversized);
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    if (!QFile::exists(capture))
        QSKIP("fixture not present");
    const QByteArray before = md5(capture);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("annotated.pcapng"));
    const Run r = runOffloadlens({QStringLiteral("export"), QStringLiteral("--out"), out, capture});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(md5(capture), before); // the original is only read

    const QList<QStringList> original = framesOf(tshark, capture);
    const QList<QStringList> copy = framesOf(tshark, out);
    QVERIFY(!original.isEmpty());
    QCOMPARE(copy.size(), original.size());
    for (qsizetype i = 0; i < original.size(); ++i) {
        QStringList got = copy[i];
        // A pcap has no interface names; tshark calls the interface of the copy's one IDB "unknown" then.
        if (original[i].value(5).isEmpty() && got.size() > 5)
            got[5].clear();
        QCOMPARE(got, original[i]); // length, time, bytes, link type, interface name: frame by frame
    }
    QVERIFY(r.out.contains(QByteArray::number(original.size()) + " packets"));

    // A comment on every frame the report counts as oversized, and each on a frame of the size it states.
    const QList<QStringList> commented = tsharkFields(
        tshark, out, QStringLiteral("frame.comment"),
        {QStringLiteral("frame.number"), QStringLiteral("tcp.len"), QStringLiteral("frame.comment")});
    qint64 classified = 0;
    for (const QStringList &row : commented) {
        const QRegularExpressionMatch m = ClassComment.match(row.value(2));
        if (!m.hasMatch())
            continue;
        ++classified;
        const QString payload = m.captured(2).remove(QLatin1Char(','));
        // tshark gives tcp.len for every TCP layer (a tunnel has two); the inner one is the last.
        QCOMPARE(row.value(1).split(QLatin1Char(',')).constLast(), payload);
    }
    const qint64 reported = reportedOversized(capture);
    QCOMPARE(classified, reported);
    QCOMPARE(reported > 0, expectOversized);
}

void TestInterop::annotatedCopyKeepsTheCommentsAlreadyThere()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    const QString capture = publicCapture(QStringLiteral("c10_pcapng_2if_ether_sll.pcapng"));
    if (capture.isEmpty())
        QSKIP("fixture not present");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("c10.pcapng"));
    QCOMPARE(runOffloadlens({QStringLiteral("export"), QStringLiteral("--out"), out, capture}).code, 0);
    const QStringList fields{QStringLiteral("frame.number"), QStringLiteral("frame.comment")};
    const QList<QStringList> old = tsharkFields(tshark, capture, QStringLiteral("frame.comment"), fields);
    QCOMPARE(old.size(), 100); // capinfos/tshark: frames 60..159 carry "Packet #n"
    const QList<QStringList> kept = tsharkFields(tshark, out, QStringLiteral("frame.comment"), fields);
    QVERIFY(kept.size() >= old.size());
    qsizetype j = 0;
    for (const QStringList &row : old) {
        while (j < kept.size() && kept[j][0] != row[0])
            ++j;
        QVERIFY2(j < kept.size(), qPrintable(row[0]));
        QVERIFY2(kept[j][1].startsWith(row[1]), qPrintable(kept[j][1])); // the old comment first, ours after
    }
}

void TestInterop::bothByteOrdersAndSectionsKeepTheirBlocksAndGetTheComments()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    // Two sections: little-endian with an Ethernet interface, big-endian with raw IP and Ethernet in nanoseconds;
    // packet flags (inbound / outbound) on some packets.
    TcpSpec spec;
    spec.flags = 0x18;
    spec.payload = spec.capturePayload = 100;
    const QByteArray frame = ethernet(ipv4Tcp(spec));
    const QByteArray raw = ipv4Tcp(spec);
    readerutil::PcapngBuilder b;
    b.section(false);
    b.interface(1, 65535, "eth-le");
    b.packet(0, 1700000000000001ull, frame, 1);
    b.packet(0, 1700000000000002ull, frame);
    b.section(true);
    b.interface(101, 0, "raw-be", 9);
    b.interface(1, 262144, "eth-be");
    b.packet(0, 1700000000000000003ull, raw, 2);
    b.packet(1, 1700000000000004ull, frame);
    b.packet(0, 1700000000000000005ull, raw);
    QTemporaryDir dir;
    const QString in = writeRaw(dir, QStringLiteral("mixed.pcapng"), b.bytes());
    const QString out = dir.filePath(QStringLiteral("mixed-annotated.pcapng"));
    FrameComments comments;
    comments[1] = {"first, little-endian, with flags"};
    comments[3] = {"third, big-endian, with flags", "and a second comment"};
    comments[5] = {"fifth"};
    const AnnotatedPcapngResult r = writeAnnotatedPcapng(in.toStdString(), out.toStdString(), comments, false);
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.packets, std::uint64_t(5));
    QCOMPARE(r.commented, std::uint64_t(3));
    const QList<QStringList> original = framesOf(tshark, in);
    QCOMPARE(original.size(), 5); // tshark reads the hand-built file whole
    QCOMPARE(framesOf(tshark, out), original);
    const QStringList fields{QStringLiteral("frame.number"), QStringLiteral("frame.packet_flags_direction"),
                             QStringLiteral("frame.comment")};
    QCOMPARE(tsharkFields(tshark, out, QStringLiteral("frame"), {QStringLiteral("frame.packet_flags_direction")}),
             tsharkFields(tshark, in, QStringLiteral("frame"), {QStringLiteral("frame.packet_flags_direction")}));
    const QList<QStringList> commented = tsharkFields(tshark, out, QStringLiteral("frame.comment"), fields);
    QCOMPARE(commented.size(), 3);
    QCOMPARE(commented[0][0], QStringLiteral("1"));
    QCOMPARE(commented[0][2], QStringLiteral("first, little-endian, with flags"));
    QCOMPARE(commented[1][0], QStringLiteral("3"));
    QVERIFY2(commented[1][2].contains(QStringLiteral("third, big-endian"))
                 && commented[1][2].contains(QStringLiteral("second comment")),
             qPrintable(commented[1][2]));
    QCOMPARE(commented[2][0], QStringLiteral("5"));
}

void TestInterop::existingOutputIsRefusedWithoutForce()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    const QString capture = resource(QStringLiteral("1-sender-with-tso.pcap"));
    QTemporaryDir dir;
    const QString out = writeRaw(dir, QStringLiteral("exists.pcapng"), QByteArray("keep me"));
    const Run refused = runOffloadlens({QStringLiteral("export"), QStringLiteral("--out"), out, capture});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains("already exists (use --force"), refused.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("keep me"));
    f.close();
    const Run forced = runOffloadlens(
        {QStringLiteral("export"), QStringLiteral("--force"), QStringLiteral("--out"), out, capture});
    QVERIFY2(forced.code == 0, forced.err.constData());
    QCOMPARE(tsharkFields(tshark, out, QStringLiteral("frame"), {QStringLiteral("frame.number")}).size(), 484);
    QCOMPARE(dir.path(), QFileInfo(out).absolutePath());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("exists.pcapng")}); // no leftovers
}

void TestInterop::theInputIsNeverOverwritten()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(QStringLiteral("input.pcapng"));
    QVERIFY(QFile::copy(dataFile(QStringLiteral("gen_pcapng_server.pcapng")), capture));
    const QByteArray before = md5(capture);
    const Run r = runOffloadlens(
        {QStringLiteral("export"), QStringLiteral("--force"), QStringLiteral("--out"), capture, capture});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("never overwritten"), r.err.constData());
    QCOMPARE(md5(capture), before);
    // The core refuses it too, whatever the caller checked.
    const AnnotatedPcapngResult core = writeAnnotatedPcapng(capture.toStdString(), capture.toStdString(), {}, true);
    QVERIFY(!core.ok);
    QCOMPARE(md5(capture), before);
}

void TestInterop::userAnnotationsBecomeComments()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    QTemporaryDir dir;
    const QString capture = dir.filePath(QStringLiteral("sender.pcap"));
    QVERIFY(QFile::copy(resource(QStringLiteral("1-sender-with-tso.pcap")), capture));
    // A sidecar as the GUI writes it (model/qt/sessionfile): a note pinned to frame 20 of connection 0.
    const QByteArray sidecar = R"({"format":"offloadlens-session","version":1,"annotations":[
        {"id":1,"kind":"note","chart":"frame-size","connection":0,"direction":1,"frame":20,
         "x":0.1,"y":1000,"text":"look here, Wireshark"}]})";
    writeRaw(dir, QStringLiteral("sender.pcap.offloadlens.json"), sidecar);
    const QString out = dir.filePath(QStringLiteral("noted.pcapng"));
    const Run r = runOffloadlens({QStringLiteral("export"), QStringLiteral("--out"), out, capture});
    QVERIFY2(r.code == 0, r.err.constData());
    const QList<QStringList> rows = tsharkFields(tshark, out, QStringLiteral("frame.comment contains \"look here\""),
                                                 {QStringLiteral("frame.number")});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0][0], QStringLiteral("20"));
    const QString bare = dir.filePath(QStringLiteral("bare.pcapng"));
    QCOMPARE(
        runOffloadlens({QStringLiteral("export"), QStringLiteral("--no-notes"), QStringLiteral("--out"), bare, capture})
            .code,
        0);
    QCOMPARE(tsharkFields(tshark, bare, QStringLiteral("frame.comment contains \"look here\""),
                          {QStringLiteral("frame.number")})
                 .size(),
             0);
}

void TestInterop::connectionFilterMatchesItsFramesInTshark_data()
{
    QTest::addColumn<QString>("capture");
    QTest::newRow("TSO sender") << resource(QStringLiteral("1-sender-with-tso.pcap"));
    QTest::newRow("GRO receiver") << resource(QStringLiteral("3-receiver-with-gro.pcap"));
    QTest::newRow("IPv6 TSO") << dataFile(QStringLiteral("gen_ipv6_tso_server.pcap"));
    QTest::newRow("several connections") << dataFile(QStringLiteral("gen_multi_server.pcap"));
    QTest::newRow("jumbo MSS") << dataFile(QStringLiteral("gen_jumbo_server.pcap"));
    QTest::newRow("Windows LSO with IP length 0")
        << publicCapture(QStringLiteral("a02_win_kerberos_smb_tso_iplen0.pcapng"));
    QTest::newRow("macOS TSO") << publicCapture(QStringLiteral("a03_macos_vnc_server_tso.pcap"));
}

void TestInterop::connectionFilterMatchesItsFramesInTshark()
{
    QFETCH(QString, capture);
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    if (!QFile::exists(capture))
        QSKIP("fixture not present");
    const LoadResult loaded = loadTrace(capture.toStdString());
    QVERIFY(loaded.trace);
    int checked = 0;
    for (const auto &c : loaded.trace->connections) {
        if (checked == 5)
            break;
        ++checked;
        const QString filter = QString::fromStdString(connectionDisplayFilter(*c));
        const qsizetype frames = tsharkFields(tshark, capture, filter, {QStringLiteral("frame.number")}).size();
        QVERIFY2(frames == qsizetype(c->packets),
                 qPrintable(QStringLiteral("%1: tshark %2, ours %3").arg(filter).arg(frames).arg(c->packets)));
        const std::uint64_t ours = c->directions[0].offload.oversized() + c->directions[1].offload.oversized();
        const QString over = QString::fromStdString(oversizedDisplayFilter(*c));
        if (over.isEmpty()) {
            QCOMPARE(ours, std::uint64_t(0));
            continue;
        }
        const qsizetype oversized = tsharkFields(tshark, capture, over, {QStringLiteral("frame.number")}).size();
        QVERIFY2(oversized == qsizetype(ours),
                 qPrintable(QStringLiteral("%1: tshark %2, ours %3").arg(over).arg(oversized).arg(ours)));
    }
    QVERIFY(checked > 0);
}

void TestInterop::filtersNameAddressesAndPorts()
{
    Connection c;
    const std::uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const std::uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    c.client = {IpAddress::v6(a), 40000};
    c.server = {IpAddress::v6(b), 443};
    c.directions[0].from = c.client;
    c.directions[1].from = c.server;
    QCOMPARE(connectionDisplayFilter(c),
             std::string("ipv6.addr==2001:db8::1 && ipv6.addr==2001:db8::2 && "
                         "tcp.port==40000 && tcp.port==443"));
    QCOMPARE(oversizedDisplayFilter(c), std::string()); // no MSS known: no oversized filter
    c.directions[1].offload.analyzed = true;
    c.directions[1].offload.effectiveMss = 1428;
    QCOMPARE(oversizedDisplayFilter(c),
             connectionDisplayFilter(c) + " && ipv6.src==2001:db8::2 && tcp.srcport==443 && tcp.len > 1428");
    c.directions[0].offload.analyzed = true;
    c.directions[0].offload.effectiveMss = 1428;
    QCOMPARE(oversizedDisplayFilter(c), connectionDisplayFilter(c) + " && tcp.len > 1428");
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
