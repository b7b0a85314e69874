// SPDX-License-Identifier: GPL-3.0-or-later
// Display filter strings (see displayfilter.h), in the syntax of Wireshark 3.6 and later.
#include "displayfilter.h"

#include <vector>

namespace ol {
namespace {

const char *ipField(const IpAddress &a)
{
    return a.family == 6 ? "ipv6" : "ip";
}

/// "ip.src==A && tcp.srcport==P": one direction's frames (the port too: both ends may share an address).
std::string fromFilter(const Endpoint &from)
{
    return std::string(ipField(from.addr)) + ".src==" + from.addr.toString()
        + " && tcp.srcport==" + std::to_string(from.port);
}

} // namespace

std::string connectionDisplayFilter(const Connection &c)
{
    const std::string ip = ipField(c.client.addr);
    return ip + ".addr==" + c.client.addr.toString() + " && " + ip + ".addr==" + c.server.addr.toString()
        + " && tcp.port==" + std::to_string(c.client.port) + " && tcp.port==" + std::to_string(c.server.port);
}

std::string oversizedDisplayFilter(const Connection &c)
{
    // Only a direction whose MSS is known can have oversized segments; loopback never has (its MSS is 64 KiB).
    std::vector<int> known;
    for (int d = 0; d < 2; ++d) {
        const DirectionOffload &o = c.directions[d].offload;
        if (o.analyzed && o.effectiveMss && !o.loopback)
            known.push_back(d);
    }
    if (known.empty())
        return {};
    const std::string base = connectionDisplayFilter(c);
    const std::uint32_t first = c.directions[known[0]].offload.effectiveMss;
    if (known.size() == 2 && c.directions[1].offload.effectiveMss == first)
        return base + " && tcp.len > " + std::to_string(first);
    std::string either;
    for (int d : known) {
        if (!either.empty())
            either += " || ";
        // (append, not literal + temporary string: GCC 12 -O3 warns a false -Wrestrict on that)
        either.append("(")
            .append(fromFilter(c.directions[d].from))
            .append(" && tcp.len > ")
            .append(std::to_string(c.directions[d].offload.effectiveMss))
            .append(")");
    }
    return base + " && " + (known.size() == 2 ? "(" + either + ")" : either.substr(1, either.size() - 2));
}

} // namespace ol
