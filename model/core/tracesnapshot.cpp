// SPDX-License-Identifier: GPL-3.0-or-later
// Snapshot copies of a trace being loaded, and their analysis thread (see tracesnapshot.h).
#include "tracesnapshot.h"

#include <algorithm>
#include <cstdint>

namespace ol {
namespace {

/// Everything of a direction but its segments (and SACKs of segments left out); the offload verdict is left
/// for the analysis. Field by field: SegmentStore cannot be copied, so neither can FlowDirection.
void copyDirection(const FlowDirection &from, FlowDirection &to, std::size_t limit)
{
    to.from = from.from;
    to.to = from.to;
    to.handshake = from.handshake;
    to.stats = from.stats;
    to.baseSeq = from.baseSeq;
    to.baseSet = from.baseSet;
    const std::size_t n = std::min(limit, from.segments.size());
    std::size_t i = 0;
    for (const Segment &s : from.segments) {
        if (i++ == n)
            break;
        to.segments.push_back(s);
    }
}

std::unique_ptr<Connection> copyConnection(const Connection &c, std::size_t limit)
{
    auto out = std::make_unique<Connection>();
    out->id = c.id;
    out->client = c.client;
    out->server = c.server;
    out->vlanKey = c.vlanKey;
    out->midstream = c.midstream;
    out->rolesGuessed = c.rolesGuessed;
    out->sawSynAck = c.sawSynAck;
    out->sawFin[0] = c.sawFin[0];
    out->sawFin[1] = c.sawFin[1];
    out->sawRst = c.sawRst;
    out->firstTime = c.firstTime;
    out->lastTime = c.lastTime;
    out->packets = c.packets;
    out->synTime = c.synTime;
    out->synAckTime = c.synAckTime;
    out->handshakeAckTime = c.handshakeAckTime;
    for (int d = 0; d < 2; ++d)
        copyDirection(c.directions[d], out->directions[d], limit);
    out->encapsulation = c.encapsulation;
    out->otherEncapsulation = c.otherEncapsulation;
    out->otherEncapsulationPackets = c.otherEncapsulationPackets;
    out->tunnelled = c.tunnelled;
    out->mirrored = c.mirrored;
    out->tunnelOuterSrc = c.tunnelOuterSrc;
    out->tunnelOuterDst = c.tunnelOuterDst;
    out->tunnelOuterFrom[0] = c.tunnelOuterFrom[0];
    out->tunnelOuterFrom[1] = c.tunnelOuterFrom[1];
    out->tunnelOuterTtl[0] = c.tunnelOuterTtl[0];
    out->tunnelOuterTtl[1] = c.tunnelOuterTtl[1];
    out->mirrorTruncated = c.mirrorTruncated;
    return out;
}

} // namespace

std::size_t segmentLimitFor(std::vector<std::size_t> sizes, std::size_t budget)
{
    std::size_t total = 0;
    for (std::size_t s : sizes)
        total += s;
    if (total <= budget)
        return SIZE_MAX;
    // Water-filling: with the sizes ascending, the smallest directions fit whole while the rest share what is
    // left equally.
    std::sort(sizes.begin(), sizes.end());
    std::size_t left = budget;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::size_t share = left / (sizes.size() - i);
        if (sizes[i] > share)
            return share;
        left -= sizes[i];
    }
    return SIZE_MAX; // not reached: the total exceeds the budget
}

std::shared_ptr<Trace> copyPartialTrace(const Trace &trace, const SnapshotBudget &budget)
{
    auto out = std::make_shared<Trace>();
    out->path = trace.path;
    out->format = trace.format;
    out->fileSize = trace.fileSize;
    out->partial = true;
    const std::size_t connections = std::min(trace.connections.size(), budget.maxConnections);
    out->partialConnectionsLeftOut = trace.connections.size() - connections;
    std::vector<std::size_t> sizes;
    sizes.reserve(2 * connections);
    std::uint64_t all = 0;
    for (std::size_t i = 0; i < connections; ++i)
        for (const FlowDirection &d : trace.connections[i]->directions) {
            sizes.push_back(d.segments.size());
            all += d.segments.size();
        }
    const std::size_t limit = segmentLimitFor(std::move(sizes), budget.maxSegments);
    out->connections.reserve(connections);
    std::uint64_t copied = 0;
    for (std::size_t i = 0; i < connections; ++i) {
        out->connections.push_back(copyConnection(*trace.connections[i], limit));
        copied += out->connections.back()->directions[0].segments.size()
            + out->connections.back()->directions[1].segments.size();
    }
    out->partialSegmentLimit = limit == SIZE_MAX ? 0 : limit;
    out->partialSegmentsLeftOut = all - copied;
    return out;
}

SnapshotAnalyzer::SnapshotAnalyzer(Analyse analyse, Sink sink)
    : m_analyse(std::move(analyse))
    , m_sink(std::move(sink))
    , m_thread([this] { run(); })
{ }

SnapshotAnalyzer::~SnapshotAnalyzer()
{
    stop();
    m_thread.join();
}

bool SnapshotAnalyzer::busy() const
{
    std::lock_guard lock(m_mutex);
    return m_pending || m_working;
}

void SnapshotAnalyzer::submit(std::shared_ptr<Trace> trace)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_pending || m_working || m_stopping)
            return;
        m_pending = std::move(trace);
    }
    m_cv.notify_all();
}

std::chrono::nanoseconds SnapshotAnalyzer::lastAnalysis() const
{
    std::lock_guard lock(m_mutex);
    return m_lastAnalysis;
}

void SnapshotAnalyzer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
}

void SnapshotAnalyzer::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_cv.wait(lock, [this] { return m_pending || m_stopping; });
        if (!m_pending)
            return; // stopped, and everything submitted was handed out
        std::shared_ptr<Trace> trace = std::move(m_pending);
        m_working = true;
        lock.unlock();
        const auto start = std::chrono::steady_clock::now();
        m_analyse(*trace);
        const auto took = std::chrono::steady_clock::now() - start;
        lock.lock();
        m_lastAnalysis = std::chrono::duration_cast<std::chrono::nanoseconds>(took);
        // Outside the lock: the sink may take its time (it posts to a GUI). Handed out even after stop(): it
        // still comes before the final result, which waits for the destructor's join.
        lock.unlock();
        m_sink(std::move(trace));
        lock.lock();
        m_working = false;
    }
}

} // namespace ol
