// SPDX-License-Identifier: GPL-3.0-or-later
// Text for encapsulation stacks and for encapsulations that were seen but not decoded (reports, GUI).
#include "decoder.h"

#include <cstdio>

namespace ol {
namespace {

const char *kindName(EncapKind k)
{
    switch (k) {
    case EncapKind::None:
        return "?";
    case EncapKind::Eth:
        return "eth";
    case EncapKind::Vlan:
        return "vlan";
    case EncapKind::Mpls:
        return "mpls";
    case EncapKind::Pppoe:
        return "pppoe";
    case EncapKind::Ppp:
        return "ppp";
    case EncapKind::Chdlc:
        return "chdlc";
    case EncapKind::Loop:
        return "null";
    case EncapKind::Sll:
        return "sll";
    case EncapKind::Sll2:
        return "sll2";
    case EncapKind::Radiotap:
        return "radiotap";
    case EncapKind::Ppi:
        return "ppi";
    case EncapKind::Prism:
        return "prism";
    case EncapKind::Avs:
        return "avs";
    case EncapKind::Wlan:
        return "wlan";
    case EncapKind::Llc:
        return "llc";
    case EncapKind::Nflog:
        return "nflog";
    case EncapKind::Ipv4:
        return "ipv4";
    case EncapKind::Ipv6:
        return "ipv6";
    case EncapKind::Udp:
        return "udp";
    case EncapKind::Gre:
        return "gre";
    case EncapKind::Erspan1:
        return "erspan1";
    case EncapKind::Erspan2:
        return "erspan2";
    case EncapKind::Erspan3:
        return "erspan3";
    case EncapKind::Vxlan:
        return "vxlan";
    case EncapKind::VxlanGpe:
        return "vxlan-gpe";
    case EncapKind::Geneve:
        return "geneve";
    case EncapKind::GtpU:
        return "gtp-u";
    case EncapKind::Capwap:
        return "capwap";
    case EncapKind::Ayiya:
        return "ayiya";
    case EncapKind::Teredo:
        return "teredo";
    case EncapKind::Lisp:
        return "lisp";
    case EncapKind::EtherIp:
        return "etherip";
    case EncapKind::Tcp:
        return "tcp";
    case EncapKind::Icmp:
        return "icmp";
    }
    return "?";
}

} // namespace

std::string Encapsulation::layerName(int i) const
{
    std::string s = kindName(kinds[i]);
    if (values[i] != NoValue) {
        s += kinds[i] == EncapKind::Gre ? " key " : kinds[i] == EncapKind::Udp ? " port " : " ";
        if (kinds[i] == EncapKind::GtpU) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08x", values[i]);
            s += hex;
        } else {
            s += std::to_string(values[i]);
        }
    }
    return s;
}

std::string Encapsulation::toString() const
{
    std::string s;
    for (int i = 0; i < count; ++i) {
        if (i)
            s += " / ";
        s += layerName(i);
    }
    if (overflow)
        s += " / ...";
    return s;
}

std::string unknownEncapName(UnknownEncap kind, std::uint32_t value)
{
    char buf[96];
    switch (kind) {
    case UnknownEncap::None:
        return {};
    case UnknownEncap::UdpPort:
        std::snprintf(buf, sizeof buf, "udp port %u (not decoded)", unsigned(value));
        break;
    case UnknownEncap::GreProtocol:
        std::snprintf(buf, sizeof buf, "gre protocol 0x%04x (not decoded)", unsigned(value));
        break;
    case UnknownEncap::GreVersion:
        std::snprintf(buf, sizeof buf, "gre flags/version 0x%04x (not decoded)", unsigned(value));
        break;
    case UnknownEncap::EtherType:
        std::snprintf(buf, sizeof buf, "ethertype 0x%04x (not decoded)", unsigned(value));
        break;
    case UnknownEncap::PppProtocol:
        std::snprintf(buf, sizeof buf, "ppp protocol 0x%04x (not decoded)", unsigned(value));
        break;
    case UnknownEncap::IpProtocol:
        std::snprintf(buf, sizeof buf, "ip protocol %u (not decoded)", unsigned(value));
        break;
    case UnknownEncap::WlanProtected:
        return "802.11 protected frame (encrypted, not decoded)";
    case UnknownEncap::WlanAmsdu:
        return "802.11 A-MSDU (not decoded)";
    case UnknownEncap::MplsPayload:
        std::snprintf(buf, sizeof buf, "mpls payload starting with nibble %u (not decoded)", unsigned(value));
        break;
    case UnknownEncap::CapwapFormat:
        std::snprintf(buf, sizeof buf, "capwap format 0x%x (not decoded)", unsigned(value));
        break;
    case UnknownEncap::NestedTooDeep:
        return "encapsulations nested too deep (not decoded)";
    default:
        return "unknown encapsulation";
    }
    return buf;
}

} // namespace ol
