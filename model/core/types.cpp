// SPDX-License-Identifier: GPL-3.0-or-later
// Text forms of addresses and numbers.
#include "types.h"

#include <arpa/inet.h>
#include <cstdio>

namespace ol {

IpAddress IpAddress::parse(const std::string &text)
{
    IpAddress a;
    std::uint8_t buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1)
        return v4(buf);
    if (inet_pton(AF_INET6, text.c_str(), buf) == 1)
        return v6(buf);
    return a;
}

std::string IpAddress::toString() const
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (family == 4)
        inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
    else if (family == 6)
        inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    return buf;
}

std::string Endpoint::toString() const
{
    // Appending piece by piece (rather than operator+ chains) also avoids GCC 12's -Wrestrict false positive.
    std::string out;
    out.reserve(48);
    if (addr.family == 6)
        out += '[';
    out += addr.toString();
    if (addr.family == 6)
        out += ']';
    out += ':';
    out += std::to_string(port);
    return out;
}

std::string formatSeconds(TimeNs ns, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, static_cast<double>(ns) / 1e9);
    return buf;
}

std::string withThousands(std::uint64_t value)
{
    std::string digits = std::to_string(value);
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        out += digits[i];
        const int left = n - 1 - i;
        if (left > 0 && left % 3 == 0)
            out += ',';
    }
    return out;
}

} // namespace ol
