// SPDX-License-Identifier: GPL-3.0-or-later
// Capture reading: byte orders, timestamp precision, pcapng, and damaged files (errors name the file and
// the reason; damage keeps the packets before it and adds a warning with the packet number).
#include "loader.h"
#include "testutil.h"

#include <QtTest>

using namespace ol;
using namespace testutil;

class TestReader : public QObject
{
    Q_OBJECT

    static QByteArray frame(std::uint32_t seq)
    {
        TcpSpec s;
        s.seq = seq;
        s.payload = s.capturePayload = 10;
        return ethernet(ipv4Tcp(s));
    }
    static bool hasWarning(const Trace &t, const char *kind, std::uint64_t packet = 0)
    {
        for (const auto &w : t.warnings)
            if (w.kind == kind && (packet == 0 || w.packet == packet))
                return true;
        return false;
    }

private slots:
    void byteOrderAndPrecision_data()
    {
        QTest::addColumn<bool>("nano");
        QTest::addColumn<bool>("bigEndian");
        QTest::newRow("little-endian microseconds") << false << false;
        QTest::newRow("big-endian microseconds") << false << true;
        QTest::newRow("little-endian nanoseconds") << true << false;
        QTest::newRow("big-endian nanoseconds") << true << true;
    }
    void byteOrderAndPrecision()
    {
        QFETCH(bool, nano);
        QFETCH(bool, bigEndian);
        QTemporaryDir dir;
        PcapFile f(LinkEthernet, nano, bigEndian);
        f.add(1700000000, nano ? 123456789 : 123456, frame(1));
        f.add(1700000001, nano ? 5 : 5, frame(11));
        const LoadResult r = loadTrace(f.write(dir, "t.pcap").toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(r.trace->counts.packets, 2u);
        QCOMPARE(r.trace->counts.tcpPackets, 2u);
        QCOMPARE(r.trace->format, CaptureFormat::Pcap);
        const TimeNs first = 1700000000LL * 1000000000LL + (nano ? 123456789 : 123456000);
        QCOMPARE(r.trace->firstTime, first);
        QCOMPARE(r.trace->lastTime, 1700000001LL * 1000000000LL + (nano ? 5 : 5000));
        QCOMPARE(r.trace->connections.size(), std::size_t(1));
    }

    void unreadableFilesGiveAReason_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("an empty file") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("bad magic") << QByteArray("GIF89a this is a picture") << QStringLiteral("not a pcap or pcapng");
        QTest::newRow("truncated global header")
            << QByteArray("\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8) << QStringLiteral("libpcap");
        QTest::newRow("pcap version 1") << QByteArray("\xd4\xc3\xb2\xa1\x01\x00\x04\x00", 8) + QByteArray(16, '\0')
                                        << QStringLiteral("libpcap");
    }
    void unreadableFilesGiveAReason()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = writeRaw(dir, "bad.pcap", bytes);
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY(!r.trace);
        const QString error = QString::fromStdString(r.error);
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void missingFileNamesTheFile()
    {
        const LoadResult r = loadTrace("/nonexistent/x.pcap");
        QVERIFY(!r.trace);
        QVERIFY(QString::fromStdString(r.error).startsWith("/nonexistent/x.pcap: "));
    }

    void damageKeepsThePacketsBeforeIt_data()
    {
        QTest::addColumn<QByteArray>("tail");
        QTest::addColumn<QString>("kind");
        QTest::newRow("truncated record header") << QByteArray(7, '\x01') << QStringLiteral("truncated");
        QByteArray body;
        for (int i = 0; i < 4; ++i)
            body.append(char(0));
        body.append(QByteArray(4, '\0'));
        body.append(QByteArray("\x64\x00\x00\x00\x64\x00\x00\x00", 8)); // caplen 100, len 100
        body.append(QByteArray(20, 'x')); // only 20 of 100 bytes
        QTest::newRow("truncated record body") << body << QStringLiteral("truncated");
        QByteArray huge(8, '\0');
        huge.append(QByteArray("\x00\x00\x00\x50\x00\x00\x00\x50", 8)); // caplen 0x50000000
        QTest::newRow("absurd captured length") << huge << QStringLiteral("damaged");
    }
    void damageKeepsThePacketsBeforeIt()
    {
        QFETCH(QByteArray, tail);
        QFETCH(QString, kind);
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        for (int i = 0; i < 3; ++i)
            f.add(1000 + i, 0, frame(1 + 10 * i));
        const LoadResult r = loadTrace(f.write(dir, "damaged.pcap", tail).toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(r.trace->counts.packets, 3u);
        QVERIFY(hasWarning(*r.trace, kind.toUtf8().constData(), 4));
    }

    void caplenAboveLenIsWarnedAndClamped()
    {
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        const QByteArray fr = frame(1);
        f.add(1, 0, fr, std::uint32_t(fr.size() - 4));
        const LoadResult r = loadTrace(f.write(dir, "c.pcap").toStdString());
        QVERIFY(r.trace);
        QVERIFY(hasWarning(*r.trace, "caplen-exceeds-len", 1));
        QCOMPARE(r.trace->counts.tcpPackets, 1u);
    }

    void timestampsGoingBackwardsAreWarned()
    {
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        f.add(100, 0, frame(1));
        f.add(99, 0, frame(11));
        f.add(101, 0, frame(21));
        const LoadResult r = loadTrace(f.write(dir, "t.pcap").toStdString());
        QVERIFY(r.trace);
        QVERIFY(hasWarning(*r.trace, "time-backwards", 2));
        QCOMPARE(r.trace->counts.packets, 3u);
    }

    void unknownLinkTypeIsCountedNotFatal()
    {
        QTemporaryDir dir;
        PcapFile f(147); // DLT_USER0
        f.add(1, 0, frame(1));
        const LoadResult r = loadTrace(f.write(dir, "u.pcap").toStdString());
        QVERIFY(r.trace);
        QCOMPARE(r.trace->counts.unknownLinkType, 1u);
        QVERIFY(hasWarning(*r.trace, "unknown-link-type"));
    }

    // Real files from public projects (tests/data/public, see its MANIFEST).
    void publicCaptures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("tcp");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("warning"); // expected warning kind, or empty
        QTest::newRow("nanosecond pcap with Linux cooked headers") << "c08_sll_handshake_nsec.pcap" << 3 << 3 << "pcap"
                                                                   << "";
        QTest::newRow("nanosecond pcapng from Windows") << "a15_win_dcerpc_lso.pcapng" << 35 << 35 << "pcapng"
                                                        << "";
        QTest::newRow("802.1Q and QinQ tags") << "c04_vlan_qinq_same_tuple.pcap" << 42 << 42 << "pcap"
                                              << "";
        QTest::newRow("VLAN one way, FCS the other") << "c03_vlan_synretrans_sack.pcap" << 254 << 254 << "pcap"
                                                     << "";
        QTest::newRow("headers cut at 68 bytes still count as TCP") << "d04_tcp_snaplen68.pcap" << 24 << 24 << "pcap"
                                                                    << "";
        QTest::newRow("corrupt record caplen after 6 packets")
            << "d01_tls_corrupt_record_caplen.pcap" << 6 << 6 << "pcap"
            << "damaged";
        QTest::newRow("garbage record header after 18 packets")
            << "d02_smtp_corrupt_record_caplen.pcap" << 18 << 18 << "pcap"
            << "damaged";
        QTest::newRow("fuzzed huge caplen after 1 packet") << "d03_fuzz_huge_caplen.pcap" << 1 << 0 << "pcap"
                                                           << "damaged";
        QTest::newRow("IPv4 header without TCP is truncated")
            << "d05_ipv4_internally_truncated.pcap" << 1 << 0 << "pcap"
            << "truncated-headers";
        QTest::newRow("frame shorter than Ethernet") << "d14_caplen8_trunc_hdr.pcap" << 1 << 0 << "pcap"
                                                     << "truncated-headers";
        QTest::newRow("invalid nanosecond fractions are clamped")
            << "d10_sll_invalid_nsec_timestamp.pcap" << 3 << 3 << "pcap"
            << "bad-timestamp";
        QTest::newRow("pcapng named .pcap is detected by magic (libpcap stops at the 2nd interface)")
            << "d13_ipv4_malformed_pcapng_named_pcap.pcap" << 0 << 0 << "pcapng"
            << "damaged";
        QTest::newRow("pcapng with two link types: libpcap reads the first interface's packets")
            << "c10_pcapng_2if_ether_sll.pcapng" << 59 << 59 << "pcapng"
            << "damaged";
    }
    void publicCaptures()
    {
        QFETCH(QString, file);
        QFETCH(int, packets);
        QFETCH(int, tcp);
        QFETCH(QString, format);
        QFETCH(QString, warning);
        const QString path = publicCapture(file);
        if (path.isEmpty())
            QSKIP("fixture not available");
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(int(r.trace->counts.packets), packets);
        QCOMPARE(int(r.trace->counts.tcpPackets), tcp);
        QCOMPARE(QString::fromLatin1(formatName(r.trace->format)), format);
        if (!warning.isEmpty())
            QVERIFY2(hasWarning(*r.trace, warning.toUtf8().constData()), qPrintable(warning));
    }

    void unreadablePublicCaptures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("pcapng section header option too long") << "d11_pcapng_shb_option_too_long.pcapng";
        QTest::newRow("archaic pcap version 1") << "d12_pcap_version_1.pcap";
    }
    void unreadablePublicCaptures()
    {
        QFETCH(QString, file);
        const QString path = publicCapture(file);
        if (path.isEmpty())
            QSKIP("fixture not available");
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY(!r.trace);
        QVERIFY(QString::fromStdString(r.error).contains(file));
    }

    void cancelStopsTheLoad()
    {
        QTemporaryDir dir;
        PcapFile f(LinkEthernet);
        for (int i = 0; i < 20000; ++i)
            f.add(i, 0, frame(std::uint32_t(1 + 10 * i)));
        LoadOptions o;
        int calls = 0;
        o.progress = [&calls](const LoadProgress &p) {
            ++calls;
            return p.packets < 8192;
        };
        const LoadResult r = loadTrace(f.write(dir, "big.pcap").toStdString(), o);
        QVERIFY(r.cancelled);
        QVERIFY(!r.trace);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestReader)
#include "tst_reader.moc"
