// SPDX-License-Identifier: GPL-3.0-or-later
// Offload verdicts: file -> expected verdict, capture host and counts. Public captures carry the expectation
// from their MANIFEST (with our reading where the evidence says otherwise, explained per row); real-stack
// captures from tests/data/gen carry theirs in tests/data/generated-truth.tsv.
#include "loader.h"
#include "offload.h"
#include "testutil.h"

#include <QFile>
#include <QtTest>

using namespace ol;
using namespace testutil;

class TestOffload : public QObject
{
    Q_OBJECT

private slots:
    void verdicts_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("host"); // "" = do not check, "-" = must be unknown
        QTest::addColumn<int>("oversized"); // -1 = do not check
        auto row = [](const char *tag, const QString &file, const char *verdict, const char *host, int oversized) {
            const QString p = publicCapture(file);
            if (!p.isEmpty())
                QTest::newRow(tag) << p << verdict << host << oversized;
        };
        row("Windows LSO sender with IP length 0 (a01)", "a01_win_smtp_lso_iplen0.pcapng", "send-offload",
            "172.16.16.225", 19);
        row("Linux GRO receiver told by SLL2 packet types (a05)", "a05_linux_sll2_http_download_gro.pcap",
            "receive-offload", "192.168.1.253", 79);
        row("Linux client receiving coalesced frames from a routed server (a06)", "a06_linux_ssh_client_gro.pcap",
            "receive-offload", "192.168.1.32", 238);
        row("Docker GSO over veth, all checksums unfilled (a07)", "a07_docker_pgsql_gso_trailing_byte.pcap",
            "send-offload", "172.18.0.2", 380);
        row("single Linux GSO frame, IPv4 (a08)", "a08_linux_gso_ipv4_1pkt.pcap", "send-offload", "", 1);
        row("single Linux GSO frame, IPv6 (a09)", "a09_linux_gso_ipv6_1pkt.pcap", "send-offload", "", 1);
        row("single GSO frame inside VXLAN (a10)", "a10_linux_gso_vxlan_ipv4_1pkt.pcap", "send-offload", "", 1);
        row("BIG TCP IPv4 with IP length 0 (a11)", "a11_linux_bigtcp_ipv4_iplen0_1pkt.pcap", "send-offload", "", 1);
        row("BIG TCP IPv6 with a Jumbo option (a12)", "a12_linux_bigtcp_ipv6_hbh_jumbo_1pkt.pcap", "send-offload", "",
            1);
        row("BIG TCP IPv6 with payload length 0 (a13)", "a13_linux_bigtcp_ipv6_plen0_1pkt.pcap", "send-offload", "", 1);
        row("TSO frame with IP length 0 (a14)", "a14_tso_iplen0_http_1pkt.pcap", "send-offload", "", 1);
        row("Windows LSO server with unfilled checksums everywhere (a15)", "a15_win_dcerpc_lso.pcapng", "send-offload",
            "192.168.0.100", 7);
        row("iperf3 client with GSO, SLL outgoing (b01 client)", "b01_iperf3_client_linux_sll_gso.pcapng",
            "send-offload", "10.0.0.1", 804);
        row("iperf3 server with GRO, SLL incoming (b01 server)", "b01_iperf3_server_linux_sll_gro.pcapng",
            "receive-offload", "10.0.0.2", 795);
        row("MPTCP client, two addresses of one host (b02 client)", "b02_mptcp_client_linux_sll.pcapng", "send-offload",
            "", -1);
        row("MPTCP server, two addresses of one host (b02 server)", "b02_mptcp_server_linux_sll.pcapng",
            "receive-offload", "", -1);
        // The MANIFEST reads a03/a04 as sender-side TSO from the stale checksum of the large frames. a05 (a GRO
        // receiver by its SLL2 packet types) shows the same pattern, finished checksums on small frames and stale
        // ones on merged frames, and the handshake timing puts both captures next to the client: we report
        // receive coalescing at the client and say why.
        row("macOS server's large frames seen at a Linux client (a03)", "a03_macos_vnc_server_tso.pcap",
            "receive-offload", "192.168.178.25", 39);
        row("HTTP/2 download seen next to the client (a04)", "a04_linux_http2_server_tso.pcap", "receive-offload",
            "172.16.5.1", 10);
        // No offload anywhere: never flagged.
        row("HTTP download with loss, no offload (c01)", "c01_http_download_sack_retrans.pcap", "none", "", 0);
        row("VLAN with FCS-carrying 1518-byte frames (c03)", "c03_vlan_synretrans_sack.pcap", "none", "", 0);
        row("QinQ 1522-byte frames are not oversized (c04)", "c04_vlan_qinq_same_tuple.pcap", "none", "", 0);
        row("Windows client, no large frames (b04)", "b04_smtp_win_client.pcapng", "none", "172.16.16.225", 0);
        // The loopback frames (MSS 65495) are not offload; the one frame of 2,896 bytes (2 x 1448, tshark -Y
        // "tcp.len>1448": frame 74 only) that 130.217.250.13 sends on its second interface ('any') is.
        row("loopback MSS 65495 is not offload, a 2 x MSS frame sent on 'any' is (c10)",
            "c10_pcapng_2if_ether_sll.pcapng", "send-offload", "130.217.250.13", 1);
        row("fuzzed frame claiming 12,336 bytes is not offload (d07)", "d07_tcp_hdr_origlen_262144.pcap", "none", "",
            -1);

        QFile truth(dataFile("generated-truth.tsv"));
        if (truth.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> header = truth.readLine().trimmed().split('\t');
            const int iFile = header.indexOf("file"), iVerdict = header.indexOf("expected_offload"),
                      iHost = header.indexOf("capture_host");
            while (!truth.atEnd()) {
                const QList<QByteArray> f = truth.readLine().trimmed().split('\t');
                if (f.size() != header.size())
                    continue;
                const QString file = dataFile(QString::fromUtf8(f[iFile]));
                if (!QFile::exists(file))
                    continue;
                const QString verdict = QString::fromUtf8(f[iVerdict]);
                // A capture host is only asserted where the trace can show it (offload or a handshake).
                QTest::newRow(qPrintable("real stack: " + QString::fromUtf8(f[iFile])))
                    << file << verdict << QString::fromUtf8(f[iHost]) << -1;
            }
        }
    }

    void verdicts()
    {
        QFETCH(QString, path);
        QFETCH(QString, verdict);
        QFETCH(QString, host);
        QFETCH(int, oversized);
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Trace &t = *r.trace;
        QVERIFY(t.offload.analyzed);
        QVERIFY2(
            QString::fromLatin1(verdictName(t.offload.verdict)) == verdict,
            qPrintable(QStringLiteral("verdict %1, expected %2: %3")
                           .arg(verdictName(t.offload.verdict), verdict, QString::fromStdString(t.offload.summary))));
        if (host == "-")
            QVERIFY(!t.offload.capturePoint.known);
        else if (!host.isEmpty())
            QCOMPARE(QString::fromStdString(t.offload.capturePoint.host), host);
        std::uint64_t n = 0;
        for (const auto &c : t.connections)
            for (const auto &d : c->directions)
                n += d.offload.sendOffload + d.offload.receiveOffload;
        if (oversized >= 0)
            QCOMPARE(int(n), oversized);
        QVERIFY(!t.offload.summary.empty());
    }

    void jumboSegmentsAreFullSizeNotOffload()
    {
        // MSS 8960 with timestamps: 8,948-byte segments are full-size.
        FlowDirection d;
        Connection c;
        c.directions[1].handshake.sawSyn = c.directions[0].handshake.sawSyn = true;
        c.directions[0].handshake.hasMss = true;
        c.directions[0].handshake.mss = 8960;
        c.directions[0].handshake.timestamps = c.directions[1].handshake.timestamps = true;
        QCOMPARE(c.announcedMssFor(1).value(), 8960);
        QCOMPARE(c.perSegmentOptionBytes(1), 12);
    }

    void mssIsInferredFromFullSegmentsAndTheirMultiples()
    {
        FlowDirection d;
        for (int i = 0; i < 20; ++i) {
            Segment s;
            s.payload = i % 4 == 0 ? 1448 * 45 : (i % 4 == 1 ? 2896 : (i % 4 == 2 ? 7240 : 1448));
            d.segments.push_back(s);
        }
        Segment tail;
        tail.payload = 1000;
        d.segments.push_back(tail);
        QCOMPARE(inferEffectiveMss(d), 1448u);
    }

    void wireViewSplitsSuperSegments()
    {
        FlowDirection d;
        d.offload.effectiveMss = 1448;
        Segment s;
        s.payload = 7240;
        s.relSeq = 1;
        s.setSegmentClass(SegmentClass::SendOffload);
        d.segments.push_back(s);
        Segment n;
        n.payload = 100;
        n.relSeq = 7241;
        n.setSegmentClass(SegmentClass::Normal);
        d.segments.push_back(n);
        std::vector<WireSegment> out;
        forEachWireSegment(d, [&out](const WireSegment &w) { out.push_back(w); });
        QCOMPARE(out.size(), std::size_t(6));
        QVERIFY(out[0].isVirtual);
        QCOMPARE(out[4].relSeq, std::int64_t(1 + 4 * 1448));
        QVERIFY(!out[5].isVirtual);
        QCOMPARE(QString::fromStdString(segmentsPhrase(65160, 1448)),
                 QStringLiteral("65,160 bytes = 45 × 1,448-byte segments"));
    }
};

QTEST_GUILESS_MAIN(TestOffload)
#include "tst_offload.moc"
