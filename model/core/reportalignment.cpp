// SPDX-License-Identifier: GPL-3.0-or-later
// The "alignment" part of the JSON report (see DESIGN.md) and its text form: paired connections with
// clock offset, delays, loss between the points and the segment mapping counts.
#include "alignment.h"
#include "json.h"
#include "problems.h"

#include <cmath>
#include <cstdio>

namespace ol {

namespace {

/// A number, or null when it is not known (NaN or infinite).
void number(JsonWriter &w, const char *k, double v, int decimals)
{
    w.key(k);
    if (std::isfinite(v))
        w.value(v, decimals);
    else
        w.null();
}

void optionalInt(JsonWriter &w, const char *k, int v)
{
    w.key(k);
    if (v >= 0)
        w.value(v);
    else
        w.null();
}

void writeDirection(JsonWriter &w, const PairDirection &d)
{
    w.beginObject();
    w.key("b_direction").value(d.bDirection);
    w.key("sender_side").value(d.senderSide == 0 ? "a" : d.senderSide == 1 ? "b" : "unknown");
    w.key("seq_offset").value(std::uint64_t(d.seqOffset));
    w.key("seq_offset_known").value(d.seqOffsetKnown);
    w.key("sequence_randomized").value(d.seqOffsetKnown && d.seqOffset != 0);
    w.key("samples").value(d.samples);
    number(w, "one_way_delay_s", d.oneWayDelayS, 6);
    number(w, "median_delay_s", d.medianDelayS, 6);
    w.key("lost_between_points").value(d.lostBetweenPoints);
    w.key("lost_bytes").value(d.lostBytes);
    w.key("reordered").value(d.reordered);
    optionalInt(w, "ttl_sender_side", d.ttlSender);
    optionalInt(w, "ttl_receiver_side", d.ttlReceiver);
    w.key("ttl_decrease").value(d.ttlDecrease);
    optionalInt(w, "mss_a", d.mssA);
    optionalInt(w, "mss_b", d.mssB);
    w.key("mss_clamped").value(d.mssClamped);
    optionalInt(w, "window_scale_a", d.wscaleA);
    optionalInt(w, "window_scale_b", d.wscaleB);
    w.key("window_scale_changed").value(d.wscaleChanged);
    w.key("mapping");
    w.beginObject();
    w.key("one_to_one").value(d.mapping.oneToOne);
    w.key("one_to_many").value(d.mapping.oneToMany);
    w.key("many_to_one").value(d.mapping.manyToOne);
    w.key("many_to_many").value(d.mapping.manyToMany);
    w.key("only_a").value(d.mapping.onlyA);
    w.key("only_b").value(d.mapping.onlyB);
    w.endObject();
    w.endObject();
}

void idList(JsonWriter &w, const char *k, const std::vector<std::uint32_t> &ids)
{
    w.key(k);
    w.beginArray();
    for (std::uint32_t id : ids)
        w.value(std::uint64_t(id));
    w.endArray();
}

} // namespace

void writeAlignmentJson(JsonWriter &w, const AlignmentResult &a, const std::vector<std::vector<Problem>> *pairProblems,
                        TimeNs origin)
{
    w.key("alignment");
    w.beginObject();
    w.key("pairs");
    w.beginArray();
    for (std::size_t pi = 0; pi < a.pairs.size(); ++pi) {
        const ConnectionPair &p = a.pairs[pi];
        w.beginObject();
        w.key("a").value(std::uint64_t(p.a));
        w.key("b").value(std::uint64_t(p.b));
        w.key("nat").value(p.nat);
        w.key("roles_swapped").value(p.rolesSwapped);
        w.key("score").value(p.score, 2);
        w.key("a_side").value(p.aSide == 0 ? "client" : p.aSide == 1 ? "server" : "unknown");
        number(w, "clock_offset_s", p.clockOffsetS, 6);
        number(w, "offset_uncertainty_s", p.offsetUncertaintyS, 6);
        number(w, "offset_lower_s", p.offsetLowerS, 6);
        number(w, "offset_upper_s", p.offsetUpperS, 6);
        w.key("bounds_consistent").value(p.boundsConsistent);
        w.key("skew_ppm");
        if (p.skewKnown)
            w.value(p.skewPpm, 2);
        else
            w.null();
        w.key("skew_applied").value(p.skewApplied);
        w.key("lost_between_points").value(p.lostBetweenPoints);
        w.key("directions");
        w.beginArray();
        writeDirection(w, p.dir[0]);
        writeDirection(w, p.dir[1]);
        w.endArray();
        if (pairProblems && pi < pairProblems->size()) {
            w.key("problems");
            writeProblemsJson(w, (*pairProblems)[pi], origin);
        }
        w.endObject();
    }
    w.endArray();
    idList(w, "unpaired_a", a.unpairedA);
    idList(w, "unpaired_b", a.unpairedB);
    w.endObject();
}

namespace {

std::string format(const char *fmt, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

} // namespace

std::string alignmentText(const AlignmentResult &r, const Trace &a, const Trace &b)
{
    std::string out = "Alignment of " + a.path + " (A) with " + b.path + " (B)\n";
    const auto pairProblems = diagnoseAlignmentProblems(a, b, r);
    for (const ConnectionPair &p : r.pairs) {
        const Connection *ca = a.connectionById(p.a), *cb = b.connectionById(p.b);
        if (!ca || !cb)
            continue;
        out += "  A#" + std::to_string(p.a) + " " + ca->client.toString() + " -> " + ca->server.toString() + "  =  B#"
            + std::to_string(p.b) + " " + cb->client.toString() + " -> " + cb->server.toString()
            + (p.nat ? "  (NAT: addresses or ports rewritten)" : "") + "\n";
        if (std::isfinite(p.clockOffsetS)) {
            out += "    B's clock is " + format("%+.6f", p.clockOffsetS) + " s ahead of A's";
            out += std::isfinite(p.offsetUncertaintyS) ? " (+- " + format("%.6f", p.offsetUncertaintyS) + " s)"
                                                       : " (one bound only: includes an unknown delay)";
            if (!p.boundsConsistent)
                out += ", bounds contradict each other: a guess";
            if (p.skewApplied)
                out += ", skew " + format("%+.1f", p.skewPpm) + " ppm removed";
            out += "; A is nearer the " + std::string(p.aSide == 0 ? "client" : "server") + "\n";
        }
        for (int d = 0; d < 2; ++d) {
            const PairDirection &pd = p.dir[d];
            const MappingCounts &m = pd.mapping;
            out += std::string("    ") + (d == 0 ? "client -> server" : "server -> client") + ": ";
            if (std::isfinite(pd.oneWayDelayS))
                out += "delay " + format("%.6f", pd.oneWayDelayS) + " s (median " + format("%.6f", pd.medianDelayS)
                    + "), ";
            out += "lost between the points " + std::to_string(pd.lostBetweenPoints) + " segments ("
                + withThousands(pd.lostBytes) + " bytes), reordered " + std::to_string(pd.reordered) + ", "
                + std::to_string(pd.ttlDecrease) + " router hop(s) between the points (TTL "
                + std::to_string(pd.ttlSender) + " -> " + std::to_string(pd.ttlReceiver) + "), mapping 1:1 "
                + std::to_string(m.oneToOne) + ", 1:N " + std::to_string(m.oneToMany) + ", N:1 "
                + std::to_string(m.manyToOne) + ", N:M " + std::to_string(m.manyToMany);
            if (pd.seqOffsetKnown && pd.seqOffset != 0)
                out += ", sequence numbers rewritten (offset " + std::to_string(pd.seqOffset) + ")";
            if (pd.mssClamped)
                out += ", MSS " + std::to_string(pd.mssA) + " at A vs " + std::to_string(pd.mssB) + " at B";
            if (pd.wscaleChanged)
                out += ", window scale changed";
            out += "\n";
        }
        out += pairProblemsText(pairProblems[std::size_t(&p - r.pairs.data())], a.firstTime);
    }
    out += "  Unpaired: " + std::to_string(r.unpairedA.size()) + " connections only in A, "
        + std::to_string(r.unpairedB.size()) + " only in B\n";
    return out;
}

} // namespace ol
