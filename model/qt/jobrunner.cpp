// SPDX-License-Identifier: GPL-3.0-or-later
// Jobs off the GUI thread with cancel, stale-result dropping and a join on destruction (see jobrunner.h).
#include "jobrunner.h"

namespace ol {

void JobControl::post(std::function<void()> f) const
{
    // The runner joins its worker before it dies, so the pointer is valid while the work runs; the queued call
    // dies with the runner if it never ran.
    JobRunner *runner = m_runner;
    QMetaObject::invokeMethod(
        runner,
        [runner, id = m_id, f = std::move(f)] {
            if (runner->m_current == id)
                f();
        },
        Qt::QueuedConnection);
}

JobRunner::JobRunner(QObject *parent)
    : QObject(parent)
{
    // One worker: a superseded job stops at its next cancel check, and the next one starts after it, so two
    // builds never compete for the same cores.
    m_pool.setMaxThreadCount(1);
}

JobRunner::~JobRunner()
{
    cancel();
    m_pool.clear(); // jobs not started yet never start
    m_pool.waitForDone();
}

void JobRunner::cancel()
{
    if (m_currentCancel)
        m_currentCancel->store(true);
    m_currentCancel.reset();
    m_current = 0;
}

void JobRunner::waitForIdle()
{
    m_pool.waitForDone();
}

quint64 JobRunner::runErased(Erased work)
{
    cancel(); // the newest request wins
    JobControl control;
    control.m_runner = this;
    control.m_id = m_nextId++;
    control.m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_current = control.m_id;
    m_currentCancel = control.m_cancel;
    m_pool.start([this, control, work = std::move(work)]() mutable {
        if (control.isCancelled())
            return; // superseded before it started: not worth starting
        std::function<void()> deliver = work(control);
        if (control.isCancelled())
            return;
        QMetaObject::invokeMethod(
            this, [this, id = control.m_id, deliver = std::move(deliver)] { this->deliver(id, deliver); },
            Qt::QueuedConnection);
    });
    return control.m_id;
}

void JobRunner::deliver(quint64 id, const std::function<void()> &f)
{
    if (id != m_current)
        return; // cancelled or superseded while its result was on the way
    m_current = 0;
    m_currentCancel.reset();
    f();
}

} // namespace ol
