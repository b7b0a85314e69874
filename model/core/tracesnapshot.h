// SPDX-License-Identifier: GPL-3.0-or-later
// Results while a file is still loading: an independent copy of the connections reassembled so far (under a
// memory budget) and the one thread that analyses such copies off the load's own threads.
#pragma once

#include "trace.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ol {

/// How much one snapshot may copy. A snapshot of a huge capture is there to show a verdict and the shape of the
/// traffic early, not every segment: 2M segments are 64 MB per copy at 32 bytes a segment (the GUI holds at
/// most two copies while it swaps them); copying them took 35-72 ms and analysing them 13-16 ms on a 21M-frame
/// capture (40-byte records then), so a snapshot a second stays cheap
/// next to the load itself. 100,000 connections (about 60 MB of tables) keep a capture of many tiny
/// connections in the same bound.
struct SnapshotBudget {
    std::size_t maxSegments = 2'000'000;
    std::size_t maxConnections = 100'000;
};

/// Deep copy of trace's connections (first maxConnections of them) with each direction's first N segments,
/// N the largest that keeps the total within maxSegments; counters, handshakes, encapsulation and SACKs are
/// copied whole. Sets path, format, fileSize, partial and the partialSegment* fields; the analysis results
/// (offload verdicts) are left empty and everything the reading side owns (counts, warnings, link types,
/// ICMP events) is left for the caller to fill. Reads only `trace.connections` and the file facts.
std::shared_ptr<Trace> copyPartialTrace(const Trace &trace, const SnapshotBudget &budget = {});

/// The largest per-direction segment count N with sum(min(size_i, N)) <= budget (SIZE_MAX when all fit).
std::size_t segmentLimitFor(std::vector<std::size_t> sizes, std::size_t budget);

/// Runs an analysis on snapshot copies on a thread of its own, one at a time, and hands each analysed copy to a
/// sink on that thread. Every copy submitted is handed out, and destruction joins the thread: a consumer that
/// gets the final result after the analyzer is gone has had every snapshot before it.
class SnapshotAnalyzer
{
public:
    using Analyse = std::function<void(Trace &)>;
    using Sink = std::function<void(std::shared_ptr<Trace>)>;
    SnapshotAnalyzer(Analyse analyse, Sink sink);
    ~SnapshotAnalyzer();
    SnapshotAnalyzer(const SnapshotAnalyzer &) = delete;
    SnapshotAnalyzer &operator=(const SnapshotAnalyzer &) = delete;

    /// True while a copy is waiting or being analysed: the caller skips its tick instead of queueing.
    bool busy() const;
    /// Queues one copy (ignored while busy()).
    void submit(std::shared_ptr<Trace> trace);
    /// How long the last analysis took (zero before the first finished).
    std::chrono::nanoseconds lastAnalysis() const;
    /// Takes no more copies (one submitted is still analysed and handed out); does not wait.
    void stop();

private:
    void run();

    Analyse m_analyse;
    Sink m_sink;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::shared_ptr<Trace> m_pending;
    bool m_working = false;
    bool m_stopping = false;
    std::chrono::nanoseconds m_lastAnalysis{0};
    std::thread m_thread;
};

} // namespace ol
