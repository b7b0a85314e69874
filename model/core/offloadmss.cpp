// SPDX-License-Identifier: GPL-3.0-or-later
// Effective MSS per direction, and where it came from. A SYN says it; without one, other connections of the
// same hosts say it; without those, the data does: Linux gives each wire segment its own IPv4 ID, a TSO
// sender's frames are multiples of its segment size, and a plain sender's full segments are its most common
// large size. Never a default of 1,460: VPN and PPPoE paths give 1,380, 1,412, 1,440, 1,452.
#include "offloadmss.h"

#include "offloadrules.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace ol {
namespace {

constexpr int TimestampOptionBytes = 12;

bool isLoopbackAddress(const IpAddress &a)
{
    if (a.family == 4)
        return a.bytes[0] == 127;
    static const std::array<std::uint8_t, 16> v6loop{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return a.family == 6 && a.bytes == v6loop;
}

std::uint32_t headerBytes(const IpAddress &a)
{
    return (a.family == 6 ? 40u : 20u) + 20u;
}

struct Candidate {
    std::uint32_t size = 0;
    std::uint64_t support = 0; // frames of this size or a multiple of it
    std::uint64_t against = 0; // larger frames that are not a multiple
};

Candidate evaluate(std::uint32_t d, const std::vector<std::pair<std::uint32_t, std::uint64_t>> &sizes)
{
    Candidate c{d, 0, 0};
    for (const auto &[size, count] : sizes) {
        if (size % d == 0)
            c.support += count;
        else if (size > d)
            c.against += count;
    }
    return c;
}

bool acceptable(const Candidate &c)
{
    const auto &r = rules::mssInference;
    return c.support >= r.minSupport && c.against * r.supportPerAgainst <= c.support;
}

/// IPv4 ID steps: a large frame followed by an ID advance of k >= 2 held k wire segments of payload / k.
std::uint32_t ipIdStep(const FlowDirection &fd, std::uint32_t maxEffective, std::uint64_t &votesOut)
{
    const auto &r = rules::mssInference;
    if (fd.from.addr.family != 4)
        return 0;
    std::unordered_map<std::uint32_t, std::uint64_t> votes;
    std::uint64_t stepped = 0;
    const auto &segs = fd.segments;
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
        const Segment &s = segs[i];
        if (s.payload < 2 * r.minFullSegment || s.has(Segment::LengthMismatch) || s.has(Segment::Retransmission))
            continue;
        const std::uint16_t k = static_cast<std::uint16_t>(segs[i + 1].ipId - s.ipId);
        if (k < 2 || k > 64 || s.payload % k)
            continue; // one ID per frame, IDs not in use, or IDs of another counter
        ++stepped;
        const std::uint32_t d = s.payload / k;
        if (d >= r.minFullSegment && d <= maxEffective)
            ++votes[d];
    }
    std::uint32_t best = 0;
    std::uint64_t bestVotes = 0;
    for (const auto &[d, v] : votes)
        if (v > bestVotes || (v == bestVotes && d > best)) {
            best = d;
            bestVotes = v;
        }
    votesOut = bestVotes;
    return bestVotes >= r.minIpIdVotes && bestVotes * 2 > stepped ? best : 0;
}

/// Option bytes on every segment of direction d. With both SYNs: what they agreed. Otherwise what the data
/// segments carry (a lone SYN cannot say whether the peer agreed to timestamps; e32 has SYNs, no SYN/ACK).
std::uint32_t optionBytes(const Connection &c, int d)
{
    if (c.directions[0].handshake.sawSyn && c.directions[1].handshake.sawSyn)
        return std::uint32_t(c.perSegmentOptionBytes(d));
    const auto &segs = c.directions[d].segments;
    for (std::size_t i = 0; i < segs.size() && i < 64; ++i)
        if (segs[i].payload > 0)
            return segs[i].has(Segment::HasTimestamps) ? TimestampOptionBytes : 0;
    return std::uint32_t(c.perSegmentOptionBytes(d));
}

std::string thousands(std::uint64_t v)
{
    return withThousands(v);
}

} // namespace

MssGuess inferMss(const FlowDirection &direction, std::uint32_t maxEffective)
{
    const auto &r = rules::mssInference;
    std::unordered_map<std::uint32_t, std::uint64_t> histogram;
    for (const Segment &s : direction.segments) {
        if (s.payload >= r.minFullSegment && !s.has(Segment::LengthMismatch) && !s.has(Segment::Retransmission))
            ++histogram[s.payload];
    }
    if (histogram.empty())
        return {};
    std::vector<std::pair<std::uint32_t, std::uint64_t>> sizes(histogram.begin(), histogram.end());
    // Most common first; the pairwise divisors use only the most common sizes (bounded work).
    std::sort(sizes.begin(), sizes.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first > b.first;
    });

    if (sizes.size() > r.maxEvaluatedSizes)
        sizes.resize(r.maxEvaluatedSizes);

    MssGuess g;
    std::uint64_t votes = 0;
    if (const std::uint32_t step = ipIdStep(direction, maxEffective, votes)) {
        const Candidate c = evaluate(step, sizes);
        if (acceptable(c)) {
            g.effective = step;
            g.source = "ip-id";
            g.samples = votes;
            return g;
        }
    }

    std::vector<std::uint32_t> candidates;
    const std::size_t n = std::min<std::size_t>(sizes.size(), r.maxDistinctSizes);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t a = sizes[i].first;
        if (a <= maxEffective)
            candidates.push_back(a);
        for (std::size_t j = i + 1; j < n; ++j) {
            const std::uint32_t d = std::gcd(a, sizes[j].first);
            if (d >= r.minFullSegment && d <= maxEffective)
                candidates.push_back(d);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    Candidate best;
    for (const std::uint32_t d : candidates) {
        const Candidate c = evaluate(d, sizes);
        if (!acceptable(c))
            continue;
        // Most frames explained wins; on a tie the larger size (an exact divisor of every full segment
        // explains as many frames, but the segment is the larger one).
        if (c.support > best.support || (c.support == best.support && c.size > best.size))
            best = c;
    }
    if (!best.size)
        return {};
    g.effective = best.size;
    g.samples = best.support;
    const auto exact = histogram.find(best.size);
    const std::uint64_t exactCount = exact == histogram.end() ? 0 : exact->second;
    g.source = exactCount * 2 >= best.support ? "data-mode" : "gcd";
    if (g.source == "data-mode") {
        g.samples = exactCount;
        // The most common payload is only a lower bound of the segment size: applications write in
        // messages smaller than the MSS (c10: X11 writes of 1,376 bytes beside one 1,448-byte segment of the
        // same host). A larger frame that fits one packet of the assumed MTU is a possible wire segment, so
        // the segment size is at least it; merged or offloaded frames on a smaller-MTU path are at least two
        // segments, past the MTU.
        std::uint32_t raise = 0;
        for (const Segment &s : direction.segments) {
            if (s.payload > best.size && s.payload <= maxEffective && s.ipLength <= r.assumedMtu
                && s.ipLength > s.payload && !s.has(Segment::LengthMismatch))
                raise = std::max(raise, s.payload);
        }
        if (raise) {
            g.raisedFrom = best.size;
            g.effective = raise;
        }
    }
    g.smallest = UINT32_MAX;
    for (const auto &[size, count] : sizes)
        if (size % best.size == 0 && size > best.size) {
            g.smallest = std::min(g.smallest, size);
            g.largest = std::max(g.largest, size);
        }
    if (g.smallest == UINT32_MAX)
        g.smallest = 0;
    return g;
}

std::uint32_t inferEffectiveMss(const FlowDirection &direction)
{
    const std::uint32_t maxEffective = rules::mssInference.maxWireMtu - headerBytes(direction.from.addr);
    return inferMss(direction, direction.from.addr.family ? maxEffective : UINT32_MAX).effective;
}

MssContext buildMssContext(const Trace &trace)
{
    MssContext ctx;
    ctx.loopbackLink = trace.linkTypes.size() == 1 && (trace.linkTypes[0] == "NULL" || trace.linkTypes[0] == "LOOP");
    for (const auto &cp : trace.connections) {
        const Connection &c = *cp;
        for (int d = 0; d < 2; ++d) {
            const FlowDirection &fd = c.directions[d];
            const std::string from = fd.from.addr.toString(), to = fd.to.addr.toString();
            if (fd.handshake.hasMss) {
                std::uint32_t &own = ctx.ownMss[from];
                own = std::max<std::uint32_t>(own, fd.handshake.mss);
            }
            const auto rx = c.announcedMssFor(d);
            if (!rx)
                continue;
            std::uint32_t limit = *rx;
            if (fd.handshake.hasMss)
                limit = std::min<std::uint32_t>(limit, fd.handshake.mss);
            const std::string key = from + ">" + to;
            if (!ctx.negotiated.count(key) || limit > ctx.negotiated[key]) {
                ctx.negotiated[key] = limit;
                ctx.negotiatedConnection[key] = c.id;
            }
        }
    }
    return ctx;
}

bool isLoopbackConnection(const Connection &c, const MssContext &ctx)
{
    if ((isLoopbackAddress(c.client.addr) && isLoopbackAddress(c.server.addr)) || c.client.addr == c.server.addr)
        return true;
    if (!ctx.loopbackLink)
        return false;
    // macOS utun (VPN) captures are DLT_NULL too: a tunnel-sized MSS in a SYN says it is not lo0.
    for (const FlowDirection &fd : c.directions)
        if (fd.handshake.hasMss && fd.handshake.mss < rules::mssInference.minLoopbackMss)
            return false;
    return true;
}

void determineMss(const Connection &c, int d, const MssContext &ctx, DirectionOffload &o)
{
    const auto &r = rules::mssInference;
    const FlowDirection &fd = c.directions[d];
    const std::uint32_t opts = optionBytes(c, d);
    const std::string optsText = opts ? " (less " + std::to_string(opts) + " bytes of TCP options on every segment)"
                                      : "";
    auto set = [&](std::uint32_t mss, const char *source, std::string text) {
        o.mss = mss;
        o.effectiveMss = mss > opts ? mss - opts : mss;
        o.mssKnown = true;
        o.mssSource = source;
        o.mssEvidence = std::move(text);
    };
    const auto rx = c.announcedMssFor(d);
    const HandshakeOptions &tx = fd.handshake;
    const std::string from = fd.from.addr.toString(), to = fd.to.addr.toString();

    if (isLoopbackConnection(c, ctx)) {
        o.loopback = true;
        if (rx) {
            set(std::min<std::uint32_t>(*rx, tx.hasMss ? tx.mss : *rx), "syn",
                "Loopback traffic with MSS " + thousands(*rx)
                    + " announced in the SYN: it never reaches a NIC, so no frame is offload.");
            return;
        }
        o.mssInferred = true;
        const bool v6 = fd.from.addr.family == 6;
        const std::uint32_t mss = ctx.loopbackLink ? (v6 ? r.bsdLoopbackMssV6 : r.bsdLoopbackMssV4)
                                                   : (v6 ? r.linuxLoopbackMssV6 : r.linuxLoopbackMssV4);
        set(mss, "loopback",
            "Loopback traffic without a SYN: MSS " + thousands(mss) + ", the "
                + (ctx.loopbackLink ? "BSD/macOS lo0 (MTU 16,384)" : "Linux lo (MTU 65,536)")
                + " value. It never reaches a NIC, so no frame is offload, whatever its size.");
        return;
    }
    if (rx) {
        o.mssLimitedBySender = tx.hasMss && tx.mss < *rx;
        if (o.mssLimitedBySender)
            set(tx.mss, "syn",
                "MSS " + thousands(tx.mss) + ": the receiver announced " + thousands(*rx)
                    + ", but the sender's own SYN " + "announced " + thousands(tx.mss)
                    + ", and a host puts no segment larger than its own interface allows on the wire; larger "
                      "frames are offload or coalescing, not jumbo frames.");
        else
            set(*rx, "syn", "MSS " + thousands(*rx) + " announced in the receiver's SYN" + optsText + ".");
        return;
    }
    o.mssInferred = true;
    const std::string key = from + ">" + to;
    if (const auto it = ctx.negotiated.find(key); it != ctx.negotiated.end()) {
        std::uint32_t mss = it->second;
        if (tx.hasMss)
            mss = std::min<std::uint32_t>(mss, tx.mss);
        set(mss, "same-hosts",
            "No SYN for this direction; connection " + std::to_string(ctx.negotiatedConnection.at(key))
                + " between the same hosts negotiated MSS " + thousands(mss)
                + " in this file, so this one is judged with it.");
        return;
    }
    // Upper bounds: the largest non-loopback MTU, and what either end announced of its own interface.
    std::uint32_t cap = r.maxWireMtu - headerBytes(fd.from.addr) - opts;
    std::string capBy;
    auto capWith = [&](std::uint32_t mss, const std::string &who) {
        if (mss > opts && mss - opts < cap) {
            cap = mss - opts;
            capBy = who;
        }
    };
    if (tx.hasMss)
        capWith(tx.mss, "the sender's own SYN");
    if (const auto it = ctx.ownMss.find(from); it != ctx.ownMss.end())
        capWith(it->second, from + "'s SYNs in other connections");
    if (const auto it = ctx.ownMss.find(to); it != ctx.ownMss.end())
        capWith(it->second, to + "'s SYNs in other connections");
    const MssGuess g = inferMss(fd, cap);
    if (g.effective) {
        const std::string eff = thousands(g.effective);
        std::string text = "No SYN for this direction: ";
        if (g.source == "ip-id")
            text += "segment size " + eff + " inferred from the IPv4 IDs of " + thousands(g.samples)
                + " large frames: after each, the next ID advanced by exactly the number of " + eff
                + "-byte segments it holds (one ID per wire segment).";
        else if (g.source == "gcd")
            text += "segment size " + eff + " inferred from " + thousands(g.samples) + " frames of "
                + thousands(g.smallest) + " to " + thousands(g.largest) + " bytes, all multiples of " + eff
                + " bytes (a sender's NIC cuts a super-segment into segments of that size).";
        else if (g.raisedFrom)
            text += "the most common full-size payload is " + thousands(g.raisedFrom) + " bytes ("
                + thousands(g.samples) + " segments), but a " + eff + "-byte segment fits one "
                + thousands(r.assumedMtu) + "-byte packet, so the segment size is at least " + eff
                + " bytes; the smaller ones are the application's writes.";
        else
            text += "inferred from " + thousands(g.samples) + " segments of " + eff
                + " bytes, the most common full-size payload.";
        if (opts)
            text += " With " + std::to_string(opts) + " bytes of options per segment that is MSS "
                + thousands(g.effective + opts) + ".";
        set(g.effective + opts, g.source.c_str(), std::move(text));
        return;
    }
    if (!capBy.empty() && cap < r.maxWireMtu - headerBytes(fd.from.addr) - opts) {
        set(cap + opts, "assumed",
            "No SYN for this direction and too few full segments to infer the MSS: " + capBy + " announced "
                + thousands(cap + opts) + ", the most this path can carry; assumed.");
        o.mssKnown = false;
        return;
    }
    // Too little data to infer: assume a 1,500-byte MTU and the headers the segments carry.
    for (const Segment &s : fd.segments) {
        if (!s.payload)
            continue;
        const std::uint32_t tsBytes = s.has(Segment::HasTimestamps) ? TimestampOptionBytes : 0;
        const std::uint32_t headers = s.ipLength > s.payload ? s.ipLength - s.payload
                                                             : headerBytes(fd.from.addr) + tsBytes;
        o.effectiveMss = r.assumedMtu > headers ? r.assumedMtu - headers : 536;
        o.mss = o.effectiveMss + tsBytes;
        o.mssKnown = false; // assumed, not inferred from data
        o.mssSource = "assumed";
        o.mssEvidence = "No SYN was captured and there are too few segments to infer the MSS; a "
            + thousands(r.assumedMtu) + "-byte MTU was assumed (" + thousands(o.effectiveMss)
            + " bytes of payload per segment).";
        return;
    }
}

void shareMssBetweenDirections(Trace &trace)
{
    struct Known {
        std::uint32_t mss = 0;
        std::uint64_t segments = 0;
        std::uint32_t connection = 0;
    };
    // address pair (either order) and single address -> the best-supported measured MSS
    std::map<std::string, Known> byPair, byHost;
    auto pairKey = [](const FlowDirection &fd) {
        const std::string a = fd.from.addr.toString(), b = fd.to.addr.toString();
        return a < b ? a + "|" + b : b + "|" + a;
    };
    for (const auto &cp : trace.connections)
        for (const FlowDirection &fd : cp->directions) {
            const DirectionOffload &o = fd.offload;
            if (!o.mssKnown || o.loopback || o.mssSource == "assumed" || o.mssSource == "same-hosts")
                continue;
            // Only directions whose segments showed what their path carries: a SYN says what a host may
            // receive, not what its path delivers (e32: SYNs announce 1,460 on a 1,410 path). Directions with
            // a SYN of their own never come here, and those of the same hosts are in MssContext::negotiated.
            if (o.mssSource == "syn")
                continue;
            const Known k{o.mss, fd.stats.dataSegments, cp->id};
            Known &p = byPair[pairKey(fd)];
            if (k.segments > p.segments || !p.mss)
                p = k;
            for (const std::string &h : {fd.from.addr.toString(), fd.to.addr.toString()}) {
                Known &hk = byHost[h];
                if (k.mss > hk.mss)
                    hk = k; // the most any path of this host carried: its own interface allows at least that
            }
        }
    for (const auto &cp : trace.connections)
        for (int d = 0; d < 2; ++d) {
            FlowDirection &fd = cp->directions[d];
            DirectionOffload &o = fd.offload;
            if (o.mssSource != "assumed" || o.loopback)
                continue;
            const std::uint32_t opts = optionBytes(*cp, d);
            auto use = [&](const Known &k, std::string text) {
                o.mss = k.mss;
                o.effectiveMss = k.mss > opts ? k.mss - opts : k.mss;
                o.mssKnown = true;
                o.mssSource = "same-hosts";
                o.mssEvidence = std::move(text);
            };
            if (const auto it = byPair.find(pairKey(fd)); it != byPair.end()) {
                use(it->second,
                    "No SYN and too little data for this direction; "
                        + std::string(it->second.connection == cp->id
                                          ? "the other direction of this connection"
                                          : "connection " + std::to_string(it->second.connection))
                        + " between the same hosts carries MSS " + thousands(it->second.mss)
                        + ", so this one is judged with it.");
                continue;
            }
            const std::string from = fd.from.addr.toString(), to = fd.to.addr.toString();
            const auto a = byHost.find(from), b = byHost.find(to);
            const Known *k = nullptr;
            std::string host;
            if (a != byHost.end())
                k = &a->second, host = from;
            if (b != byHost.end() && (!k || b->second.mss < k->mss))
                k = &b->second, host = to;
            if (k)
                use(*k,
                    "No SYN and too little data for this direction; connection " + std::to_string(k->connection)
                        + " of " + host + " in this file carries MSS " + thousands(k->mss)
                        + ", the most that host's path allows: assumed for this one too.");
        }
}

} // namespace ol
