// SPDX-License-Identifier: GPL-3.0-or-later
// Building a connection's chart series off the GUI thread through a JobRunner: one job at a time, the newest
// request wins (a running job is cancelled, its result dropped), results come back by queued signal.
#pragma once

#include "chartseries.h"
#include "jobrunner.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace ol {

class ChartSeriesBuilder : public QObject
{
    Q_OBJECT
public:
    /// Connections with fewer segments are built on the spot: a few milliseconds, and no "preparing" flicker.
    static constexpr std::size_t DefaultInlineLimit = 100'000;

    explicit ChartSeriesBuilder(QObject *parent = nullptr);
    /// Cancels the running job and waits for its thread (the runner's destructor).
    ~ChartSeriesBuilder() override;

    /// Builds the series of a connection (frame sizes with these options, and the sequence) and returns the job
    /// id. A small connection is built at once and seriesReady is emitted before this returns; a large one on
    /// the worker thread, where seriesReady comes twice: with the frame sizes only (hasSequence() false), so
    /// that the first chart can be drawn, then complete. Each request supersedes the earlier ones: their
    /// results are never emitted.
    /// With onWorker, on the worker whatever its size (a newer snapshot of a file still loading: the chart shown
    /// stays meanwhile, and a small connection built on the spot every second would load the GUI thread).
    quint64 request(std::shared_ptr<const Trace> trace, int connectionIndex, ChartSeries::YMode mode, bool wireView,
                    bool onWorker = false);
    /// The same connection as `shown` with other options (wire view, y axis, the stream series of setStreams): what
    /// these change is built again, the rest shared with `shown` (the sequence series built if `shown` has none
    /// yet); `shown` itself is left untouched.
    quint64 request(const ChartSeries &shown, ChartSeries::YMode mode, bool wireView);
    /// Drops the outstanding request, if any: nothing is emitted for it.
    void cancel();
    /// A request is outstanding: its seriesReady has not been emitted yet.
    bool isBusy() const { return m_waitingFor != 0; }
    /// Whether requests from now on build the stream graph series too (ChartSeries::buildStreams, with the request's
    /// wire view and this throughput window; <= 0: adaptive). Off by default: only the stream charts need them.
    void setStreams(bool wanted, TimeNs throughputWindow = 0) { m_streams = {wanted, throughputWindow}; }
    bool streamsWanted() const { return m_streams.wanted; }
    /// Connections from this many segments on are built on the worker thread (0: all of them).
    void setInlineLimit(std::size_t segments) { m_inlineLimit = segments; }

signals:
    /// A series of the newest request (see request()); the builder never modifies it afterwards.
    void seriesReady(quint64 jobId, std::shared_ptr<ol::ChartSeries> series);

private:
    /// Builds on the worker; may hand a partial series to `partial` (from the worker thread) on the way.
    using Work = std::function<std::shared_ptr<ChartSeries>(const std::atomic<bool> *cancel,
                                                            const ChartSeries::FramesReady &partial)>;
    quint64 submit(std::size_t segments, Work work, bool onWorker = false);

    struct StreamOptions {
        bool wanted = false;
        TimeNs throughputWindow = 0;
    };
    JobRunner *m_runner;
    StreamOptions m_streams;
    quint64 m_nextInlineId = 1u << 31; // ids of inline builds, apart from the runner's
    quint64 m_waitingFor = 0; // id whose result will be emitted, 0 for none
    std::size_t m_inlineLimit = DefaultInlineLimit;
};

} // namespace ol
