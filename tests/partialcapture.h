// SPDX-License-Identifier: GPL-3.0-or-later
// A generated capture large enough to be loaded in many batches, with its truth: server-side capture of
// `connections` HTTP-like downloads interleaved frame by frame, MSS 1460 both ways, every 10th data segment a
// 2,920-byte send-offload super-segment (TTL 64 from the server, 61 from the client: the capture host is the
// server), the client ACKing every second data segment. Headers only (54 bytes captured).
#pragma once

#include "testutil.h"

#include <cstdint>
#include <vector>

namespace testutil {

struct PartialTruth {
    struct Conn {
        std::uint64_t packets = 0;
        std::uint64_t segments[2] = {0, 0}; // client -> server, server -> client
        std::uint64_t payload[2] = {0, 0};
        std::uint64_t superSegments = 0; // server -> client, larger than the MSS
    };
    std::vector<Conn> conns; // in order of their SYNs
    std::uint64_t packets = 0;
};

/// Writes the capture into dir; `dataPerConnection` data segments each.
inline QString writePartialCapture(const QTemporaryDir &dir, int connections, int dataPerConnection,
                                   PartialTruth &truth)
{
    PcapFile file(1);
    std::int64_t t = 1'700'000'000LL * 1'000'000; // microseconds
    auto add = [&](const TcpSpec &s) {
        const QByteArray frame = ethernet(ipv4Tcp(s));
        file.add(t / 1'000'000, std::uint32_t(t % 1'000'000), frame, std::uint32_t(frame.size() + s.payload));
        t += 10;
        ++truth.packets;
    };
    truth.conns.assign(std::size_t(connections), {});
    std::vector<std::uint32_t> serverSeq(std::size_t(connections), 5001), clientSeq(std::size_t(connections), 1001);
    auto spec = [&](int c, bool fromServer) {
        TcpSpec s;
        s.src = fromServer ? 0xC6336402 : 0xC0000201 + std::uint32_t(c);
        s.dst = fromServer ? 0xC0000201 + std::uint32_t(c) : 0xC6336402;
        s.sport = fromServer ? 80 : std::uint16_t(40000 + c);
        s.dport = fromServer ? std::uint16_t(40000 + c) : 80;
        s.ttl = fromServer ? 64 : 61;
        return s;
    };
    for (int c = 0; c < connections; ++c) { // the handshakes first
        PartialTruth::Conn &tc = truth.conns[std::size_t(c)];
        TcpSpec syn = spec(c, false);
        syn.flags = 0x02;
        syn.seq = 1000;
        syn.options = mssOption(1460);
        add(syn);
        TcpSpec synAck = spec(c, true);
        synAck.flags = 0x12;
        synAck.seq = 5000;
        synAck.ack = 1001;
        synAck.options = mssOption(1460);
        add(synAck);
        TcpSpec ack = spec(c, false);
        ack.seq = 1001;
        ack.ack = 5001;
        add(ack);
        tc.packets += 3;
        tc.segments[0] += 2;
        tc.segments[1] += 1;
    }
    for (int i = 0; i < dataPerConnection; ++i)
        for (int c = 0; c < connections; ++c) {
            PartialTruth::Conn &tc = truth.conns[std::size_t(c)];
            TcpSpec data = spec(c, true);
            data.seq = serverSeq[std::size_t(c)];
            data.ack = clientSeq[std::size_t(c)];
            data.payload = i % 10 == 9 ? 2920 : 1460;
            data.ipId = std::uint16_t(i);
            add(data);
            serverSeq[std::size_t(c)] += data.payload;
            ++tc.packets;
            ++tc.segments[1];
            tc.payload[1] += data.payload;
            tc.superSegments += data.payload > 1460;
            if (i % 2 == 1) {
                TcpSpec ack = spec(c, false);
                ack.seq = clientSeq[std::size_t(c)];
                ack.ack = serverSeq[std::size_t(c)];
                add(ack);
                ++tc.packets;
                ++tc.segments[0];
            }
        }
    return file.write(dir, QStringLiteral("partial.pcap"));
}

} // namespace testutil
