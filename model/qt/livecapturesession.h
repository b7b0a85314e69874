// SPDX-License-Identifier: GPL-3.0-or-later
// A live capture run from the GUI: the core's captureLive on the job runner's worker, with its results
// while it runs (about once a second) and the final trace delivered on the GUI thread.
#pragma once

#include "jobrunner.h"
#include "livecapture.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace ol {

class LiveCaptureSession : public QObject
{
    Q_OBJECT

public:
    explicit LiveCaptureSession(QObject *parent = nullptr);
    ~LiveCaptureSession() override;

    /// Starts a capture (stopping one that runs). Signals follow on this object's thread.
    void start(LiveCaptureOptions options);
    /// Ends the capture early; finished() still comes, with what was captured.
    void stop();
    bool isRunning() const { return m_running; }

signals:
    void progressed(quint64 packets, double seconds);
    /// The packets so far, analysed: replaces the previous snapshot.
    void snapshotReady(std::shared_ptr<const ol::Trace> trace);
    /// The whole capture; trace is null and error says why when it could not start or be analysed.
    void finished(std::shared_ptr<const ol::Trace> trace, const QString &error, bool permissionDenied);

private:
    JobRunner *m_runner;
    std::shared_ptr<std::atomic<bool>> m_stop;
    bool m_running = false;
};

} // namespace ol
