// SPDX-License-Identifier: GPL-3.0-or-later
// The main window as a newcomer meets it, offscreen: the docks keep a readable width when a large capture opens.
#include "chartspanel.h"
#include "guitestutil.h"
#include "mainwindow.h"
#include "workspacepage.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void docksKeepAReadableWidthWhenALargeCaptureOpens();
};

void TestMainWindow::docksKeepAReadableWidthWhenALargeCaptureOpens()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"download.pcap"_s);
    QVERIFY(test::writeDownload(path, 150'000, 3.1));
    MainWindow window;
    window.setQuiet(true);
    window.resize(1280, 800);
    window.show();
    QSignalSpy finished(window.document(), &TraceDocument::loadingFinished);
    window.openFiles({path});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.workspace()->charts()->seriesBuilder()->isBusy(), 60000);
    // Readable means an evidence sentence of five or six words a line: 36 average characters of the font.
    const int readable = window.fontMetrics().averageCharWidth() * 36;
    int docks = 0;
    for (QDockWidget *dock : window.findChildren<QDockWidget *>()) {
        if (!dock->isVisible())
            continue;
        ++docks;
        QVERIFY2(
            dock->width() >= readable,
            qPrintable(u"%1 is %2 px wide, %3 px needed"_s.arg(dock->windowTitle()).arg(dock->width()).arg(readable)));
    }
    QCOMPARE(docks, 3); // Files, Evidence, Problems
    // The main area gave way, not the window: it still fits the size it was given.
    QCOMPARE(window.width(), 1280);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
