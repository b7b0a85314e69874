// SPDX-License-Identifier: GPL-3.0-or-later
// The main window as a newcomer meets it, offscreen: a first window that fits the screen, docks that keep a
// readable width when a large capture opens, and a layout that survives a restart (settings in a temporary
// directory, never the user's).
#include "chartspanel.h"
#include "guitestutil.h"
#include "mainwindow.h"
#include "workspacepage.h"

#include <QAction>
#include <QDockWidget>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void theFirstWindowFitsTheScreen();
    void docksKeepAReadableWidthWhenALargeCaptureOpens();
    void theLayoutSurvivesARestart();
    void resetLayoutGoesBackToTheFirstStart();
    void ofSeveralFilesTheFirstIsShownOnceTheyLoaded();

private:
    static void openAndWait(MainWindow &window, const QString &path);

    QTemporaryDir m_settingsDir;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    // Before any QSettings exists: this process reads and writes only the temporary directory.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"OffloadLensTest"_s);
    QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy finished(window.document(), &TraceDocument::loadingFinished);
    window.openFiles({path});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.workspace()->charts()->seriesBuilder()->isBusy(), 60000);
}

void TestMainWindow::theFirstWindowFitsTheScreen()
{
    MainWindow window;
    window.restoreSettings(); // nothing saved yet: a first start
    window.show();
    const QRect available = window.screen()->availableGeometry();
    QVERIFY2(available.contains(window.frameGeometry()),
             qPrintable(u"%1x%2 on %3x%4"_s.arg(window.width())
                            .arg(window.height())
                            .arg(available.width())
                            .arg(available.height())));
    // Most of it: the charts need the width (the issue saw 1,250 of 1,600 px used).
    QVERIFY(window.width() >= available.width() * 85 / 100);
    QVERIFY(window.height() >= available.height() * 85 / 100);
}

void TestMainWindow::docksKeepAReadableWidthWhenALargeCaptureOpens()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"download.pcap"_s);
    QVERIFY(test::writeDownload(path, 150'000, 3.1));
    MainWindow window;
    window.setQuiet(true);
    window.resize(1280, 800);
    window.show();
    openAndWait(window, path);
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

void TestMainWindow::theLayoutSurvivesARestart()
{
    QSize size;
    int evidenceWidth = 0;
    QList<int> splitter;
    {
        MainWindow window;
        window.restoreSettings();
        window.resize(1250, 760);
        window.show();
        openAndWait(window, test::fixture(test::A04));
        // What a user does: a wider explanation, no Problems dock, a taller connection table.
        auto *evidence = window.findChild<QDockWidget *>(u"evidenceDock"_s);
        window.resizeDocks({evidence}, {460}, Qt::Horizontal);
        window.problemsDock()->toggleViewAction()->trigger();
        window.workspace()->splitter()->setSizes({260, 400});
        QTest::qWait(20);
        size = window.size();
        evidenceWidth = evidence->width();
        QCOMPARE(evidenceWidth, 460);
        splitter = window.workspace()->splitter()->sizes();
        QVERIFY(!window.problemsDock()->isVisible());
        window.close(); // saves
    }
    QVERIFY(QSettings().contains(u"window/geometry"_s));
    QVERIFY(QSettings().contains(u"window/state"_s));

    MainWindow window;
    window.restoreSettings();
    window.show();
    QCOMPARE(window.size(), size);
    openAndWait(window, test::fixture(test::A04));
    QTest::qWait(20);
    QCOMPARE(window.findChild<QDockWidget *>(u"evidenceDock"_s)->width(), evidenceWidth);
    QVERIFY(window.findChild<QDockWidget *>(u"filesDock"_s)->isVisible());
    QVERIFY(!window.problemsDock()->isVisible()); // closed by the user, not brought back by opening a file
    QCOMPARE(window.workspace()->splitter()->sizes(), splitter);
}

void TestMainWindow::resetLayoutGoesBackToTheFirstStart()
{
    MainWindow window;
    window.restoreSettings();
    window.show();
    const QSize first = window.size();
    openAndWait(window, test::fixture(test::A04));
    window.resize(700, 500);
    window.problemsDock()->toggleViewAction()->trigger();
    QVERIFY(!window.problemsDock()->isVisible());
    QAction *reset = nullptr;
    for (QAction *a : window.findChildren<QAction *>())
        if (a->text() == u"Reset &Layout"_s)
            reset = a;
    QVERIFY(reset);
    reset->trigger();
    QCOMPARE(window.size(), first);
    QVERIFY(window.problemsDock()->isVisible());
    QVERIFY(window.findChild<QDockWidget *>(u"evidenceDock"_s)->width() >= window.minimumDockWidth());
}

void TestMainWindow::ofSeveralFilesTheFirstIsShownOnceTheyLoaded()
{
    // The demos as quickstart.sh opens them: 1-sender-with-tso first (its copy in tests/data, see the demo
    // README), the teaching start, not the last file to finish loading.
    const QStringList files{test::fixture("gen_tso_on_gro_off_server.pcap"),
                            test::fixture("gen_tso_on_gro_off_client.pcap"),
                            test::fixture("gen_tso_off_gro_on_client.pcap")};
    MainWindow window;
    window.setQuiet(true);
    window.show();
    QSignalSpy finished(window.document(), &TraceDocument::loadingFinished);
    window.openFiles(files);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(window.document()->traceCount(), 3);
    QCOMPARE(window.document()->currentTraceIndex(), window.document()->indexOf(files.first()));
    QVERIFY(window.windowTitle().startsWith(u"gen_tso_on_gro_off_server.pcap"_s));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
