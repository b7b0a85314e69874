// SPDX-License-Identifier: GPL-3.0-or-later
// Burst loss: send-offload super-segments whose every wire segment was lost together (seen at the sender),
// or runs of wire segments that never arrived and were resent whole (seen downstream of the loss), more
// often than independent loss of single segments would explain.
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

namespace {

// A segment that was sent again (a retransmission) or arrived after a later one (out of order).
struct Resend {
    std::int64_t from, to;
    std::size_t index;
    TimeNs time;
    bool retransmission;
};

// The resends of fd with payload, sorted by sequence: one pass over the direction for every list below.
std::vector<Resend> collectResends(const FlowDirection &fd)
{
    std::vector<Resend> resends;
    for (auto it = fd.segments.begin(); it != fd.segments.end(); ++it) {
        const Segment &s = *it;
        if (s.payload && s.has(Segment::Retransmission | Segment::OutOfOrder))
            resends.push_back({s.relSeq, s.endSeq(), it.index(), s.time, s.has(Segment::Retransmission)});
    }
    std::sort(resends.begin(), resends.end(), [](const Resend &a, const Resend &b) { return a.from < b.from; });
    return resends;
}

// The byte ranges of the (sorted) resends, merged: of the retransmissions only, or of all.
std::vector<Interval> mergedRanges(const std::vector<Resend> &resends, bool retransmissionsOnly)
{
    std::vector<Interval> merged;
    for (const Resend &r : resends) {
        if (retransmissionsOnly && !r.retransmission)
            continue;
        if (!merged.empty() && r.from <= merged.back().to)
            merged.back().to = std::max(merged.back().to, r.to);
        else
            merged.push_back({r.from, r.to});
    }
    return merged;
}

std::string percentText(double p)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", p * 100);
    return buf;
}

std::string chanceText(double chance)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0e", std::max(chance, 1e-300));
    return buf;
}

const char *BurstFix =
    "Capture at the receiver (or between) to see where the burst disappears, and look at drop counters "
    "on the path (`ip -s link`, `ethtool -S IFACE | grep -i drop`, the switch's policer). Smaller bursts help "
    "as a test: Linux `ip link set IFACE gso_max_size 16384` or `ethtool -K IFACE tso off gso off` on "
    "the sender; Windows the adapter's \"Large Send Offload V2 (IPv4/IPv6)\" property or "
    "`Disable-NetAdapterLso -Name ADAPTER`.";

// At the sender: its send-offload super-segments, each lost whole or not.
void burstLossAtSender(const Connection &c, int d, const std::vector<Interval> &merged, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const std::uint32_t mss = fd.offload.effectiveMss;
    std::int64_t lostBytes = 0;
    for (const Interval &iv : merged)
        lostBytes += iv.to - iv.from;
    // Wire segments sent, and each super-segment's count.
    std::uint64_t wire = 0;
    std::vector<std::size_t> supers;
    for (auto it = fd.segments.begin(); it != fd.segments.end(); ++it) {
        const Segment &s = *it;
        if (!s.payload || s.has(Segment::Retransmission))
            continue;
        wire += (s.payload + mss - 1) / mss;
        if (s.segmentClass() == SegmentClass::SendOffload && (s.payload + mss - 1) / mss >= R::BurstMinWireSegments)
            supers.push_back(it.index());
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
    prob.text = std::to_string(whole) + " of " + num(supers.size()) + " send-offload super-segments from " + prob.from
        + " were lost whole: all " + num(wholeWire) + " of their wire segments were retransmitted. With "
        + percentText(p) + " of wire segments lost at random that would happen with a chance of " + chanceText(chance)
        + ": something on the path drops whole bursts (a policer, a shallow buffer that overflows at line rate, "
          "or a device that drops an oversized packet before cutting it).";
    prob.fix = BurstFix;
    out.push_back(std::move(prob));
}

// Downstream of the loss: runs of wire segments that never arrived here and were resent later, whole.
void burstLossDownstream(const Connection &c, int d, const std::vector<Resend> &resends,
                         const std::vector<Interval> &merged, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    // Downstream, a resent range arrives as retransmissions, but the reassembler calls a resend that follows
    // the segment past the gap within one RTT "out of order" (problems_burstloss_client: 4 of 204). A gap
    // counts as resent when later segments fill it whole and at least half its bytes are retransmissions: a
    // path that only reorders fills it with out-of-order segments alone.
    const std::vector<Interval> fill = mergedRanges(resends, false);
    const std::uint32_t mss = fd.offload.effectiveMss;
    struct Gap {
        std::int64_t from, to;
        std::size_t after; // the first segment past the gap
        std::uint32_t k; // wire segments in it
    };
    std::vector<Gap> gaps;
    std::uint64_t arrived = 0;
    std::int64_t next = -1;
    for (auto it = fd.segments.begin(); it != fd.segments.end(); ++it) {
        const Segment &s = *it;
        if (!s.payload || s.has(Segment::Retransmission) || s.has(Segment::OutOfOrder))
            continue;
        arrived += (s.payload + mss - 1) / mss;
        if (next >= 0 && s.relSeq > next) {
            const std::uint32_t k = std::uint32_t((s.relSeq - next + mss - 1) / mss);
            if (k >= R::BurstMinWireSegments && covered(fill, next, s.relSeq) == s.relSeq - next
                && 2 * covered(merged, next, s.relSeq) >= s.relSeq - next)
                gaps.push_back({next, s.relSeq, it.index(), k});
        }
        next = std::max(next, s.endSeq());
    }
    if (int(gaps.size()) < R::BurstMinWhole)
        return;
    std::int64_t lostBytes = 0; // every filled byte counts as lost: reordering only makes p larger, the test milder
    for (const Interval &iv : fill)
        lostBytes += iv.to - iv.from;
    const double lost = double(lostBytes) / double(mss);
    const double n = double(arrived) + lost;
    const double p = std::min(1.0, lost / n);
    // Expected runs of at least K lost segments among n with independent loss p: n (1 - p) p^K. Tested at every
    // run length seen (runs at least that long counted), the best taken, times the number of tests (Bonferroni).
    std::vector<std::uint32_t> lengths;
    for (const Gap &g : gaps)
        lengths.push_back(g.k);
    std::sort(lengths.begin(), lengths.end());
    lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    double chance = 1.0;
    for (const std::uint32_t len : lengths) {
        const auto atLeast = std::count_if(gaps.begin(), gaps.end(), [len](const Gap &g) { return g.k >= len; });
        chance = std::min(chance, poissonTail(n * (1 - p) * std::pow(p, double(len)), int(atLeast)));
    }
    chance = std::min(1.0, chance * double(lengths.size()));
    if (chance >= R::BurstMaxChance)
        return;
    Problem prob = makeProblem(c, d, "burst-loss", ProblemSeverity::Warning);
    std::uint64_t gapWire = 0, gapBytes = 0;
    TimeNs filled = 0;
    // The resends that filled each gap, found by sequence (sorted once) rather than by a scan to the end of
    // the direction per gap, which is quadratic on a long transfer with many gaps.
    std::int64_t longest = 0;
    for (const Resend &r : resends)
        longest = std::max(longest, r.to - r.from);
    for (const Gap &g : gaps) {
        addExample(prob, fd.segments[g.after].frame, fd.segments[g.after].time);
        gapWire += g.k;
        gapBytes += std::uint64_t(g.to - g.from);
        auto it = std::lower_bound(resends.begin(), resends.end(), g.from - longest,
                                   [](const Resend &r, std::int64_t v) { return r.from < v; });
        for (; it != resends.end() && it->from < g.to; ++it)
            if (it->index >= g.after && it->to > g.from)
                filled = std::max(filled, it->time);
    }
    prob.lastTime = std::max(prob.lastTime, filled); // until the last gap was resent
    prob.text = std::to_string(gaps.size()) + " runs of " + num(lengths.front())
        + (lengths.size() > 1 ? " to " + num(lengths.back()) : std::string()) + " consecutive wire segments from "
        + prob.from + " (" + num(gapWire) + " segments, " + num(gapBytes)
        + " bytes in all) never reached this capture point and were resent later. With " + percentText(p)
        + " of wire segments lost at random, runs that long would happen with a chance of " + chanceText(chance)
        + ": something before this point drops whole bursts (a policer, a shallow buffer that overflows at line "
          "rate, or a device that drops a send-offload super-segment before cutting it; the sender's "
          "super-segments cannot be seen from here).";
    prob.fix = BurstFix;
    out.push_back(std::move(prob));
}

} // namespace

void detectBurstLoss(const Trace &, const Connection &c, int d, std::vector<Problem> &out)
{
    const FlowDirection &fd = c.directions[d];
    const DirectionOffload &o = fd.offload;
    if (!o.analyzed || !o.effectiveMss)
        return;
    const std::vector<Resend> resends = collectResends(fd);
    const std::vector<Interval> merged = mergedRanges(resends, true);
    if (merged.empty())
        return;
    if (o.sendOffload)
        burstLossAtSender(c, d, merged, out);
    else
        burstLossDownstream(c, d, resends, merged, out);
}

} // namespace ol::problemsdetail
