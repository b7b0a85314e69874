// SPDX-License-Identifier: GPL-3.0-or-later
// Loading captures off the GUI thread (see traceloader.h).
#include "traceloader.h"

#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <chrono>

namespace ol {

namespace {
constexpr auto ProgressInterval = std::chrono::milliseconds(50);
}

LoadJob::LoadJob(quint64 id, const QString &path, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_path(path)
    , m_state(std::make_shared<State>())
{ }

LoadJob::~LoadJob()
{
    cancel();
    wait();
}

void LoadJob::start()
{
    const std::string path = QFile::encodeName(m_path).toStdString();
    std::shared_ptr<State> state = m_state;
    // The worker posts progress to this object; posted events die with it, and the destructor waits for
    // the thread, so the raw pointer never outlives the job.
    LoadJob *self = this;
    m_thread = QThread::create([state, path, self] {
        LoadOptions options;
        options.cancel = &state->cancel;
        // At most ProgressInterval apart: the loader calls back every few thousand packets, and a GUI thread
        // redrawing a progress bar a thousand times per load takes a core's fifth from the load itself.
        options.progress = [state, self,
                            last = std::chrono::steady_clock::time_point()](const LoadProgress &p) mutable {
            const auto now = std::chrono::steady_clock::now();
            if (now - last >= ProgressInterval || p.bytesRead >= p.fileSize) {
                last = now;
                QMetaObject::invokeMethod(
                    self, [self, p] { emit self->progressed(p.bytesRead, p.fileSize, p.packets); },
                    Qt::QueuedConnection);
            }
            return !state->cancel.load(std::memory_order_relaxed);
        };
        state->result = loadTrace(path, options);
        if (state->cancel.load())
            state->result.cancelled = true;
    });
    m_thread->setObjectName(QStringLiteral("load ") + QFileInfo(m_path).fileName());
    connect(m_thread, &QThread::finished, this, &LoadJob::finished, Qt::QueuedConnection);
    m_thread->start(QThread::LowPriority);
}

void LoadJob::cancel()
{
    m_state->cancel.store(true);
}

void LoadJob::wait()
{
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
}

TraceLoader::TraceLoader(QObject *parent)
    : QObject(parent)
{ }

TraceLoader::~TraceLoader()
{
    m_queue.clear();
    delete m_current; // cancels and joins
}

void TraceLoader::load(const QStringList &paths)
{
    m_queue += paths;
    if (!m_current)
        startNext();
}

void TraceLoader::cancelAll()
{
    m_queue.clear();
    if (m_current)
        m_current->cancel(); // its finished() arrives later and reports the cancel
}

quint64 TraceLoader::currentJobId() const
{
    return m_current ? m_current->id() : 0;
}

void TraceLoader::startNext()
{
    if (m_queue.isEmpty()) {
        emit idle();
        return;
    }
    const QString path = m_queue.takeFirst();
    auto *job = new LoadJob(m_nextId++, path, this);
    m_current = job;
    connect(job, &LoadJob::progressed, this, [this, job](quint64 bytes, quint64 size, quint64 packets) {
        if (job == m_current) // progress of a job being torn down is stale
            emit loadProgressed(job->id(), job->path(), bytes, size, packets);
    });
    connect(job, &LoadJob::finished, this, [this, job] { onJobFinished(job); });
    emit loadStarted(job->id(), path);
    job->start();
}

void TraceLoader::onJobFinished(LoadJob *job)
{
    job->wait();
    const quint64 id = job->id();
    const QString path = job->path();
    const LoadResult &r = job->result();
    const bool stale = job != m_current;
    if (!stale) {
        if (r.cancelled)
            emit loadCancelled(id, path);
        else if (r.trace)
            emit loadFinished(id, path, std::shared_ptr<const Trace>(r.trace));
        else
            emit loadFailed(id, path, QString::fromStdString(r.error));
        m_current = nullptr;
    }
    job->deleteLater();
    if (!stale)
        startNext();
}

} // namespace ol
