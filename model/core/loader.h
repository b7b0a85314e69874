// SPDX-License-Identifier: GPL-3.0-or-later
// The one entry point that turns a capture file into a Trace: read, decode, reassemble, analyse.
#pragma once

#include "trace.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace ol {

struct LoadProgress {
    std::uint64_t bytesRead = 0;
    std::uint64_t fileSize = 0;
    std::uint64_t packets = 0;
};

struct LoadOptions {
    bool verifyTcpChecksums = true; // costs one pass over captured payload bytes
    bool analyzeOffload = true; // run the offload classification after reassembly
    /// Called every few thousand packets; return false to cancel.
    std::function<bool(const LoadProgress &)> progress;
    const std::atomic<bool> *cancel = nullptr; // checked with the progress calls
};

struct LoadResult {
    std::shared_ptr<Trace> trace; // null on error or cancel
    std::string error; // "<path>: <reason>" when trace is null and not cancelled
    bool cancelled = false;
};

/// Loads and analyses one capture file, streaming through it once.
LoadResult loadTrace(const std::string &path, const LoadOptions &options = {});

} // namespace ol
