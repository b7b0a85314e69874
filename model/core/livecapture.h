// SPDX-License-Identifier: GPL-3.0-or-later
// Live capture on an interface with libpcap, analysed as it is read: the packets go through a pipe into
// the same streaming loader a file goes through, and, with a write path, into a pcapng file as well.
#pragma once

#include "interfaceinfo.h"
#include "loader.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace ol {

struct LiveCaptureOptions {
    std::string interface;
    double seconds = 0; // stop after this long (0: no time limit)
    std::uint64_t packets = 0; // stop after this many packets (0: no limit)
    std::string filter; // BPF, compiled by libpcap
    int snaplen = 128; // headers only by default: enough for Ethernet + IPv6 + TCP with options
    std::string writePath; // pcapng file to keep; empty: nothing touches the disk
    int bufferBytes = 16 << 20; // kernel ring buffer
    /// Results while it runs: about every snapshotSeconds, the packets so far analysed as a trace of their
    /// own (from a copy kept in memory: only with a snapshot callback), handed to snapshot on a thread of
    /// the capture's. The final result is returned as usual.
    std::function<void(std::shared_ptr<Trace>)> snapshot;
    double snapshotSeconds = 1.0;
};

struct LiveProgress {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0; // captured bytes
    double seconds = 0;
};

struct LiveCaptureResult {
    LoadResult load; // the trace (with trace->interface filled), or an error
    bool permissionDenied = false; // the error is missing capture rights
};

/// Captures until the time or packet limit, until *stop becomes true (Ctrl-C), or until the interface
/// fails; then returns the analysed trace. progress is called from the capturing thread about every
/// 200 ms. Errors name the interface and the reason; a capture without rights says which and how.
LiveCaptureResult captureLive(const LiveCaptureOptions &options,
                              const std::function<void(const LiveProgress &)> &progress = {},
                              const std::atomic<bool> *stop = nullptr);

} // namespace ol
