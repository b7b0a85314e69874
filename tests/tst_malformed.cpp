// SPDX-License-Identifier: GPL-3.0-or-later
// The malformed and hostile capture catalogue (issue 7): every damaged file gives either an error naming the
// file and the reason, or the packets that can be read plus a warning with the packet number; never a crash.
#include "loader.h"
#include "report.h"
#include "testutil.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace ol;
using namespace testutil;

namespace {

QString malformed(const QString &name)
{
    return dataFile(QStringLiteral("malformed/") + name);
}
QString regression(const QString &name)
{
    return dataFile(QStringLiteral("fuzz-regressions/") + name);
}

const CaptureWarning *findWarning(const Trace &t, const QString &kind, std::uint64_t packet)
{
    for (const auto &w : t.warnings)
        if (QString::fromStdString(w.kind) == kind && (packet == 0 || w.packet == packet))
            return &w;
    return nullptr;
}

QString warningList(const Trace &t)
{
    QStringList l;
    for (const auto &w : t.warnings)
        l << QStringLiteral("%1@%2").arg(QString::fromStdString(w.kind)).arg(w.packet);
    return l.join(QStringLiteral(", "));
}

} // namespace

class TestMalformed : public QObject
{
    Q_OBJECT

    // The common promise for one file: an error names the file and the reason; a trace holds the expected
    // packets, the expected warning (or none), and goes through both reports with the same numbers.
    static void checkOutcome(const QString &path, const QString &error, int packets, int tcp, const QString &kind,
                             int packet)
    {
        QVERIFY2(QFile::exists(path), qPrintable(path + QStringLiteral(" is missing")));
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY(!r.cancelled);
        if (!error.isEmpty()) {
            QVERIFY2(!r.trace, "the file was expected to be refused");
            const QString e = QString::fromStdString(r.error);
            QVERIFY2(e.startsWith(path + QStringLiteral(": ")), qPrintable(e));
            QVERIFY2(e.contains(error), qPrintable(e));
            return;
        }
        QVERIFY2(r.trace, r.error.c_str());
        const Trace &t = *r.trace;
        QCOMPARE(int(t.counts.packets), packets);
        QCOMPARE(int(t.counts.tcpPackets), tcp);
        if (kind.isEmpty()) {
            QVERIFY2(t.warnings.empty(), qPrintable(QStringLiteral("unexpected warnings: ") + warningList(t)));
        } else {
            const CaptureWarning *w = findWarning(t, kind, std::uint64_t(packet));
            QVERIFY2(
                w,
                qPrintable(
                    QStringLiteral("no %1 warning for packet %2; got: %3").arg(kind).arg(packet).arg(warningList(t))));
            if (packet > 0) // the sentence names the packet too
                QVERIFY2(QString::fromStdString(w->text).contains(QStringLiteral("acket %1").arg(packet)),
                         w->text.c_str());
        }
        const std::vector<const Trace *> traces{&t};
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(reportJson(traces)), &parseError);
        QVERIFY2(!doc.isNull(), qPrintable(parseError.errorString()));
        const QJsonObject file = doc.object().value(QStringLiteral("files")).toArray().at(0).toObject();
        QCOMPARE(file.value(QStringLiteral("packets")).toInteger(), qint64(packets));
        QCOMPARE(file.value(QStringLiteral("warnings")).toArray().size(), qsizetype(t.warnings.size()));
        QVERIFY(!reportText(traces).empty());
    }

    static void outcomeColumns()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("error"); // part of the reason when the file is refused, else empty
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("tcp");
        QTest::addColumn<QString>("kind"); // warning kind expected, empty = no warning at all
        QTest::addColumn<int>("packet"); // the packet that warning names (0 = the file as a whole)
    }
    static void refused(const char *sentence, const QString &file, const QString &reason)
    {
        QTest::newRow(sentence) << file << reason << 0 << 0 << QString() << 0;
    }
    static void loads(const char *sentence, const QString &file, int packets, int tcp, const QString &kind = {},
                      int packet = 0)
    {
        QTest::newRow(sentence) << file << QString() << packets << tcp << kind << packet;
    }

private slots:
    // --- the catalogue: one committed fixture per damage (tests/data/malformed/make-malformed.py) ----------
    void catalogue_data()
    {
        outcomeColumns();
        // The capture file itself.
        refused("an empty file is refused as empty", malformed("empty.pcap"), "the file is empty");
        refused("a file that is not a capture is refused by its magic", malformed("bad-magic.pcap"),
                "not a pcap or pcapng file");
        refused("a truncated global header is refused", malformed("truncated-global-header.pcap"),
                "truncated dump file");
        loads("a truncated record header keeps the 3 packets before it", malformed("truncated-record-header.pcap"), 3,
              3, "truncated", 4);
        loads("a truncated record body keeps the 3 packets before it", malformed("truncated-record-body.pcap"), 3, 3,
              "truncated", 4);
        loads("a record longer than the snapshot length is cut to it and warned",
              malformed("caplen-above-snaplen.pcap"), 3, 3, "caplen-exceeds-snaplen", 2);
        loads("a captured length above the frame length is warned", malformed("caplen-above-len.pcap"), 3, 3,
              "caplen-exceeds-len", 2);
        loads("an absurd frame length on a frame with IP length 0 is warned, not trusted", malformed("absurd-len.pcap"),
              3, 3, "absurd-length", 2);
        loads("an absurd frame length on an ordinary frame is warned", malformed("absurd-len-ordinary-frame.pcap"), 3,
              3, "absurd-length", 2);
        loads("timestamps going backwards are warned", malformed("time-backwards.pcap"), 3, 3, "time-backwards", 2);
        loads("a timestamp before 1970 is clamped and warned", malformed("timestamp-before-1970.pcap"), 3, 3,
              "bad-timestamp", 2);
        loads("a pcapng timestamp past 2106 is clamped and warned", malformed("pcapng-timestamp-beyond-2106.pcapng"), 3,
              3, "bad-timestamp", 2);
        // pcapng.
        loads("a clean pcapng file loads without warnings", malformed("pcapng-baseline.pcapng"), 4, 4);
        loads("a wrong pcapng block length stops reading after the packets before it",
              malformed("pcapng-bad-block-length.pcapng"), 2, 2, "damaged", 3);
        loads("a 4 GiB pcapng block length stops reading without allocating it",
              malformed("pcapng-huge-block-length.pcapng"), 2, 2, "damaged", 3);
        loads("unknown and custom pcapng block types are skipped", malformed("pcapng-unknown-blocks.pcapng"), 4, 4);
        // A section without interfaces is a valid empty capture, so the file opens; its first packet block is
        // the damage (capinfos refuses the file), with no packet before it.
        loads("a packet block before any interface block stops reading at packet 1",
              malformed("pcapng-no-interface-block.pcapng"), 0, 0, "damaged", 1);
        loads("a packet block naming an undescribed interface stops reading",
              malformed("pcapng-bad-interface-id.pcapng"), 2, 2, "damaged", 3);
        // IPv4.
        loads("an IPv4 header length below 5 words is malformed", malformed("ipv4-ihl-below-5.pcap"), 3, 2, "malformed",
              2);
        loads("an IPv4 header length beyond the captured bytes is truncated", malformed("ipv4-ihl-beyond-caplen.pcap"),
              3, 2, "truncated-headers", 2);
        loads("an IPv4 total length below the header length is malformed",
              malformed("ipv4-total-length-below-header.pcap"), 3, 2, "malformed", 2);
        loads("an IPv4 total length of 0 is segmentation offload, not damage",
              malformed("ipv4-total-length-zero-tso.pcap"), 3, 3);
        // IPv6 extension headers.
        loads("an IPv6 extension header chain that loops is malformed", malformed("ipv6-extension-header-loop.pcap"), 3,
              2, "malformed", 2);
        loads("an IPv6 extension header running past the packet is truncated",
              malformed("ipv6-extension-header-past-packet.pcap"), 3, 2, "truncated-headers", 2);
        loads("an IPv6 extension header longer than the payload length is malformed",
              malformed("ipv6-extension-header-past-payload-length.pcap"), 3, 2, "malformed", 2);
        // TCP.
        loads("a TCP data offset below 5 is malformed", malformed("tcp-data-offset-below-5.pcap"), 3, 2, "malformed",
              2);
        loads("a TCP data offset beyond the packet is malformed", malformed("tcp-data-offset-beyond-packet.pcap"), 3, 2,
              "malformed", 2);
        loads("a TCP option of length 0 is warned and the segment kept", malformed("tcp-option-length-0.pcap"), 3, 3,
              "bad-tcp-options", 2);
        loads("a TCP option of length 1 is warned and the segment kept", malformed("tcp-option-length-1.pcap"), 3, 3,
              "bad-tcp-options", 2);
        loads("a TCP option running past the header is warned", malformed("tcp-option-past-header.pcap"), 3, 3,
              "bad-tcp-options", 2);
        loads("a SYN with two MSS options is warned", malformed("syn-two-mss.pcap"), 3, 3, "bad-tcp-options", 1);
        loads("sequence numbers jumping by more than 2^31 are warned as a jump", malformed("seq-jump-over-2g.pcap"), 5,
              5, "seq-jump", 3);
        // Encapsulations (tshark: "Malformed Packet" on packet 2 of each, TCP on 1 and 3).
        loads("a GRE header cut short by the packet end is malformed", malformed("gre-header-cut-short.pcap"), 3, 2,
              "malformed", 2);
        loads("an MPLS stack with no bottom label is malformed", malformed("mpls-no-bottom-label.pcap"), 3, 2,
              "malformed", 2);
        loads("an 802.11 frame shorter than its header is malformed", malformed("wlan-shorter-than-header.pcap"), 3, 2,
              "malformed", 2);
        loads("a radiotap length past the end of the frame is malformed", malformed("radiotap-length-past-frame.pcap"),
              3, 2, "malformed", 2);
    }
    void catalogue()
    {
        QFETCH(QString, file);
        QFETCH(QString, error);
        QFETCH(int, packets);
        QFETCH(int, tcp);
        QFETCH(QString, kind);
        QFETCH(int, packet);
        checkOutcome(file, error, packets, tcp, kind, packet);
    }

    // --- the public malformed captures (tests/data/public, else ../shared/captures/public) ------------------
    void publicMalformed_data()
    {
        outcomeColumns();
        loads("d01: a corrupt record length after 6 packets keeps them", "d01_tls_corrupt_record_caplen.pcap", 6, 6,
              "damaged", 7);
        loads("d02: a garbage record header after 18 packets keeps them", "d02_smtp_corrupt_record_caplen.pcap", 18, 18,
              "damaged", 19);
        loads("d03: a fuzzed huge caplen after 1 packet keeps it", "d03_fuzz_huge_caplen.pcap", 1, 0, "damaged", 2);
        loads("d04: headers cut at 68 bytes are ordinary TCP", "d04_tcp_snaplen68.pcap", 24, 24);
        loads("d05: an IPv4 header without its TCP header is truncated", "d05_ipv4_internally_truncated.pcap", 1, 0,
              "truncated-headers", 1);
        loads("d06: pcapng IPv4 without its TCP header is truncated", "d06_ip_truncated_tcp.pcapng", 1, 0,
              "truncated-headers", 1);
        loads("d07: a fuzzed TCP header with a 256 KiB frame length is truncated", "d07_tcp_hdr_origlen_262144.pcap", 1,
              0, "truncated-headers", 1);
        loads("d08: a fuzzed TCP-AO frame has an untrusted length", "d08_tcp_ao_origlen_262144.pcap", 1, 1,
              "length-mismatch", 1);
        loads("d09: a RST whose data is cut by one byte is ordinary TCP", "d09_tcp_rst_data_caplen_short.pcap", 1, 1);
        loads("d10: invalid nanosecond fractions are clamped and warned", "d10_sll_invalid_nsec_timestamp.pcap", 3, 3,
              "bad-timestamp", 2);
        refused("d11: a pcapng section header option that is too long is refused",
                "d11_pcapng_shb_option_too_long.pcapng", "block total length");
        refused("d12: pcap version 1 is refused", "d12_pcap_version_1.pcap", "archaic pcap savefile format");
        // capinfos: 2 packets (tshark -Y tcp: 0, the IPv4 header is malformed); libpcap alone stopped at the
        // second interface, the pcapng block reader reads on.
        loads("d13: pcapng named .pcap is read as pcapng, past libpcap's stop at its second interface",
              "d13_ipv4_malformed_pcapng_named_pcap.pcap", 2, 0, "malformed", 1);
        loads("d14: a frame shorter than an Ethernet header is truncated", "d14_caplen8_trunc_hdr.pcap", 1, 0,
              "truncated-headers", 1);
        loads("a07: a trailing stray byte keeps all 785 packets", "a07_docker_pgsql_gso_trailing_byte.pcap", 785, 785,
              "truncated", 786);
    }
    void publicMalformed()
    {
        QFETCH(QString, file);
        QFETCH(QString, error);
        QFETCH(int, packets);
        QFETCH(int, tcp);
        QFETCH(QString, kind);
        QFETCH(int, packet);
        const QString path = publicCapture(file);
        if (path.isEmpty())
            QSKIP("public capture not available (tests/data/public or ../shared/captures/public)");
        checkOutcome(path, error, packets, tcp, kind, packet);
    }

    // --- inputs the fuzzer found (tests/fuzz/run-fuzz.sh), kept so that they stay fixed -------------------
    void fuzzRegressions_data()
    {
        outcomeColumns();
        for (const RegressionRow &row : regressions())
            QTest::newRow(row.sentence) << regression(QString::fromLatin1(row.file)) << QString::fromLatin1(row.error)
                                        << row.packets << row.tcp << QString::fromLatin1(row.kind) << row.packet;
        if (regressions().empty())
            QTest::newRow("no regression recorded yet") << QString() << QString() << 0 << 0 << QString() << 0;
    }
    void fuzzRegressions()
    {
        QFETCH(QString, file);
        QFETCH(QString, error);
        QFETCH(int, packets);
        QFETCH(int, tcp);
        QFETCH(QString, kind);
        QFETCH(int, packet);
        if (file.isEmpty())
            QSKIP("no fuzz regression recorded");
        checkOutcome(file, error, packets, tcp, kind, packet);
    }

    void everyRegressionFileHasARow()
    {
        QStringList rows;
        for (const RegressionRow &row : regressions())
            rows << QString::fromLatin1(row.file);
        QDirIterator it(dataFile(QStringLiteral("fuzz-regressions")), QDir::Files);
        while (it.hasNext()) {
            const QString name = QFileInfo(it.next()).fileName();
            if (name.endsWith(QLatin1String(".md")))
                continue;
            QVERIFY2(rows.contains(name), qPrintable(name + QStringLiteral(" has no row in fuzzRegressions")));
        }
    }

    // --- rows whose outcome needs more than the common check ------------------------------------------------
    void ipLengthZeroIsMeasuredFromTheFrame()
    {
        const LoadResult r = loadTrace(malformed("ipv4-total-length-zero-tso.pcap").toStdString());
        QVERIFY(r.trace);
        QCOMPARE(r.trace->connections.size(), std::size_t(1));
        const DirectionStats &s = r.trace->connections[0]->directions[0].stats;
        QCOMPARE(s.ipLengthZero, 1u);
        QCOMPARE(s.maxPayload, 3000u);
        QCOMPARE(s.lengthMismatch, 0u);
    }

    void absurdFrameLengthIsNotTrusted()
    {
        // Trusting a 4 GB record length on a frame with IP length 0 would make a 4 GB segment.
        const LoadResult r = loadTrace(malformed("absurd-len.pcap").toStdString());
        QVERIFY(r.trace);
        const DirectionStats &s = r.trace->connections.at(0)->directions[0].stats;
        QCOMPARE(s.maxPayload, 100u);
        QCOMPARE(s.payloadBytes, 120u);
    }

    void firstMssOptionCounts()
    {
        const LoadResult r = loadTrace(malformed("syn-two-mss.pcap").toStdString());
        QVERIFY(r.trace);
        QCOMPARE(r.trace->connections.size(), std::size_t(1));
        const HandshakeOptions &h = r.trace->connections[0]->directions[0].handshake;
        QVERIFY(h.hasMss);
        QCOMPARE(h.mss, std::uint16_t(1460));
    }

    void sequenceJumpIsAGapNotRetransmissions()
    {
        const LoadResult r = loadTrace(malformed("seq-jump-over-2g.pcap").toStdString());
        QVERIFY(r.trace);
        QCOMPARE(r.trace->connections.size(), std::size_t(1));
        const FlowDirection &d = r.trace->connections[0]->directions[0];
        QCOMPARE(d.stats.retransmissions, 0u);
        QCOMPARE(d.stats.outOfOrder, 0u);
        QCOMPARE(d.stats.gapEvents, 1u);
        QCOMPARE(d.stats.uniqueBytes, 50u);
        QCOMPARE(d.segments[2].relSeq, (std::int64_t(1) << 31) + 26);
        QVERIFY(d.segments[3].relSeq > d.segments[2].relSeq);
    }

    void pcapngDirectionsStayInStepAcrossUnknownBlocks()
    {
        const LoadResult r = loadTrace(malformed("pcapng-unknown-blocks.pcapng").toStdString());
        QVERIFY(r.trace);
        const FlowDirection &d = r.trace->connections.at(0)->directions[0];
        QCOMPARE(d.segments.size(), std::size_t(4));
        // Flags 1 (inbound), 2 (outbound), 1, 2 on the four packets, with a block of another type before each.
        for (std::size_t i = 0; i < 4; ++i)
            QCOMPARE(d.segments[i].recordedDirection(),
                     std::uint8_t(i % 2 ? RecordedDirection::Outgoing : RecordedDirection::Incoming));
    }

    void hundredThousandConnections()
    {
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        constexpr int N = 100000;
        for (int i = 0; i < N; ++i) {
            TcpSpec s;
            s.src = 0xC0000200u + std::uint32_t(i / 60000); // 192.0.2.0 and .1
            s.sport = std::uint16_t(1024 + i % 60000);
            s.flags = tcpflag::Syn;
            s.seq = std::uint32_t(i) * 7919u;
            s.options = mssOption(1460);
            f.add(1700000000 + i / 1000, std::uint32_t(i % 1000) * 1000, ethernet(ipv4Tcp(s)));
        }
        QElapsedTimer timer;
        timer.start();
        const LoadResult r = loadTrace(f.write(dir, "many.pcap").toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(r.trace->counts.packets, std::uint64_t(N));
        QCOMPARE(r.trace->connections.size(), std::size_t(N));
        QVERIFY2(r.trace->warnings.empty(), qPrintable(warningList(*r.trace)));
        // One first chunk (16 records) per direction that sent something: memory grows with connections only.
        QVERIFY(r.trace->segmentBytes() <= std::size_t(N) * 16 * sizeof(Segment));
        const qint64 loadMs = timer.restart();
        // The text report; the JSON one (about 3.5 kB per connection, 350 MB here) is left out to keep
        // the asan suite's memory and time reasonable.
        const std::string text = reportText({r.trace.get()});
        QVERIFY(!text.empty());
        qInfo("100,000 connections: loaded in %lld ms, %zu kB of text report in %lld ms", loadMs, text.size() >> 10,
              qint64(timer.elapsed()));
    }

    void reusedFourTupleGivesOneConnectionPerHandshake()
    {
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        constexpr int N = 1000;
        std::int64_t sec = 1700000000;
        for (int i = 0; i < N; ++i) {
            TcpSpec syn;
            syn.flags = tcpflag::Syn;
            syn.seq = 1000u + std::uint32_t(i) * 100000u;
            syn.options = mssOption(1460);
            TcpSpec synAck = syn;
            std::swap(synAck.src, synAck.dst);
            std::swap(synAck.sport, synAck.dport);
            synAck.flags = tcpflag::Syn | tcpflag::Ack;
            synAck.seq = 5000u + std::uint32_t(i) * 300000u;
            synAck.ack = syn.seq + 1;
            TcpSpec ack;
            ack.flags = tcpflag::Ack;
            ack.seq = syn.seq + 1;
            ack.ack = synAck.seq + 1;
            TcpSpec fin = ack;
            fin.flags = tcpflag::Fin | tcpflag::Ack;
            f.add(sec, 0, ethernet(ipv4Tcp(syn)));
            f.add(sec, 100, ethernet(ipv4Tcp(synAck)));
            f.add(sec, 200, ethernet(ipv4Tcp(ack)));
            f.add(sec, 300, ethernet(ipv4Tcp(fin)));
            ++sec;
        }
        const LoadResult r = loadTrace(f.write(dir, "reuse.pcap").toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(r.trace->connections.size(), std::size_t(N));
        for (const auto &c : r.trace->connections) {
            QCOMPARE(c->packets, 4u);
            QVERIFY(!c->midstream);
            QCOMPARE(c->client.port, std::uint16_t(40000));
            QCOMPARE(c->directions[0].stats.retransmissions, 0u);
        }
        QVERIFY2(r.trace->warnings.empty(), qPrintable(warningList(*r.trace)));
    }

    void cliRefusesWithExitCodeAndKeepsDamagedFiles()
    {
        // A file that cannot be read: exit code 1 and one line naming the file and the reason.
        QProcess refused;
        refused.start(QStringLiteral(OFFLOADLENS_BINARY),
                      {QStringLiteral("report"), QStringLiteral("--json"), QStringLiteral("--quiet"),
                       malformed(QStringLiteral("bad-magic.pcap"))});
        QVERIFY(refused.waitForFinished(60000));
        QCOMPARE(refused.exitCode(), 1);
        const QString error = QString::fromUtf8(refused.readAllStandardError());
        QVERIFY2(error.contains(malformed(QStringLiteral("bad-magic.pcap"))) && error.contains("not a pcap"),
                 qPrintable(error));
        // A damaged file: exit code 0, the packets before the damage and the warning in the JSON.
        QProcess damaged;
        damaged.start(QStringLiteral(OFFLOADLENS_BINARY),
                      {QStringLiteral("report"), QStringLiteral("--json"), QStringLiteral("--quiet"),
                       malformed(QStringLiteral("truncated-record-body.pcap"))});
        QVERIFY(damaged.waitForFinished(60000));
        QCOMPARE(damaged.exitCode(), 0);
        const QJsonObject file =
            QJsonDocument::fromJson(damaged.readAllStandardOutput()).object()[QStringLiteral("files")][0].toObject();
        QCOMPARE(file[QStringLiteral("packets")].toInt(), 3);
        const QJsonObject w = file[QStringLiteral("warnings")][0].toObject();
        QCOMPARE(w[QStringLiteral("kind")].toString(), QStringLiteral("truncated"));
        QCOMPARE(w[QStringLiteral("packet")].toInt(), 4);
    }

    void fixturesMatchTheirScript()
    {
        OL_REQUIRE_TOOL(python, "python3", "python3");
        QTemporaryDir dir;
        QProcess p;
        p.start(python, {malformed(QStringLiteral("make-malformed.py")), dir.path()});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QStringList made = QDir(dir.path()).entryList(QDir::Files);
        QVERIFY(made.size() >= 30);
        for (const QString &name : made) {
            QFile generated(dir.filePath(name));
            QFile committed(malformed(name));
            QVERIFY(generated.open(QIODevice::ReadOnly));
            QVERIFY2(committed.open(QIODevice::ReadOnly), qPrintable(name + QStringLiteral(" is not committed")));
            QVERIFY2(generated.readAll() == committed.readAll(), qPrintable(name + QStringLiteral(" is out of date")));
        }
    }

private:
    struct RegressionRow {
        const char *sentence;
        const char *file; // in tests/data/fuzz-regressions
        const char *error;
        int packets;
        int tcp;
        const char *kind;
        int packet;
    };
    // One row per crasher the fuzzer found, with the outcome the fixed code gives for it.
    static const std::vector<RegressionRow> &regressions()
    {
        static const std::vector<RegressionRow> rows = {
            {"a handshake ACK 80 years after its SYN/ACK does not overflow the timing evidence",
             "handshake-timing-overflow.pcapng", "", 3, 3, "bad-timestamp", 3},
        };
        return rows;
    }
};

QTEST_GUILESS_MAIN(TestMalformed)
#include "tst_malformed.moc"
