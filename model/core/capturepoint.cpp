// SPDX-License-Identifier: GPL-3.0-or-later
// Scoring endpoints as the capture host. Each kind of evidence adds a bounded amount, so that no single
// weak hint decides alone and strong, independent hints add up.
#include "capturepoint.h"

#include "capturepointrules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace ol {
namespace {

const rules::CapturePointScore &W = rules::capturePointScore;

std::string pct(std::uint64_t part, std::uint64_t whole)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
    return buf;
}

std::string ms(TimeNs ns)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f ms", double(ns) / 1e6);
    return buf;
}

std::uint8_t modeTtl(const HostTally &t)
{
    std::uint8_t best = 0;
    for (int v = 1; v < 256; ++v)
        if (t.ttlHistogram[v] > t.ttlHistogram[best])
            best = static_cast<std::uint8_t>(v);
    return best;
}

struct Scored {
    std::string host;
    double score = 0;
    std::vector<Evidence> evidence;
    bool checksumFor = false, ttlFor = false, handshakeFor = false; // which items point at this host
};

/// Checksums pointing at one end while the TTL or the handshake timing, independent of them, point at its
/// peer: on veth, Docker, mininet and VM vSwitch links the peer's frames may arrive unfinished, so the
/// checksum item counts for less (rules::CapturePointScore::checksumContradicted) and the report says so.
struct Conflict {
    std::string checksumHost, otherHost, items;
};

Scored score(const std::string &host, const HostTally &t)
{
    Scored s{host, 0, {}};
    const std::uint64_t recorded = t.recordedOutFrom + t.recordedInTo + t.recordedAgainst;
    if (recorded > 0) {
        const double agree = double(t.recordedOutFrom + t.recordedInTo) / double(recorded);
        const double w = W.recorded * (2 * agree - 1);
        s.score += w;
        if (agree > 0.5)
            s.evidence.push_back({"recorded-direction",
                                  "The capture file itself marks " + withThousands(t.recordedOutFrom) + " frames from "
                                      + host + " as outgoing and " + withThousands(t.recordedInTo)
                                      + " frames to it as incoming "
                                      + "(Linux cooked header or pcapng flags): it was recorded on " + host + ".",
                                  w / W.recorded, host});
    }
    if (t.pcapngTso > 0) {
        s.score += W.pcapngTso;
        s.evidence.push_back({"pcapng-tso-flag",
                              withThousands(t.pcapngTso) + " frames from " + host
                                  + " carry the pcapng flag \"TCP segmentation offloaded\".",
                              W.pcapngTso / W.recorded, host});
    }
    if (t.checksumVotes > 0) {
        s.checksumFor = true;
        s.score += W.checksum;
        s.evidence.push_back(
            {"checksum-offload",
             withThousands(t.checksumUnfilled) + " of " + withThousands(t.checksumKnown) + " frames sent by " + host
                 + " (" + pct(t.checksumUnfilled, t.checksumKnown) + ") have checksums not yet filled in, while only "
                 + pct(t.peerChecksumUnfilled, t.peerChecksumKnown)
                 + " of the frames from its peers do. The NIC computes them (checksum offload), so these frames were "
                   "captured inside "
                 + host + ", before they reached its NIC.",
             0.6, host});
    } else if (t.checksumVotes < 0) {
        s.score -= W.checksumAgainst; // its frames arrive with finished checksums while the peer's do not
    }
    // Only large frames that carry the sender's own TTL can have been built by its stack: routed ones were
    // merged after the wire (a mirror, broker or forwarding host coalescing), so ACKs inside them name no end.
    if (t.oversizedFrom > 0 && t.ackCheckedFrom > 0 && t.routedOversizedFrom * 2 < t.oversizedFrom) {
        const double ratio = double(t.ackInsideFrom) / double(t.ackCheckedFrom);
        if (ratio >= W.ackInsideMinShare) {
            s.score += W.ackInside;
            s.evidence.push_back(
                {"ack-inside-segment",
                 "The receiver acknowledged byte positions inside " + withThousands(t.ackInsideFrom) + " of "
                     + withThousands(t.ackCheckedFrom) + " large frames sent by " + host
                     + ": it received them as separate, smaller wire segments that this capture never saw. The "
                       "large frames existed only inside "
                     + host + ".",
                 0.6, host});
        }
    }
    if (t.ipLengthZeroFrom > 0) {
        s.score += W.ipLengthZero;
        s.evidence.push_back({"ip-length-zero",
                              withThousands(t.ipLengthZeroFrom) + " large frames from " + host
                                  + " have an IP length field of 0: the sending stack left it for the NIC to fill in.",
                              0.2, host});
    }
    if (t.ttlVotes != 0) {
        const double w = W.ttl * (t.ttlVotes > 0 ? 1 : -1);
        s.ttlFor = t.ttlVotes > 0;
        s.score += w;
        const std::uint8_t ttl = modeTtl(t);
        if (t.ttlVotes > 0)
            s.evidence.push_back({"ttl-initial",
                                  "Frames from " + host + " carry TTL/hop limit " + std::to_string(ttl)
                                      + ", an initial value no router has decremented, while frames from its peers "
                                        "arrive with "
                                      + std::to_string(t.peerTtlExample) + ": the capture sat on " + host + "'s side.",
                                  0.35, host});
    }
    const int hs = t.handshakeNear - t.handshakeFar;
    if (t.handshakeNear + t.handshakeFar > 0 && hs != 0) {
        const double w = W.handshake * double(hs) / double(t.handshakeNear + t.handshakeFar);
        s.handshakeFor = hs > 0;
        s.score += w;
        if (hs > 0 && t.exampleSynToSynAck >= 0) {
            const bool client = t.asClient >= t.asServer;
            s.evidence.push_back(
                {"handshake-timing",
                 client ? "SYN → SYN/ACK took " + ms(t.exampleSynToSynAck) + " and SYN/ACK → ACK "
                         + ms(t.exampleSynAckToAck) + ": the whole round trip lies before the SYN/ACK, so "
                         + "the capture sat next to the client " + host + "."
                        : "SYN → SYN/ACK took " + ms(t.exampleSynToSynAck) + " but SYN/ACK → ACK "
                         + ms(t.exampleSynAckToAck) + ": the round trip lies after the SYN/ACK, so the "
                         + "capture sat next to the server " + host + ".",
                 0.25, host});
        }
    }
    return s;
}

} // namespace

bool isInitialTtl(std::uint8_t ttl)
{
    return ttl == 64 || ttl == 128 || ttl == 255 || ttl == 32;
}

std::vector<std::string> inferCapturePoint(const std::map<std::string, HostTally> &hosts,
                                           const std::set<std::string> &peers, CapturePoint &point)
{
    point = CapturePoint{};
    std::vector<Scored> scored;
    for (const auto &[host, tally] : hosts)
        scored.push_back(score(host, tally));
    if (scored.empty())
        return {};
    auto arePeers = [&peers](const std::string &a, const std::string &b) {
        return peers.count(a < b ? a + "|" + b : b + "|" + a) > 0;
    };
    std::vector<Conflict> conflicts;
    for (Scored &x : scored) {
        if (!x.checksumFor || x.ttlFor || x.handshakeFor)
            continue;
        for (const Scored &y : scored)
            if (&y != &x && !y.checksumFor && (y.ttlFor || y.handshakeFor) && arePeers(x.host, y.host)) {
                x.score -= W.checksum - W.checksumContradicted;
                conflicts.push_back({x.host, y.host,
                                     y.ttlFor && y.handshakeFor ? "the TTL and the handshake timing point"
                                         : y.ttlFor             ? "the TTL points"
                                                                : "the handshake timing points"});
                break;
            }
    }
    std::sort(scored.begin(), scored.end(), [&hosts](const Scored &a, const Scored &b) {
        if (a.score != b.score)
            return a.score > b.score;
        const std::uint64_t fa = hosts.at(a.host).framesFrom, fb = hosts.at(b.host).framesFrom;
        if (fa != fb)
            return fa > fb; // on a tie, the busier address is the better guess
        return a.host < b.host;
    });
    const Scored &top = scored.front();
    // Compare with the best host that talked to the top one: an address that never did may be the same machine.
    double rival = 0;
    std::vector<std::string> local{top.host};
    for (std::size_t i = 1; i < scored.size(); ++i) {
        if (arePeers(top.host, scored[i].host))
            rival = std::max(rival, scored[i].score);
        else if (scored[i].score >= std::max(W.minScore, W.sameMachineShare * top.score))
            local.push_back(scored[i].host);
    }
    const double margin = top.score - rival;
    if (top.score < W.minScore || margin < W.minMargin)
        return {}; // nothing points at one host clearly enough
    point.known = true;
    point.host = top.host;
    point.confidence = std::min(W.maxConfidence, 1.0 - std::exp(-margin / W.confidenceScale));
    point.confidence = std::round(point.confidence * 100) / 100;
    point.evidence = top.evidence;
    for (const Conflict &c : conflicts) {
        if (c.checksumHost != top.host && c.otherHost != top.host)
            continue;
        point.confidence = std::min(point.confidence, W.conflictConfidence);
        point.evidence.push_back(
            {"evidence-conflict",
             "The evidence disagrees: checksums point at " + c.checksumHost + " (its frames unfinished, its peer's "
                 + "finished), but " + c.items + " at " + c.otherHost
                 + ". On virtual links (veth, Docker, mininet, a VM's vSwitch) a peer's frames may arrive with "
                   "unfinished checksums, so checksums are weak evidence there; the independent items decide: "
                 + top.host + ", with low confidence.",
             0.3, top.host});
    }
    if (local.size() > 1) {
        std::string others;
        for (std::size_t i = 1; i < local.size(); ++i)
            others += (i > 1 ? ", " : "") + local[i];
        point.evidence.push_back({"other-local-addresses",
                                  "The same evidence points at " + others + ", which never talks to " + top.host
                                      + ": most likely further addresses of the same host.",
                                  0.2, top.host});
    }
    const HostTally &t = hosts.at(top.host);
    if (t.asClient > 0 && t.asServer == 0)
        point.role = "client";
    else if (t.asServer > 0 && t.asClient == 0)
        point.role = "server";
    else if (t.asServer > 0 && t.asClient > 0)
        point.role = "client and server";
    return local;
}
} // namespace ol
