// SPDX-License-Identifier: GPL-3.0-or-later
// The hidden --screenshot mode (see screenshotrunner.h).
#include "screenshotrunner.h"

#include "chartspanel.h"
#include "comparechart.h"
#include "comparepage.h"
#include "mainwindow.h"
#include "workspacepage.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>

#include <cstdio>
#include <utility>

namespace ol {

ScreenshotRunner::ScreenshotRunner(MainWindow *window, const QString &outputPath, bool whileLoading, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_output(outputPath)
{
    connect(window->document(), &TraceDocument::loadingFinished, this, &ScreenshotRunner::prepare);
    // The first snapshot of a file still loading (one that loads fast has none: then the whole file).
    if (whileLoading)
        connect(window->document(), &TraceDocument::traceAdded, this, [this](int index) {
            if (m_window->document()->trace(index)->partial)
                prepare();
        });
    // A load that never ends should not hang a script.
    QTimer::singleShot(120000, this, [] { QCoreApplication::exit(3); });
    // Nothing to load (welcome page): take the picture as soon as the window settled.
    QTimer::singleShot(0, this, [this] {
        if (!m_window->document()->isLoading() && m_window->document()->traceCount() == 0)
            prepare();
    });
}

void ScreenshotRunner::prepare()
{
    if (std::exchange(m_prepared, true))
        return;
    TraceDocument *doc = m_window->document();
    // The first file with an oversized connection is the picture worth taking.
    for (int t = 0; t < doc->traceCount(); ++t) {
        doc->setCurrentTrace(t);
        const int c = doc->interestingConnection();
        if (c < 0)
            continue;
        doc->setCurrentConnection(c);
        const Connection *conn = doc->currentConnection();
        if (!conn->directions[0].offload.oversized() && !conn->directions[1].offload.oversized())
            continue;
        for (int d = 0; d < 2; ++d) {
            const auto &segs = conn->directions[d].segments;
            for (std::size_t i = 0; i < segs.size(); ++i)
                if (segs[i].segmentClass() >= SegmentClass::SendOffload) {
                    doc->setCurrentSegment({d, qint64(i)});
                    d = 2;
                    break;
                }
        }
        break;
    }
    // On the Compare page the first splits explain more than the whole connection.
    if (ComparePage *page = m_window->comparePage(); page->isVisible())
        page->compareChart()->zoomToFirstSplits(3);
    // Let layouts, decimation and queued replots run before grabbing.
    QTimer::singleShot(700, this, &ScreenshotRunner::capture);
}

void ScreenshotRunner::capture()
{
    // A large connection's time-sequence series is still being built: the picture waits for the whole chart.
    if (m_window->workspace()->charts()->seriesBuilder()->isBusy()) {
        QTimer::singleShot(100, this, &ScreenshotRunner::capture);
        return;
    }
    const QPixmap pixmap = m_window->grab();
    const bool ok = pixmap.save(m_output, "PNG");
    std::fprintf(stderr, "offloadlens: screenshot %s %s (%dx%d)\n", qPrintable(m_output), ok ? "saved" : "FAILED",
                 pixmap.width(), pixmap.height());
    QCoreApplication::exit(ok ? 0 : 1);
}

} // namespace ol
