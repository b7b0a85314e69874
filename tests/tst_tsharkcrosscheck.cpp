// SPDX-License-Identifier: GPL-3.0-or-later
// Cross-check against tshark, the reference users trust: per connection, packets, payload bytes per
// direction, MSS from the SYNs, and retransmission counts. Streams are matched by frame numbers, so a
// disagreement about where one connection ends and the next begins shows up as a failure too.
// Where our definitions differ from tshark's on purpose, the row says so and the check is relaxed there.
#include "loader.h"
#include "testutil.h"

#include <QDirIterator>
#include <QProcess>
#include <QtTest>

#include <map>

using namespace ol;
using namespace testutil;

namespace {

struct TsharkStream {
    int packets = 0;
    QString firstSrc; // "addr:port" of the first packet's sender
    std::map<QString, qint64> bytes; // by sender "addr:port"
    std::map<QString, int> mss; // SYN MSS by sender
    std::map<QString, int> retrans; // tcp.analysis.retransmission by sender
    std::map<QString, int> ooo;
    std::map<int, int> ourConnections; // our connection id -> frames
};

QString ep(const QString &addr, const QString &port)
{
    return addr.contains(':') ? "[" + addr + "]:" + port : addr + ":" + port;
}

} // namespace

class TestTsharkCrossCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { OL_REQUIRE_TOOL(tshark, "tshark", "tshark"); }

    void matchesTshark_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("exactRetransmissions");
        const QStringList exactPublic = {"a02_win_kerberos_smb_tso_iplen0.pcapng",
                                         "a03_macos_vnc_server_tso.pcap",
                                         "a04_linux_http2_server_tso.pcap",
                                         "a15_win_dcerpc_lso.pcapng",
                                         "c01_http_download_sack_retrans.pcap",
                                         "c08_sll_handshake_nsec.pcap",
                                         "c09_http_nsec.pcap",
                                         "c12_wscale_shift255.pcap",
                                         "a05_linux_sll2_http_download_gro.pcap",
                                         "a06_linux_ssh_client_gro.pcap",
                                         "c02_ipv6_http_sack.pcap",
                                         "c05_tcp_retransmissions.pcapng",
                                         "c06_tcp_dupack_sack.pcapng",
                                         "c07_http_ipv4_and_ipv6.pcapng"};
        for (const QString &name : exactPublic) {
            const QString p = publicCapture(name);
            if (!p.isEmpty())
                QTest::newRow(qPrintable(name)) << p << true;
        }
        // b01: 19 segments of one connection are re-sent or reordered on each side, and tshark's split of them
        // into retransmissions and out-of-order differs from ours by one to three: its out-of-order window
        // follows its own RTT estimate, ours the handshake RTT. Their sum must agree.
        for (const char *name : {"b01_iperf3_client_linux_sll_gso.pcapng", "b01_iperf3_server_linux_sll_gro.pcapng"}) {
            const QString p = publicCapture(name);
            if (!p.isEmpty())
                QTest::newRow(qPrintable(QString::fromLatin1(name) + " (retransmissions + out-of-order summed)"))
                    << p << false;
        }
        // c03: tshark counts the SYN retransmission and the FCS-carrying frames the same way we do, but its
        // out-of-order threshold uses the first RTT of a connection whose handshake was retransmitted.
        const QString c03 = publicCapture("c03_vlan_synretrans_sack.pcap");
        if (!c03.isEmpty())
            QTest::newRow("c03_vlan_synretrans_sack.pcap (retransmissions checked loosely)") << c03 << false;
        // Real-stack captures made by tests/data/gen/make-captures.sh.
        QDirIterator it(dataFile("."), {"gen_*.pcap", "gen_*.pcapng"}, QDir::Files);
        while (it.hasNext()) {
            const QString p = it.next();
            QTest::newRow(qPrintable(QFileInfo(p).fileName())) << p << true;
        }
    }

    void matchesTshark()
    {
        QFETCH(QString, path);
        QFETCH(bool, exactRetransmissions);
        LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Trace &t = *r.trace;
        // frame -> (connection, direction)
        std::map<std::uint32_t, std::pair<int, int>> ours;
        for (const auto &c : t.connections)
            for (int d = 0; d < 2; ++d)
                for (std::size_t i = 0; i < c->directions[d].segments.size(); ++i)
                    ours[c->directions[d].segments[i].frame] = {int(c->id), d};

        QProcess ts;
        ts.start("tshark",
                 {"-r",
                  path,
                  "-n",
                  "-Y",
                  "tcp",
                  "-T",
                  "fields",
                  "-E",
                  "separator=/t",
                  "-e",
                  "frame.number",
                  "-e",
                  "tcp.stream",
                  "-e",
                  "ip.src",
                  "-e",
                  "ipv6.src",
                  "-e",
                  "tcp.srcport",
                  "-e",
                  "tcp.len",
                  "-e",
                  "tcp.flags.syn",
                  "-e",
                  "tcp.options.mss_val",
                  "-e",
                  "tcp.analysis.retransmission",
                  "-e",
                  "tcp.analysis.out_of_order"});
        QVERIFY(ts.waitForFinished(120000));
        std::map<int, TsharkStream> streams;
        const QList<QByteArray> lines = ts.readAllStandardOutput().split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> f = line.split('\t');
            if (f.size() < 10 || f[1].isEmpty())
                continue;
            const std::uint32_t frame = f[0].toUInt();
            // Tunnelled frames carry two addresses; the inner (last) one is the TCP endpoint.
            const QString addr = QString::fromLatin1(f[2].isEmpty() ? f[3].split(',').last() : f[2].split(',').last());
            const QString src = ep(addr, QString::fromLatin1(f[4]));
            TsharkStream &s = streams[f[1].toInt()];
            if (s.packets++ == 0)
                s.firstSrc = src;
            s.bytes[src] += f[5].toLongLong();
            if (f[6] == "1" && !f[7].isEmpty() && !s.mss.count(src))
                s.mss[src] = f[7].split(',').first().toInt();
            if (f[8] == "1")
                ++s.retrans[src];
            if (f[9] == "1")
                ++s.ooo[src];
            const auto it = ours.find(frame);
            QVERIFY2(it != ours.end(), qPrintable(QStringLiteral("tshark sees TCP in frame %1, we do not").arg(frame)));
            ++s.ourConnections[it->second.first];
        }
        QVERIFY(!streams.empty() || t.counts.tcpPackets == 0);
        int checked = 0;
        for (const auto &[index, s] : streams) {
            const QString where = QStringLiteral("tshark stream %1").arg(index);
            QVERIFY2(s.ourConnections.size() == 1,
                     qPrintable(where + ": tshark's stream spans several of our connections"));
            const Connection &c = *t.connections[s.ourConnections.begin()->first];
            QCOMPARE(qint64(c.packets), qint64(s.packets));
            for (int d = 0; d < 2; ++d) {
                const FlowDirection &fd = c.directions[d];
                const QString from = QString::fromStdString(fd.from.toString());
                const auto b = s.bytes.find(from);
                QCOMPARE(qint64(fd.stats.payloadBytes), b == s.bytes.end() ? 0 : b->second);
                const auto m = s.mss.find(from);
                if (m != s.mss.end())
                    QCOMPARE(int(fd.handshake.mss), m->second);
                const int theirRetrans = s.retrans.count(from) ? s.retrans.at(from) : 0;
                const int theirOoo = s.ooo.count(from) ? s.ooo.at(from) : 0;
                const int ourRetrans = int(fd.stats.retransmissions);
                const int ourOoo = int(fd.stats.outOfOrder);
                if (exactRetransmissions) {
                    QVERIFY2(ourRetrans == theirRetrans && ourOoo == theirOoo,
                             qPrintable(QStringLiteral("%1 %2: retransmissions ours %3 tshark %4, out-of-order ours %5 "
                                                       "tshark %6")
                                            .arg(where, from)
                                            .arg(ourRetrans)
                                            .arg(theirRetrans)
                                            .arg(ourOoo)
                                            .arg(theirOoo)));
                } else {
                    QCOMPARE(ourRetrans + ourOoo, theirRetrans + theirOoo);
                }
            }
            ++checked;
        }
        qInfo("%d streams agree with tshark", checked);
    }
};

QTEST_GUILESS_MAIN(TestTsharkCrossCheck)
#include "tst_tsharkcrosscheck.moc"
