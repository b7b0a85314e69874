// SPDX-License-Identifier: GPL-3.0-or-later
// What the kernel says about a capture interface: MTU and offload features (Linux: the ethtool ioctl,
// which needs no privileges for reading), and how that compares with what a capture on it showed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ol {

struct Trace;

/// One offload feature as the kernel reports it: true/false, or nullopt when the kernel has no such
/// feature for the device (or the platform cannot tell).
struct InterfaceFeature {
    std::string name; // report key: "tso", "gso", "gro", "lro", "tx_checksum", "rx_checksum", "tx_udp_segmentation"
    std::optional<bool> on;
};

struct InterfaceInfo {
    std::string name;
    std::string description; // from libpcap, may be empty
    std::optional<unsigned> mtu;
    std::string linkType; // libpcap name of the capture's link type, e.g. "EN10MB" (set by the capture)
    std::vector<InterfaceFeature> features; // always the seven keys above, in that order
    std::string note; // why features are missing, if they are ("not a Linux system", "no such device", ...)
    std::string comparison; // sentences comparing the features with the trace (filled by compareWithTrace)
    std::vector<std::string> addresses; // the interface's IP addresses (libpcap), to tell leaving from arriving
    // The capture on it (live captures only).
    std::string filter;
    double seconds = 0;
    std::uint64_t captured = 0, droppedByKernel = 0, droppedByInterface = 0;
    bool up = false, loopback = false; // from libpcap's flags

    std::optional<bool> feature(const std::string &key) const;
};

/// Reads MTU and offload features of the interface called name. Never fails: what cannot be read is
/// nullopt with `note` saying why. "any" (Linux: all interfaces) has no features of its own.
InterfaceInfo readInterfaceInfo(const std::string &name);

/// Interfaces libpcap can capture on (pcap_findalldevs), each with its features; error set on failure.
std::vector<InterfaceInfo> listInterfaces(std::string &error);

/// Compares what the kernel says with what the capture shows leaving and arriving at this host, in plain
/// sentences: "ethtool says TSO is on and the capture shows 320 super-segments leaving this host:
/// consistent." seconds: how long the capture ran.
std::string compareWithTrace(const InterfaceInfo &info, const Trace &trace, double seconds);

} // namespace ol
