// SPDX-License-Identifier: GPL-3.0-or-later
// The main window as a newcomer meets it, offscreen: a first window that fits the screen, docks that keep a
// readable width when a large capture opens, and a layout that survives a restart (settings in a temporary
// directory, never the user's).
#include "chartspanel.h"
#include "guitestutil.h"
#include "mainwindow.h"
#include "workspacepage.h"

#include <QAction>
#include <QApplication>
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
    void theStatusBarSaysWhatIsLoadedAndSelected();
    void everyShortcutIsUniqueAndNamedInItsTooltip();
    void tabWalksThePanelsInTheirOrderOnScreen();

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

void TestMainWindow::theStatusBarSaysWhatIsLoadedAndSelected()
{
    MainWindow window;
    window.setQuiet(true);
    window.show();
    QVERIFY(window.statusText().startsWith(u"No capture open"_s));
    openAndWait(window, test::fixture(test::A04));
    // capinfos -c: 44 packets; tshark -z conv,tcp: one connection, 172.16.5.1:49178 ⇄ 172.16.5.10:8443.
    const QString status = window.statusText();
    QVERIFY2(status.contains(u"a04_linux_http2_server_tso.pcap: 44 packets, 1 TCP connection"_s), qPrintable(status));
    QVERIFY2(status.contains(u"connection #0 (172.16.5.1:49178 ⇄ 172.16.5.10:8443, 44 packets)"_s), qPrintable(status));
    const Connection *c = window.document()->currentConnection();
    QVERIFY(c && !c->directions[1].segments.empty());
    window.document()->setCurrentSegment({1, 0});
    const QString selected = u"frame %1 selected (server→client"_s.arg(c->directions[1].segments[0].frame);
    QVERIFY2(window.statusText().contains(selected), qPrintable(window.statusText()));
}

void TestMainWindow::everyShortcutIsUniqueAndNamedInItsTooltip()
{
    MainWindow window;
    window.setQuiet(true);
    // Two actions on one key make Qt trigger neither ("ambiguous shortcut"), silently.
    QHash<QString, QString> owner;
    int withShortcut = 0;
    for (QAction *a : window.findChildren<QAction *>()) {
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        if (key.isEmpty() || a->shortcutContext() != Qt::WindowShortcut)
            continue;
        ++withShortcut;
        QVERIFY2(!owner.contains(key), qPrintable(u"%1: %2 and %3"_s.arg(key, owner.value(key), a->text())));
        owner.insert(key, a->text());
        if (!a->associatedObjects().isEmpty()) // in a menu
            QVERIFY2(a->toolTip().contains(key), qPrintable(a->text() + u": "_s + a->toolTip()));
    }
    QVERIFY(withShortcut >= 10);
}

void TestMainWindow::tabWalksThePanelsInTheirOrderOnScreen()
{
    MainWindow window;
    window.setQuiet(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    openAndWait(window, test::fixture(test::A04));
    QWidget *filter = nullptr;
    for (QWidget *w : window.findChildren<QWidget *>())
        if (w->accessibleName() == u"Connection filter"_s)
            filter = w;
    QVERIFY(filter);
    filter->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), filter);
    QStringList visited;
    for (int i = 0; i < 9; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        visited << QApplication::focusWidget()->accessibleName();
    }
    // Top to bottom, left to right in the main area: the table, the chart options, the frame-size chart, the lower
    // chart's options (the throughput window only with the throughput chart) and the lower chart.
    const QStringList expected{u"Connection table"_s, u"Y axis"_s,     u"Wire view"_s,
                               u"Link time axes"_s,   u"Reset zoom"_s, u"Chart plot area"_s,
                               u"Lower chart"_s,      u"Direction"_s,  u"Chart plot area"_s};
    QCOMPARE(visited, expected);
    // Then on into the docks.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QWidget *dockPanel = QApplication::focusWidget();
    bool inDock = false;
    for (QWidget *w = dockPanel; w; w = w->parentWidget())
        inDock = inDock || qobject_cast<QDockWidget *>(w);
    QVERIFY2(inDock, qPrintable(dockPanel->accessibleName()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
