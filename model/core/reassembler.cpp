// SPDX-License-Identifier: GPL-3.0-or-later
// Connection table and per-direction sequence analysis. The retransmission / out-of-order rules follow
// Wireshark's so that counts can be cross-checked against tshark (see tests/tst_tsharkcrosscheck.cpp).
#include "reassembler.h"

#include <algorithm>
#include <cstring>

namespace ol {
namespace {

constexpr std::size_t MaxHolesPerDirection = 1024;
constexpr TimeNs DefaultOutOfOrderThreshold = 3'000'000; // 3 ms, Wireshark's default without an RTT
// The largest window TCP can announce (65,535 << 14). A sender never has more than that outstanding, so a
// segment further than this from the highest sequence seen is neither new data nor a retransmission.
constexpr std::int64_t MaxTcpWindow = std::int64_t(65535) << 14;

std::uint64_t word(const std::uint8_t *p)
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The order of IpAddress's operator<=> (bytes as text, then the family), by two 64-bit compares instead of a
// call to memcmp: this runs for every packet.
bool endpointLess(const IpAddress &a, std::uint16_t pa, const IpAddress &b, std::uint16_t pb)
{
    const std::uint64_t a0 = __builtin_bswap64(word(a.bytes.data())), b0 = __builtin_bswap64(word(b.bytes.data()));
    if (a0 != b0)
        return a0 < b0;
    const std::uint64_t a1 = __builtin_bswap64(word(a.bytes.data() + 8)),
                        b1 = __builtin_bswap64(word(b.bytes.data() + 8));
    if (a1 != b1)
        return a1 < b1;
    if (a.family != b.family)
        return a.family < b.family;
    return pa < pb;
}

} // namespace

std::size_t TcpReassembler::KeyHash::operator()(const Key &k) const noexcept
{
    // Every byte that operator== compares (the unused bytes of an IPv4 address are zero), a word at a time:
    // a multiply and a fold per word.
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    auto mix = [&h](std::uint64_t v) {
        h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    };
    mix(word(k.a.bytes.data()));
    mix(word(k.a.bytes.data() + 8));
    mix(word(k.b.bytes.data()));
    mix(word(k.b.bytes.data() + 8));
    mix(std::uint64_t(k.portA) | std::uint64_t(k.portB) << 16 | std::uint64_t(k.vlan) << 32);
    return static_cast<std::size_t>(h);
}

TcpReassembler::TcpReassembler(Trace &trace, WarningSink warn)
    : m_trace(trace)
    , m_warn(std::move(warn))
{ }

Connection &TcpReassembler::newConnection(const Key &key, const DecodedPacket &p, TimeNs time)
{
    auto conn = std::make_unique<Connection>();
    Connection &c = *conn;
    c.id = static_cast<std::uint32_t>(m_trace.connections.size());
    c.vlanKey = p.vlanKey;
    c.firstTime = time;
    const Endpoint src{p.src, p.srcPort};
    const Endpoint dst{p.dst, p.dstPort};
    const bool syn = p.tcpFlags & tcpflag::Syn;
    const bool ack = p.tcpFlags & tcpflag::Ack;
    if (syn && !ack) {
        c.client = src;
        c.server = dst;
    } else if (syn && ack) {
        c.client = dst;
        c.server = src;
    } else {
        // Seen mid-stream: the lower port is most likely the service.
        c.midstream = true;
        c.rolesGuessed = true;
        const bool srcIsServer = p.srcPort < p.dstPort;
        c.client = srcIsServer ? dst : src;
        c.server = srcIsServer ? src : dst;
    }
    c.directions[0].from = c.client;
    c.directions[0].to = c.server;
    c.directions[1].from = c.server;
    c.directions[1].to = c.client;
    m_trace.connections.push_back(std::move(conn));
    m_state.emplace_back();
    m_table[key] = c.id;
    Key tupleKey = key;
    tupleKey.vlan = 0;
    m_byTuple[tupleKey] = c.id;
    return c;
}

Connection &TcpReassembler::connectionFor(const DecodedPacket &p, TimeNs time, int &direction)
{
    Key key;
    if (endpointLess(p.src, p.srcPort, p.dst, p.dstPort)) {
        key.a = p.src;
        key.portA = p.srcPort;
        key.b = p.dst;
        key.portB = p.dstPort;
    } else {
        key.a = p.dst;
        key.portA = p.dstPort;
        key.b = p.src;
        key.portB = p.srcPort;
    }
    key.vlan = p.vlanKey;

    const std::size_t hash = KeyHash()(key);
    const Recent &recent = m_recent[hash % m_recent.size()];
    std::uint32_t index = UINT32_MAX;
    if (recent.index != UINT32_MAX && recent.key == key) {
        index = recent.index;
    } else {
        const auto it = m_table.find(key);
        if (it != m_table.end())
            index = it->second;
    }
    if (index == UINT32_MAX) {
        Key tupleKey = key;
        tupleKey.vlan = 0;
        // Encapsulation can differ by direction (a VLAN tag one way only). A first packet in the other
        // direction of an otherwise matching connection joins it instead of starting a new one.
        const auto it = m_byTuple.find(tupleKey);
        if (it != m_byTuple.end()) {
            const Connection &other = *m_trace.connections[it->second];
            const int d = (p.src == other.client.addr && p.srcPort == other.client.port) ? 0 : 1;
            if (other.vlanKey != p.vlanKey && other.directions[d].stats.segments == 0
                && other.directions[1 - d].stats.segments > 0) {
                index = it->second;
                m_table[key] = index;
            }
        }
    }
    Connection *c = nullptr;
    if (index == UINT32_MAX) {
        c = &newConnection(key, p, time);
    } else {
        c = m_trace.connections[index].get();
        const bool syn = p.tcpFlags & tcpflag::Syn;
        const bool ack = p.tcpFlags & tcpflag::Ack;
        if (syn && !ack) {
            // The same SYN again is a retransmission; any other SYN opens a new connection on this 4-tuple.
            const HandshakeOptions &h = c->directions[0].handshake;
            const bool fromClient = p.src == c->client.addr && p.srcPort == c->client.port;
            const bool sameSyn = fromClient && h.sawSyn && h.isn == p.seq;
            if (!sameSyn)
                c = &newConnection(key, p, time);
        }
    }
    m_recent[hash % m_recent.size()] = {key, c->id}; // with m_table, which newConnection or the join set
    direction = (p.src == c->client.addr && p.srcPort == c->client.port) ? 0 : 1;
    return *c;
}

std::int64_t TcpReassembler::unwrap(DirState &s, std::uint32_t raw, std::int64_t &jump) const
{
    jump = 0;
    if (!s.haveSeq) {
        s.haveSeq = true;
        s.highestAbs = raw;
        return raw;
    }
    const std::uint32_t forward = raw - static_cast<std::uint32_t>(s.highestAbs);
    std::int64_t delta = static_cast<std::int32_t>(forward);
    if (delta > MaxTcpWindow || delta < -MaxTcpWindow) {
        // Beyond any window either way: the numbers jumped (packets missing from the capture, a 4-tuple
        // reused without a captured SYN, damage). Read as a jump ahead, so that a jump of more than 2^31
        // does not turn every later segment into a "retransmission" of old data; the caller warns.
        delta = forward;
        jump = delta;
    }
    const std::int64_t abs = s.highestAbs + delta;
    if (abs > s.highestAbs)
        s.highestAbs = abs;
    return abs;
}

std::uint64_t TcpReassembler::removeFromHoles(std::vector<Hole> &holes, std::int64_t start, std::int64_t end)
{
    std::uint64_t removed = 0;
    for (std::size_t i = 0; i < holes.size();) {
        Hole &h = holes[i];
        const std::int64_t s = std::max(h.start, start);
        const std::int64_t e = std::min(h.end, end);
        if (s >= e) {
            ++i;
            continue;
        }
        removed += static_cast<std::uint64_t>(e - s);
        if (s == h.start && e == h.end) {
            holes.erase(holes.begin() + static_cast<std::ptrdiff_t>(i));
        } else if (s == h.start) {
            h.start = e;
            ++i;
        } else if (e == h.end) {
            h.end = s;
            ++i;
        } else {
            const Hole tail{e, h.end};
            h.end = s;
            holes.insert(holes.begin() + static_cast<std::ptrdiff_t>(i) + 1, tail);
            i += 2;
        }
    }
    return removed;
}

void TcpReassembler::analyzeSequence(Connection &c, int d, Segment &seg, const DecodedPacket &p, TimeNs time,
                                     std::uint32_t frame)
{
    State &st = m_state[c.id];
    DirState &ds = st.d[d];
    DirectionStats &stats = c.directions[d].stats;
    const bool syn = p.tcpFlags & tcpflag::Syn;
    const bool fin = p.tcpFlags & tcpflag::Fin;
    const bool rst = p.tcpFlags & tcpflag::Rst;
    const std::int64_t consumes = std::int64_t(p.payloadLength) + (syn ? 1 : 0) + (fin ? 1 : 0);
    if (consumes == 0)
        return;
    const std::int64_t start = seg.relSeq;
    const std::int64_t end = start + consumes;
    if (!ds.haveNext) {
        ds.haveNext = true;
        ds.nextSeq = end;
        ds.nextSeqTime = time;
        stats.uniqueBytes += p.payloadLength;
        return;
    }
    if (p.payloadLength <= 1 && !syn && !fin && !rst && start == ds.nextSeq - 1) {
        ++stats.keepAlives; // a probe that repeats the last byte, not a retransmission
        return;
    }
    if (start > ds.nextSeq) {
        ++stats.gapEvents;
        if (ds.holes.size() >= MaxHolesPerDirection) {
            // The list is bounded (a hostile file must not grow memory without end). The oldest hole leaves
            // it, but its bytes stay counted as missing from the capture: a later retransmission of them is
            // no longer recognised, so say so once per direction instead of under-counting in silence.
            const bool firstEviction = ds.evictedHoleBytes == 0;
            const Hole &oldest = ds.holes.front();
            ds.evictedHoleBytes += static_cast<std::uint64_t>(oldest.end - oldest.start);
            if (firstEviction && m_warn)
                m_warn(frame, "too-many-holes",
                       "Packet " + std::to_string(frame) + ": more than " + std::to_string(MaxHolesPerDirection)
                           + " sequence gaps open at once from " + c.directions[d].from.toString()
                           + "; the oldest are no longer tracked: their bytes count as missing from the capture "
                             "even if they arrive later, and such late copies count as new data.");
            ds.holes.erase(ds.holes.begin());
        }
        ds.holes.push_back({ds.nextSeq, start});
    }
    if (start < ds.nextSeq) {
        const std::uint64_t filled = removeFromHoles(ds.holes, start, std::min(end, ds.nextSeq));
        stats.uniqueBytes += std::min<std::uint64_t>(filled, p.payloadLength);
        const DirState &peer = st.d[1 - d];
        const bool fastRetransmission = peer.dupAcksInRow >= 2 && peer.lastAck == p.seq;
        const TimeNs threshold = st.firstRtt > 0 ? st.firstRtt : DefaultOutOfOrderThreshold;
        if (!fastRetransmission && time - ds.nextSeqTime < threshold && ds.nextSeq != end) {
            seg.bits |= Segment::OutOfOrder;
            ++stats.outOfOrder;
        } else {
            seg.bits |= Segment::Retransmission;
            ++stats.retransmissions;
        }
    }
    if (end > ds.nextSeq) {
        const std::int64_t fresh = end - std::max(start, ds.nextSeq);
        stats.uniqueBytes += std::min<std::uint64_t>(static_cast<std::uint64_t>(fresh), p.payloadLength);
        ds.nextSeq = end;
        ds.nextSeqTime = time;
    }
}

// The stack and tunnel facts of a connection come from its first packet; later packets only add a second
// stack (noted once) and the mirror test: a tunnel carries the two directions between its endpoints in
// opposite directions, a mirror session sends copies of both directions the same way, to its collector.
void TcpReassembler::noteEncapsulation(Connection &c, int d, const DecodedPacket &p, std::uint32_t frame)
{
    if (c.packets == 1) {
        c.encapsulation = p.encap;
        c.tunnelled = p.tunnelled;
        c.mirrored = p.mirrored;
        if (p.tunnelled) {
            c.tunnelOuterSrc = p.outerSrc;
            c.tunnelOuterDst = p.outerDst;
        }
    } else if (!(p.encap == c.encapsulation)) {
        if (c.otherEncapsulationPackets++ == 0) {
            c.otherEncapsulation = p.encap;
            if (m_warn)
                m_warn(frame, "second-encapsulation",
                       "Packet " + std::to_string(frame) + ": connection " + std::to_string(c.id) + " ("
                           + c.client.toString() + " - " + c.server.toString() + ") seen as " + p.encap.toString()
                           + " after " + c.encapsulation.toString()
                           + "; the first is reported (mirror copies of one connection, or a tag one way only).");
        }
    }
    if (p.mirrored)
        c.mirrored = true;
    if (p.mirrorTruncated)
        ++c.mirrorTruncated;
    if (!p.tunnelled)
        return;
    State &st = m_state[c.id];
    if (st.outerSeen[d])
        return;
    st.outerSeen[d] = true;
    c.tunnelOuterFrom[d] = p.outerSrc;
    c.tunnelOuterTtl[d] = p.outerTtl;
    st.outerSrc[d] = p.outerSrc;
    st.outerDst[d] = p.outerDst;
    if (st.outerSeen[1 - d] && st.outerSrc[0] == st.outerSrc[1] && st.outerDst[0] == st.outerDst[1])
        c.mirrored = true;
}

void TcpReassembler::add(const DecodedPacket &p, TimeNs time, std::uint32_t frame, std::uint32_t pcapngFlags)
{
    int d = 0;
    Connection &c = connectionFor(p, time, d);
    FlowDirection &fd = c.directions[d];
    State &st = m_state[c.id];
    DirState &ds = st.d[d];
    DirectionStats &stats = fd.stats;
    const bool syn = p.tcpFlags & tcpflag::Syn;
    const bool ack = p.tcpFlags & tcpflag::Ack;
    const bool fin = p.tcpFlags & tcpflag::Fin;
    const bool rst = p.tcpFlags & tcpflag::Rst;

    ++c.packets;
    c.lastTime = std::max(c.lastTime, time);
    noteEncapsulation(c, d, p, frame);
    if (fin)
        c.sawFin[d] = true;
    if (rst)
        c.sawRst = true;

    if (syn) {
        HandshakeOptions &h = fd.handshake;
        if (!h.sawSyn) {
            h.sawSyn = true;
            h.hasMss = p.options.hasMss;
            h.mss = p.options.mss;
            h.windowScale = p.options.windowScale;
            h.sackPermitted = p.options.sackPermitted;
            h.timestamps = p.options.hasTimestamps;
            h.isn = p.seq;
            h.ttl = p.ttl;
            h.time = time;
            h.frame = frame;
        }
        if (!ack) {
            if (c.synTime < 0)
                c.synTime = time;
        } else {
            c.sawSynAck = true;
            if (c.synAckTime < 0)
                c.synAckTime = time;
        }
        if (!fd.baseSet) {
            fd.baseSeq = p.seq;
            fd.baseSet = true;
        }
    } else if (!fd.baseSet) {
        fd.baseSeq = p.seq;
        fd.baseSet = true;
    }
    if (!syn && ack && d == 0 && c.synAckTime >= 0 && c.handshakeAckTime < 0
        && p.ack == c.directions[1].handshake.isn + 1) {
        c.handshakeAckTime = time;
        if (c.synTime >= 0)
            st.firstRtt = time - c.synTime;
    }

    Segment seg;
    seg.time = time;
    std::int64_t jump = 0;
    seg.relSeq = unwrap(ds, p.seq, jump) - std::int64_t(fd.baseSeq);
    if (jump && m_warn)
        m_warn(frame, "seq-jump",
               "Packet " + std::to_string(frame) + ": the sequence number jumps " + withThousands(std::uint64_t(jump))
                   + " bytes past the highest seen from " + fd.from.toString()
                   + ", more than any TCP window allows; counted as a gap (packets missing from the capture, or "
                     "the 4-tuple reused without a captured SYN).");
    seg.payload = p.payloadLength;
    seg.ack = p.ack;
    seg.frame = frame;
    seg.ipLength = p.ipTotalLength;
    seg.window = p.window;
    seg.ipId = p.ipId;
    seg.ttl = p.ttl;
    seg.tcpFlags = p.tcpFlags;
    std::uint8_t recorded = static_cast<std::uint8_t>(p.recordedDirection);
    seg.bits = static_cast<std::uint16_t>(static_cast<unsigned>(p.tcpChecksum)
                                          | (static_cast<unsigned>(p.ipChecksum) << Segment::IpCsumShift)
                                          | (unsigned(recorded) << Segment::DirShift));
    if (p.options.hasTimestamps)
        seg.bits |= Segment::HasTimestamps;
    if (p.lengthMismatch)
        seg.bits |= Segment::LengthMismatch;

    ++stats.segments;
    if (p.payloadLength) {
        ++stats.dataSegments;
        stats.payloadBytes += p.payloadLength;
        stats.maxPayload = std::max(stats.maxPayload, p.payloadLength);
    }
    if (p.ipLengthZero)
        ++stats.ipLengthZero;
    if (p.lengthMismatch)
        ++stats.lengthMismatch;
    ++stats.tcpChecksum[static_cast<int>(p.tcpChecksum)];
    if (p.ipVersion == 4)
        ++stats.ipChecksum[static_cast<int>(p.ipChecksum)];
    ++stats.recorded[recorded];
    if (pcapngFlags & (1u << 11))
        ++stats.pcapngTsoFlag;

    analyzeSequence(c, d, seg, p, time, frame);

    if (ack) {
        const int pd = 1 - d;
        const FlowDirection &peerDir = c.directions[pd];
        DirState &peer = st.d[pd];
        if (peerDir.baseSet && peer.haveSeq) {
            const auto delta = static_cast<std::int32_t>(p.ack - static_cast<std::uint32_t>(peer.highestAbs));
            const std::int64_t rel = peer.highestAbs + delta - std::int64_t(peerDir.baseSeq);
            if (!peer.peerAcked || rel > peer.maxAckedRel)
                peer.maxAckedRel = rel;
            peer.peerAcked = true;
        }
        if (p.payloadLength == 0 && !syn && !fin && !rst && ds.haveAck && p.ack == ds.lastAck
            && p.window == ds.lastWindow && (!ds.haveNext || seg.relSeq == ds.nextSeq)) {
            seg.bits |= Segment::DupAck;
            ++stats.duplicateAcks;
            ++ds.dupAcksInRow;
        } else if (p.ack != ds.lastAck) {
            ds.dupAcksInRow = 0;
        }
        ds.lastAck = p.ack;
        ds.lastWindow = p.window;
        ds.haveAck = true;
    }
    if (p.window == 0 && !syn && !fin && !rst) {
        seg.bits |= Segment::ZeroWindow;
        ++stats.zeroWindows;
    }
    if (p.options.sackBlockCount) {
        seg.bits |= Segment::HasSack;
        ++stats.sackSegments;
    }
    fd.segments.push_back(seg);
}

void TcpReassembler::finish()
{
    for (auto &conn : m_trace.connections) {
        Connection &c = *conn;
        const State &st = m_state[c.id];
        for (int d = 0; d < 2; ++d) {
            const DirState &ds = st.d[d];
            if (!ds.peerAcked)
                continue;
            const std::int64_t acked = ds.maxAckedRel;
            std::uint64_t missing = ds.evictedHoleBytes;
            for (const Hole &h : ds.holes)
                if (h.start < acked)
                    missing += static_cast<std::uint64_t>(std::min(h.end, acked) - h.start);
            const std::int64_t seen = ds.haveNext ? ds.nextSeq : 0;
            if (acked > seen && ds.haveNext)
                missing += static_cast<std::uint64_t>(acked - seen);
            c.directions[d].stats.missingBytes = missing;
        }
    }
    m_state.clear();
    m_state.shrink_to_fit();
    m_table.clear();
    m_byTuple.clear();
    m_recent.fill({});
}

} // namespace ol
