// SPDX-License-Identifier: GPL-3.0-or-later
// Header decoding: link layer -> IPv4/IPv6 (extension headers, simple tunnels) -> TCP and its options.
// Everything is bounds-checked against the captured length; sizes come from the IP header.
#pragma once

#include "types.h"

#include <cstdint>

namespace ol {

/// The link-layer header types we decode (values are libpcap DLT_ numbers).
enum LinkType : int {
    LinkNull = 0,
    LinkEthernet = 1,
    LinkRaw = 12, // DLT_RAW on Linux; libpcap maps LINKTYPE_RAW (101) to it
    LinkRawOpenBsd = 14,
    LinkLoop = 108,
    LinkLinuxSll = 113,
    LinkIpv4 = 228,
    LinkIpv6 = 229,
    LinkLinuxSll2 = 276,
};

/// True for the link types decodeFrame() understands.
bool isSupportedLinkType(int linkType);

/// libpcap's short name for a link type ("EN10MB"), or "DLT_<n>".
const char *linkTypeName(int linkType);

/// Direction of a frame as recorded by the capture itself (Linux cooked headers, pcapng flags).
enum class RecordedDirection : std::uint8_t { Unknown = 0, Outgoing = 1, Incoming = 2 };

/// Result of checking a checksum field.
enum class ChecksumState : std::uint8_t {
    Unknown = 0, // not all covered bytes were captured, or not applicable
    Good = 1,
    Bad = 2, // wrong value: typical of checksum offload on the sending host
    Zero = 3, // field left as zero: also checksum offload
};

enum class DecodeStatus : std::uint8_t {
    Tcp, // a TCP segment, all fields below valid
    UnknownLinkType, // link type we do not decode
    NotIp, // link layer fine, but no IPv4/IPv6 inside
    NotTcp, // IP, but another transport (UDP, ICMP, ...)
    Fragment, // an IP fragment: counted, not reassembled
    Truncated, // captured bytes end inside the headers we need
    Malformed, // header values that cannot be right
    IcmpTooBig, // build shim until the decoder branch lands: never produced here
};

/// TCP options that matter for the analysis.
struct TcpOptions {
    std::uint16_t mss = 0;
    std::int8_t windowScale = -1; // -1 = option absent
    bool hasMss = false;
    bool sackPermitted = false;
    bool hasTimestamps = false;
    bool truncated = false; // the option list runs past the captured bytes
    bool malformed = false; // a length byte that cannot be right
    std::uint8_t mssCount = 0; // several MSS options in one SYN is malformed
    std::uint8_t sackBlockCount = 0;
    std::uint32_t tsVal = 0;
    std::uint32_t tsEcr = 0;
    std::uint32_t sackBlocks[4][2] = {};
};

/// One decoded frame. Filled in place to avoid allocations on the hot path.
/// Build shim until the decoder branch lands (it defines the real one): the ICMP error's details.
struct IcmpTooBigInfo {
    std::uint32_t mtu = 0;
};

struct DecodedPacket {
    DecodeStatus status = DecodeStatus::NotIp;
    const char *problem = nullptr; // short reason for Truncated/Malformed

    IpAddress src;
    IpAddress dst;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t vlanKey = 0; // VLAN tags folded into one key (0 = untagged)

    std::uint8_t ipVersion = 0;
    std::uint8_t ttl = 0; // TTL or hop limit
    std::uint16_t ipId = 0; // IPv4 identification (0 for IPv6)
    std::uint32_t ipTotalLength = 0; // IPv4 total length / 40 + IPv6 payload length, as in the header
    bool ipLengthZero = false; // the length field was 0 (TSO on Windows, BIG TCP): size taken from the frame
    bool lengthMismatch = false; // frame length and IP length disagree beyond padding: not trustworthy
    bool tunnelled = false; // TCP found inside VXLAN or IP-in-IP

    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t tcpFlags = 0;
    std::uint16_t window = 0;
    std::uint16_t tcpHeaderLength = 0;
    std::uint32_t payloadLength = 0;
    TcpOptions options;

    ChecksumState ipChecksum = ChecksumState::Unknown;
    ChecksumState tcpChecksum = ChecksumState::Unknown;
    RecordedDirection recordedDirection = RecordedDirection::Unknown;
    IcmpTooBigInfo icmp; // status IcmpTooBig only
};

namespace tcpflag {
constexpr std::uint8_t Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;
}

/// Decodes one frame. caplen bytes at data were captured of a frame origlen bytes long.
/// When verifyTcpChecksum is false the TCP checksum is left Unknown (it costs a pass over the payload).
void decodeFrame(int linkType, const std::uint8_t *data, std::uint32_t caplen, std::uint32_t origlen,
                 DecodedPacket &out, bool verifyTcpChecksum = true);

} // namespace ol
