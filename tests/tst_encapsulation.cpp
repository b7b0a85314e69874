// SPDX-License-Identifier: GPL-3.0-or-later
// Encapsulations on real captures: GRE/TEB/ERSPAN, Aruba GRE, GRE-in-UDP, VXLAN, Geneve, MPLS, PPP, PPPoE,
// Cisco HDLC, 802.11 (radiotap, PPI, CAPWAP), NFLOG, AYIYA, GTP-U, raw IP link types, and ICMP "too big".
// Every expected number is from capinfos/tshark (the MANIFEST rows of tests/data/public, or the comment on
// the row); the stack strings are tshark's frame.protocols of the first TCP frame written in our names.
#include "decoder.h"
#include "loader.h"
#include "testutil.h"

#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <map>

using namespace ol;
using namespace testutil;

class TestEncapsulation : public QObject
{
    Q_OBJECT

    static QString fixture(const QString &name)
    {
        if (name.startsWith(QLatin1String("tun_")))
            return dataFile(name);
        return publicCapture(name);
    }
    // Frames per TCP stream, from `tshark -Y tcp -T fields -e tcp.stream`. (Not `-z conv,tcp`: on e23 it
    // leaves out one of the 42 frames of its only stream.) extra: decode-as options for non-default ports.
    static std::vector<std::uint64_t> tsharkStreams(const QString &path, const QStringList &extra)
    {
        QProcess ts;
        ts.start(QStringLiteral("tshark"),
                 QStringList{QStringLiteral("-r"), path, QStringLiteral("-Y"), QStringLiteral("tcp"),
                             QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-e"),
                             QStringLiteral("tcp.stream")}
                     + extra);
        ts.waitForFinished(120000);
        std::map<QString, std::uint64_t> perStream;
        for (const QString &line : QString::fromUtf8(ts.readAllStandardOutput()).split(QLatin1Char('\n')))
            if (!line.trimmed().isEmpty())
                ++perStream[line.trimmed()];
        std::vector<std::uint64_t> out;
        for (const auto &[stream, n] : perStream)
            out.push_back(n);
        std::sort(out.rbegin(), out.rend());
        return out;
    }

private slots:
    void decodesTheStack_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("tsharkArgs");
        QTest::addColumn<qulonglong>("packets"); // capinfos
        QTest::addColumn<qulonglong>("tcp"); // tshark -Y tcp | wc -l (MANIFEST "TCP n")
        QTest::addColumn<QString>("stack"); // first connection's stack
        QTest::addColumn<bool>("tunnelled");
        QTest::addColumn<bool>("mirrored");
        QTest::addColumn<QString>("outer"); // outer src -> dst of the first connection, "" when not tunnelled
        QTest::addColumn<bool>("compareConversations");
        const QStringList none;
        // e01: MANIFEST: outer 192.168.0.23 -> 192.168.0.20 for BOTH inner directions: a remote mirror.
        QTest::newRow("GRE transparent Ethernet bridging, mirrored both ways (e01)")
            << "e01_gre_teb_ether_in_gre_mss1360.pcap" << none << 17ull << 17ull
            << "eth / ipv4 / gre / eth / ipv4 / tcp" << true << true << "192.168.0.23 -> 192.168.0.20" << true;
        // e02: tshark ip.src/ip.dst: all 10 TCP frames, both inner directions, go 192.168.0.107 -> 192.168.5.1.
        QTest::newRow("GRE in UDP 4754 (e02)")
            << "e02_gre_in_udp_4754_http.pcap" << none << 14ull << 10ull << "eth / ipv4 / udp / gre / ipv4 / tcp"
            << true << true << "192.168.0.107 -> 192.168.5.1" << true;
        // e03: tshark vlan.id 300, outer ip.src 10.3.34.171; Aruba GRE 0x8200 has no key.
        QTest::newRow("Aruba GRE with raw 802.11 QoS data (e03)")
            << "e03_gre_aruba_80211_no_radiotap.pcap" << none << 2407ull << 2407ull
            << "eth / vlan 300 / ipv4 / gre / wlan / llc / ipv4 / tcp" << true << false << "10.3.34.171 -> 10.33.10.23"
            << true;
        // e04: tshark erspan.spanid 5 on the first TCP frame. Its connections are not compared: the anonymiser
        // split FIN retransmissions over several 4-tuples and one port carries two ISNs (MANIFEST).
        QTest::newRow("ERSPAN type II (e04)") << "e04_erspan_http_mirror_dups.pcap" << none << 60ull << 60ull
                                              << "eth / ipv4 / gre / erspan2 5 / eth / ipv4 / tcp" << true << true
                                              << "230.47.210.140 -> 0.235.239.74" << false;
        QTest::newRow("VXLAN under an 802.1Q tag (e05)")
            << "e05_vlan_vxlan_tls_mss1410.pcap" << none << 127ull << 119ull
            << "eth / vlan 5 / ipv4 / udp / vxlan 1111 / eth / ipv4 / tcp" << true << false
            << "192.168.22.4 -> 192.168.22.5" << true;
        QTest::newRow("VXLAN traffic mirroring (e06)") << "e06_vxlan_aws_mirror_ssh.pcap" << none << 100ull << 82ull
                                                       << "eth / ipv4 / udp / vxlan 5569041 / eth / ipv4 / tcp" << true
                                                       << true << "172.31.0.238 -> 172.31.17.188" << true;
        // e07: geneve.vni 0x001092 = 4242.
        QTest::newRow("Geneve with inner Ethernet (e07)")
            << "e07_geneve_inner_coalesced_14k.pcap" << none << 24ull << 24ull
            << "eth / ipv4 / udp / geneve 4242 / eth / ipv4 / tcp" << true << true << "127.0.0.1 -> 127.0.0.1" << true;
        // e08: tshark ip.src/ip.dst: both inner directions arrive 10.0.10.74 -> 10.0.8.64, as from an AWS
        // gateway load balancer to its appliance: not an endpoint's tunnel, so "mirrored" (neither endpoint).
        QTest::newRow("Geneve carrying IPv4 carrying GRE (e08)")
            << "e08_geneve_ip_gre_tcp_mss8937.pcap" << none << 12ull << 12ull
            << "eth / ipv4 / udp / geneve 0 / ipv4 / gre / ipv4 / tcp" << true << true << "10.0.10.74 -> 10.0.8.64"
            << true;
        // e09 excerpt: capinfos 400 frames; tshark -Y tcp 374; mpls.label of the client's SYN 2001.
        QTest::newRow("MPLS, one label (e09 excerpt)")
            << "e09_mpls_iperf_handshake_first400.pcap" << none << 400ull << 374ull << "eth / mpls 2001 / ipv4 / tcp"
            << false << false << "" << true;
        QTest::newRow("PPP carrying MPLS (e10)") << "e10_ppp_mpls_bgp_midstream.pcap" << none << 13ull << 3ull
                                                 << "ppp / mpls 100656 / ipv4 / tcp" << false << false << "" << true;
        // e11: pppoe.session_id 0x002d = 45; e12: 0x069d = 1693.
        QTest::newRow("PPPoE session (e11)") << "e11_pppoe_http_mss1452.pcap" << none << 30ull << 30ull
                                             << "eth / pppoe 45 / ppp / ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("PPPoE session (e12)") << "e12_pppoe_tls_mss1410_1360.pcap" << none << 10ull << 10ull
                                             << "eth / pppoe 1693 / ppp / ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("Cisco HDLC (e13)") << "e13_cisco_hdlc_http.pcap" << none << 17ull << 17ull
                                          << "chdlc / ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("radiotap + 802.11 QoS data (e14)")
            << "e14_80211_radiotap_qosdata_tcp_1pkt.pcap" << none << 1ull << 1ull
            << "radiotap / wlan / llc / ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("PPI + 802.11 (e15)") << "e15_80211_ppi_header_tcp_syn.pcap" << none << 5ull << 1ull
                                            << "ppi / wlan / llc / ipv4 / tcp" << false << false << "" << true;
        // e16: tshark vlan.id 94,3 on the first frame; every segment is mirrored on 2-3 trunks (MANIFEST): one
        // conversation of 14 frames for tshark, so one connection for us too, seen in several stacks.
        QTest::newRow("CAPWAP data with 802.11 in QinQ (e16)")
            << "e16_capwap_80211_in_qinq_tls.pcapng" << none << 14ull << 14ull
            << "eth / vlan 94 / vlan 3 / ipv4 / udp / capwap / wlan / llc / ipv4 / tcp" << true << false
            << "172.50.100.155 -> 172.16.100.87" << true;
        QTest::newRow("NFLOG (e17)") << "e17_nflog_http.pcap" << none << 10ull << 10ull << "nflog / ipv4 / tcp" << false
                                     << false << "" << true;
        QTest::newRow("NFLOG on Android (e18)") << "e18_nflog_android_mss1370_rx_big.pcap" << none << 185ull << 185ull
                                                << "nflog / ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("AYIYA IPv6 in UDP (e19)")
            << "e19_ayiya_ipv6_in_udp4_mss1220.pcap" << none << 35ull << 21ull
            << "eth / ipv4 / udp / ayiya / ipv6 / tcp" << true << false << "192.168.3.101 -> 216.14.98.22" << true;
        QTest::newRow("two 802.1Q tags (e20)")
            << "e20_qinq_8100x2_http_4344B.pcap" << none << 6ull << 6ull << "eth / vlan 201 / vlan 200 / ipv4 / tcp"
            << false << false << "" << true;
        QTest::newRow("LINKTYPE_RAW 101 (e23)") << "e23_rawip101_ipv4_tls_ttl63.pcap" << none << 42ull << 42ull
                                                << "ipv4 / tcp" << false << false << "" << true;
        QTest::newRow("LINKTYPE_IPV4 228 (e24)") << "e24_linktype_ipv4_228_adb_mss8961.pcap" << none << 13ull << 13ull
                                                 << "ipv4 / tcp" << false << false << "" << true;
        // e31: gtp.teid 0x09fc9043 on the first frame.
        QTest::newRow("GTP-U (e31)") << "e31_midstream_gtp_1400.pcapng" << none << 82ull << 82ull
                                     << "eth / ipv4 / udp / gtp-u 0x09fc9043 / ipv4 / tcp" << true << false
                                     << "145.76.2.236 -> 187.96.52.85" << true;
        // Made by tests/data/gen/make-tunnel-captures.sh: capinfos and tshark -Y tcp counts. The sender's GSO
        // packets cross the underlay veth unsegmented (frames up to 47,648 bytes: TSO inside the tunnel).
        QTest::newRow("VXLAN from the Linux stack (generated)")
            << "tun_vxlan_ipv4.pcap" << none << 31ull << 28ull << "eth / ipv4 / udp / vxlan 42 / eth / ipv4 / tcp"
            << true << false << "192.0.2.1 -> 192.0.2.2" << true;
        // Port 14789: tshark needs "-d udp.port==14789,vxlan"; we recognise the VXLAN header and the frame in it.
        QTest::newRow("VXLAN on a non-standard port over IPv6 (generated)")
            << "tun_vxlan_port14789_ipv6.pcap"
            << QStringList{QStringLiteral("-d"), QStringLiteral("udp.port==14789,vxlan")} << 30ull << 28ull
            << "eth / ipv6 / udp port 14789 / vxlan 43 / eth / ipv6 / tcp" << true << false
            << "2001:db8::1 -> 2001:db8::2" << true;
    }

    void decodesTheStack()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, tsharkArgs);
        QFETCH(qulonglong, packets);
        QFETCH(qulonglong, tcp);
        QFETCH(QString, stack);
        QFETCH(bool, tunnelled);
        QFETCH(bool, mirrored);
        QFETCH(QString, outer);
        QFETCH(bool, compareConversations);
        const QString path = fixture(file);
        if (path.isEmpty())
            QSKIP("fixture not found (../shared absent)");
        LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Trace &t = *r.trace;
        QCOMPARE(t.counts.packets, packets);
        QCOMPARE(t.counts.tcpPackets, tcp);
        QVERIFY(!t.connections.empty());
        const Connection &c = *t.connections.front();
        QCOMPARE(QString::fromStdString(c.encapsulation.toString()), stack);
        QCOMPARE(c.tunnelled, tunnelled);
        QCOMPARE(c.mirrored, mirrored);
        if (tunnelled)
            QCOMPARE(QString::fromStdString(c.tunnelOuterSrc.toString() + " -> " + c.tunnelOuterDst.toString()), outer);
        if (!compareConversations)
            return;
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        std::vector<std::uint64_t> ours;
        for (const auto &conn : t.connections)
            ours.push_back(conn->packets);
        std::sort(ours.rbegin(), ours.rend());
        const std::vector<std::uint64_t> theirs = tsharkStreams(path, tsharkArgs);
        QCOMPARE(ours.size(), theirs.size());
        QVERIFY2(ours == theirs, "frames per connection differ from tshark's tcp.stream");
    }

    void mirrorCopiesOnSeveralTrunksKeepTheFirstStack()
    {
        // e16: every segment crosses 2-3 trunks with different outer VLAN pairs (94/3, 93/395, 94/4, MANIFEST).
        const QString path = fixture(QStringLiteral("e16_capwap_80211_in_qinq_tls.pcapng"));
        if (path.isEmpty())
            QSKIP("fixture not found");
        LoadResult r = loadTrace(path.toStdString());
        QVERIFY(r.trace);
        QCOMPARE(r.trace->connections.size(), std::size_t(1));
        const Connection &c = *r.trace->connections.front();
        QVERIFY(c.otherEncapsulationPackets > 0);
        QVERIFY(!(c.otherEncapsulation == c.encapsulation));
        const bool warned = std::any_of(r.trace->warnings.begin(), r.trace->warnings.end(),
                                        [](const CaptureWarning &w) { return w.kind == "second-encapsulation"; });
        QVERIFY(warned);
    }

    void innerHeadersAreJudged()
    {
        // e07: the outer frame of the coalesced inner segment is 14,196 bytes; the inner IPv4 total length of the
        // largest is 14,132 and its payload 14,080 (tshark -T fields -e ip.len -e tcp.len, MANIFEST row).
        const QString path = fixture(QStringLiteral("e07_geneve_inner_coalesced_14k.pcap"));
        if (path.isEmpty())
            QSKIP("fixture not found");
        LoadResult r = loadTrace(path.toStdString());
        QVERIFY(r.trace);
        const Connection &c = *r.trace->connections.front();
        const int server = c.directions[1].stats.maxPayload > c.directions[0].stats.maxPayload ? 1 : 0;
        QCOMPARE(c.directions[server].stats.maxPayload, 14080u);
        std::uint32_t maxIpLength = 0;
        const auto &segs = c.directions[server].segments;
        for (std::size_t i = 0; i < segs.size(); ++i)
            maxIpLength = std::max<std::uint32_t>(maxIpLength, segs[i].ipLength);
        QCOMPARE(maxIpLength, 14132u);
        QCOMPARE(r.trace->counts.lengthMismatch, 0ull);
    }

    void icmpTooBigIsDecoded_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("reporter");
        QTest::addColumn<QString>("quotedSrc");
        QTest::addColumn<QString>("quotedDst");
        QTest::addColumn<int>("quotedIpLength");
        QTest::addColumn<int>("count");
        // tshark -Y icmp -T fields -e ip.src -e icmp.mtu -e ip.len -e tcp.srcport: 11 errors from the router
        // 192.0.2.254, MTU 1280, quoting 1500-byte packets from port 44546.
        QTest::newRow("ICMPv4 fragmentation needed") << "tun_icmp_too_big_ipv4.pcap" << 4 << "192.0.2.254"
                                                     << "192.0.2.1"
                                                     << "198.51.100.2" << 1500 << 11;
        // tshark -Y icmpv6 -T fields -e ipv6.src -e icmpv6.mtu -e ipv6.plen: 11 errors from 2001:db8:1::fe,
        // MTU 1280, quoting plen 1460 (1500 bytes).
        QTest::newRow("ICMPv6 packet too big") << "tun_icmp_too_big_ipv6.pcap" << 6 << "2001:db8:1::fe"
                                               << "2001:db8:1::1"
                                               << "2001:db8:2::2" << 1500 << 11;
    }

    void icmpTooBigIsDecoded()
    {
        QFETCH(QString, file);
        QFETCH(int, version);
        QFETCH(QString, reporter);
        QFETCH(QString, quotedSrc);
        QFETCH(QString, quotedDst);
        QFETCH(int, quotedIpLength);
        QFETCH(int, count);
        LoadResult r = loadTrace(dataFile(file).toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Trace &t = *r.trace;
        QCOMPARE(int(t.counts.icmpTooBig), count);
        QCOMPARE(int(t.icmpTooBig.size()), count);
        QCOMPARE(t.connections.size(), std::size_t(1));
        const Connection &c = *t.connections.front();
        for (const IcmpTooBigEvent &e : t.icmpTooBig) {
            QCOMPARE(int(e.info.ipVersion), version);
            QCOMPARE(e.info.mtu, 1280u);
            QCOMPARE(QString::fromStdString(e.info.reporter.toString()), reporter);
            QCOMPARE(QString::fromStdString(e.info.quotedSrc.toString()), quotedSrc);
            QCOMPARE(QString::fromStdString(e.info.quotedDst.toString()), quotedDst);
            QCOMPARE(int(e.info.quotedIpLength), quotedIpLength);
            QCOMPARE(e.info.quotedSrcPort, c.client.port);
            QCOMPARE(e.info.quotedDstPort, std::uint16_t(5001));
        }
    }
};

QTEST_GUILESS_MAIN(TestEncapsulation)
#include "tst_encapsulation.moc"
