// SPDX-License-Identifier: GPL-3.0-or-later
// Chart series built off the GUI thread (see chartseriesbuilder.h).
#include "chartseriesbuilder.h"

namespace ol {

ChartSeriesBuilder::ChartSeriesBuilder(QObject *parent)
    : QObject(parent)
    , m_runner(new JobRunner(this))
{ }

ChartSeriesBuilder::~ChartSeriesBuilder()
{
    delete m_runner; // cancels and joins while this object is still whole
    m_runner = nullptr;
}

quint64 ChartSeriesBuilder::request(std::shared_ptr<const Trace> trace, int connectionIndex, ChartSeries::YMode mode,
                                    bool wireView, bool onWorker)
{
    const std::size_t segments = trace ? ChartSeries::segmentCount(*trace, connectionIndex) : 0;
    const StreamOptions streams = m_streams;
    return submit(
        segments,
        [trace = std::move(trace), connectionIndex, mode, wireView, streams](const std::atomic<bool> *cancel,
                                                                             const ChartSeries::FramesReady &partial) {
            auto series = ChartSeries::create(trace, connectionIndex, mode, wireView, cancel, partial);
            if (series && streams.wanted && !series->buildStreams(wireView, streams.throughputWindow, cancel))
                return std::shared_ptr<ChartSeries>();
            return series;
        },
        onWorker);
}

quint64 ChartSeriesBuilder::request(const ChartSeries &shown, ChartSeries::YMode mode, bool wireView)
{
    const std::size_t segments = shown.trace() ? ChartSeries::segmentCount(*shown.trace(), shown.connectionIndex()) : 0;
    // A copy shares the built parts; the worker replaces only what these options change.
    auto copy = std::make_shared<ChartSeries>(shown);
    const StreamOptions streams = m_streams;
    return submit(
        segments, [copy, mode, wireView, streams](const std::atomic<bool> *cancel, const ChartSeries::FramesReady &) {
            const bool ok = (copy->hasFrameSizes(mode, wireView) || copy->buildFrameSizes(mode, wireView, cancel))
                && copy->buildSequence(cancel)
                && (!streams.wanted || copy->buildStreams(wireView, streams.throughputWindow, cancel));
            return ok ? copy : nullptr;
        });
}

quint64 ChartSeriesBuilder::submit(std::size_t segments, Work work, bool onWorker)
{
    m_runner->cancel(); // stale now: the worker stops at its next check and its result is dropped
    if (segments < m_inlineLimit && !onWorker) {
        const quint64 id = m_nextInlineId++;
        m_waitingFor = 0;
        emit seriesReady(id, work(nullptr, {}));
        return id;
    }
    const quint64 id = m_runner->run(
        [this, work = std::move(work)](const JobControl &control) {
            // The frame sizes come first, so the first chart need not wait for the sequence.
            return work(control.cancelFlag(), [this, &control](std::shared_ptr<ChartSeries> partial) {
                control.post([this, id = control.id(), partial = std::move(partial)] {
                    if (id == m_waitingFor) // the complete series follows; the request stays outstanding
                        emit seriesReady(id, partial);
                });
            });
        },
        [this](std::shared_ptr<ChartSeries> series) {
            const quint64 id = m_waitingFor;
            m_waitingFor = 0;
            if (series)
                emit seriesReady(id, std::move(series));
        });
    m_waitingFor = id;
    return id;
}

void ChartSeriesBuilder::cancel()
{
    m_waitingFor = 0;
    m_runner->cancel();
}

} // namespace ol
