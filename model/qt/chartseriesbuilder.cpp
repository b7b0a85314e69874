// SPDX-License-Identifier: GPL-3.0-or-later
// Chart series built off the GUI thread (see chartseriesbuilder.h).
#include "chartseriesbuilder.h"

#include <QThread>

namespace ol {

ChartSeriesBuilder::ChartSeriesBuilder(QObject *parent)
    : QObject(parent)
{ }

ChartSeriesBuilder::~ChartSeriesBuilder()
{
    if (m_running)
        m_running->cancel.store(true);
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

quint64 ChartSeriesBuilder::request(std::shared_ptr<const Trace> trace, int connectionIndex, ChartSeries::YMode mode,
                                    bool wireView)
{
    const std::size_t segments = trace ? ChartSeries::segmentCount(*trace, connectionIndex) : 0;
    return submit(segments,
                  [trace = std::move(trace), connectionIndex, mode, wireView](const std::atomic<bool> *cancel,
                                                                              const ChartSeries::FramesReady &partial) {
                      return ChartSeries::create(trace, connectionIndex, mode, wireView, cancel, partial);
                  });
}

quint64 ChartSeriesBuilder::request(const ChartSeries &shown, ChartSeries::YMode mode, bool wireView)
{
    const std::size_t segments = shown.trace() ? ChartSeries::segmentCount(*shown.trace(), shown.connectionIndex()) : 0;
    // A copy shares the built parts; the worker replaces only the copy's frame sizes.
    auto copy = std::make_shared<ChartSeries>(shown);
    return submit(segments, [copy, mode, wireView](const std::atomic<bool> *cancel, const ChartSeries::FramesReady &) {
        return copy->buildFrameSizes(mode, wireView, cancel) && copy->buildSequence(cancel) ? copy : nullptr;
    });
}

quint64 ChartSeriesBuilder::submit(std::size_t segments, Work work)
{
    const quint64 id = m_nextId++;
    m_waitingFor = id;
    m_next.reset();
    if (m_running)
        m_running->cancel.store(true); // stale now; its result is dropped when it arrives
    if (segments < m_inlineLimit) {
        auto series = work(nullptr, {});
        m_waitingFor = 0;
        emit seriesReady(id, std::move(series));
        return id;
    }
    auto job = std::make_shared<Job>();
    job->id = id;
    job->work = std::move(work);
    if (m_thread)
        m_next = std::move(job); // starts once the cancelled one has stopped: one build at a time
    else
        start(std::move(job));
    return id;
}

void ChartSeriesBuilder::cancel()
{
    m_waitingFor = 0;
    m_next.reset();
    if (m_running)
        m_running->cancel.store(true);
}

void ChartSeriesBuilder::start(std::shared_ptr<Job> job)
{
    m_running = job;
    // The worker touches the job (kept alive by its own reference) and posts partial results to this object,
    // which outlives it: the destructor joins the thread.
    ChartSeriesBuilder *self = this;
    m_thread = QThread::create([job, self] {
        job->result = job->work(&job->cancel, [job, self](std::shared_ptr<ChartSeries> partial) {
            QMetaObject::invokeMethod(
                self, [self, id = job->id, partial = std::move(partial)] { self->onPartial(id, partial); },
                Qt::QueuedConnection);
        });
    });
    m_thread->setObjectName(QStringLiteral("chart series"));
    connect(m_thread, &QThread::finished, this, &ChartSeriesBuilder::onFinished, Qt::QueuedConnection);
    m_thread->start();
}

void ChartSeriesBuilder::onPartial(quint64 id, std::shared_ptr<ChartSeries> series)
{
    if (id == m_waitingFor) // the complete series follows; the request stays outstanding
        emit seriesReady(id, std::move(series));
}

void ChartSeriesBuilder::onFinished()
{
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    const std::shared_ptr<Job> done = std::move(m_running);
    if (m_next)
        start(std::move(m_next));
    if (done->id != m_waitingFor) // superseded or cancelled: dropped
        return;
    m_waitingFor = 0;
    if (done->result)
        emit seriesReady(done->id, std::move(done->result));
}

} // namespace ol
