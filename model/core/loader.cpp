// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming load: one pass over the file, compact records out, no payload kept.
#include "loader.h"

#include "decoder.h"
#include "offload.h"
#include "reassembler.h"
#include "tracesnapshot.h"
#include "vectorstate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ol {
namespace {

constexpr std::uint64_t ProgressEvery = 8192; // packets between progress callbacks
// ... and bytes: 8,192 frames of 256 KiB are 2 GiB, too long to wait for a cancel on a long capture.
constexpr std::uint64_t ProgressEveryBytes = 16u << 20;
constexpr std::size_t MaxIcmpEvents = 100000;

/// Records a link type the first time it is seen (a pcapng file can have one per interface).
void addLinkType(Trace &trace, CaptureReader &reader, std::vector<int> &seen, int linkType)
{
    if (std::find(seen.begin(), seen.end(), linkType) != seen.end())
        return;
    seen.push_back(linkType);
    const std::string name = linkTypeName(linkType);
    if (std::find(trace.linkTypes.begin(), trace.linkTypes.end(), name) == trace.linkTypes.end())
        trace.linkTypes.push_back(name);
    if (!isSupportedLinkType(linkType))
        reader.warn(0, "unknown-link-type",
                    std::string("Link-layer type ") + name + " (" + std::to_string(linkType)
                        + ") is not decoded; its packets are counted but not analysed.");
}

/// Counts a frame that stopped at an encapsulation we do not decode. A linear search: there are a handful
/// of kinds in a real file, and the bound keeps a hostile one cheap.
void countUnknownEncap(Trace &trace, UnknownEncap kind, std::uint32_t value)
{
    constexpr std::size_t MaxKinds = 32;
    for (UnknownEncapCount &u : trace.unknownEncapsulations)
        if (u.kind == kind && u.value == value) {
            ++u.packets;
            return;
        }
    if (trace.unknownEncapsulations.size() >= MaxKinds) {
        kind = UnknownEncap::None;
        value = 0;
        for (UnknownEncapCount &u : trace.unknownEncapsulations)
            if (u.kind == kind) {
                ++u.packets;
                return;
            }
    }
    trace.unknownEncapsulations.push_back({kind, value, 1});
}

/// One decoded TCP segment on its way from the reading thread to the reassembling one.
struct TcpItem {
    DecodedPacket packet;
    TimeNs time = 0;
    std::uint32_t frame = 0;
    std::uint32_t pcapngFlags = 0;
};

/// What the reading thread owns of the trace, copied for a snapshot (only when one was asked for).
struct ReaderState {
    std::vector<std::string> linkTypes;
    std::vector<IcmpTooBigEvent> icmpTooBig;
    std::vector<UnknownEncapCount> unknownEncapsulations;
    std::vector<CaptureWarning> warnings;
};

/// A batch of decoded segments on its way between the threads. Its slots are built once and reused, so that
/// no frame pays for constructing a record that decodeFrame resets anyway; the first `size` hold segments.
/// The reader's tallies as of the batch's last frame travel with it, so that a snapshot taken after the
/// batch was reassembled has counts that match its segments.
struct Batch {
    std::vector<TcpItem> slots;
    std::size_t size = 0;
    TraceCounters counts;
    TimeNs firstTime = 0, lastTime = 0;
    std::uint64_t bytesRead = 0;
    std::unique_ptr<ReaderState> state; // set when the reassembler asked for a snapshot
    bool full() const { return size == slots.size(); }
};

/// A bounded hand-off of batches between the two threads: a few batches circulate, so memory stays fixed
/// and the reader waits when it runs ahead.
class SegmentPipe
{
public:
    static constexpr std::size_t BatchSize = 2048;
    static constexpr std::size_t Batches = 4;

    SegmentPipe()
    {
        for (std::size_t i = 0; i < Batches; ++i) {
            m_storage.push_back(std::make_unique<Batch>());
            m_storage.back()->slots.resize(BatchSize);
            m_free.push_back(m_storage.back().get());
        }
    }
    /// Reader: an empty batch to fill, or null when the reassembler gave up.
    Batch *acquire()
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !m_free.empty() || m_aborted; });
        if (m_aborted)
            return nullptr;
        Batch *b = m_free.front();
        m_free.pop_front();
        b->size = 0;
        return b;
    }
    void publish(Batch *batch)
    {
        {
            std::lock_guard lock(m_mutex);
            m_full.push_back(batch);
        }
        m_cv.notify_all();
    }
    /// Reader: nothing more will come.
    void close()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_cv.notify_all();
    }
    /// Reassembler: the next full batch, or null once the reader closed and all were taken.
    Batch *next()
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !m_full.empty() || m_closed; });
        if (m_full.empty())
            return nullptr;
        Batch *b = m_full.front();
        m_full.pop_front();
        return b;
    }
    void release(Batch *batch)
    {
        {
            std::lock_guard lock(m_mutex);
            m_free.push_back(batch);
        }
        m_cv.notify_all();
    }
    /// Reassembler: stop the reader (an exception on this side).
    void abort()
    {
        {
            std::lock_guard lock(m_mutex);
            m_aborted = true;
        }
        m_cv.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Batch *> m_full, m_free;
    std::vector<std::unique_ptr<Batch>> m_storage;
    bool m_closed = false;
    bool m_aborted = false;
};

/// Warnings raised while reassembling, bounded per kind like the reader's own.
class WarningCollector
{
public:
    void add(std::uint64_t frame, const std::string &kind, const std::string &text)
    {
        std::uint64_t &n = m_perKind[kind];
        if (++n <= MaxPerKind)
            m_warnings.push_back({frame, kind, text});
    }
    void appendTo(std::vector<CaptureWarning> &out) const
    {
        out.insert(out.end(), m_warnings.begin(), m_warnings.end());
        for (const auto &[kind, n] : m_perKind)
            if (n > MaxPerKind)
                out.push_back(
                    {0, kind,
                     std::to_string(n - MaxPerKind) + " more warnings of kind '" + kind + "' were not listed."});
    }

private:
    static constexpr std::uint64_t MaxPerKind = 50;
    std::vector<CaptureWarning> m_warnings;
    std::map<std::string, std::uint64_t> m_perKind;
};

/// The reading thread: reads, decodes, counts and warns; TCP segments go into the pipe in batches.
void readAndDecode(CaptureReader &reader, std::vector<int> &linkTypes, const LoadOptions &options, Trace &trace,
                   SegmentPipe &pipe, std::atomic<bool> &cancelled, std::atomic<bool> &wantState)
{
    int lastLinkType = linkTypes.empty() ? -1 : linkTypes.back();
    RawPacket raw;
    // Tallied here and stored in the trace once at the end: the reassembling thread reads the trace's
    // connection list next to these fields, and a write per packet to that cache line slowed both threads
    // (a 10M-frame capture of 32 connections: 1.77 s to load instead of 1.45 s).
    TraceCounters counts = trace.counts;
    TimeNs firstTime = trace.firstTime, lastTime = trace.lastTime;
    std::uint64_t bytesSinceProgress = 0;
    Batch *batch = pipe.acquire();
    IcmpTooBigInfo icmp; // the details of the last ICMP too-big error decoded
    auto publish = [&](Batch *b) {
        b->counts = counts;
        b->firstTime = firstTime;
        b->lastTime = lastTime;
        b->bytesRead = reader.bytesRead();
        if (wantState.load(std::memory_order_relaxed) && wantState.exchange(false)) {
            b->state = std::make_unique<ReaderState>();
            b->state->linkTypes = trace.linkTypes;
            b->state->icmpTooBig = trace.icmpTooBig;
            b->state->unknownEncapsulations = trace.unknownEncapsulations;
            b->state->warnings = reader.warnings();
        }
        pipe.publish(b);
    };
    while (batch && reader.next(raw)) {
        const std::uint64_t frame = reader.packetsRead();
        ++counts.packets;
        if (raw.linkType != lastLinkType) {
            addLinkType(trace, reader, linkTypes, raw.linkType);
            lastLinkType = raw.linkType;
        }
        if (counts.packets == 1)
            firstTime = lastTime = raw.time;
        firstTime = std::min(firstTime, raw.time);
        lastTime = std::max(lastTime, raw.time);
        // Decode straight into the next batch slot; it only counts as used when the frame is TCP (otherwise
        // the next frame overwrites it).
        if (batch->full()) {
            publish(batch);
            batch = pipe.acquire();
            if (!batch)
                break;
        }
        TcpItem &item = batch->slots[batch->size];
        DecodedPacket &d = item.packet;
        d.icmp = &icmp;
        decodeFrame(raw.linkType, raw.data, raw.caplen, raw.origlen, d, options.verifyTcpChecksums);
        if (d.recordedDirection == RecordedDirection::Unknown)
            d.recordedDirection = raw.direction;
        switch (d.status) {
        case DecodeStatus::Tcp: {
            ++batch->size;
            ++counts.tcpPackets;
            item.time = raw.time;
            item.frame = static_cast<std::uint32_t>(frame);
            item.pcapngFlags = raw.pcapngFlags;
            if (d.tunnelled)
                ++counts.tunnelled;
            if (d.lengthMismatch) {
                ++counts.lengthMismatch;
                reader.warn(frame, "length-mismatch",
                            "Packet " + std::to_string(frame) + ": the IP header says "
                                + std::to_string(d.ipTotalLength) + " bytes but the frame was "
                                + std::to_string(raw.origlen)
                                + " bytes long; its size is not trusted for offload analysis.");
            }
            if (d.options.malformed)
                reader.warn(frame, "bad-tcp-options",
                            "Packet " + std::to_string(frame)
                                + ": malformed TCP options (a length that cannot be "
                                  "right, or a repeated MSS); the options before the fault are used.");
            break;
        }
        case DecodeStatus::IcmpTooBig:
            ++counts.icmpTooBig;
            // Kept in full up to a bound: a hostile file of ICMP errors must not grow memory without end.
            if (trace.icmpTooBig.size() < MaxIcmpEvents)
                trace.icmpTooBig.push_back({raw.time, static_cast<std::uint32_t>(frame), icmp});
            break;
        case DecodeStatus::UnknownLinkType:
            ++counts.unknownLinkType;
            break;
        case DecodeStatus::NotIp:
            ++counts.notIp;
            break;
        case DecodeStatus::NotTcp:
            ++counts.notTcp;
            break;
        case DecodeStatus::Fragment:
            ++counts.fragments;
            break;
        case DecodeStatus::Truncated:
            ++counts.truncated;
            reader.warn(frame, "truncated-headers",
                        "Packet " + std::to_string(frame) + ": " + d.problem + " (" + std::to_string(raw.caplen)
                            + " of " + std::to_string(raw.origlen) + " bytes captured); skipped.");
            break;
        case DecodeStatus::Malformed:
            ++counts.malformed;
            reader.warn(frame, "malformed", "Packet " + std::to_string(frame) + ": " + d.problem + "; skipped.");
            break;
        }
        if (d.unknownEncap != UnknownEncap::None)
            countUnknownEncap(trace, d.unknownEncap, d.unknownValue);
        bytesSinceProgress += 16 + raw.caplen;
        if (counts.packets % ProgressEvery == 0 || bytesSinceProgress >= ProgressEveryBytes) {
            bytesSinceProgress = 0;
            if ((options.cancel && options.cancel->load(std::memory_order_relaxed))
                || (options.progress && !options.progress({reader.bytesRead(), reader.fileSize(), counts.packets}))) {
                cancelled.store(true);
                break;
            }
            // A snapshot is due: hand over what there is now, rather than when the batch fills (a file of
            // mostly non-TCP frames fills one slowly).
            if (wantState.load(std::memory_order_relaxed)) {
                publish(batch);
                batch = pipe.acquire();
            }
        }
    }
    if (batch)
        publish(batch);
    trace.counts = counts;
    trace.firstTime = firstTime;
    trace.lastTime = lastTime;
    pipe.close();
}

/// When to take the next snapshot (LoadOptions::partial): not before partialFirstSeconds, then not before
/// partialSeconds and ten times what the last one cost (its copy on the reassembling thread plus its analysis on
/// the snapshot thread: both take a core from the load), and not when the load is about to end anyway.
class SnapshotSchedule
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int CostFactor = 10; // snapshots take at most ~1/10 of the load
    explicit SnapshotSchedule(const LoadOptions &options)
        : m_start(Clock::now())
        , m_period(options.partialSeconds)
        , m_next(m_start + seconds(options.partialFirstSeconds))
    { }
    /// Whether a snapshot is due now, with `fraction` of the file read (0 when the size is unknown).
    bool due(double fraction, std::chrono::nanoseconds lastAnalysis)
    {
        const Clock::time_point now = Clock::now();
        if (now < m_next)
            return false;
        if (m_taken > 0) {
            const Clock::duration cost = m_lastCopy + std::chrono::duration_cast<Clock::duration>(lastAnalysis);
            const auto wait = std::max<Clock::duration>(seconds(m_period), CostFactor * cost);
            if (now < m_lastAt + wait)
                return false;
        }
        // Estimated time to the end, from the pace so far: a snapshot that the final result follows within
        // half a period is wasted work.
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        if (fraction > 0 && elapsed * (1 - fraction) / fraction < 0.5 * m_period) {
            m_next = now + seconds(m_period); // look again later: the estimate may be wrong
            return false;
        }
        return true;
    }
    void taken(Clock::time_point copyStart)
    {
        const Clock::time_point now = Clock::now();
        m_lastCopy = now - copyStart;
        m_lastAt = now;
        ++m_taken;
    }

private:
    static Clock::duration seconds(double s)
    {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    }
    Clock::time_point m_start;
    double m_period;
    Clock::time_point m_next;
    Clock::time_point m_lastAt;
    Clock::duration m_lastCopy{0};
    int m_taken = 0;
};

} // namespace

LoadResult loadTrace(const std::string &path, const LoadOptions &options)
{
    // Before the reading thread starts: it inherits this thread's vector register state (vectorstate.h).
    clearUpperVectorState();
    LoadResult result;
    CaptureReader reader;
    std::string error;
    if (!reader.open(path, error)) {
        result.error = path + ": " + error;
        return result;
    }
    auto trace = std::make_shared<Trace>();
    trace->path = path;
    trace->format = reader.format();
    trace->fileSize = reader.fileSize();
    // The file's (or first interface's) link type even when no packet follows; pcapng read by the block
    // reader names its interfaces' link types as their packets come.
    std::vector<int> linkTypes;
    if (reader.linkType() >= 0)
        addLinkType(*trace, reader, linkTypes, reader.linkType());

    // Two stages on two cores: this thread reassembles while a reading thread reads and decodes. They share
    // nothing but the batches in the pipe; the reader keeps its warnings and counters to itself.
    // Not a job (model/qt/jobrunner.h is the one way work leaves the GUI thread): a pipeline stage scoped to
    // this call, joined on every path (the exception one included) and stopped by the caller's cancel flag.
    // The core has no Qt, so it is a std::thread; serial reading would give up the overlap of the two stages.
    SegmentPipe pipe;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> wantState{false}; // the reassembler asks the reader for its part of a snapshot
    std::thread producer([&] { readAndDecode(reader, linkTypes, options, *trace, pipe, cancelled, wantState); });

    WarningCollector reassemblyWarnings;
    // Snapshots (LoadOptions::partial): copied here between batches, analysed on a thread of their own. Made
    // before the try block: its destructor joins that thread on every way out of this function.
    std::unique_ptr<SnapshotAnalyzer> analyzer;
    std::optional<SnapshotSchedule> schedule;
    if (options.partial) {
        analyzer = std::make_unique<SnapshotAnalyzer>(
            [analyse = options.analyzeOffload](Trace &t) {
                if (analyse)
                    analyzeOffload(t);
            },
            options.partial);
        schedule.emplace(options);
    }
    bool stateAsked = false;
    try {
        TcpReassembler reassembler(
            *trace, [&reassemblyWarnings](std::uint64_t frame, const std::string &kind, const std::string &text) {
                reassemblyWarnings.add(frame, kind, text);
            });
        while (Batch *batch = pipe.next()) {
            for (std::size_t i = 0; i < batch->size; ++i) {
                const TcpItem &item = batch->slots[i];
                reassembler.add(item.packet, item.time, item.frame, item.pcapngFlags);
            }
            const double fraction = trace->fileSize ? double(batch->bytesRead) / double(trace->fileSize) : 0.0;
            if (batch->state) {
                const auto copyStart = SnapshotSchedule::Clock::now();
                std::shared_ptr<Trace> snap = copyPartialTrace(*trace);
                snap->fractionRead = fraction;
                snap->counts = batch->counts;
                snap->firstTime = batch->firstTime;
                snap->lastTime = batch->lastTime;
                snap->linkTypes = std::move(batch->state->linkTypes);
                snap->icmpTooBig = std::move(batch->state->icmpTooBig);
                snap->unknownEncapsulations = std::move(batch->state->unknownEncapsulations);
                snap->warnings = std::move(batch->state->warnings);
                reassemblyWarnings.appendTo(snap->warnings);
                snap->localAddresses = options.localAddresses;
                batch->state.reset();
                stateAsked = false;
                analyzer->submit(std::move(snap));
                schedule->taken(copyStart);
            } else if (analyzer && !stateAsked && !analyzer->busy()
                       && schedule->due(fraction, analyzer->lastAnalysis())) {
                stateAsked = true;
                wantState.store(true);
            }
            pipe.release(batch);
        }
        if (analyzer)
            analyzer->stop(); // no more snapshots; the one in analysis is handed out before the final result
        producer.join();
        if (cancelled.load()) {
            result.cancelled = true;
            return result;
        }
        reassembler.finish();
    } catch (...) {
        pipe.abort();
        if (producer.joinable())
            producer.join();
        throw;
    }
    TraceCounters &counts = trace->counts;
    if (counts.fragments)
        reader.warn(0, "fragments",
                    std::to_string(counts.fragments)
                        + " IP fragments were counted but not reassembled; TCP inside them is not analysed.");
    trace->warnings = reader.warnings();
    reassemblyWarnings.appendTo(trace->warnings);
    if (options.progress)
        options.progress({trace->fileSize, trace->fileSize, counts.packets});
    trace->localAddresses = options.localAddresses;
    if (options.analyzeOffload)
        analyzeOffload(*trace);
    result.trace = std::move(trace);
    return result;
}

} // namespace ol
