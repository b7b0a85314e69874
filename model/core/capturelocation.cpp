// SPDX-License-Identifier: GPL-3.0-or-later
// Capture location beyond "on host X": mirrors, tunnel underlays and merging devices on the path.
#include "capturelocation.h"

#include "capturepoint.h"
#include "capturepointrules.h"

#include <cmath>
#include <set>
#include <vector>

namespace ol {
namespace {

/// The tunnel or mirror layers of a stack, between its outer and its inner IP header: "geneve 4242",
/// "gre / erspan 2", "vxlan 100"; "IP-in-IP" when nothing lies between.
std::string tunnelName(const Encapsulation &e)
{
    std::string name;
    bool inside = false;
    for (int i = 0; i < e.count; ++i) {
        const EncapKind k = e.kinds[i];
        if (k == EncapKind::Ipv4 || k == EncapKind::Ipv6) {
            if (inside)
                break;
            inside = true;
            continue;
        }
        // The transport and the framing inside the tunnel say nothing about which tunnel it is.
        if (!inside || k == EncapKind::Udp || k == EncapKind::Eth || k == EncapKind::Vlan || k == EncapKind::Llc)
            continue;
        name += (name.empty() ? "" : " / ") + e.layerName(i);
    }
    return name.empty() ? "IP-in-IP" : name;
}

std::string linkOf(const Connection &c)
{
    return c.client.addr.toString() + " and " + c.server.addr.toString();
}

/// "between A and B" for the first link, "(and N other host pairs)" for the rest.
std::string linksPhrase(const std::vector<const Connection *> &conns)
{
    std::set<std::string> links;
    for (const Connection *c : conns) {
        const std::string a = c->client.addr.toString(), b = c->server.addr.toString();
        links.insert(a < b ? a + "|" + b : b + "|" + a);
    }
    std::string s = "between " + linkOf(*conns.front());
    if (links.size() > 1)
        s += " (and " + std::to_string(links.size() - 1) + " other host pair" + (links.size() > 2 ? "s" : "") + ")";
    return s;
}

/// The sentence for a direction merged on the way to the capture point, or "" when none was.
std::string mergedOnPathText(const std::vector<const Connection *> &conns, std::string *receiver)
{
    for (const Connection *c : conns)
        for (const FlowDirection &fd : c->directions)
            if (fd.offload.mergedOnPath && fd.offload.oversized()) {
                if (receiver)
                    *receiver = fd.to.addr.toString();
                return "Frames from " + fd.from.addr.toString()
                    + " crossed routers as wire segments (TTL decremented) and were merged before this capture "
                      "point, yet "
                    + fd.to.addr.toString()
                    + " acknowledged positions inside them: it received the separate segments, so the merging "
                      "happened on the way here (receive offload on the capturing device, a packet broker or a "
                      "forwarding host with GRO), not at either host.";
            }
    return {};
}

void forgetHost(CapturePoint &point)
{
    point.known = false;
    point.host.clear();
    point.role.clear();
    point.confidence = 0;
    point.evidence.clear(); // it explained why an inner host was named
}

} // namespace

void placeCapture(const Trace &trace, CapturePoint &point)
{
    std::vector<const Connection *> conns;
    bool allMirrored = true, allTunnelled = true;
    for (const auto &c : trace.connections) {
        if (!c->packets)
            continue;
        conns.push_back(c.get());
        allMirrored &= c->mirrored;
        allTunnelled &= c->tunnelled;
    }
    if (conns.empty())
        return;
    std::string mergedReceiver;
    const std::string merged = mergedOnPathText(conns, &mergedReceiver);
    const Connection &first = *conns.front();

    if (allMirrored) {
        // A mirror session copies the frames of a port to a collector: neither inner host is where the file
        // was written, and the sizes are those at the mirrored port.
        forgetHost(point);
        point.location = "mirror";
        const std::string via = tunnelName(first.encapsulation);
        const std::string from = first.tunnelOuterSrc.toString(), to = first.tunnelOuterDst.toString();
        point.locationText = "Captured on a mirror of the link " + linksPhrase(conns) + ": "
            + (via.find("erspan") != std::string::npos ? "the frames are copies that an ERSPAN session sent inside "
                       + via + " from " + from + " to its collector " + to
                                                       : "both directions arrive inside " + via + " from " + from
                       + " to " + to + ", the way a mirror session (or an inline appliance's tunnel) delivers them")
            + ", so their sizes are those at the mirrored point, not inside either host.";
        if (!merged.empty())
            point.locationText += " " + merged;
        point.evidence.push_back({"mirror-copy", point.locationText, 0.5, {}});
        return;
    }
    if (allTunnelled) {
        // The outer headers are in the file, so the capture sat on the tunnel's underlay. The end whose outer
        // TTL no router has decremented, while the other end's is, is the one it sat at.
        int at = -1;
        if (first.tunnelOuterTtl[0] && first.tunnelOuterTtl[1]) {
            const bool i0 = isInitialTtl(first.tunnelOuterTtl[0]), i1 = isInitialTtl(first.tunnelOuterTtl[1]);
            if (i0 != i1)
                at = i0 ? 0 : 1;
        }
        const std::string tunnel = "the " + tunnelName(first.encapsulation) + " tunnel between "
            + first.tunnelOuterSrc.toString() + " and " + first.tunnelOuterDst.toString();
        if (at >= 0) {
            const std::string endpoint = first.tunnelOuterFrom[at].toString();
            point.location = "tunnel-endpoint";
            point.locationText = "Captured on the tunnel endpoint " + endpoint + ", on the underlay of " + tunnel
                + " that carries the TCP " + linksPhrase(conns) + ": outer headers from " + endpoint
                + " carry an undecremented TTL " + std::to_string(first.tunnelOuterTtl[at]) + ", those from the "
                + "other end arrive with " + std::to_string(first.tunnelOuterTtl[1 - at]) + ".";
            if (!point.known || point.host != endpoint) {
                point.known = true;
                point.host = endpoint;
                point.role = "tunnel endpoint";
                point.confidence = std::round(100
                                              * (1.0
                                                 - std::exp(-rules::capturePointScore.ttl
                                                            / rules::capturePointScore.confidenceScale)))
                    / 100;
            }
        } else {
            point.location = "tunnel";
            point.locationText = "Captured on the underlay of " + tunnel + ", which carries the TCP "
                + linksPhrase(conns) + (point.known ? "; the inner evidence points at " + point.host + "'s end" : "")
                + ". The outer TTLs do not say at which end of the tunnel.";
        }
        if (!merged.empty())
            point.locationText += " " + merged;
        point.evidence.push_back({"tunnel-underlay", point.locationText, 0.4, point.known ? point.host : ""});
        return;
    }
    if (!merged.empty()) {
        // The receiver got the wire segments, so it is not where they were merged; nor is the sender, whose
        // frames had crossed routers.
        if (point.known && point.host == mergedReceiver)
            forgetHost(point);
        if (!point.known) {
            point.location = "path";
            point.locationText = "Captured on a device between the hosts. " + merged;
            point.evidence.push_back({"merged-on-path", merged, 0.5, {}});
        }
    }
}

} // namespace ol
