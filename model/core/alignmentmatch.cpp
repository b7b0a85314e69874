// SPDX-License-Identifier: GPL-3.0-or-later
// Connection matching between two traces: candidate pairs, a score from 4-tuple, ISNs, handshake
// options, byte counts and start times, and a greedy assignment above a threshold.
#include "alignment.h"
#include "alignmentdetail.h"

#include <algorithm>
#include <cmath>

namespace ol {
namespace detail {

const Connection *findConnection(const Trace &t, std::uint32_t id)
{
    if (id < t.connections.size() && t.connections[id]->id == id)
        return t.connections[id].get();
    for (const auto &c : t.connections)
        if (c->id == id)
            return c.get();
    return nullptr;
}

namespace {

struct Candidate {
    std::uint32_t ia = 0, ib = 0; // indices into the connection vectors
    bool swapped = false;
    double score = 0;
    bool strong = false; // 4-tuple, ISN or byte-count evidence, without which nothing is paired
};

/// Byte counts agree: the same connection seen at two points shows the same sequence space covered.
double bytesScore(std::uint64_t x, std::uint64_t y, bool &evidence)
{
    if (x == 0 && y == 0)
        return 0;
    const double hi = double(std::max(x, y)), lo = double(std::min(x, y));
    if (x == y) {
        evidence = true;
        return 1.5;
    }
    if (lo >= 0.98 * hi) {
        evidence = true;
        return 0.75;
    }
    if (hi > 10000 && lo < 0.8 * hi)
        return -1.0;
    return 0;
}

double optionsScore(const HandshakeOptions &x, const HandshakeOptions &y)
{
    if (!x.sawSyn || !y.sawSyn)
        return 0;
    double s = 0;
    s += x.windowScale == y.windowScale ? 0.3 : -0.3;
    s += x.sackPermitted == y.sackPermitted ? 0.2 : -0.5;
    s += x.timestamps == y.timestamps ? 0.2 : -0.5;
    s += x.mss == y.mss ? 0.1 : 0; // a middlebox may clamp the MSS: weak either way
    return s;
}

/// Score of A connection ca against B connection cb (B's roles swapped or not); startOffset is the typical
/// B - A start time difference of strong pairs (NaN when not known yet).
Candidate score(const Connection &ca, const Connection &cb, bool swapped, double startOffset)
{
    Candidate c;
    c.swapped = swapped;
    const Endpoint &bc = swapped ? cb.server : cb.client;
    const Endpoint &bs = swapped ? cb.client : cb.server;
    double s = 0;
    if (ca.client == bc && ca.server == bs) {
        s += 3;
        c.strong = true;
    } else {
        if (ca.server.port == bs.port)
            s += 0.5;
        if (ca.client.port == bc.port)
            s += 0.5;
        if (ca.server.addr == bs.addr || ca.client.addr == bc.addr)
            s += 0.25;
    }
    bool bytes = false;
    for (int d = 0; d < 2; ++d) {
        const FlowDirection &fa = ca.dir(d), &fb = cb.dir(swapped ? 1 - d : d);
        if (fa.handshake.sawSyn && fb.handshake.sawSyn && fa.handshake.isn == fb.handshake.isn) {
            s += 3;
            c.strong = true;
        }
        s += optionsScore(fa.handshake, fb.handshake);
        s += bytesScore(fa.stats.uniqueBytes, fb.stats.uniqueBytes, bytes);
    }
    if (bytes)
        c.strong = true;
    const double durA = double(ca.lastTime - ca.firstTime) * 1e-9, durB = double(cb.lastTime - cb.firstTime) * 1e-9;
    if (std::abs(durA - durB) < 0.1 * std::max(durA, durB) + 0.5)
        s += 0.25;
    if (std::isfinite(startOffset)) {
        const double diff = std::abs(double(cb.firstTime - ca.firstTime) * 1e-9 - startOffset);
        if (diff < 0.5)
            s += 1.5;
        else if (diff < 5)
            s += 0.5;
        else if (diff > 60)
            s -= 1.0;
    }
    c.score = s;
    return c;
}

constexpr double Threshold = 3.0;

std::vector<Candidate> assign(std::vector<Candidate> cands, std::size_t nA, std::size_t nB)
{
    std::stable_sort(cands.begin(), cands.end(),
                     [](const Candidate &x, const Candidate &y) { return x.score > y.score; });
    std::vector<bool> usedA(nA, false), usedB(nB, false);
    std::vector<Candidate> out;
    for (const Candidate &c : cands) {
        if (!c.strong || c.score < Threshold || usedA[c.ia] || usedB[c.ib])
            continue;
        usedA[c.ia] = usedB[c.ib] = true;
        out.push_back(c);
    }
    return out;
}

} // namespace
} // namespace detail

using namespace detail;

AlignmentResult alignTraces(const Trace &a, const Trace &b)
{
    const std::size_t nA = a.connections.size(), nB = b.connections.size();

    // Candidates: everything when small; otherwise connections sharing an ISN, a port pair, exact byte
    // counts, or (when few share it) one port. Sorted key vectors, no maps.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cand;
    if (nA * nB <= 1'000'000) {
        cand.reserve(nA * nB);
        for (std::uint32_t i = 0; i < nA; ++i)
            for (std::uint32_t j = 0; j < nB; ++j)
                cand.emplace_back(i, j);
    } else {
        auto keysOf = [](const Connection &c, std::vector<std::uint64_t> &k) {
            constexpr std::uint64_t Mask = (std::uint64_t(1) << 56) - 1;
            auto tag = [](std::uint64_t t, std::uint64_t v) { return (t << 56) | (v & Mask); };
            k.clear();
            for (int d = 0; d < 2; ++d)
                if (c.dir(d).handshake.sawSyn)
                    k.push_back(tag(1, c.dir(d).handshake.isn));
            const std::uint16_t p1 = std::min(c.client.port, c.server.port),
                                p2 = std::max(c.client.port, c.server.port);
            k.push_back(tag(2, (std::uint64_t(p1) << 16) | p2));
            const std::uint64_t u0 = c.dir(0).stats.uniqueBytes, u1 = c.dir(1).stats.uniqueBytes;
            if (u0 + u1 > 0)
                k.push_back(tag(3, std::min(u0, u1) * 0x9E3779B97F4A7C15ull ^ std::max(u0, u1)));
            k.push_back(tag(4, c.client.port));
            k.push_back(tag(4, c.server.port));
        };
        std::vector<std::pair<std::uint64_t, std::uint32_t>> keysB;
        std::vector<std::uint64_t> k;
        for (std::uint32_t j = 0; j < nB; ++j) {
            keysOf(*b.connections[j], k);
            for (std::uint64_t key : k)
                keysB.emplace_back(key, j);
        }
        std::sort(keysB.begin(), keysB.end());
        for (std::uint32_t i = 0; i < nA; ++i) {
            keysOf(*a.connections[i], k);
            for (std::uint64_t key : k) {
                auto lo = std::lower_bound(keysB.begin(), keysB.end(), std::make_pair(key, std::uint32_t(0)));
                auto hi = lo;
                while (hi != keysB.end() && hi->first == key)
                    ++hi;
                // A port that thousands of connections share (443) says nothing: skip crowded buckets,
                // except ISNs, which are 32 random bits.
                const std::size_t cap = (key >> 56) == 1 ? 4096 : (key >> 56) == 4 ? 32 : 256;
                if (std::size_t(hi - lo) > cap)
                    continue;
                for (auto it = lo; it != hi; ++it)
                    cand.emplace_back(i, it->second);
            }
        }
        std::sort(cand.begin(), cand.end());
        cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    }

    auto scoreAll = [&](double startOffset) {
        std::vector<Candidate> out;
        for (const auto &[i, j] : cand) {
            Candidate best;
            best.score = -1e9;
            for (bool sw : {false, true}) {
                Candidate c = score(*a.connections[i], *b.connections[j], sw, startOffset);
                if (c.score > best.score)
                    best = c;
            }
            best.ia = i;
            best.ib = j;
            if (best.strong && best.score >= Threshold - 1.5) // timing may still lift it over
                out.push_back(best);
        }
        return out;
    };

    // Pass 1 without timing; the start-time difference of its pairs then helps pass 2.
    std::vector<Candidate> first = assign(scoreAll(std::numeric_limits<double>::quiet_NaN()), nA, nB);
    std::vector<double> diffs;
    for (const Candidate &c : first)
        diffs.push_back(double(b.connections[c.ib]->firstTime - a.connections[c.ia]->firstTime) * 1e-9);
    double startOffset = std::numeric_limits<double>::quiet_NaN();
    if (!diffs.empty()) {
        std::nth_element(diffs.begin(), diffs.begin() + std::ptrdiff_t(diffs.size() / 2), diffs.end());
        startOffset = diffs[diffs.size() / 2];
    }
    std::vector<Candidate> chosen = assign(scoreAll(startOffset), nA, nB);

    AlignmentResult r;
    std::vector<bool> usedA(nA, false), usedB(nB, false);
    std::sort(chosen.begin(), chosen.end(), [](const Candidate &x, const Candidate &y) { return x.ia < y.ia; });
    for (const Candidate &c : chosen) {
        usedA[c.ia] = usedB[c.ib] = true;
        ConnectionPair p;
        p.a = a.connections[c.ia]->id;
        p.b = b.connections[c.ib]->id;
        p.rolesSwapped = c.swapped;
        p.score = c.score;
        alignPair(*a.connections[c.ia], *b.connections[c.ib], p);
        r.pairs.push_back(p);
    }
    for (std::size_t i = 0; i < nA; ++i)
        if (!usedA[i])
            r.unpairedA.push_back(a.connections[i]->id);
    for (std::size_t j = 0; j < nB; ++j)
        if (!usedB[j])
            r.unpairedB.push_back(b.connections[j]->id);
    return r;
}

} // namespace ol
