// SPDX-License-Identifier: GPL-3.0-or-later
// Loading captures off the GUI thread: one LoadJob per file runs ol::loadTrace on its own QThread; the
// TraceLoader queues files, runs one job at a time, forwards progress by queued signals and drops results of
// jobs that were cancelled or superseded (matched by job id).
#pragma once

#include "loader.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace ol {

/// One load of one file. The worker thread only touches the shared State; everything else lives in the
/// thread that created the job.
class LoadJob : public QObject
{
    Q_OBJECT
public:
    LoadJob(quint64 id, const QString &path, QObject *parent = nullptr);
    ~LoadJob() override;

    quint64 id() const { return m_id; }
    QString path() const { return m_path; }
    /// Starts the worker thread.
    void start();
    /// Asks the worker to stop at its next progress check; finished() still follows.
    void cancel();
    /// Blocks until the worker returned (used on shutdown only).
    void wait();

signals:
    void progressed(quint64 bytes, quint64 fileSize, quint64 packets);
    /// Emitted in the owner's thread once the worker is done; result() is then valid.
    void finished();

public:
    const LoadResult &result() const { return m_state->result; }

private:
    struct State {
        std::atomic<bool> cancel{false};
        LoadResult result;
    };
    quint64 m_id;
    QString m_path;
    std::shared_ptr<State> m_state;
    QThread *m_thread = nullptr;
};

class TraceLoader : public QObject
{
    Q_OBJECT
public:
    explicit TraceLoader(QObject *parent = nullptr);
    ~TraceLoader() override;

    /// Queues files; returns immediately. Loads run one after another.
    void load(const QStringList &paths);
    /// Cancels the running load and forgets the queued ones. Their results, if any arrive, are dropped.
    void cancelAll();
    bool isBusy() const { return m_current != nullptr; }
    /// Files still waiting, the running one excluded.
    int queuedCount() const { return int(m_queue.size()); }
    /// Id of the running job (0 when idle).
    quint64 currentJobId() const;

signals:
    void loadStarted(quint64 jobId, const QString &path);
    void loadProgressed(quint64 jobId, const QString &path, quint64 bytes, quint64 fileSize, quint64 packets);
    void loadFinished(quint64 jobId, const QString &path, std::shared_ptr<const ol::Trace> trace);
    void loadFailed(quint64 jobId, const QString &path, const QString &error);
    void loadCancelled(quint64 jobId, const QString &path);
    /// Nothing running, nothing queued.
    void idle();

private:
    void startNext();
    void onJobFinished(LoadJob *job);

    QStringList m_queue;
    LoadJob *m_current = nullptr;
    quint64 m_nextId = 1;
};

} // namespace ol
