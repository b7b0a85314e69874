// SPDX-License-Identifier: GPL-3.0-or-later
// Loading captures off the GUI thread (see traceloader.h).
#include "traceloader.h"

#include <QFile>
#include <QThread>

#include <chrono>

namespace ol {

namespace {
constexpr auto ProgressInterval = std::chrono::milliseconds(50);
}

TraceLoader::TraceLoader(QObject *parent)
    : QObject(parent)
    , m_runner(new JobRunner(this))
{ }

TraceLoader::~TraceLoader()
{
    m_queue.clear();
    delete m_runner; // cancels and joins before the signals below could be wanted
    m_runner = nullptr;
}

void TraceLoader::load(const QStringList &paths)
{
    m_queue += paths;
    if (!m_currentId)
        startNext();
}

void TraceLoader::cancelAll()
{
    m_queue.clear();
    cancelCurrent(); // nothing queued: idle after it
}

void TraceLoader::cancelCurrent()
{
    if (!m_currentId)
        return;
    // The worker stops at its next progress check; the runner drops whatever it still returns.
    m_runner->cancel();
    const quint64 id = m_currentId;
    m_currentId = 0;
    emit loadCancelled(id, m_currentPath);
    startNext();
}

void TraceLoader::setPartialResults(double first, double period)
{
    m_partialFirst = first;
    m_partialPeriod = period;
}

void TraceLoader::startNext()
{
    if (m_queue.isEmpty()) {
        emit idle();
        return;
    }
    m_currentPath = m_queue.takeFirst();
    const std::string path = QFile::encodeName(m_currentPath).toStdString();
    m_currentId = m_runner->run(
        [this, path, first = m_partialFirst, period = m_partialPeriod](const JobControl &control) {
            QThread::currentThread()->setPriority(QThread::LowPriority); // the GUI stays responsive on two cores
            LoadOptions options;
            options.cancel = control.cancelFlag();
            // At most ProgressInterval apart: the loader calls back every few thousand packets, and a GUI thread
            // redrawing a progress bar a thousand times per load takes a core's fifth from the load itself.
            options.progress = [this, &control,
                                last = std::chrono::steady_clock::time_point()](const LoadProgress &p) mutable {
                const auto now = std::chrono::steady_clock::now();
                if (now - last >= ProgressInterval || p.bytesRead >= p.fileSize) {
                    last = now;
                    control.post([this, id = control.id(), p] {
                        emit loadProgressed(id, m_currentPath, p.bytesRead, p.fileSize, p.packets);
                    });
                }
                return !control.isCancelled();
            };
            if (period > 0) {
                options.partialFirstSeconds = first;
                options.partialSeconds = period;
                // From the loader's snapshot thread, never after loadTrace returned: posted before the final
                // result, so they arrive before it (and are dropped with it once the job is no longer current).
                options.partial = [this, &control](std::shared_ptr<Trace> t) {
                    control.post([this, id = control.id(), shared = std::shared_ptr<const Trace>(std::move(t))] {
                        emit loadPartial(id, m_currentPath, shared);
                    });
                };
            }
            return loadTrace(path, options);
        },
        [this](LoadResult result) { onLoaded(std::move(result)); });
    emit loadStarted(m_currentId, m_currentPath);
}

void TraceLoader::onLoaded(LoadResult r)
{
    const quint64 id = m_currentId;
    m_currentId = 0;
    if (r.cancelled)
        emit loadCancelled(id, m_currentPath);
    else if (r.trace)
        emit loadFinished(id, m_currentPath, std::shared_ptr<const Trace>(std::move(r.trace)));
    else
        emit loadFailed(id, m_currentPath, QString::fromStdString(r.error));
    startNext();
}

} // namespace ol
