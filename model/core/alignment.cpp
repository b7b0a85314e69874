// SPDX-License-Identifier: GPL-3.0-or-later
// Alignment of one pair of connections: byte ranges matched by sequence coverage, clock offset from
// causality bounds, skew, one-way delay, loss and reordering between the points, segment mapping.
#include "alignment.h"
#include "alignmentdetail.h"
#include "decoder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ol {
namespace detail {

namespace {

constexpr TimeNs NoTime = std::numeric_limits<TimeNs>::max();
constexpr std::uint32_t NoIndex = std::numeric_limits<std::uint32_t>::max();

/// Sequence space a segment occupies: payload plus one for SYN and one for FIN. Empty for pure ACKs.
bool occupied(const Segment &s, std::int64_t &lo, std::int64_t &hi)
{
    if (s.tcpFlags & tcpflag::Rst)
        return false;
    lo = s.relSeq;
    hi = s.relSeq + s.payload + ((s.tcpFlags & tcpflag::Syn) ? 1 : 0) + ((s.tcpFlags & tcpflag::Fin) ? 1 : 0);
    return hi > lo;
}

/// Path-compressed "next interval that is not yet covered twice".
std::uint32_t findNext(std::vector<std::uint32_t> &next, std::uint32_t k)
{
    std::uint32_t r = k;
    while (next[r] != r)
        r = next[r];
    while (next[k] != r) {
        const std::uint32_t n = next[k];
        next[k] = r;
        k = n;
    }
    return r;
}

/// std::lower_bound of v in the sorted coords, searched outwards from the previous answer: segments come
/// mostly in sequence order, so the answer is usually at or just past `from`.
std::size_t lowerBoundNear(const std::vector<std::int64_t> &coords, std::size_t from, std::int64_t v)
{
    const std::size_t n = coords.size();
    if (from > n)
        from = n;
    if (from > 0 && coords[from - 1] >= v) // behind the previous answer: a retransmission
        return std::size_t(std::lower_bound(coords.begin(), coords.begin() + std::ptrdiff_t(from), v) - coords.begin());
    std::size_t lo = from, step = 1, hi = from;
    while (hi < n && coords[hi] < v) { // gallop forwards
        lo = hi + 1;
        hi = std::min(n, hi + step);
        step *= 2;
    }
    return std::size_t(std::lower_bound(coords.begin() + std::ptrdiff_t(lo), coords.begin() + std::ptrdiff_t(hi), v)
                       - coords.begin());
}

/// First and second time every elementary interval was carried by this trace, in capture order.
void cover(const SegmentStore &segs, std::int64_t shift, const std::vector<std::int64_t> &coords, Coverage &out)
{
    const std::size_t k = coords.empty() ? 0 : coords.size() - 1;
    out.t1.assign(k, NoTime);
    out.t2.assign(k, NoTime);
    out.idx.assign(k, NoIndex);
    std::vector<std::uint8_t> count(k, 0);
    std::vector<std::uint32_t> next(k + 1);
    for (std::size_t i = 0; i <= k; ++i)
        next[i] = std::uint32_t(i);
    std::size_t near = 0;
    for (auto at = segs.begin(); at != segs.end(); ++at) {
        const Segment s = *at;
        const std::size_t i = at.index();
        std::int64_t lo, hi;
        if (!occupied(s, lo, hi))
            continue;
        lo -= shift;
        hi -= shift;
        const auto first = std::uint32_t(lowerBoundNear(coords, near, lo));
        const auto last = std::uint32_t(lowerBoundNear(coords, first, hi));
        near = last;
        for (std::uint32_t j = findNext(next, first); j < last; j = findNext(next, j + 1)) {
            if (count[j] == 0) {
                out.t1[j] = s.time;
                out.idx[j] = std::uint32_t(i);
                count[j] = 1;
            } else {
                out.t2[j] = s.time;
                count[j] = 2;
                next[j] = j + 1;
            }
        }
    }
}

struct AckKey {
    std::int64_t seq;
    std::uint32_t ack;
    TimeNs time;
    bool operator<(const AckKey &o) const
    {
        if (seq != o.seq)
            return seq < o.seq;
        if (ack != o.ack)
            return ack < o.ack;
        return time < o.time;
    }
};

/// First occurrence of each (seq, ack) among pure ACKs, in A's relative sequence space.
std::vector<AckKey> pureAcks(const SegmentStore &segs, std::int64_t shift, std::uint32_t ackBase)
{
    std::vector<AckKey> v;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const Segment &s = segs[i];
        if (s.payload != 0 || (s.tcpFlags & (tcpflag::Syn | tcpflag::Fin | tcpflag::Rst)))
            continue;
        v.push_back({s.relSeq - shift, std::uint32_t(s.ack - ackBase), s.time});
    }
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end(),
                        [](const AckKey &x, const AckKey &y) { return x.seq == y.seq && x.ack == y.ack; }),
            v.end());
    return v;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

/// Least-squares slope of per-bucket envelope points: lower envelope (min) or upper envelope (max).
bool envelopeSlope(const std::vector<Sample> &s, bool lower, double &slope)
{
    if (s.size() < 16)
        return false;
    TimeNs t0 = NoTime, t1 = std::numeric_limits<TimeNs>::min();
    for (const Sample &x : s) {
        t0 = std::min(t0, x.tA);
        t1 = std::max(t1, x.tA);
    }
    constexpr int Buckets = 16;
    const double span = double(t1 - t0);
    if (span <= 0)
        return false;
    std::vector<const Sample *> best(Buckets, nullptr);
    for (const Sample &x : s) {
        int b = int(double(x.tA - t0) / span * Buckets);
        b = std::clamp(b, 0, Buckets - 1);
        if (!best[b] || (lower ? x.d < best[b]->d : x.d > best[b]->d))
            best[b] = &x;
    }
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const Sample *p : best) {
        if (!p)
            continue;
        const double x = double(p->tA - t0) * 1e-9, y = double(p->d) * 1e-9;
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double den = n * sxx - sx * sx;
    if (n < 6 || den <= 0)
        return false;
    slope = (n * sxy - sx * sy) / den;
    return true;
}

/// The sorted union of two sorted ranges without repeats.
std::vector<std::int64_t> unionOf(const std::vector<std::int64_t> &a, const std::vector<std::int64_t> &b)
{
    std::vector<std::int64_t> out(a.size() + b.size());
    out.erase(std::set_union(a.begin(), a.end(), b.begin(), b.end(), out.begin()), out.end());
    return out;
}

} // namespace

void buildDirection(const FlowDirection &fa, const FlowDirection &fb, std::int64_t shift, DirectionWork &w)
{
    // Each trace's boundaries, sorted and unique. In-order data gives them in order, each segment's end the next
    // one's start: repeats are skipped as they come, and the few that go back (retransmissions, reordering)
    // are set aside, sorted alone and merged in.
    auto collect = [](const SegmentStore &segs, std::int64_t sh, std::vector<std::int64_t> &out) {
        out.reserve(segs.size() + 1);
        std::vector<std::int64_t> late;
        auto add = [&](std::int64_t v) {
            if (!out.empty() && out.back() >= v) {
                if (out.back() != v)
                    late.push_back(v);
                return;
            }
            out.push_back(v);
        };
        for (const Segment s : segs) {
            std::int64_t lo, hi;
            if (!occupied(s, lo, hi))
                continue;
            add(lo - sh);
            add(hi - sh);
        }
        if (late.empty())
            return;
        std::sort(late.begin(), late.end());
        late.erase(std::unique(late.begin(), late.end()), late.end());
        out = unionOf(out, late);
    };
    std::vector<std::int64_t> ca, cb;
    collect(fa.segments, 0, ca);
    collect(fb.segments, shift, cb);
    w.coords = unionOf(ca, cb);
    cover(fa.segments, 0, w.coords, w.cov[0]);
    cover(fb.segments, shift, w.coords, w.cov[1]);
}

void walkMapping(const DirectionWork &w, const std::function<void(const Group &)> &sink)
{
    const Coverage &ca = w.cov[0], &cb = w.cov[1];
    const std::size_t k = ca.idx.size();
    Group g;
    bool open = false;
    auto flush = [&] {
        if (open)
            sink(g);
        open = false;
    };
    for (std::size_t j = 0; j < k; ++j) {
        const std::uint32_t ia = ca.idx[j], ib = cb.idx[j];
        const bool hasA = ia != NoIndex, hasB = ib != NoIndex;
        if (!hasA && !hasB) {
            flush();
            continue;
        }
        // A group continues while it shares a segment with the previous interval on either side.
        const bool cont = open && ((hasA && ia == g.lastIa) || (hasB && ib == g.lastIb)) && (hasA == (g.nA > 0))
            && (hasB == (g.nB > 0));
        if (!cont) {
            flush();
            g = Group{};
            open = true;
            g.firstInterval = j;
        }
        if (hasA) {
            if (g.nA == 0 || ia != g.lastIa)
                ++g.nA;
            g.aFirst = g.aFirst < 0 ? ia : std::min<std::int64_t>(g.aFirst, ia);
            g.aLast = std::max<std::int64_t>(g.aLast, ia);
            g.lastIa = ia;
        }
        if (hasB) {
            if (g.nB == 0 || ib != g.lastIb)
                ++g.nB;
            g.bFirst = g.bFirst < 0 ? ib : std::min<std::int64_t>(g.bFirst, ib);
            g.bLast = std::max<std::int64_t>(g.bLast, ib);
            g.lastIb = ib;
        }
        g.lastInterval = j;
    }
    flush();
}

} // namespace detail

using namespace detail;

namespace {

/// The lowest and highest relative sequence number of a direction's segments; false when it has none.
bool relRange(const FlowDirection &fd, std::int64_t &lo, std::int64_t &hi)
{
    const auto &segs = fd.segments;
    if (segs.size() == 0)
        return false;
    lo = hi = segs[0].relSeq;
    for (std::size_t i = 1; i < segs.size(); ++i) {
        lo = std::min(lo, segs[i].relSeq);
        hi = std::max(hi, segs[i].relSeq + std::int64_t(segs[i].payload));
    }
    hi = std::max(hi, segs[0].relSeq + std::int64_t(segs[0].payload));
    return true;
}

/// How far B's relative sequence space is ahead of A's: A's relative position = B's minus the result.
/// The two bases only give it modulo 2^32 (mod32). Reading that as a signed 32-bit number is wrong when
/// one capture started mid-stream 2 GiB or more into a long transfer, so the 64-bit unwrapped shift is
/// chosen among mod32 + k * 2^32 as the one that makes B's sequence range overlap A's the most (or lie
/// nearest to it); among equals the smallest |shift| wins, which is the 32-bit reading for ordinary pairs.
std::int64_t relativeShift(const FlowDirection &fa, const FlowDirection &fb, std::uint32_t mod32)
{
    constexpr std::int64_t Wrap = std::int64_t(1) << 32;
    const std::int64_t signed32 = std::int32_t(mod32);
    std::int64_t aLo = 0, aHi = 0, bLo = 0, bHi = 0;
    if (!relRange(fa, aLo, aHi) || !relRange(fb, bLo, bHi))
        return signed32;
    // Candidates around the shift that puts the two ranges' starts together.
    const std::int64_t k0 = (bLo - aLo - signed32) / Wrap;
    std::int64_t best = signed32, bestScore = std::numeric_limits<std::int64_t>::min();
    for (std::int64_t k = k0 - 2; k <= k0 + 2; ++k) {
        const std::int64_t shift = signed32 + k * Wrap;
        const std::int64_t lo = std::max(aLo, bLo - shift), hi = std::min(aHi, bHi - shift);
        const std::int64_t score = hi - lo; // overlap length, or minus the gap between the ranges
        if (score > bestScore || (score == bestScore && std::abs(shift) < std::abs(best))) {
            best = shift;
            bestScore = score;
        }
    }
    return best;
}

} // namespace

void alignPair(const Connection &ca, const Connection &cb, ConnectionPair &pair)
{
    const bool swapped = pair.rolesSwapped;
    const Endpoint &bClient = swapped ? cb.server : cb.client;
    const Endpoint &bServer = swapped ? cb.client : cb.server;
    pair.nat = !(ca.client == bClient && ca.server == bServer);

    DirectionWork work[2];
    std::vector<Sample> samples[2];
    for (int d = 0; d < 2; ++d) {
        PairDirection &pd = pair.dir[d];
        pd.bDirection = swapped ? 1 - d : d;
        const FlowDirection &fa = ca.dir(d), &fb = cb.dir(pd.bDirection);
        std::uint32_t off = 0;
        if (fa.handshake.sawSyn && fb.handshake.sawSyn) {
            off = fb.handshake.isn - fa.handshake.isn;
            pd.seqOffsetKnown = true;
        }
        pd.seqOffset = off;
        pd.relShift = relativeShift(fa, fb, std::uint32_t(fa.baseSeq + off - fb.baseSeq));
        pd.mssA = fa.handshake.sawSyn && fa.handshake.hasMss ? fa.handshake.mss : -1;
        pd.mssB = fb.handshake.sawSyn && fb.handshake.hasMss ? fb.handshake.mss : -1;
        pd.mssClamped = fa.handshake.sawSyn && fb.handshake.sawSyn && pd.mssA != pd.mssB;
        pd.wscaleA = fa.handshake.sawSyn ? fa.handshake.windowScale : -1;
        pd.wscaleB = fb.handshake.sawSyn ? fb.handshake.windowScale : -1;
        pd.wscaleChanged = fa.handshake.sawSyn && fb.handshake.sawSyn && pd.wscaleA != pd.wscaleB;

        buildDirection(fa, fb, pd.relShift, work[d]);
        const Coverage &xa = work[d].cov[0], &xb = work[d].cov[1];
        for (std::size_t j = 0; j < xa.t1.size(); ++j)
            if (xa.t1[j] != NoTime && xb.t1[j] != NoTime)
                samples[d].push_back({xa.t1[j], xb.t1[j] - xa.t1[j]});
        // Pure ACKs carry the next sequence number and the peer's ACK: they time the quiet direction.
        const FlowDirection &oa = ca.dir(1 - d);
        const std::uint32_t offOther = [&] {
            const FlowDirection &ob = cb.dir(1 - pd.bDirection);
            return oa.handshake.sawSyn && ob.handshake.sawSyn ? ob.handshake.isn - oa.handshake.isn : 0u;
        }();
        const auto acksA = pureAcks(fa.segments, 0, oa.baseSeq);
        const auto acksB = pureAcks(fb.segments, pd.relShift, oa.baseSeq + offOther);
        for (std::size_t i = 0, j = 0; i < acksA.size() && j < acksB.size();) {
            if (acksA[i].seq == acksB[j].seq && acksA[i].ack == acksB[j].ack) {
                samples[d].push_back({acksA[i].time, acksB[j].time - acksA[i].time});
                ++i;
                ++j;
            } else if (acksA[i] < acksB[j]) {
                ++i;
            } else {
                ++j;
            }
        }
        pd.samples = samples[d].size();
    }

    // Which trace is nearer the client: bytes going client -> server reach the client-side trace first,
    // so B - A times are larger in direction 0 than in direction 1 when A is the client side.
    std::vector<double> ds[2];
    for (int d = 0; d < 2; ++d)
        for (const Sample &s : samples[d])
            ds[d].push_back(double(s.d));
    if (!ds[0].empty() && !ds[1].empty())
        pair.aSide = median(ds[0]) >= median(ds[1]) ? 0 : 1;
    else if (ca.synTime >= 0 && cb.synTime >= 0 && !ds[0].empty())
        pair.aSide = 0; // one direction only: assume A is the SYN sender's side (no better evidence)
    if (pair.aSide < 0)
        return;
    // The causality bounds. Let theta be how far B's clock is ahead of A's and d >= 0 a one-way delay. A
    // byte A sees first and B later has B's time - A's time = d + theta >= theta; a byte B sees first has
    // B - A = theta - d' <= theta. So every sample of the direction towards B bounds theta from above (its
    // minimum is theta + the smallest delay that way), every sample of the other direction from below
    // (maximum = theta - the smallest delay back): lower <= theta <= upper, however the delays are
    // distributed. The midpoint is exact only when the smallest delays are the same both ways (a symmetric
    // path); an asymmetric path biases it by half the difference, which the half-width always covers.
    const int upDir = pair.aSide == 0 ? 0 : 1, lowDir = 1 - upDir;
    pair.dir[upDir].senderSide = 0;
    pair.dir[lowDir].senderSide = 1;

    auto bounds = [&](double slope, TimeNs ref, double &lo, double &hi) {
        lo = -std::numeric_limits<double>::infinity();
        hi = std::numeric_limits<double>::infinity();
        for (const Sample &s : samples[upDir])
            hi = std::min(hi, double(s.d) * 1e-9 - slope * double(s.tA - ref) * 1e-9);
        for (const Sample &s : samples[lowDir])
            lo = std::max(lo, double(s.d) * 1e-9 - slope * double(s.tA - ref) * 1e-9);
    };
    TimeNs ref = NoTime, last = std::numeric_limits<TimeNs>::min();
    for (int d = 0; d < 2; ++d)
        for (const Sample &s : samples[d]) {
            ref = std::min(ref, s.tA);
            last = std::max(last, s.tA);
        }
    double lo, hi;
    bounds(0, ref, lo, hi);
    double slope = 0;
    // Skew: two free-running clocks drift apart by tens of ppm. Over 10 s, 20 ppm is 200 us, the order of a
    // LAN one-way delay, so below about 10 s of samples the drift hides inside the delay noise and a slope
    // fitted to the envelopes would be fitted to queueing jitter; only longer spans are worth the fit.
    if (ref != NoTime && last - ref > 10'000'000'000LL) {
        double s1 = 0, s2 = 0;
        const bool k1 = envelopeSlope(samples[upDir], true, s1);
        const bool k2 = envelopeSlope(samples[lowDir], false, s2);
        if (k1 || k2) {
            slope = k1 && k2 ? (s1 + s2) / 2 : (k1 ? s1 : s2);
            pair.skewKnown = true;
            pair.skewPpm = slope * 1e6;
            double lo2, hi2;
            bounds(slope, ref, lo2, hi2);
            const auto worse = [](double l, double h, double l2, double h2) {
                // A consistent interval beats an inconsistent one; then the clearly narrower wins (a true
                // skew widens the raw bounds; a slope fitted to queueing noise barely narrows them).
                if ((l <= h) != (l2 <= h2))
                    return l2 <= h2;
                return std::abs(h2 - l2) < 0.8 * std::abs(h - l);
            };
            if (std::isfinite(lo) && std::isfinite(hi) && worse(lo, hi, lo2, hi2)) {
                lo = lo2;
                hi = hi2;
                pair.skewApplied = true;
                pair.offsetReference = ref;
            } else {
                slope = 0;
            }
        }
    }
    pair.offsetLowerS = lo;
    pair.offsetUpperS = hi;
    if (std::isfinite(lo) && std::isfinite(hi)) {
        pair.boundsConsistent = lo <= hi;
        pair.clockOffsetS = (lo + hi) / 2;
        pair.offsetUncertaintyS = std::abs(hi - lo) / 2;
    } else if (std::isfinite(hi) || std::isfinite(lo)) {
        pair.clockOffsetS = std::isfinite(hi) ? hi : lo; // one bound only: the offset plus an unknown delay
        pair.offsetUncertaintyS = std::numeric_limits<double>::infinity();
    }
    const double theta = pair.clockOffsetS;

    for (int d = 0; d < 2; ++d) {
        PairDirection &pd = pair.dir[d];
        const int s = pd.senderSide, r = 1 - s;
        const double sign = s == 0 ? 1.0 : -1.0; // receiver minus sender = sign * (B - A)
        std::vector<double> delays;
        TimeNs minRS = NoTime;
        for (const Sample &x : samples[d]) {
            const TimeNs rs = s == 0 ? x.d : -x.d;
            minRS = std::min(minRS, rs);
            const double detr = double(x.d) * 1e-9 - slope * double(x.tA - ref) * 1e-9;
            delays.push_back(sign * (detr - theta));
        }
        if (minRS != NoTime)
            pd.minDeltaS = double(minRS) * 1e-9;
        if (!delays.empty()) {
            pd.oneWayDelayS = *std::min_element(delays.begin(), delays.end());
            pd.medianDelayS = median(delays);
        }
        const FlowDirection &fs = s == 0 ? ca.dir(d) : cb.dir(pd.bDirection);
        const FlowDirection &fr = s == 0 ? cb.dir(pd.bDirection) : ca.dir(d);
        if (!fs.segments.empty() && !fr.segments.empty()) {
            pd.ttlSender = fs.segments[0].ttl;
            pd.ttlReceiver = fr.segments[0].ttl;
            pd.ttlDecrease = pd.ttlSender - pd.ttlReceiver;
        }

        // Loss between the points: a byte range the sender side shows that the receiver side never shows,
        // or shows only when a retransmission could already have arrived. Clock offsets cancel: the
        // earliest arrival of the retransmission is its send time plus the minimum receiver - sender.
        const Coverage &cs = work[d].cov[s], &cr = work[d].cov[r];
        const Connection &connR = r == 0 ? ca : cb;
        const std::vector<std::int64_t> &coords = work[d].coords;
        std::vector<std::uint8_t> lost(cs.t1.size(), 0);
        std::vector<std::uint32_t> lostSegs;
        for (std::size_t j = 0; j < cs.t1.size(); ++j) {
            if (cs.t1[j] == NoTime || minRS == NoTime)
                continue;
            bool isLost = false;
            if (cr.t1[j] == NoTime) {
                // Only when the receiver side was capturing when it should have arrived.
                const TimeNs expected = cs.t1[j] + minRS;
                isLost = expected >= connR.firstTime && expected <= connR.lastTime;
            } else if (cs.t2[j] != NoTime) {
                isLost = cr.t1[j] >= cs.t2[j] + minRS;
            }
            if (isLost) {
                lost[j] = 1;
                pd.lostBytes += std::uint64_t(coords[j + 1] - coords[j]);
                lostSegs.push_back(cs.idx[j]);
            }
        }
        std::sort(lostSegs.begin(), lostSegs.end());
        lostSegs.erase(std::unique(lostSegs.begin(), lostSegs.end()), lostSegs.end());
        pd.lostBetweenPoints = lostSegs.size();
        pd.lostSegments = std::move(lostSegs);
        pair.lostBetweenPoints += pd.lostBetweenPoints;

        // Mapping counts and reordering (groups that overtook one sent earlier).
        TimeNs maxR = std::numeric_limits<TimeNs>::min(), maxRSend = 0;
        walkMapping(work[d], [&](const Group &g) {
            pd.groups.push_back({g.aFirst, g.aLast, g.bFirst, g.bLast});
            MappingCounts &m = pd.mapping;
            if (g.nA == 0) {
                m.onlyB += g.nB;
                return;
            }
            if (g.nB == 0) {
                m.onlyA += g.nA;
                return;
            }
            if (g.nA == 1 && g.nB == 1)
                ++m.oneToOne;
            else if (g.nA == 1)
                ++m.oneToMany;
            else if (g.nB == 1)
                ++m.manyToOne;
            else
                ++m.manyToMany;
            // A group holding lost bytes arrived (in part) as a retransmission: not a reordering.
            for (std::size_t k = g.firstInterval; k <= g.lastInterval; ++k)
                if (lost[k])
                    return;
            const std::size_t j = g.firstInterval;
            const TimeNs tS = cs.t1[j], tR = cr.t1[j];
            if (tR < maxR && tS > maxRSend)
                ++pd.reordered;
            if (tR > maxR) {
                maxR = tR;
                maxRSend = tS;
            }
        });
        pd.groups.shrink_to_fit(); // kept for the life of the result: no doubling slack
    }
}

} // namespace ol
