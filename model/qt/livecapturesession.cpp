// SPDX-License-Identifier: GPL-3.0-or-later
// Live capture on the job runner (see livecapturesession.h).
#include "livecapturesession.h"

namespace ol {

LiveCaptureSession::LiveCaptureSession(QObject *parent)
    : QObject(parent)
    , m_runner(new JobRunner(this))
{ }

LiveCaptureSession::~LiveCaptureSession()
{
    stop(); // the runner (a child) joins its worker next: the capture must end first
}

void LiveCaptureSession::start(LiveCaptureOptions options)
{
    stop();
    auto stopFlag = std::make_shared<std::atomic<bool>>(false);
    m_stop = stopFlag;
    m_running = true;
    m_runner->run(
        [this, options = std::move(options), stopFlag](const JobControl &control) mutable {
            // Snapshots and progress are posted: they arrive on the GUI thread while the job is current.
            options.snapshot = [this, &control](std::shared_ptr<Trace> t) {
                std::shared_ptr<const Trace> shared = std::move(t);
                control.post([this, shared] { emit snapshotReady(shared); });
            };
            return captureLive(
                options,
                [this, &control](const LiveProgress &p) {
                    control.post([this, p] { emit progressed(p.packets, p.seconds); });
                },
                stopFlag.get());
        },
        [this](LiveCaptureResult r) {
            m_running = false;
            emit finished(r.load.trace, QString::fromStdString(r.load.error), r.permissionDenied);
        });
}

void LiveCaptureSession::stop()
{
    if (m_stop)
        m_stop->store(true);
}

} // namespace ol
