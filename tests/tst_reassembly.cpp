// SPDX-License-Identifier: GPL-3.0-or-later
// TCP reassembly on small synthetic flows with exactly known answers, and on real captures.
#include "loader.h"
#include "testutil.h"

#include <QtTest>

using namespace ol;
using namespace testutil;

namespace {

// Builds a client/server exchange frame by frame; times in microseconds.
class Flow
{
public:
    explicit Flow(std::uint32_t clientIsn = 1000, std::uint32_t serverIsn = 5000)
        : m_cseq(clientIsn)
        , m_sseq(serverIsn)
    { }
    void handshake(std::int64_t t, std::int64_t rttUs = 10000)
    {
        send(true, t, 0x02, 0, mssOption(1460));
        ++m_cseq;
        send(false, t + rttUs, 0x12, 0, mssOption(1460));
        ++m_sseq;
        send(true, t + rttUs + 50, 0x10, 0);
    }
    /// Server sends len bytes starting at its current sequence (or at an explicit relative offset).
    void serverData(std::int64_t t, std::uint32_t len, std::int64_t atRel = -1)
    {
        const std::uint32_t seq = atRel < 0 ? m_sseq : m_sIsn1 + std::uint32_t(atRel);
        sendRaw(false, t, 0x18, seq, m_cseq, len);
        if (atRel < 0)
            m_sseq += len;
    }
    void clientAck(std::int64_t t, std::uint32_t relAck) { sendRaw(true, t, 0x10, m_cseq, m_sIsn1 + relAck, 0); }
    void setServerStartRel() { m_sIsn1 = m_sseq; }
    QString write(const QTemporaryDir &dir, const QString &name) const { return m_file.write(dir, name); }

    void send(bool fromClient, std::int64_t t, std::uint8_t flags, std::uint32_t len, const QByteArray &opts = {})
    {
        sendRaw(fromClient, t, flags, fromClient ? m_cseq : m_sseq, fromClient ? m_sseq : m_cseq, len, opts);
    }
    void sendRaw(bool fromClient, std::int64_t t, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                 std::uint32_t len, const QByteArray &opts = {})
    {
        TcpSpec s;
        if (!fromClient) {
            std::swap(s.src, s.dst);
            std::swap(s.sport, s.dport);
        }
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.payload = len;
        s.options = opts;
        m_file.add(t / 1000000, std::uint32_t(t % 1000000), ethernet(ipv4Tcp(s)),
                   std::uint32_t(14 + 40 + opts.size() + len));
    }

private:
    PcapFile m_file{LinkEthernet};
    std::uint32_t m_cseq;
    std::uint32_t m_sseq;
    std::uint32_t m_sIsn1 = 0;
};

std::shared_ptr<Trace> load(const QString &path)
{
    LoadResult r = loadTrace(path.toStdString());
    return r.trace;
}

} // namespace

class TestReassembly : public QObject
{
    Q_OBJECT

private slots:
    void sequenceWrapsAroundWithoutFalseRetransmissions()
    {
        QTemporaryDir dir;
        Flow f(100, 0xFFFFF000u); // server ISN 4 KiB below 2^32
        f.handshake(1000000);
        f.setServerStartRel();
        for (int i = 0; i < 10; ++i)
            f.serverData(1100000 + i * 100, 1000);
        auto t = load(f.write(dir, "wrap.pcap"));
        QVERIFY(t);
        QCOMPARE(t->connections.size(), std::size_t(1));
        const FlowDirection &s2c = t->connections[0]->directions[1];
        QCOMPARE(s2c.stats.retransmissions, 0u);
        QCOMPARE(s2c.stats.uniqueBytes, 10000u);
        QCOMPARE(s2c.segments.back().relSeq, std::int64_t(1 + 9000)); // relative to the ISN
    }

    void retransmissionAndOutOfOrderAreToldApart()
    {
        QTemporaryDir dir;
        Flow f;
        f.handshake(1000000, 10000); // first RTT 10 ms
        f.setServerStartRel();
        f.serverData(1100000, 1000, 0);
        f.serverData(1100100, 1000, 2000); // 1000..2000 skipped
        f.serverData(1100200, 1000, 1000); // fills it 0.1 ms later: out of order
        f.serverData(1300000, 1000, 0); // the first again 200 ms later: retransmission
        auto t = load(f.write(dir, "ooo.pcap"));
        QVERIFY(t);
        const DirectionStats &s = t->connections[0]->directions[1].stats;
        QCOMPARE(s.outOfOrder, 1u);
        QCOMPARE(s.retransmissions, 1u);
        QCOMPARE(s.gapEvents, 1u);
        QCOMPARE(s.uniqueBytes, 3000u);
        QCOMPARE(s.payloadBytes, 4000u);
        QCOMPARE(s.missingBytes, 0u);
    }

    void moreHolesThanTrackedAreStillCountedAndWarned()
    {
        // 1,100 segments of 100 bytes, each 100 bytes after the last one ended: 1,099 gaps of 100 bytes, more
        // than the 1,024 the reassembler tracks at once. The client then acknowledges everything. Hand count:
        // 1,099 x 100 = 109,900 bytes acknowledged but never captured.
        QTemporaryDir dir;
        Flow f;
        f.handshake(1000000);
        f.setServerStartRel();
        constexpr int Segments = 1100;
        for (int i = 0; i < Segments; ++i)
            f.serverData(1100000 + i * 10, 100, std::int64_t(i) * 200);
        f.clientAck(1200000, std::uint32_t(Segments * 200 - 100));
        auto t = load(f.write(dir, "holes.pcap"));
        QVERIFY(t);
        const DirectionStats &s = t->connections[0]->directions[1].stats;
        QCOMPARE(s.gapEvents, std::uint64_t(Segments - 1));
        QCOMPARE(s.missingBytes, std::uint64_t(Segments - 1) * 100);
        // The 1,025th gap is opened by data segment 1,026, which is frame 3 + 1,026 = 1,029 (after the handshake).
        const auto w = std::find_if(t->warnings.begin(), t->warnings.end(),
                                    [](const auto &x) { return x.kind == "too-many-holes"; });
        QVERIFY2(w != t->warnings.end(), "no too-many-holes warning");
        QCOMPARE(w->packet, std::uint64_t(1029));
    }

    void acksAreUnwrappedAcross2To32()
    {
        // The server's ISN is 4 KiB below 2^32: its 10 x 1,000 bytes cross the wrap after the fourth
        // segment, and the client's ACKs (after each segment) wrap with them. Hand count: relative ACKs
        // 1 (the handshake ACK), then 1,001, 2,001, ... 10,001, increasing through the wrap, and nothing
        // acknowledged is missing.
        QTemporaryDir dir;
        Flow f(100, 0xFFFFF000u);
        f.handshake(1000000);
        f.setServerStartRel();
        for (int i = 0; i < 10; ++i) {
            f.serverData(1100000 + i * 100, 1000);
            f.clientAck(1100050 + i * 100, std::uint32_t((i + 1) * 1000));
        }
        auto t = load(f.write(dir, "ackwrap.pcap"));
        QVERIFY(t);
        const Connection &c = *t->connections[0];
        std::vector<std::int64_t> acks;
        forEachPeerAck(c, 1, [&](std::size_t, std::int64_t relAck) { acks.push_back(relAck); });
        std::vector<std::int64_t> expected{1};
        for (int i = 1; i <= 10; ++i)
            expected.push_back(1 + i * 1000);
        QCOMPARE(acks, expected);
        QCOMPARE(c.directions[1].stats.missingBytes, std::uint64_t(0));
        QVERIFY(std::uint32_t(0xFFFFF000u + 1 + 10000) < 0xFFFFF000u); // the last ACK did wrap
    }

    void bytesAckedButNeverCapturedAreMissing()
    {
        QTemporaryDir dir;
        Flow f;
        f.handshake(1000000);
        f.setServerStartRel();
        f.serverData(1100000, 1000, 0);
        f.serverData(1100100, 1000, 2000); // 1000 bytes never captured
        f.clientAck(1120000, 3000);
        auto t = load(f.write(dir, "missing.pcap"));
        QVERIFY(t);
        const DirectionStats &s = t->connections[0]->directions[1].stats;
        QCOMPARE(s.missingBytes, 1000u);
        QCOMPARE(s.retransmissions, 0u);
    }

    void duplicateAcksAreCounted()
    {
        QTemporaryDir dir;
        Flow f;
        f.handshake(1000000);
        f.setServerStartRel();
        f.serverData(1100000, 1000);
        for (int i = 0; i < 4; ++i)
            f.clientAck(1110000 + i * 10, 1001);
        auto t = load(f.write(dir, "dup.pcap"));
        QVERIFY(t);
        QCOMPARE(t->connections[0]->directions[0].stats.duplicateAcks, 3u);
    }

    void midstreamConnectionsAreKeptAndMarked()
    {
        QTemporaryDir dir;
        Flow f;
        f.setServerStartRel();
        f.serverData(1000000, 1448);
        f.serverData(1000100, 1448);
        auto t = load(f.write(dir, "mid.pcap"));
        QVERIFY(t);
        QCOMPARE(t->connections.size(), std::size_t(1));
        const Connection &c = *t->connections[0];
        QVERIFY(c.midstream);
        QVERIFY(c.rolesGuessed);
        QCOMPARE(c.server.port, 80); // the lower port is taken as the service
        QCOMPARE(c.directions[1].stats.payloadBytes, 2896u);
    }

    void aNewSynOnAUsedFourTupleStartsANewConnection()
    {
        QTemporaryDir dir;
        Flow f(1000, 5000);
        f.handshake(1000000);
        f.setServerStartRel();
        f.serverData(1100000, 500);
        f.send(true, 1200000, 0x11, 0); // FIN
        // A second handshake on the same 4-tuple with new ISNs.
        f.sendRaw(true, 2000000, 0x02, 777777, 0, 0, mssOption(1460));
        f.sendRaw(false, 2010000, 0x12, 999999, 777778, 0, mssOption(1460));
        f.sendRaw(true, 2010050, 0x10, 777778, 1000000, 0);
        auto t = load(f.write(dir, "reuse.pcap"));
        QVERIFY(t);
        QCOMPARE(t->connections.size(), std::size_t(2));
        QCOMPARE(t->connections[1]->directions[0].handshake.isn, 777777u);
    }

    void aRetransmittedSynStaysInItsConnection()
    {
        QTemporaryDir dir;
        Flow f(1000, 5000);
        f.sendRaw(true, 1000000, 0x02, 1000, 0, 0, mssOption(1460));
        f.sendRaw(true, 2000000, 0x02, 1000, 0, 0, mssOption(1460));
        f.sendRaw(false, 2010000, 0x12, 5000, 1001, 0, mssOption(1400));
        auto t = load(f.write(dir, "synretx.pcap"));
        QVERIFY(t);
        QCOMPARE(t->connections.size(), std::size_t(1));
        QCOMPARE(t->connections[0]->directions[1].handshake.mss, 1400);
    }

    void vlanTagsKeepSameTupleConnectionsApart()
    {
        const QString path = publicCapture("c04_vlan_qinq_same_tuple.pcap");
        if (path.isEmpty())
            QSKIP("fixture not available");
        auto t = load(path);
        QVERIFY(t);
        // Untagged, VLAN 42 and QinQ 10/20: three connections, none of them with retransmissions.
        QCOMPARE(t->connections.size(), std::size_t(3));
        for (const auto &c : t->connections)
            QCOMPARE(c->directions[0].stats.retransmissions + c->directions[1].stats.retransmissions, 0u);
    }

    void realDownloadWithLossAndSack()
    {
        const QString path = publicCapture("c01_http_download_sack_retrans.pcap");
        if (path.isEmpty())
            QSKIP("fixture not available");
        auto t = load(path);
        QVERIFY(t);
        QCOMPARE(t->counts.packets, 672u);
        std::uint64_t sack = 0, retrans = 0;
        for (const auto &c : t->connections)
            for (const auto &d : c->directions) {
                sack += d.stats.sackSegments;
                retrans += d.stats.retransmissions;
            }
        QCOMPARE(sack, 87u); // MANIFEST: SACK frames 87
        QVERIFY(retrans >= 10); // tshark: 14; the exact cross-check is in tst_tsharkcrosscheck
    }
};

QTEST_GUILESS_MAIN(TestReassembly)
#include "tst_reassembly.moc"
