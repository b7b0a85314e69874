// SPDX-License-Identifier: GPL-3.0-or-later
// Header decoding: link types, VLAN tags, IPv4/IPv6 lengths and damage, TCP options.
#include "decoder.h"
#include "testutil.h"

#include <QtTest>

using namespace ol;
using namespace testutil;

class TestDecoder : public QObject
{
    Q_OBJECT

private:
    static DecodedPacket decode(int link, const QByteArray &frame, std::uint32_t origlen = 0)
    {
        static IcmpTooBigInfo icmp; // the last ICMP too-big details decoded, read through p.icmp
        DecodedPacket p;
        p.icmp = &icmp;
        decodeFrame(link, reinterpret_cast<const std::uint8_t *>(frame.constData()), std::uint32_t(frame.size()),
                    origlen ? origlen : std::uint32_t(frame.size()), p);
        return p;
    }

private slots:
    void everyLinkTypeFindsTheSameSegment_data()
    {
        QTest::addColumn<int>("link");
        QTest::addColumn<QByteArray>("header");
        TcpSpec s;
        s.payload = 100;
        s.capturePayload = 100;
        const QByteArray l3 = ipv4Tcp(s);
        Q_UNUSED(l3);
        QTest::newRow("ethernet") << int(LinkEthernet) << ethernet({}).left(14);
        QByteArray vlan(12, '\x02');
        put16(vlan, 0x8100);
        put16(vlan, 42);
        put16(vlan, 0x0800);
        QTest::newRow("802.1Q VLAN") << int(LinkEthernet) << vlan;
        QByteArray qinq(12, '\x02');
        put16(qinq, 0x88A8);
        put16(qinq, 10);
        put16(qinq, 0x8100);
        put16(qinq, 20);
        put16(qinq, 0x0800);
        QTest::newRow("QinQ") << int(LinkEthernet) << qinq;
        QByteArray sll;
        put16(sll, 4); // outgoing
        put16(sll, 1);
        put16(sll, 6);
        sll.append(QByteArray(8, '\x01'));
        put16(sll, 0x0800);
        QTest::newRow("Linux cooked SLL") << int(LinkLinuxSll) << sll;
        QByteArray sll2;
        put16(sll2, 0x0800);
        put16(sll2, 0);
        put32(sll2, 3);
        put16(sll2, 1);
        sll2.append(char(0)); // incoming
        sll2.append(char(6));
        sll2.append(QByteArray(8, '\x01'));
        QTest::newRow("Linux cooked SLL2") << int(LinkLinuxSll2) << sll2;
        QTest::newRow("raw IP") << int(LinkRaw) << QByteArray();
        QTest::newRow("IPv4 link type") << int(LinkIpv4) << QByteArray();
        QByteArray nullLe("\x02\x00\x00\x00", 4);
        QTest::newRow("BSD NULL, little-endian family") << int(LinkNull) << nullLe;
        QByteArray nullBe("\x00\x00\x00\x02", 4);
        QTest::newRow("BSD NULL, big-endian family") << int(LinkNull) << nullBe;
        QTest::newRow("OpenBSD LOOP") << int(LinkLoop) << nullBe;
    }
    void everyLinkTypeFindsTheSameSegment()
    {
        QFETCH(int, link);
        QFETCH(QByteArray, header);
        TcpSpec s;
        s.payload = 100;
        s.capturePayload = 100;
        s.seq = 123456;
        const DecodedPacket p = decode(link, header + ipv4Tcp(s));
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QCOMPARE(p.src.toString(), std::string("192.0.2.1"));
        QCOMPARE(p.dst.toString(), std::string("198.51.100.2"));
        QCOMPARE(p.srcPort, 40000);
        QCOMPARE(p.seq, 123456u);
        QCOMPARE(p.payloadLength, 100u);
        if (link == LinkLinuxSll)
            QCOMPARE(int(p.recordedDirection), int(RecordedDirection::Outgoing));
        if (link == LinkLinuxSll2)
            QCOMPARE(int(p.recordedDirection), int(RecordedDirection::Incoming));
    }

    void vlanTagsSeparateOtherwiseEqualFlows()
    {
        TcpSpec s;
        QByteArray a(12, '\x02'), b(12, '\x02');
        put16(a, 0x8100);
        put16(a, 42);
        put16(a, 0x0800);
        put16(b, 0x8100);
        put16(b, 43);
        put16(b, 0x0800);
        const auto pa = decode(LinkEthernet, a + ipv4Tcp(s));
        const auto pb = decode(LinkEthernet, b + ipv4Tcp(s));
        const auto pu = decode(LinkEthernet, ethernet(ipv4Tcp(s)));
        QVERIFY(pa.vlanKey != pb.vlanKey);
        QVERIFY(pa.vlanKey != 0);
        QCOMPARE(pu.vlanKey, 0u);
    }

    void headersOnlyCaptureTakesSizesFromTheIpHeader()
    {
        TcpSpec s;
        s.payload = 65160;
        s.capturePayload = 0; // snaplen cut everything after the headers
        const QByteArray frame = ethernet(ipv4Tcp(s));
        const auto p = decode(LinkEthernet, frame, 14 + 40 + 65160);
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QCOMPARE(p.payloadLength, 65160u);
        QCOMPARE(int(p.tcpChecksum), int(ChecksumState::Unknown));
        QVERIFY(!p.lengthMismatch);
    }

    void ipv4TotalLengthZeroIsOffloadNotDamage()
    {
        TcpSpec s;
        s.payload = 4096;
        s.zeroIpLength = true;
        const auto p = decode(LinkEthernet, ethernet(ipv4Tcp(s)), 14 + 40 + 4096);
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QVERIFY(p.ipLengthZero);
        QCOMPARE(p.payloadLength, 4096u);
    }

    void damagedHeaders_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("status");
        TcpSpec s;
        QByteArray ihl = ethernet(ipv4Tcp(s));
        ihl[14] = char(0x44); // IHL 4
        QTest::newRow("IPv4 IHL below 5 is malformed") << ihl << int(DecodeStatus::Malformed);
        QByteArray ihlBig = ethernet(ipv4Tcp(s));
        ihlBig[14] = char(0x4f); // IHL 15 = 60 bytes, beyond a 54-byte frame
        QTest::newRow("IPv4 IHL beyond caplen is truncated") << ihlBig << int(DecodeStatus::Truncated);
        QByteArray shortTotal = ethernet(ipv4Tcp(s));
        shortTotal[16] = 0;
        shortTotal[17] = 11;
        QTest::newRow("IPv4 total length below header") << shortTotal << int(DecodeStatus::Malformed);
        QByteArray off = ethernet(ipv4Tcp(s));
        off[14 + 20 + 12] = char(0x40); // data offset 4
        QTest::newRow("TCP data offset below 5") << off << int(DecodeStatus::Malformed);
        QByteArray offBig = ethernet(ipv4Tcp(s));
        offBig[14 + 20 + 12] = char(0xf0); // 60-byte header in a 20-byte segment
        QTest::newRow("TCP data offset beyond the segment") << offBig << int(DecodeStatus::Malformed);
        QTest::newRow("shorter than an Ethernet header") << QByteArray(8, '\0') << int(DecodeStatus::Truncated);
        QTest::newRow("IPv4 header only") << ethernet(ipv4Tcp(s)).left(34) << int(DecodeStatus::Truncated);
        QByteArray frag = ethernet(ipv4Tcp(s));
        frag[20] = char(0x20); // more fragments
        QTest::newRow("IPv4 fragment") << frag << int(DecodeStatus::Fragment);
        QByteArray udp = ethernet(ipv4Tcp(s));
        udp[14 + 9] = 17;
        QTest::newRow("UDP is not TCP") << udp << int(DecodeStatus::NotTcp);
        QByteArray arp(12, '\x02');
        put16(arp, 0x0806);
        arp.append(QByteArray(28, '\0'));
        QTest::newRow("ARP is not IP") << arp << int(DecodeStatus::NotIp);
    }
    void damagedHeaders()
    {
        QFETCH(QByteArray, frame);
        QFETCH(int, status);
        const auto p = decode(LinkEthernet, frame);
        QCOMPARE(int(p.status), status);
    }

    void tcpOptions_data()
    {
        QTest::addColumn<QByteArray>("options");
        QTest::addColumn<int>("mss");
        QTest::addColumn<bool>("malformed");
        QByteArray full = mssOption(1460);
        full.append("\x01\x03\x03\x07", 4); // NOP, window scale 7
        full.append("\x04\x02\x01\x01", 4); // SACK permitted, NOP NOP
        full.append(timestampOption(1, 0).mid(2)); // kind 8 len 10 + 8 bytes
        full.append("\x00\x00", 2);
        QTest::newRow("MSS, window scale, SACK permitted, timestamps") << full << 1460 << false;
        QTest::newRow("option length 0 stops the walk") << QByteArray("\x05\x00\x00\x00", 4) << 0 << true;
        QTest::newRow("option length 1 stops the walk") << QByteArray("\x05\x01\x00\x00", 4) << 0 << true;
        QTest::newRow("option running past the header") << QByteArray("\x01\x01\x05\x0a", 4) << 0 << true;
        QTest::newRow("two MSS options keep the first") << mssOption(1400) + mssOption(9000) << 1400 << true;
    }
    void tcpOptions()
    {
        QFETCH(QByteArray, options);
        QFETCH(int, mss);
        QFETCH(bool, malformed);
        TcpSpec s;
        s.flags = 0x02;
        s.options = options;
        const auto p = decode(LinkEthernet, ethernet(ipv4Tcp(s)));
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QCOMPARE(int(p.options.mss), mss);
        QCOMPARE(p.options.hasMss, mss != 0);
        QCOMPARE(p.options.malformed, malformed);
        if (QByteArray(QTest::currentDataTag()).startsWith("MSS")) {
            QCOMPARE(int(p.options.windowScale), 7);
            QVERIFY(p.options.sackPermitted);
            QVERIFY(p.options.hasTimestamps);
        }
    }

    void ipv6ExtensionHeadersAreWalked()
    {
        // IPv6 + hop-by-hop (8 bytes) + destination options (8 bytes) + TCP with 10 bytes payload
        QByteArray ip;
        put32(ip, 0x60000000);
        put16(ip, 8 + 8 + 20 + 10);
        ip.append(char(0)); // next: hop-by-hop
        ip.append(char(64));
        QByteArray src(16, '\0'), dst(16, '\0');
        src[0] = char(0x20);
        src[1] = char(0x01);
        src[2] = char(0x0d);
        src[3] = char(0xb8);
        src[15] = 1;
        dst = src;
        dst[15] = 2;
        ip.append(src);
        ip.append(dst);
        ip.append(QByteArray("\x3c\x00\x01\x04\x00\x00\x00\x00", 8)); // HBH -> dest opts, PadN
        ip.append(QByteArray("\x06\x00\x01\x04\x00\x00\x00\x00", 8)); // dest opts -> TCP
        TcpSpec s;
        s.capturePayload = 10;
        const QByteArray tcp = ipv4Tcp(s).mid(20);
        const auto p = decode(LinkEthernet, ethernet(ip + tcp, 0x86DD));
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QCOMPARE(p.payloadLength, 10u);
        QCOMPARE(p.src.toString(), std::string("2001:db8::1"));
        QCOMPARE(p.ttl, std::uint8_t(64));
    }

    void ipv6ExtensionChainRunningPastThePacketIsTruncated()
    {
        QByteArray ip;
        put32(ip, 0x60000000);
        put16(ip, 64);
        ip.append(char(60));
        ip.append(char(64));
        ip.append(QByteArray(32, '\x01'));
        ip.append(QByteArray("\x3c\x20\x00\x00\x00\x00\x00\x00", 8)); // claims 33*8 bytes
        const auto p = decode(LinkEthernet, ethernet(ip, 0x86DD));
        QVERIFY(p.status == DecodeStatus::Truncated || p.status == DecodeStatus::Malformed);
    }

    void checksumsAreVerifiedWhenCaptured()
    {
        TcpSpec s;
        s.capturePayload = s.payload = 4;
        QByteArray frame = ethernet(ipv4Tcp(s));
        // Fill in a correct IPv4 header checksum.
        std::uint32_t sum = 0;
        for (int i = 0; i < 20; i += 2)
            sum += (std::uint8_t(frame[14 + i]) << 8) | std::uint8_t(frame[14 + i + 1]);
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        const std::uint16_t c = std::uint16_t(~sum);
        frame[24] = char(c >> 8);
        frame[25] = char(c & 0xff);
        const auto p = decode(LinkEthernet, frame);
        QCOMPARE(int(p.ipChecksum), int(ChecksumState::Good));
        QCOMPARE(int(p.tcpChecksum), int(ChecksumState::Zero)); // left zero: offloaded
    }

    // --- encapsulations (issue 11): what the frames below hold is counted by hand in each comment -------
    static QByteArray ipv4Around(const QByteArray &payload, std::uint8_t proto, std::uint8_t ttl,
                                 std::uint16_t total = 0)
    {
        QByteArray ip;
        ip.append(char(0x45));
        ip.append(char(0));
        put16(ip, total ? total : std::uint16_t(20 + payload.size()));
        put16(ip, 7);
        put16(ip, 0x4000);
        ip.append(char(ttl));
        ip.append(char(proto));
        put16(ip, 0);
        put32(ip, 0xCB007101); // 203.0.113.1
        put32(ip, 0xCB007102); // 203.0.113.2
        return ip + payload;
    }

    void tunnelledSegmentsAreJudgedOnTheInnerHeader()
    {
        TcpSpec s;
        s.payload = s.capturePayload = 100;
        s.ttl = 64;
        s.ipId = 0x1234;
        const auto p = decode(LinkEthernet, ethernet(ipv4Around(ipv4Tcp(s), 4, 250)));
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QVERIFY(p.tunnelled);
        QCOMPARE(p.ttl, std::uint8_t(64)); // inner, not the outer 250
        QCOMPARE(p.outerTtl, std::uint8_t(250));
        QCOMPARE(p.ipId, std::uint16_t(0x1234));
        QCOMPARE(p.ipTotalLength, 140u); // inner: 20 + 20 + 100
        QCOMPARE(QString::fromStdString(p.outerSrc.toString()), QStringLiteral("203.0.113.1"));
        QCOMPARE(QString::fromStdString(p.src.toString()), QStringLiteral("192.0.2.1"));
        QCOMPARE(QString::fromStdString(p.encap.toString()), QStringLiteral("eth / ipv4 / ipv4 / tcp"));
        QVERIFY(!p.lengthMismatch);
    }

    void aTunnelCopyCutShortIsJudgedOnTheInnerLength()
    {
        // The inner IPv4 header says 1,500 bytes; the tunnel carried only its first 60 (20 + 20 + 20 captured
        // payload bytes), and the outer header (total 80) matches what was sent.
        TcpSpec s;
        s.payload = 1460;
        s.capturePayload = 20;
        const auto p = decode(LinkEthernet, ethernet(ipv4Around(ipv4Tcp(s), 4, 250)));
        QCOMPARE(int(p.status), int(DecodeStatus::Tcp));
        QVERIFY(p.mirrorTruncated);
        QVERIFY(!p.lengthMismatch);
        QCOMPARE(p.payloadLength, 1460u);
    }

    void encapsulationsThatStopUsAreNamed()
    {
        // GRE with protocol 0x1234: a 4-byte GRE header and nothing we know inside.
        QByteArray gre;
        put16(gre, 0);
        put16(gre, 0x1234);
        gre.append(QByteArray(20, '\0'));
        auto p = decode(LinkEthernet, ethernet(ipv4Around(gre, 47, 64)));
        QCOMPARE(int(p.status), int(DecodeStatus::NotTcp));
        QCOMPARE(int(p.unknownEncap), int(UnknownEncap::GreProtocol));
        QCOMPARE(QString::fromStdString(unknownEncapName(p.unknownEncap, p.unknownValue)),
                 QStringLiteral("gre protocol 0x1234 (not decoded)"));
        // An 802.11 QoS data frame with the protected bit (0x41: ToDS + protected), 26-byte header, then ciphertext.
        QByteArray wlan;
        wlan.append(char(0x88));
        wlan.append(char(0x41));
        wlan.append(QByteArray(24, '\x01'));
        wlan.append(QByteArray(40, '\x55'));
        p = decode(LinkIeee80211, wlan);
        QCOMPARE(int(p.status), int(DecodeStatus::NotIp));
        QCOMPARE(int(p.unknownEncap), int(UnknownEncap::WlanProtected));
        // UDP to port 5246 (CAPWAP control).
        QByteArray udp;
        put16(udp, 40000);
        put16(udp, 5246);
        put16(udp, 16);
        put16(udp, 0);
        udp.append(QByteArray(8, '\0'));
        p = decode(LinkEthernet, ethernet(ipv4Around(udp, 17, 64)));
        QCOMPARE(QString::fromStdString(unknownEncapName(p.unknownEncap, p.unknownValue)),
                 QStringLiteral("udp port 5246 (not decoded)"));
    }

    void onlyIcmpTooBigAboutTcpIsKept()
    {
        TcpSpec s;
        s.payload = s.capturePayload = 1460;
        s.seq = 0x01020304;
        const QByteArray quoted = ipv4Tcp(s).left(28); // IPv4 header + first 8 TCP bytes, as RFC 792 quotes
        QByteArray icmp;
        icmp.append(char(3));
        icmp.append(char(4));
        put16(icmp, 0);
        put16(icmp, 0);
        put16(icmp, 1400); // next-hop MTU
        auto p = decode(LinkEthernet, ethernet(ipv4Around(icmp + quoted, 1, 64)));
        QCOMPARE(int(p.status), int(DecodeStatus::IcmpTooBig));
        QCOMPARE(p.icmp->mtu, 1400u);
        QCOMPARE(p.icmp->quotedIpLength, 1500u);
        QCOMPARE(p.icmp->quotedSeq, 0x01020304u);
        QCOMPARE(p.icmp->quotedDstPort, std::uint16_t(80));
        QCOMPARE(QString::fromStdString(p.icmp->reporter.toString()), QStringLiteral("203.0.113.1"));
        // The same error cut inside the quoted TCP header (4 of 8 bytes): not a usable error.
        p = decode(LinkEthernet, ethernet(ipv4Around(icmp + quoted.left(24), 1, 64)));
        QVERIFY(p.status != DecodeStatus::IcmpTooBig);
        // Echo request, and too-big quoting UDP: other ICMP stays NotTcp.
        QByteArray echo = icmp;
        echo[0] = char(8);
        echo[1] = char(0);
        QCOMPARE(int(decode(LinkEthernet, ethernet(ipv4Around(echo + quoted, 1, 64))).status),
                 int(DecodeStatus::NotTcp));
        QByteArray udpQuoted = quoted;
        udpQuoted[9] = char(17);
        QCOMPARE(int(decode(LinkEthernet, ethernet(ipv4Around(icmp + udpQuoted, 1, 64))).status),
                 int(DecodeStatus::NotTcp));
    }

    void tcpChecksumOverOddLengthsAndIpv6_data()
    {
        QTest::addColumn<bool>("ipv6");
        QTest::addColumn<int>("payload");
        // Lengths around the decoder's 16-byte summing loop (TCP header 20 + payload): remainders 0..15,
        // odd totals that end in a lone byte, and a full-size segment.
        for (const bool v6 : {false, true})
            for (const int n : {0, 1, 11, 12, 13, 27, 28, 29, 1447, 1448, 1449})
                QTest::addRow("%s with %d payload bytes", v6 ? "IPv6" : "IPv4", n) << v6 << n;
    }
    void tcpChecksumOverOddLengthsAndIpv6()
    {
        QFETCH(bool, ipv6);
        QFETCH(int, payload);
        TcpSpec s;
        s.payload = s.capturePayload = std::uint32_t(payload);
        QByteArray tcp = ipv4Tcp(s).mid(20);
        for (int i = 0; i < payload; ++i)
            tcp[20 + i] = char((i * 37 + 11) & 0xff); // every byte value, in no particular order
        QByteArray pseudo, ip;
        QByteArray src(16, '\0'), dst(16, '\0');
        if (ipv6) {
            src[0] = dst[0] = char(0x20);
            src[1] = dst[1] = char(0x01);
            src[2] = dst[2] = char(0x0d);
            src[3] = dst[3] = char(0xb8);
            src[15] = 1;
            dst[15] = 2;
            put32(ip, 0x60000000);
            put16(ip, std::uint16_t(tcp.size()));
            ip.append(char(6));
            ip.append(char(64));
            ip.append(src);
            ip.append(dst);
            // RFC 8200 section 8.1: source, destination, 32-bit upper-layer length, 3 zero bytes, next header.
            pseudo = src + dst;
            put32(pseudo, std::uint32_t(tcp.size()));
            pseudo.append(QByteArray(3, '\0'));
            pseudo.append(char(6));
        } else {
            ip = ipv4Tcp(s).left(20);
            // RFC 793: source, destination, zero, protocol, TCP length.
            pseudo = ip.mid(12, 8);
            pseudo.append(char(0));
            pseudo.append(char(6));
            put16(pseudo, std::uint16_t(tcp.size()));
        }
        // The reference sum, written plainly: 16-bit big-endian words, an odd last byte padded with zero.
        const auto onesComplement = [](const QByteArray &bytes) {
            std::uint32_t sum = 0;
            for (int i = 0; i < bytes.size(); i += 2) {
                const std::uint32_t hi = std::uint8_t(bytes[i]);
                const std::uint32_t lo = i + 1 < bytes.size() ? std::uint8_t(bytes[i + 1]) : 0;
                sum += hi << 8 | lo;
            }
            while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
            return std::uint16_t(~sum & 0xffff);
        };
        const std::uint16_t checksum = onesComplement(pseudo + tcp);
        tcp[16] = char(checksum >> 8);
        tcp[17] = char(checksum & 0xff);
        const QByteArray frame = ethernet(ip + tcp, ipv6 ? 0x86DD : 0x0800);
        const auto good = decode(LinkEthernet, frame);
        QCOMPARE(int(good.status), int(DecodeStatus::Tcp));
        QCOMPARE(good.payloadLength, std::uint32_t(payload));
        QCOMPARE(int(good.tcpChecksum), int(ChecksumState::Good));
        // One bit flipped in the last byte (the lone odd byte, or the end of the 16-byte blocks) is caught.
        QByteArray damaged = frame;
        damaged[damaged.size() - 1] = char(damaged[damaged.size() - 1] ^ 0x01);
        QCOMPARE(int(decode(LinkEthernet, damaged).tcpChecksum), int(ChecksumState::Bad));
    }
};

QTEST_GUILESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
