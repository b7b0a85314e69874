// SPDX-License-Identifier: GPL-3.0-or-later
// The one way work leaves the GUI thread: a JobRunner runs jobs on a worker thread of its own, one after
// another; each job has an id, a cancel flag its work checks, and hands back one whole result value that is
// delivered on the runner's thread only while the job is still the current one. Destroying the runner cancels
// every job and joins its thread.
#pragma once

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace ol {

class JobRunner;

/// What a running job sees of itself: whether it was cancelled or superseded, and a way to post progress.
class JobControl
{
public:
    /// Raised when the job was cancelled or a newer one started: the work should stop soon.
    bool isCancelled() const { return m_cancel->load(std::memory_order_relaxed); }
    /// The flag itself, for code that takes a `const std::atomic<bool> *` (the core's loaders and builders).
    const std::atomic<bool> *cancelFlag() const { return m_cancel.get(); }
    /// Runs `f` on the runner's thread, unless the job is no longer current by then.
    void post(std::function<void()> f) const;
    quint64 id() const { return m_id; }

private:
    friend class JobRunner;
    JobRunner *m_runner = nullptr;
    quint64 m_id = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

class JobRunner : public QObject
{
    Q_OBJECT
public:
    explicit JobRunner(QObject *parent = nullptr);
    /// Cancels every job and waits for the worker: no job outlives its runner.
    ~JobRunner() override;

    /// Starts `work(const JobControl &)` on the worker and returns the job's id. Its result is handed to
    /// `done` on this object's thread, unless cancel() or a newer run() came first: then it is dropped. A newer
    /// run() raises the cancel flag of the current job; jobs run one at a time, in order.
    template <typename Work, typename Done> quint64 run(Work work, Done done)
    {
        using Result = std::invoke_result_t<Work &, const JobControl &>;
        return runErased([work = std::move(work), done = std::move(done)](const JobControl &control) mutable {
            auto result = std::make_shared<Result>(work(control));
            return std::function<void()>([done, result]() mutable { done(std::move(*result)); });
        });
    }
    /// Drops the current job: its cancel flag is raised and nothing of it is delivered.
    void cancel();
    /// The job whose result will be delivered, 0 when none is outstanding.
    quint64 currentJob() const { return m_current; }
    bool isBusy() const { return m_current != 0; }
    /// Blocks until every started job has returned (results still arrive by the event loop).
    void waitForIdle();

private:
    friend class JobControl;
    using Erased = std::function<std::function<void()>(const JobControl &)>;
    quint64 runErased(Erased work);
    void deliver(quint64 id, const std::function<void()> &f);

    QThreadPool m_pool;
    quint64 m_nextId = 1;
    quint64 m_current = 0;
    std::shared_ptr<std::atomic<bool>> m_currentCancel;
};

} // namespace ol
