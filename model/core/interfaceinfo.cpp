// SPDX-License-Identifier: GPL-3.0-or-later
// Interface facts from the kernel. On Linux the offload features come from the ethtool ioctl
// (ETHTOOL_GSSET_INFO / ETHTOOL_GSTRINGS / ETHTOOL_GFEATURES), the same source `ethtool -k` prints;
// these GET commands need no capability. Elsewhere the features are unknown (null) with a note.
#include "interfaceinfo.h"

#include "offloadtypes.h"
#include "trace.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

#ifdef __linux__
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace ol {
namespace {

/// Report keys and the kernel feature names behind each (any of them active counts as on).
struct FeatureMap {
    const char *key;
    std::vector<const char *> kernelNames;
};
const std::vector<FeatureMap> &featureMap()
{
    static const std::vector<FeatureMap> map = {
        {"tso", {"tx-tcp-segmentation", "tx-tcp6-segmentation"}},
        {"gso", {"tx-generic-segmentation"}},
        {"gro", {"rx-gro"}},
        {"lro", {"rx-lro"}},
        {"tx_checksum", {"tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6"}},
        {"rx_checksum", {"rx-checksum"}},
        {"tx_udp_segmentation", {"tx-udp-segmentation"}},
    };
    return map;
}

void unknownFeatures(InterfaceInfo &info, std::string note)
{
    info.features.clear();
    for (const FeatureMap &f : featureMap())
        info.features.push_back({f.key, std::nullopt});
    if (info.note.empty())
        info.note = std::move(note);
}

#ifdef __linux__
class Socket
{
public:
    Socket()
        : m_fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0))
    { }
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

bool ethtool(int fd, const std::string &name, void *data)
{
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    ifr.ifr_data = static_cast<char *>(data);
    return ::ioctl(fd, SIOCETHTOOL, &ifr) == 0;
}

void readLinuxFeatures(InterfaceInfo &info)
{
    Socket s;
    if (s.fd() < 0)
        return unknownFeatures(info, std::string("cannot open a socket: ") + std::strerror(errno));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, info.name.c_str(), IFNAMSIZ - 1);
    if (::ioctl(s.fd(), SIOCGIFMTU, &ifr) == 0)
        info.mtu = unsigned(ifr.ifr_mtu);
    else if (errno == ENODEV)
        return unknownFeatures(info, "not a network interface: no offload features");

    // How many feature names there are, then the names, then their state (32 per block).
    // ethtool_sset_info ends in a flexible array: one 32-bit count follows it for the one set asked for.
    alignas(ethtool_sset_info) std::uint8_t ssetBuf[sizeof(ethtool_sset_info) + sizeof(std::uint32_t)] = {};
    auto *sset = reinterpret_cast<ethtool_sset_info *>(ssetBuf);
    sset->cmd = ETHTOOL_GSSET_INFO;
    sset->sset_mask = 1ull << ETH_SS_FEATURES;
    errno = 0;
    if (!ethtool(s.fd(), info.name, sset) || !(sset->sset_mask & (1ull << ETH_SS_FEATURES)))
        return unknownFeatures(info,
                               std::string("the kernel reports no offload features for it (")
                                   + (errno ? std::strerror(errno) : "no feature strings") + ")");
    std::uint32_t n = 0;
    std::memcpy(&n, ssetBuf + sizeof(ethtool_sset_info), sizeof n);
    if (n == 0 || n > 4096)
        return unknownFeatures(info, "the kernel reports no offload features for it");
    std::vector<std::uint8_t> strings(sizeof(ethtool_gstrings) + std::size_t(n) * ETH_GSTRING_LEN);
    auto *gs = reinterpret_cast<ethtool_gstrings *>(strings.data());
    gs->cmd = ETHTOOL_GSTRINGS;
    gs->string_set = ETH_SS_FEATURES;
    gs->len = n;
    const std::uint32_t blocks = (n + 31) / 32;
    std::vector<std::uint8_t> state(sizeof(ethtool_gfeatures) + blocks * sizeof(ethtool_get_features_block));
    auto *gf = reinterpret_cast<ethtool_gfeatures *>(state.data());
    gf->cmd = ETHTOOL_GFEATURES;
    gf->size = blocks;
    if (!ethtool(s.fd(), info.name, gs) || !ethtool(s.fd(), info.name, gf))
        return unknownFeatures(info, std::string("cannot read offload features: ") + std::strerror(errno));
    const std::uint32_t names = std::min(n, gs->len);
    auto state_of = [&](const char *kernelName) -> std::optional<bool> {
        for (std::uint32_t i = 0; i < names; ++i) {
            const char *s = reinterpret_cast<const char *>(gs->data) + std::size_t(i) * ETH_GSTRING_LEN;
            if (std::strncmp(s, kernelName, ETH_GSTRING_LEN) != 0)
                continue;
            // Active is what the device does now ("off [fixed]" in ethtool -k: never available, off).
            return (gf->features[i / 32].active & (1u << (i % 32))) != 0;
        }
        return std::nullopt;
    };
    info.features.clear();
    for (const FeatureMap &f : featureMap()) {
        std::optional<bool> on;
        for (const char *k : f.kernelNames) {
            const std::optional<bool> v = state_of(k);
            if (v)
                on = on.value_or(false) || *v;
        }
        info.features.push_back({f.key, on});
    }
}
#endif

std::string addressOf(const sockaddr *sa)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (!sa)
        return {};
    if (sa->sa_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(sa)->sin_addr, buf, sizeof buf);
    else if (sa->sa_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(sa)->sin6_addr, buf, sizeof buf);
    return buf;
}

void fillFromPcap(InterfaceInfo &info, const pcap_if_t *d)
{
    if (d->description)
        info.description = d->description;
    info.up = (d->flags & PCAP_IF_UP) != 0;
    info.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
    for (const pcap_addr_t *a = d->addresses; a; a = a->next)
        if (std::string s = addressOf(a->addr); !s.empty())
            info.addresses.push_back(std::move(s));
}

/// What the kernel says of the interface: MTU and offload features.
InterfaceInfo kernelInfo(const std::string &name)
{
    InterfaceInfo info;
    info.name = name;
    unknownFeatures(info, {});
    if (name == "any") {
        info.note = "the 'any' pseudo-interface captures on every interface and has no offload features of its own";
        return info;
    }
#ifdef __linux__
    readLinuxFeatures(info);
#else
    info.note = "offload features are read from the kernel on Linux only";
#endif
    return info;
}

} // namespace

std::optional<bool> InterfaceInfo::feature(const std::string &key) const
{
    for (const InterfaceFeature &f : features)
        if (f.name == key)
            return f.on;
    return std::nullopt;
}

InterfaceInfo readInterfaceInfo(const std::string &name)
{
    InterfaceInfo info = kernelInfo(name);
    // The addresses tell frames leaving this host from frames arriving.
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t *all = nullptr;
    if (pcap_findalldevs(&all, err) == 0) {
        for (const pcap_if_t *d = all; d; d = d->next)
            if (name == d->name)
                fillFromPcap(info, d);
        pcap_freealldevs(all);
    }
    return info;
}

std::vector<InterfaceInfo> listInterfaces(std::string &error)
{
    std::vector<InterfaceInfo> out;
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t *all = nullptr;
    if (pcap_findalldevs(&all, err) != 0) {
        error = err;
        return out;
    }
    for (const pcap_if_t *d = all; d; d = d->next) {
        InterfaceInfo info = kernelInfo(d->name);
        fillFromPcap(info, d);
        out.push_back(std::move(info));
    }
    pcap_freealldevs(all);
    return out;
}

std::string compareWithTrace(const InterfaceInfo &info, const Trace &trace, double seconds)
{
    const std::optional<bool> tso = info.feature("tso"), gso = info.feature("gso"), gro = info.feature("gro"),
                              lro = info.feature("lro");
    if (info.loopback || info.name == "lo")
        return "On a loopback interface the features describe no NIC: loopback traffic never reaches a wire, so "
               "large frames here are normal and never offload.";
    if (!tso && !gso && !gro && !lro)
        return "The kernel's offload settings for " + info.name + " are not known" + (info.note.empty() ? "" : " (")
            + info.note + (info.note.empty() ? "" : ")") + "; only the trace speaks.";
    auto isLocal = [&info, &trace](const FlowDirection &fd, bool from) {
        const std::string a = (from ? fd.from : fd.to).addr.toString();
        if (!info.addresses.empty())
            return std::find(info.addresses.begin(), info.addresses.end(), a) != info.addresses.end();
        // No address on the interface (a bridge port, say): fall back on the capture-host inference.
        const DirectionOffload &o = fd.offload;
        return from ? o.leavesCaptureHost == 1 : o.leavesCaptureHost == 0;
    };
    std::uint64_t leavingBig = 0, leavingData = 0, arrivingBig = 0, arrivingFull = 0;
    for (const auto &c : trace.connections)
        for (const FlowDirection &fd : c->directions) {
            const DirectionOffload &o = fd.offload;
            if (o.loopback)
                continue;
            if (isLocal(fd, true)) {
                leavingBig += o.oversized();
                leavingData += fd.stats.dataSegments;
            } else if (isLocal(fd, false)) {
                arrivingBig += o.oversized();
                arrivingFull += o.fullSize + o.oversized();
            }
        }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.0f s", seconds);
    std::string s;
    const std::string n = withThousands(leavingBig);
    if (tso && *tso)
        s += leavingBig
            ? "ethtool says TSO is on and the capture shows " + n + " super-segments leaving this host: consistent. "
            : "TSO is on but no segment larger than the MSS left this host in " + std::string(secs)
                + (leavingData ? ": the traffic was too light to need it, or the application writes small. "
                               : ": no data left this host at all. ");
    else if (gso && *gso)
        s += leavingBig ? "TSO is off but GSO is on: the " + n
                + " super-segments leaving this host are built by the kernel and cut in software just before "
                  "the driver, after the capture point: consistent. "
                        : "TSO is off and GSO is on, and no segment larger than the MSS left this host in "
                + std::string(secs) + ". ";
    else if (tso || gso)
        s += leavingBig ? "ethtool says TSO and GSO are off, yet " + n
                + " frames larger than the MSS left this host: not consistent (a virtual device passing on "
                  "another host's super-segments, or features changed during the capture). "
                        : "TSO and GSO are off, and every segment leaving this host was at most the MSS: "
                          "consistent. ";
    const std::string m = withThousands(arrivingBig);
    const bool merges = (gro && *gro) || (lro && *lro);
    const char *which = lro && *lro ? "LRO" : "GRO";
    if (merges)
        s += arrivingBig   ? std::string(which) + " is on and " + m + " merged frames arrived: consistent."
            : arrivingFull ? std::string(which)
                + " is on but no merged frame arrived: the segments came too spread out "
                  "to merge, or the driver merges only bulk flows."
                           : std::string(which) + " is on; no full-size data arrived to merge.";
    else if (gro || lro)
        s += arrivingBig ? "GRO and LRO are off, yet " + m
                + " frames larger than the MSS arrived: not consistent (merged upstream, by a virtual switch "
                  "or the peer's TSO over a virtual link)."
                         : "GRO and LRO are off, and no merged frame arrived: consistent.";
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

} // namespace ol
