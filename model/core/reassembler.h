// SPDX-License-Identifier: GPL-3.0-or-later
// TCP reassembly into connections: the connection table, sequence unwrapping and per-direction analysis
// (retransmission, out-of-order, gaps, duplicate ACKs, SACK, zero windows, bytes never captured).
#pragma once

#include "decoder.h"
#include "trace.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ol {

/// Receives a warning about one frame: a stable kind and one sentence for people.
using WarningSink = std::function<void(std::uint64_t frame, const std::string &kind, const std::string &text)>;

class TcpReassembler
{
public:
    explicit TcpReassembler(Trace &trace, WarningSink warn = {});

    /// Adds one decoded TCP segment (status must be DecodeStatus::Tcp).
    void add(const DecodedPacket &p, TimeNs time, std::uint32_t frame, std::uint32_t pcapngFlags);
    /// Completes the analysis that needs the whole trace (bytes acknowledged but never captured).
    void finish();

private:
    struct Key {
        IpAddress a, b;
        std::uint16_t portA = 0, portB = 0;
        std::uint32_t vlan = 0;
        friend bool operator==(const Key &, const Key &) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key &k) const noexcept;
    };
    struct Hole {
        std::int64_t start, end;
    };
    struct DirState {
        std::int64_t highestAbs = 0; // highest raw sequence seen, unwrapped to 64 bits
        bool haveSeq = false;
        std::int64_t nextSeq = 0; // relative: one past the highest byte seen
        TimeNs nextSeqTime = 0;
        bool haveNext = false;
        std::uint32_t lastAck = 0;
        std::uint16_t lastWindow = 0;
        bool haveAck = false;
        std::uint32_t dupAcksInRow = 0;
        std::int64_t maxAckedRel = 0; // highest byte of this direction the peer acknowledged (relative)
        bool peerAcked = false;
        std::vector<Hole> holes; // sequence ranges skipped and not yet seen
        std::uint64_t evictedHoleBytes = 0; // holes dropped at the cap, counted as missing (and warned about)
    };
    struct State {
        DirState d[2];
        TimeNs firstRtt = 0; // SYN to handshake ACK, as tshark measures it
        IpAddress outerSrc[2], outerDst[2]; // outer IP header of each direction's first tunnelled packet
        bool outerSeen[2] = {false, false};
    };

    Connection &connectionFor(const DecodedPacket &p, TimeNs time, int &direction);
    Connection &newConnection(const Key &key, const DecodedPacket &p, TimeNs time);
    std::int64_t unwrap(DirState &s, std::uint32_t raw, std::int64_t &jump) const;
    static std::uint64_t removeFromHoles(std::vector<Hole> &holes, std::int64_t start, std::int64_t end);
    void analyzeSequence(Connection &c, int d, Segment &seg, const DecodedPacket &p, TimeNs time, std::uint32_t frame);
    void noteEncapsulation(Connection &c, int d, const DecodedPacket &p, std::uint32_t frame);

    Trace &m_trace;
    WarningSink m_warn;
    std::unordered_map<Key, std::uint32_t, KeyHash> m_table;
    std::unordered_map<Key, std::uint32_t, KeyHash> m_byTuple; // VLAN cleared: latest connection of a 4-tuple
    std::vector<State> m_state;
    // The connections of the latest flows, by hash: most packets resolve here without the table's lookup
    // (a bucket search and a division). connectionFor sets the entry of every key it resolves, right after
    // any change of m_table for that key, so an entry always agrees with the table.
    struct Recent {
        Key key;
        std::uint32_t index = UINT32_MAX;
    };
    std::array<Recent, 256> m_recent{};
};

} // namespace ol
