// SPDX-License-Identifier: GPL-3.0-or-later
// Expected values for the alignment tests from the world: tshark's reading of a connection at two capture
// points, and the segment mapping and the loss between the points computed from their definitions by brute
// force (quadratic, fine for the few thousand segments of a test capture), with nothing of ol:: but the
// plain MappingCounts struct to hold the result.
#pragma once

#include "alignment.h"

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace twopoint {

/// Sequence space a segment occupies: [lo, hi), its payload plus one for a SYN and one for a FIN (RFC 9293).
struct SeqRange {
    std::int64_t lo = 0, hi = 0;
    double time = 0; // frame.time_epoch
};

/// The sequence ranges tshark reads for the segments that match `filter`, in capture order, in tshark's
/// relative sequence numbers (0 = the SYN's). Empty when tshark fails.
inline std::vector<SeqRange> tsharkRanges(const QString &tshark, const QString &path, const QString &filter)
{
    QProcess ts;
    ts.start(tshark,
             {QStringLiteral("-n"), QStringLiteral("-r"), path, QStringLiteral("-Y"), filter, QStringLiteral("-T"),
              QStringLiteral("fields"), QStringLiteral("-e"), QStringLiteral("tcp.seq"), QStringLiteral("-e"),
              QStringLiteral("tcp.len"), QStringLiteral("-e"), QStringLiteral("tcp.flags.syn"), QStringLiteral("-e"),
              QStringLiteral("tcp.flags.fin"), QStringLiteral("-e"), QStringLiteral("frame.time_epoch")});
    if (!ts.waitForFinished(120000) || ts.exitCode() != 0)
        return {};
    std::vector<SeqRange> out;
    for (const QByteArray &line : ts.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> f = line.trimmed().split('\t');
        if (f.size() < 5)
            continue;
        const std::int64_t seq = f[0].toLongLong(), len = f[1].toLongLong();
        const bool syn = f[2] == "1" || f[2] == "True", fin = f[3] == "1" || f[3] == "True";
        out.push_back({seq, seq + len + (syn ? 1 : 0) + (fin ? 1 : 0), f[4].toDouble()});
    }
    return out;
}

/// The mapping counts straight from their definition, by brute force over what tshark read of both points:
/// each segment's new bytes are its range minus everything its own trace showed before it; an A segment and a
/// B segment belong together when they share a new byte; each connected group of segments is then 1:1, 1:N,
/// N:1 or N:N by how many it has on each side, or A-only / B-only (counted in segments) when the other side
/// never shows its bytes. Quadratic, and written without anything of ol::.
inline ol::MappingCounts mappingFromDefinition(const std::vector<SeqRange> &a, const std::vector<SeqRange> &b)
{
    const auto newBytes = [](const std::vector<SeqRange> &segs) {
        std::vector<std::vector<SeqRange>> out;
        for (std::size_t i = 0; i < segs.size(); ++i) {
            std::vector<SeqRange> pieces{segs[i]};
            for (std::size_t j = 0; j < i; ++j) {
                std::vector<SeqRange> rest;
                for (const SeqRange &p : pieces) {
                    if (segs[j].hi <= p.lo || segs[j].lo >= p.hi) {
                        rest.push_back(p);
                        continue;
                    }
                    if (p.lo < segs[j].lo)
                        rest.push_back({p.lo, segs[j].lo});
                    if (segs[j].hi < p.hi)
                        rest.push_back({segs[j].hi, p.hi});
                }
                pieces = rest;
            }
            out.push_back(pieces);
        }
        return out;
    };
    const auto na = newBytes(a), nb = newBytes(b);
    // Union-find over A segments 0..|a|-1 and B segments |a|..|a|+|b|-1.
    std::vector<std::size_t> parent(a.size() + b.size());
    for (std::size_t i = 0; i < parent.size(); ++i)
        parent[i] = i;
    const auto root = [&parent](std::size_t x) {
        while (parent[x] != x)
            x = parent[x];
        return x;
    };
    for (std::size_t i = 0; i < na.size(); ++i)
        for (const SeqRange &p : na[i])
            for (std::size_t j = 0; j < nb.size(); ++j)
                for (const SeqRange &q : nb[j])
                    if (p.lo < q.hi && q.lo < p.hi)
                        parent[root(i)] = root(a.size() + j);
    std::map<std::size_t, std::pair<std::uint64_t, std::uint64_t>> groups; // root -> (A segments, B segments)
    for (std::size_t i = 0; i < na.size(); ++i)
        if (!na[i].empty())
            ++groups[root(i)].first;
    for (std::size_t j = 0; j < nb.size(); ++j)
        if (!nb[j].empty())
            ++groups[root(a.size() + j)].second;
    ol::MappingCounts m;
    for (const auto &[r, n] : groups) {
        const auto [nA, nB] = n;
        if (nB == 0)
            m.onlyA += nA;
        else if (nA == 0)
            m.onlyB += nB;
        else if (nA == 1 && nB == 1)
            ++m.oneToOne;
        else if (nA == 1)
            ++m.oneToMany;
        else if (nB == 1)
            ++m.manyToOne;
        else
            ++m.manyToMany;
    }
    return m;
}

/// Loss between the points by its definition, for a sender-side trace `s` and a receiver-side trace `r` on one
/// clock: a segment that carries new bytes is lost when the receiver never shows any of them although it was
/// capturing when they should have arrived, or shows them only after the sender's retransmission of them could
/// have arrived. "Could have arrived" = sent plus the smallest delay seen for a range both show. Returns the
/// lost segments and adds their bytes to `bytes`.
inline std::uint64_t lostFromDefinition(const std::vector<SeqRange> &s, const std::vector<SeqRange> &r,
                                        std::uint64_t &bytes)
{
    double minDelay = std::numeric_limits<double>::infinity();
    for (const SeqRange &x : s)
        for (const SeqRange &y : r)
            if (x.lo == y.lo && x.hi == y.hi)
                minDelay = std::min(minDelay, y.time - x.time);
    if (r.empty() || !std::isfinite(minDelay))
        return 0;
    std::uint64_t lost = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const SeqRange &x = s[i];
        bool resent = false; // every byte already sent before: not a first transmission
        for (std::size_t j = 0; j < i && !resent; ++j)
            resent = s[j].lo <= x.lo && x.hi <= s[j].hi;
        if (resent)
            continue;
        double firstSeen = std::numeric_limits<double>::infinity(), retransmitted = firstSeen;
        for (const SeqRange &y : r)
            if (y.lo < x.hi && x.lo < y.hi)
                firstSeen = std::min(firstSeen, y.time);
        for (std::size_t j = i + 1; j < s.size(); ++j)
            if (s[j].lo < x.hi && x.lo < s[j].hi)
                retransmitted = std::min(retransmitted, s[j].time);
        const double expected = x.time + minDelay;
        const bool never = !std::isfinite(firstSeen) && expected >= r.front().time && expected <= r.back().time;
        if (never || (std::isfinite(firstSeen) && firstSeen >= retransmitted + minDelay)) {
            ++lost;
            bytes += std::uint64_t(x.hi - x.lo);
        }
    }
    return lost;
}

} // namespace twopoint
