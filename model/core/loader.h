// SPDX-License-Identifier: GPL-3.0-or-later
// The one entry point that turns a capture file into a Trace: read, decode, reassemble, analyse.
#pragma once

#include "trace.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ol {

struct LoadProgress {
    std::uint64_t bytesRead = 0;
    std::uint64_t fileSize = 0;
    std::uint64_t packets = 0;
};

struct LoadOptions {
    bool verifyTcpChecksums = true; // costs one pass over captured payload bytes
    bool analyzeOffload = true; // run the offload classification after reassembly
    /// Called every 8,192 packets or 16 MiB read, and once more at the end of a load that was not cancelled;
    /// return false to cancel.
    /// Threads: loadTrace reads and decodes on a thread of its own while the calling thread reassembles.
    /// Every call made while reading (those with bytesRead < fileSize, and their return value, which cancels)
    /// comes from that reading thread; the one final call (bytesRead == fileSize, after reassembly, return
    /// value ignored) comes from the thread that called loadTrace. Calls never overlap: the reading thread has
    /// been joined before the final call. So the callback must be safe to call from a thread other than the
    /// caller's (post to a GUI thread, or touch only atomics) and must not assume which thread it is on.
    std::function<bool(const LoadProgress &)> progress;
    const std::atomic<bool> *cancel = nullptr; // checked by the reading thread with the progress calls
    /// Addresses of the capturing host, when known for certain (a live capture): the analysis then names
    /// the capture host from them instead of inferring it.
    std::vector<std::string> localAddresses;
    /// Results while loading: when set, about every partialSeconds (the first after partialFirstSeconds) a
    /// snapshot of the file read so far — an independent copy under a segment budget (tracesnapshot.h), marked
    /// Trace::partial, analysed like a whole file — is handed to partial, from a thread of the loader's own
    /// (never concurrently with itself; never after loadTrace returned, so the final result comes last). The
    /// snapshots cost at most about a tenth of the load: the next one waits ten times as long as the last took
    /// to copy and analyse. None is taken when the load is about to end anyway. Without it nothing is copied.
    std::function<void(std::shared_ptr<Trace>)> partial;
    double partialSeconds = 1.0;
    double partialFirstSeconds = 0.3;
};

struct LoadResult {
    std::shared_ptr<Trace> trace; // null on error or cancel
    std::string error; // "<path>: <reason>" when trace is null and not cancelled
    bool cancelled = false;
};

/// Loads and analyses one capture file, streaming through it once.
LoadResult loadTrace(const std::string &path, const LoadOptions &options = {});

} // namespace ol
