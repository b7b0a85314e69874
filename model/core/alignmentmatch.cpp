// SPDX-License-Identifier: GPL-3.0-or-later
// Connection matching between two traces: candidate pairs, a score from 4-tuple, ISNs, handshake
// options, byte counts and start times, and a greedy assignment above a threshold.
#include "alignment.h"
#include "alignmentdetail.h"

#include <algorithm>
#include <cmath>

namespace ol {
namespace detail {

namespace {

/// The pair score's weights and thresholds, in one place. A pair needs one "strong" item (same 4-tuple, same
/// ISN, or byte counts that agree) and a total of at least Threshold. Tuned on the public two-point
/// captures b01-b04 (same tuple, NAT, sequence randomizer) and on the generated pairs of
/// tests/data/gen/make-captures.sh (gen_nat_loss: NAT plus loss; gen_multi: four parallel connections).
namespace weight {
// Identity: any one of these alone reaches Threshold, because two captures that share it are the same
// connection unless a 4-tuple was reused, which the ISN and timing then tell apart.
constexpr double SameTuple = 3.0; // both addresses and ports equal (roles possibly swapped)
constexpr double SameIsn = 3.0; // per direction: ISNs equal, so no sequence randomizer and the same SYN
// Behind NAT the tuple differs but parts often survive: a server port is rarely rewritten.
constexpr double SamePort = 0.5; // per end: server port, client port
constexpr double SameAddress = 0.25; // one address equal: weak, a NAT keeps one side by definition
// Handshake options: a middlebox seldom changes them, but many connections share the defaults.
constexpr double WindowScaleAgrees = 0.3, WindowScaleDiffers = -0.3; // rewritten only by some firewalls
constexpr double SackAgrees = 0.2, SackDiffers = -0.5; // Linux/Windows defaults agree: a difference says more
constexpr double TimestampsAgree = 0.2, TimestampsDiffer = -0.5; // idem
constexpr double MssAgrees = 0.1; // clamping middleboxes rewrite the MSS, so no penalty when it differs
// Byte counts: the sequence space a connection covered is the same at both points (up to loss at the start
// or end of one capture).
constexpr double BytesEqual = 1.5; // per direction, exactly equal: strong
constexpr double BytesNear = 0.75; // within 2 %: loss or a capture that ended a little earlier
constexpr double BytesNearRatio = 0.98;
constexpr double BytesFar = -1.0; // one side below 80 % of the other, for more than 10 kB: different transfers
constexpr double BytesFarRatio = 0.8;
constexpr double BytesFarMinimum = 10000; // small counts differ by a few segments for ordinary reasons
// Timing: durations that agree, and (pass 2) a start time consistent with the other pairs' clock offset.
constexpr double DurationAgrees = 0.25; // within 10 % + 0.5 s: weak, many connections last about as long
constexpr double DurationTolerance = 0.1, DurationSlackS = 0.5;
constexpr double StartMatches = 1.5; // within 0.5 s of the typical B - A start difference: one clock offset
constexpr double StartMatchesS = 0.5;
constexpr double StartNear = 0.5; // within 5 s: a slow handshake or a retransmitted SYN
constexpr double StartNearS = 5;
constexpr double StartFar = -1.0; // more than a minute off: a reused tuple of another time
constexpr double StartFarS = 60;
} // namespace weight

/// Lowest total score paired. One identity item (3.0) suffices; without one, byte counts in both directions
/// (2 x 1.5) or bytes plus matching ports and options must add up to it.
constexpr double Threshold = 3.0;
/// Pass 1 keeps candidates this far below Threshold: the start-time item of pass 2 may still lift them.
constexpr double TimingMayLift = weight::StartMatches;

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
        return weight::BytesEqual;
    }
    if (lo >= weight::BytesNearRatio * hi) {
        evidence = true;
        return weight::BytesNear;
    }
    if (hi > weight::BytesFarMinimum && lo < weight::BytesFarRatio * hi)
        return weight::BytesFar;
    return 0;
}

double optionsScore(const HandshakeOptions &x, const HandshakeOptions &y)
{
    if (!x.sawSyn || !y.sawSyn)
        return 0;
    double s = 0;
    s += x.windowScale == y.windowScale ? weight::WindowScaleAgrees : weight::WindowScaleDiffers;
    s += x.sackPermitted == y.sackPermitted ? weight::SackAgrees : weight::SackDiffers;
    s += x.timestamps == y.timestamps ? weight::TimestampsAgree : weight::TimestampsDiffer;
    s += x.mss == y.mss ? weight::MssAgrees : 0;
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
        s += weight::SameTuple;
        c.strong = true;
    } else {
        if (ca.server.port == bs.port)
            s += weight::SamePort;
        if (ca.client.port == bc.port)
            s += weight::SamePort;
        if (ca.server.addr == bs.addr || ca.client.addr == bc.addr)
            s += weight::SameAddress;
    }
    bool bytes = false;
    for (int d = 0; d < 2; ++d) {
        const FlowDirection &fa = ca.dir(d), &fb = cb.dir(swapped ? 1 - d : d);
        if (fa.handshake.sawSyn && fb.handshake.sawSyn && fa.handshake.isn == fb.handshake.isn) {
            s += weight::SameIsn;
            c.strong = true;
        }
        s += optionsScore(fa.handshake, fb.handshake);
        s += bytesScore(fa.stats.uniqueBytes, fb.stats.uniqueBytes, bytes);
    }
    if (bytes)
        c.strong = true;
    const double durA = double(ca.lastTime - ca.firstTime) * 1e-9, durB = double(cb.lastTime - cb.firstTime) * 1e-9;
    if (std::abs(durA - durB) < weight::DurationTolerance * std::max(durA, durB) + weight::DurationSlackS)
        s += weight::DurationAgrees;
    if (std::isfinite(startOffset)) {
        const double diff = std::abs(double(cb.firstTime - ca.firstTime) * 1e-9 - startOffset);
        if (diff < weight::StartMatchesS)
            s += weight::StartMatches;
        else if (diff < weight::StartNearS)
            s += weight::StartNear;
        else if (diff > weight::StartFarS)
            s += weight::StartFar;
    }
    c.score = s;
    return c;
}

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
            if (best.strong && best.score >= Threshold - TimingMayLift)
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
