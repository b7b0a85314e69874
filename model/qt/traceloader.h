// SPDX-License-Identifier: GPL-3.0-or-later
// Loading captures off the GUI thread: the TraceLoader queues files and runs ol::loadTrace for one at a time
// through its JobRunner, which forwards progress, drops the results of cancelled jobs (matched by job id) and
// joins the worker on destruction.
#pragma once

#include "jobrunner.h"
#include "loader.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace ol {

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
    /// Cancels the running load only; the queued ones follow.
    void cancelCurrent();
    /// Results while loading (loadPartial): the first snapshot after `first` seconds, then about every `period`
    /// (LoadOptions::partial); period <= 0 turns them off. On by default (0.3 s, 1 s).
    void setPartialResults(double first, double period);
    /// The path of the running load (empty when idle).
    QString currentPath() const { return m_currentId ? m_currentPath : QString(); }
    bool isBusy() const { return m_currentId != 0; }
    /// Files still waiting, the running one excluded.
    int queuedCount() const { return int(m_queue.size()); }
    /// Id of the running job (0 when idle).
    quint64 currentJobId() const { return m_currentId; }

signals:
    void loadStarted(quint64 jobId, const QString &path);
    void loadProgressed(quint64 jobId, const QString &path, quint64 bytes, quint64 fileSize, quint64 packets);
    /// The file read so far, analysed (Trace::partial): replaces the previous snapshot of the same load; the
    /// load still ends in loadFinished, loadFailed or loadCancelled.
    void loadPartial(quint64 jobId, const QString &path, std::shared_ptr<const ol::Trace> trace);
    void loadFinished(quint64 jobId, const QString &path, std::shared_ptr<const ol::Trace> trace);
    void loadFailed(quint64 jobId, const QString &path, const QString &error);
    void loadCancelled(quint64 jobId, const QString &path);
    /// Nothing running, nothing queued.
    void idle();

private:
    void startNext();
    void onLoaded(LoadResult result);

    JobRunner *m_runner;
    QStringList m_queue;
    quint64 m_currentId = 0; // the runner's id of the running load, 0 when idle
    QString m_currentPath;
    double m_partialFirst = 0.3;
    double m_partialPeriod = 1.0;
};

} // namespace ol
