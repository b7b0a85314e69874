// SPDX-License-Identifier: GPL-3.0-or-later
// The problem diagnosis: runs the detectors over a trace or an aligned pair, orders the results, and
// holds the helpers they share. The detectors live in problemspath.cpp, problemslocal.cpp,
// problemsloss.cpp and problemspayload.cpp.
#include "problems.h"

#include <algorithm>

#include "alignment.h"
#include "parallel.h"
#include "problemsdetail.h"

#include <cstdio>
#include <iterator>

namespace ol {

using namespace problemsdetail;

const char *severityName(ProblemSeverity s)
{
    switch (s) {
    case ProblemSeverity::Error:
        return "error";
    case ProblemSeverity::Warning:
        return "warning";
    default:
        return "info";
    }
}

namespace problemsdetail {

std::string secondsText(double s)
{
    char buf[32];
    if (s < 1.0)
        std::snprintf(buf, sizeof buf, "%.0f ms", s * 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

int headerBytes(const Connection &c, int d)
{
    const int ip = c.directions[d].from.addr.family == 6 ? 40 : 20;
    return ip + 20 + c.perSegmentOptionBytes(d);
}

std::vector<AckPoint> peerAcks(const Connection &c, int d)
{
    std::vector<AckPoint> acks;
    const auto &peer = c.directions[1 - d].segments;
    acks.reserve(peer.size());
    forEachPeerAck(c, d, [&](std::size_t i, std::int64_t relAck) { acks.push_back({peer[i].time, relAck}); });
    auto byTime = [](const AckPoint &x, const AckPoint &y) { return x.time < y.time; };
    if (!std::is_sorted(acks.begin(), acks.end(), byTime)) // capture order is time order but for clock steps
        std::stable_sort(acks.begin(), acks.end(), byTime);
    return acks;
}

bool icmpQuotes(const IcmpTooBigEvent &e, const Connection &c, int d)
{
    const FlowDirection &fd = c.directions[d];
    return e.info.quotedSrc == fd.from.addr && e.info.quotedDst == fd.to.addr && e.info.quotedSrcPort == fd.from.port
        && e.info.quotedDstPort == fd.to.port;
}

} // namespace problemsdetail

namespace {

void order(std::vector<Problem> &problems)
{
    std::stable_sort(problems.begin(), problems.end(), [](const Problem &x, const Problem &y) {
        if (x.severity != y.severity)
            return x.severity > y.severity;
        return x.firstTime < y.firstTime;
    });
}

} // namespace

ProblemReport diagnoseProblems(const Trace &trace)
{
    ProblemReport r;
    r.checked = {"PMTU black holes",
                 "ICMP too-big errors",
                 "segments below the announced MSS",
                 "oversized frames on the wire",
                 "received checksum errors",
                 "burst loss of offloaded sends",
                 "offload artifacts"};
    detectIcmpTooBig(trace, r.problems);
    // The directions with data, and what each detector found in each: the detectors only read the trace, so
    // on a large one burst loss, the costliest (it sorts every resend), runs on a second core beside the others
    // (each detector walks every segment of a direction): two items for forEachOnTwoCores.
    // The results are joined in one fixed order, so the report does not depend on the threads.
    struct Found {
        const Connection *c;
        int d;
        std::vector<Problem> blackHole, belowMss, wireOversize, checksums, burstLoss;
    };
    std::vector<Found> found;
    std::uint64_t segments = 0;
    for (const auto &cp : trace.connections)
        for (int d = 0; d < 2; ++d)
            if (cp->directions[d].stats.dataSegments) {
                found.push_back({cp.get(), d, {}, {}, {}, {}, {}});
                segments += cp->directions[d].segments.size();
            }
    forEachOnTwoCores(2, segments, ParallelMinSegments, [&trace, &found](std::size_t item) {
        for (Found &f : found) {
            if (item == 1) {
                detectBurstLoss(trace, *f.c, f.d, f.burstLoss);
            } else {
                detectBlackHole(trace, *f.c, f.d, f.blackHole);
                detectBelowMss(trace, *f.c, f.d, f.belowMss);
                detectWireOversize(trace, *f.c, f.d, f.wireOversize);
                detectChecksumsAndArtifacts(trace, *f.c, f.d, f.checksums);
            }
        }
    });
    for (Found &f : found)
        for (std::vector<Problem> *part : {&f.blackHole, &f.belowMss, &f.wireOversize, &f.checksums, &f.burstLoss})
            std::move(part->begin(), part->end(), std::back_inserter(r.problems));
    order(r.problems);
    r.settings = settingsSentence(trace);
    return r;
}

namespace {

// The problems of one pair that need no file access: the SYN's MSS rewritten between the points.
void mssClamped(const Trace &a, const ConnectionPair &pair, std::vector<Problem> &out)
{
    const Connection *ca = nullptr;
    for (const auto &c : a.connections)
        if (c->id == pair.a)
            ca = c.get();
    if (!ca)
        return;
    for (int k = 0; k < 2; ++k) {
        const PairDirection &pd = pair.dir[k];
        if (!pd.mssClamped || pd.mssA < 0 || pd.mssB < 0)
            continue;
        const HandshakeOptions &h = ca->directions[k].handshake;
        Problem p = makeProblem(*ca, k, "mss-clamped", ProblemSeverity::Info);
        addExample(p, h.frame, h.time);
        const int smaller = std::min(pd.mssA, pd.mssB);
        p.text = "The SYN from " + p.from + " carried MSS " + num(unsigned(pd.mssA))
            + " at the first capture point and " + num(unsigned(pd.mssB))
            + " at the second: a device between the points rewrote it (MSS clamping). " + "Segments towards " + p.from
            + " are then at most " + num(unsigned(smaller)) + " bytes, as if the path MTU were "
            + num(unsigned(smaller + (ca->client.addr.family == 6 ? 60 : 40))) + ".";
        p.fix = "Nothing to fix if the clamp is intended (VPN, PPPoE). Otherwise find the device with `tracepath` and "
                "its rule (Linux: `iptables -t mangle -L FORWARD -v` shows a TCPMSS target); "
                "`iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu` "
                "clamps to the real path MTU instead of a fixed value.";
        out.push_back(std::move(p));
    }
}

} // namespace

std::vector<Problem> diagnosePairProblems(const Trace &a, const Trace &b, const ConnectionPair &pair, bool readPayload)
{
    AlignmentResult one;
    one.pairs.push_back(pair);
    return diagnoseAlignmentProblems(a, b, one, readPayload).front();
}

std::vector<std::vector<Problem>> diagnoseAlignmentProblems(const Trace &a, const Trace &b, const AlignmentResult &r,
                                                            bool readPayload)
{
    std::vector<std::vector<Problem>> out(r.pairs.size());
    if (readPayload)
        detectPayloadDiffers(a, b, r, out);
    for (std::size_t i = 0; i < r.pairs.size(); ++i) {
        mssClamped(a, r.pairs[i], out[i]);
        order(out[i]);
    }
    return out;
}

} // namespace ol
