// SPDX-License-Identifier: GPL-3.0-or-later
// Burst loss: send-offload super-segments whose every wire segment was lost together, more often than
// independent loss of single segments would explain.
#include "problemsdetail.h"

#include <cmath>
#include <cstdio>

namespace ol::problemsdetail {
namespace {

namespace R = problemrules;

struct Interval {
    std::int64_t from, to;
};

// Bytes of [from, to) covered by the sorted, merged intervals.
std::int64_t covered(const std::vector<Interval> &merged, std::int64_t from, std::int64_t to)
{
    std::int64_t n = 0;
    auto it = std::lower_bound(merged.begin(), merged.end(), from,
                               [](const Interval &iv, std::int64_t v) { return iv.to <= v; });
    for (; it != merged.end() && it->from < to; ++it)
        n += std::min(to, it->to) - std::max(from, it->from);
    return n;
}

// P(X >= k) for X ~ Poisson(lambda).
double poissonTail(double lambda, int k)
{
    if (lambda <= 0)
        return k <= 0 ? 1.0 : 0.0;
    // Sum the tail directly: 1 - P(X < k) loses all precision for tiny lambda.
    double term = std::exp(-lambda);
    for (int i = 0; i < k; ++i)
        term *= lambda / (i + 1);
    double tail = 0;
    for (int i = k; i < k + 400 && term > 0; ++i) {
        tail += term;
        term *= lambda / (i + 1);
    }
    return std::min(1.0, tail);
}

} // namespace

void detectBurstLoss(const Trace &, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    if (!o.analyzed || !o.effectiveMss || !o.sendOffload)
        return;
    const std::uint32_t mss = o.effectiveMss;
    std::vector<Interval> retrans;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment &s = fd.segments[i];
        if (s.payload && s.has(Segment::Retransmission))
            retrans.push_back({s.relSeq, s.endSeq()});
    }
    if (retrans.empty())
        return;
    std::sort(retrans.begin(), retrans.end(), [](const Interval &x, const Interval &y) { return x.from < y.from; });
    std::vector<Interval> merged;
    for (const Interval &iv : retrans) {
        if (!merged.empty() && iv.from <= merged.back().to)
            merged.back().to = std::max(merged.back().to, iv.to);
        else
            merged.push_back(iv);
    }
    std::int64_t lostBytes = 0;
    for (const Interval &iv : merged)
        lostBytes += iv.to - iv.from;
    // Wire segments sent, and each super-segment's count.
    std::uint64_t wire = 0;
    std::vector<std::size_t> supers;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const Segment &s = fd.segments[i];
        if (!s.payload || s.has(Segment::Retransmission))
            continue;
        wire += (s.payload + mss - 1) / mss;
        if (s.segmentClass() == SegmentClass::SendOffload && (s.payload + mss - 1) / mss >= R::BurstMinWireSegments)
            supers.push_back(i);
    }
    if (!wire || supers.empty())
        return;
    const double p = std::min(1.0, double(lostBytes) / double(mss) / double(wire));
    double lambda = 0;
    int whole = 0;
    std::uint64_t wholeWire = 0;
    Problem prob = makeProblem(c, d, "burst-loss", ProblemSeverity::Warning);
    for (std::size_t i : supers) {
        const Segment &s = fd.segments[i];
        const std::uint32_t k = (s.payload + mss - 1) / mss;
        lambda += std::pow(p, double(k));
        if (covered(merged, s.relSeq, s.endSeq()) == std::int64_t(s.payload)) {
            ++whole;
            wholeWire += k;
            addExample(prob, s.frame, s.time);
        }
    }
    if (whole < R::BurstMinWhole)
        return;
    const double chance = poissonTail(lambda, whole);
    if (chance >= R::BurstMaxChance)
        return;
    char pct[32], ch[32];
    std::snprintf(pct, sizeof pct, "%.1f %%", p * 100);
    std::snprintf(ch, sizeof ch, "%.0e", std::max(chance, 1e-300));
    prob.text = std::to_string(whole) + " of " + num(supers.size()) + " send-offload super-segments from " + prob.from
        + " were lost whole: all " + num(wholeWire) + " of their wire segments were retransmitted. With " + pct
        + " of wire segments lost at random that would happen with a chance of " + ch
        + ": something on the path drops whole bursts (a policer, a shallow buffer that overflows at line rate, "
          "or a device that drops an oversized packet before cutting it).";
    prob.fix =
        "Capture at the receiver (or between) to see where the burst disappears, and look at drop counters "
        "on the path (`ip -s link`, `ethtool -S IFACE | grep -i drop`, the switch's policer). Smaller bursts help "
        "as a test: Linux `ip link set IFACE gso_max_size 16384` or `ethtool -K IFACE tso off gso off` on "
        "the sender; Windows the adapter's \"Large Send Offload V2 (IPv4/IPv6)\" property or "
        "`Disable-NetAdapterLso -Name ADAPTER`.";
    out.push_back(std::move(prob));
}

} // namespace ol::problemsdetail
