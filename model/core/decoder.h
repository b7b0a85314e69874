// SPDX-License-Identifier: GPL-3.0-or-later
// Header decoding: link layer -> encapsulations (VLAN, MPLS, PPPoE, PPP, 802.11, NFLOG, GRE/ERSPAN, VXLAN,
// Geneve, GTP-U, IP-in-IP ...) -> IPv4/IPv6 -> TCP and its options; ICMP "too big" errors. Everything is
// bounds-checked against the captured length; sizes come from the innermost IP header.
#pragma once

#include "types.h"

#include <cstdint>
#include <string>

namespace ol {

/// The link-layer header types we decode (values are libpcap DLT_ numbers).
enum LinkType : int {
    LinkNull = 0,
    LinkEthernet = 1,
    LinkPpp = 9,
    LinkRaw = 12, // DLT_RAW on Linux; libpcap maps LINKTYPE_RAW (101) to it
    LinkRawOpenBsd = 14,
    LinkPppSerial = 50, // PPP in HDLC-like framing (LINKTYPE_PPP_HDLC); may hold Cisco HDLC too
    LinkPppEther = 51, // PPPoE session header, no Ethernet header
    LinkCiscoHdlc = 104,
    LinkIeee80211 = 105,
    LinkLoop = 108,
    LinkLinuxSll = 113,
    LinkPrism = 119,
    LinkRadiotap = 127,
    LinkAvs = 163,
    LinkPpi = 192,
    LinkIpv4 = 228,
    LinkIpv6 = 229,
    LinkNflog = 239,
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
    IcmpTooBig, // ICMPv4 "fragmentation needed" / ICMPv6 "packet too big" quoting a TCP segment; see icmp
};

/// One layer of the stack a frame was found in, outermost first.
enum class EncapKind : std::uint8_t {
    None = 0,
    Eth,
    Vlan, // value: VLAN id
    Mpls, // value: label
    Pppoe, // value: session id
    Ppp,
    Chdlc,
    Loop, // BSD NULL / LOOP
    Sll,
    Sll2,
    Radiotap,
    Ppi,
    Prism,
    Avs,
    Wlan, // IEEE 802.11 data frame
    Llc, // LLC/SNAP
    Nflog,
    Ipv4,
    Ipv6,
    Udp, // value: destination port when it is not the tunnel's usual one
    Gre, // value: key when present
    Erspan1,
    Erspan2, // value: session id
    Erspan3, // value: session id
    Vxlan, // value: VNI
    VxlanGpe, // value: VNI
    Geneve, // value: VNI
    GtpU, // value: TEID
    Capwap,
    Ayiya,
    Teredo,
    Lisp,
    EtherIp,
    Tcp,
    Icmp,
};

/// The encapsulation stack of one frame, recorded without allocation. Layers past MaxLayers are dropped
/// and `overflow` says so.
struct Encapsulation {
    static constexpr int MaxLayers = 14;
    static constexpr std::uint32_t NoValue = 0xffffffffu;
    std::uint8_t count = 0;
    bool overflow = false;
    EncapKind kinds[MaxLayers] = {};
    std::uint32_t values[MaxLayers] = {};

    void push(EncapKind k, std::uint32_t value = NoValue)
    {
        if (count < MaxLayers) {
            kinds[count] = k;
            values[count] = value;
            ++count;
        } else {
            overflow = true;
        }
    }
    /// Readable form, outermost first: "eth / vlan 100 / ipv4 / gre / eth / ipv4 / tcp".
    std::string toString() const;
    /// One layer of it, as toString writes it: "vlan 100", "gre key 5", "geneve 4242".
    std::string layerName(int i) const;
    friend bool operator==(const Encapsulation &a, const Encapsulation &b)
    {
        if (a.count != b.count || a.overflow != b.overflow)
            return false;
        for (int i = 0; i < a.count; ++i)
            if (a.kinds[i] != b.kinds[i] || a.values[i] != b.values[i])
                return false;
        return true;
    }
};

/// An encapsulation seen but not decoded (so the TCP inside, if any, was not counted).
enum class UnknownEncap : std::uint8_t {
    None = 0,
    UdpPort, // value: the port of a known tunnel protocol we do not decode (L2TP, CAPWAP control, ...)
    GreProtocol, // value: GRE protocol type
    GreVersion, // value: GRE version / flags we do not decode (source routing)
    EtherType, // value: ethertype inside a tunnel, or of a known encapsulation (MACsec, PBB)
    PppProtocol, // value: PPP protocol of a network layer we do not decode
    IpProtocol, // value: IP protocol number (ESP, L2TPv3)
    WlanProtected, // 802.11 data frame with the protected bit: encrypted, not decoded
    WlanAmsdu, // 802.11 A-MSDU aggregate
    MplsPayload, // what follows the bottom label is neither IP nor an Ethernet pseudowire
    CapwapFormat, // value: CAPWAP wireless binding / DTLS preamble we do not decode
    NestedTooDeep,
};

/// "udp port 5246 (not decoded)" and the like, for reports.
std::string unknownEncapName(UnknownEncap kind, std::uint32_t value);

/// An ICMP error that says a packet was too big for the next hop, with what it quotes of that packet.
struct IcmpTooBigInfo {
    std::uint8_t ipVersion = 0; // 4: ICMPv4 type 3 code 4; 6: ICMPv6 type 2
    IpAddress reporter; // source of the ICMP error: the router (or host) that could not forward
    IpAddress sentTo; // destination of the ICMP error: the sender of the big packet
    std::uint32_t mtu = 0; // next-hop MTU from the message (0: an old router that does not fill it in)
    IpAddress quotedSrc; // the packet that did not fit: its source ...
    IpAddress quotedDst; // ... and destination
    std::uint16_t quotedSrcPort = 0;
    std::uint16_t quotedDstPort = 0;
    std::uint32_t quotedSeq = 0;
    std::uint32_t quotedIpLength = 0; // IPv4 total length / 40 + IPv6 payload length of the quoted packet
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
};

/// One decoded frame. Filled in place to avoid allocations on the hot path.
struct DecodedPacket {
    DecodeStatus status = DecodeStatus::NotIp;
    const char *problem = nullptr; // short reason for Truncated/Malformed

    IpAddress src;
    IpAddress dst;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t vlanKey = 0; // VLAN tags folded into one key (0 = untagged)

    // The IP fields below come from the innermost IP header, the one that carries the TCP.
    std::uint8_t ipVersion = 0;
    std::uint8_t ttl = 0; // TTL or hop limit
    std::uint16_t ipId = 0; // IPv4 identification (0 for IPv6)
    std::uint32_t ipTotalLength = 0; // IPv4 total length / 40 + IPv6 payload length, as in the header
    bool ipLengthZero = false; // the length field was 0 (TSO on Windows, BIG TCP): size taken from the frame
    bool lengthMismatch = false; // frame length and IP length disagree beyond padding: not trustworthy
    bool tunnelled = false; // the TCP was inside another IP packet (GRE, VXLAN, Geneve, IP-in-IP, ...)
    bool mirrored = false; // inside a mirror encapsulation by definition (ERSPAN)
    bool mirrorTruncated = false; // a mirror/tunnel copy cut short: sizes from the inner IP header, no mismatch
    std::uint8_t outerTtl = 0; // TTL / hop limit of the outermost IP header when tunnelled
    IpAddress outerSrc; // outermost IP header when tunnelled: the tunnel or mirror endpoints
    IpAddress outerDst;
    Encapsulation encap; // the stack, outermost first
    UnknownEncap unknownEncap = UnknownEncap::None; // set with NotIp/NotTcp when an encapsulation stopped us
    std::uint32_t unknownValue = 0;

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
    /// Where an ICMP too-big error's details go (status IcmpTooBig): set by the caller, kept by decodeFrame.
    /// Out of line because such frames are rare and every decoded frame crosses between threads: the
    /// details made each record 92 bytes larger. Without a sink the status is still set, the details dropped.
    IcmpTooBigInfo *icmp = nullptr;
};

namespace tcpflag {
constexpr std::uint8_t Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;
}

/// Decodes one frame. caplen bytes at data were captured of a frame origlen bytes long.
/// When verifyTcpChecksum is false the TCP checksum is left Unknown (it costs a pass over the payload).
void decodeFrame(int linkType, const std::uint8_t *data, std::uint32_t caplen, std::uint32_t origlen,
                 DecodedPacket &out, bool verifyTcpChecksum = true);

} // namespace ol
