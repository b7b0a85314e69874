// SPDX-License-Identifier: GPL-3.0-or-later
// Small value types shared by the whole core: addresses, endpoints, time.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace ol {

using TimeNs = std::int64_t; // nanoseconds since the Unix epoch

/// An IPv4 or IPv6 address; IPv4 is stored in the first four bytes.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t family = 0; // 4 or 6, 0 = unset

    static IpAddress v4(const std::uint8_t *p)
    {
        IpAddress a;
        a.family = 4;
        std::memcpy(a.bytes.data(), p, 4);
        return a;
    }
    static IpAddress v6(const std::uint8_t *p)
    {
        IpAddress a;
        a.family = 6;
        std::memcpy(a.bytes.data(), p, 16);
        return a;
    }
    /// Parses dotted IPv4 or RFC 5952 IPv6 text; returns an unset address on failure.
    static IpAddress parse(const std::string &text);

    /// Textual form: dotted quad, or compressed IPv6.
    std::string toString() const;

    friend bool operator==(const IpAddress &, const IpAddress &) = default;
    friend auto operator<=>(const IpAddress &, const IpAddress &) = default;
};

/// An address and a TCP port.
struct Endpoint {
    IpAddress addr;
    std::uint16_t port = 0;

    /// "192.0.2.1:80" or "[2001:db8::1]:80".
    std::string toString() const;

    friend bool operator==(const Endpoint &, const Endpoint &) = default;
    friend auto operator<=>(const Endpoint &, const Endpoint &) = default;
};

/// Formats nanoseconds as seconds with the given number of decimals.
std::string formatSeconds(TimeNs ns, int decimals = 6);

/// Thousands separators for readable reports: 65160 -> "65,160".
std::string withThousands(std::uint64_t value);

/// a / b rounded up (0 when b is 0): how many segments of b bytes carry a bytes.
constexpr std::uint32_t ceilDiv(std::uint32_t a, std::uint32_t b)
{
    return b ? (a + b - 1) / b : 0;
}

} // namespace ol
